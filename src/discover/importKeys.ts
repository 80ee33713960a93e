// What one import statement names, as keys of the import graph: `module:Name` for each name of a
// from-import (the module made absolute), `module:*` for a star-import, `module` for each module of
// a plain `import`. Shared by the worker that counts keys and the pass that locates unresolved ones.

import { resolveRelative } from '../python/modules.js';
import { StmtKind, type ImportAlias, type ImportStmt } from '../python/records.js';

/** The importing file's module, for relative imports. */
export interface SelfModule {
  name: string;
  isPackage: boolean;
}

/**
 * Calls `emit` once per key of `r`, with the item that spells it. `self` is the importing file's
 * module (undefined: not a module).
 */
export function importKeys(r: ImportStmt, self: SelfModule | undefined, emit: (key: string, item: ImportAlias) => void): void {
  if (r.kind === StmtKind.Import) {
    for (const m of r.names) emit(m.name, m);
    return;
  }
  let abs: string | null = r.module;
  if (r.level > 0) abs = self ? resolveRelative(r.level, r.module, self.name, self.isPackage) : null;
  // A relative import in a script, or beyond the top-level package: Python raises; not an edge.
  if (abs === null) return;
  for (const n of r.names) emit(`${abs}:${n.name}`, n);
}

/** `module:Name` -> [module, Name]; a plain module key -> [module, null]. */
export function splitKey(key: string): [string, string | null] {
  const colon = key.indexOf(':');
  return colon < 0 ? [key, null] : [key.slice(0, colon), key.slice(colon + 1)];
}
