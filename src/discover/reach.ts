// Where adopting a canonical path would close an import cycle. A file that switches to `from C
// import X` imports C when it runs; if importing C runs that file (C is the file's own module, or C
// imports it, directly or through other modules), the file then reads C half-initialized: a
// self-import, or an import cycle that fails with "cannot import name X (most likely due to a
// circular import)". pytest is the common case: `pytest/__init__.py` imports `_pytest.*`, so the
// `_pytest` modules must keep importing from `_pytest`, while the tests can use `pytest`.
//
// Read off discover's import graph: every import counts, at module level or not, under
// `TYPE_CHECKING` or not, so a file is kept whenever an import could run it (canon errs towards
// leaving code alone).

import type { ModuleIndex } from '../python/moduleIndex.js';
import type { ImportGraph } from './graph.js';
import { splitKey } from './importKeys.js';

export class ImportReach {
  /** module -> the project modules its file imports (a submodule imported by name included). */
  private edges: Map<string, Set<string>> | null = null;
  private readonly memo = new Map<string, ReadonlySet<string>>();
  /** By position in graph.files: the file's module, or null (a script outside the import roots). */
  readonly moduleOfFile: (string | null)[];

  constructor(
    private readonly graph: ImportGraph,
    private readonly index: ModuleIndex,
  ) {
    this.moduleOfFile = graph.files.map((f) => index.ofFile(f)?.name ?? null);
  }

  private build(): Map<string, Set<string>> {
    const edges = new Map<string, Set<string>>();
    for (const [key, e] of this.graph.edges) {
      const [module, name] = splitKey(key);
      if (!this.index.has(module)) continue;
      const sub = name !== null && name !== '*' && this.index.has(`${module}.${name}`) ? `${module}.${name}` : null;
      for (const f of e.files) {
        const from = this.moduleOfFile[f];
        if (from === null) continue;
        let to = edges.get(from);
        if (!to) edges.set(from, (to = new Set()));
        to.add(module);
        if (sub !== null) to.add(sub);
      }
    }
    return edges;
  }

  /**
   * The modules that `from module import X` would put in a cycle: the module itself, and every
   * project module that importing it imports (each module's packages first, as Python does).
   */
  cycles(module: string): ReadonlySet<string> {
    let out = this.memo.get(module);
    if (out) return out;
    const edges = (this.edges ??= this.build());
    const reached = new Set<string>([module]);
    // Importing `a.b.c` runs `a` and `a.b` first, so their imports are followed too; but a
    // package is not put in a cycle by its submodule's being imported while it initializes
    // (`a/__init__.py` importing `a.b.c` is the usual thing): only what is imported by name is.
    const seen = new Set<string>([module, ...ancestors(module)]);
    const queue = [...seen];
    while (queue.length > 0) {
      for (const next of edges.get(queue.pop()!) ?? []) {
        reached.add(next);
        for (const m of [next, ...ancestors(next)]) if (!seen.has(m)) (seen.add(m), queue.push(m));
      }
    }
    this.memo.set(module, (out = reached));
    return out;
  }
}

/** `a.b.c` -> `a`, `a.b`. */
function ancestors(module: string): string[] {
  const out: string[] = [];
  for (let at = module.indexOf('.'); at >= 0; at = module.indexOf('.', at + 1)) out.push(module.slice(0, at));
  return out;
}
