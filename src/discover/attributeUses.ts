// Uses of a symbol through a module import: `import app.compat as c` then `c.Engine`, `import
// app.compat` then `app.compat.Engine`, `from app import compat` then `compat.Engine`. Each is a use
// of the path `app.compat:Engine`, which `canon fix` rewrites like an import, so discover counts it
// with the path's imports.
//
// Found while the graph is read, on every thread, from the text already in memory: the names a
// file's imports bind to something under the project's top-level names (known from the file list
// before the scan starts) are watched, and the file is lexed whole, so that strings and comments
// never count, only when one of them is followed by a dot outside the import statements. The
// uses go to the main thread as raw records (the binding as written, the attribute chain), and are
// made keys there once the module index exists: a binding that is not a project module (`from
// app.models import User`, then `User.objects`) is dropped, and `c.sub.X` is `app.compat.sub:X`
// when that submodule exists.
//
// Like scan, without scope analysis: a local variable that shadows the name in a function counts
// too. Such a use may name nothing; it is then counted as not followed, never reported as an
// unresolved import (findings.ts).

import { lexPython } from '../python/lexer.js';
import type { ModuleIndex } from '../python/moduleIndex.js';
import { resolveRelative, rootPrefixes } from '../python/modules.js';
import { StmtKind, type ImportStmt } from '../python/records.js';
import type { ImportGraph } from './graph.js';

/**
 * Uses found in files, one record per (file, binding, chain): `specs[i]` is the binding as written
 * (`app.compat`, or `..|pkg|compat` for `from ..pkg import compat`), `chains[i]` the attribute
 * names after it, joined by dots.
 */
export interface RawUses {
  files: number[];
  specs: string[];
  chains: string[];
  counts: number[];
}

export function emptyUses(): RawUses {
  return { files: [], specs: [], chains: [], counts: [] };
}

/**
 * The first name of every path under every import root: a superset of the project's top-level
 * modules and packages (the module index, built later, has the exact ones), cheap enough to
 * compute before the scan starts.
 */
export function topLevelNames(files: readonly string[], srcRoots: readonly string[]): string[] {
  const roots = rootPrefixes(srcRoots);
  const tops = new Set<string>();
  for (const f of files) {
    for (const r of roots) {
      if (!f.startsWith(r)) continue;
      const slash = f.indexOf('/', r.length);
      const first = slash < 0 ? f.slice(r.length) : f.slice(r.length, slash);
      const dot = first.indexOf('.');
      tops.add(slash < 0 && dot >= 0 ? first.slice(0, dot) : first);
    }
  }
  return [...tops];
}

/** Record the uses in `text` of the names its imports `stmts` bind under the `tops`. */
export function collectUses(text: string, stmts: readonly ImportStmt[], tops: ReadonlySet<string>, fileNo: number, out: RawUses): void {
  const bound = new Map<string, string | null>();
  const bind = (local: string, spec: string | null): void => {
    const had = bound.get(local);
    bound.set(local, had === undefined || had === spec ? spec : null);
  };
  for (const st of stmts) {
    if (st.kind === StmtKind.Import) {
      for (const n of st.names) {
        // `import a.b.c` binds `a`; `import a.b as m` binds `m` to `a.b`.
        const top = n.name.split('.')[0]!;
        const module = n.asname !== null ? n.name : top;
        bind(n.asname ?? top, tops.has(top) ? module : null);
      }
      continue;
    }
    const project = st.level > 0 || tops.has(st.module.split('.')[0]!);
    for (const n of st.names) {
      if (n.name === '*') continue;
      const spec = !project ? null : st.level > 0 ? `${'.'.repeat(st.level)}|${st.module}|${n.name}` : `${st.module}.${n.name}`;
      bind(n.asname ?? n.name, spec);
    }
  }
  const watch = new Set<string>();
  for (const [local, spec] of bound) if (spec !== null && dotted(text, `${local}.`, stmts)) watch.add(local);
  if (watch.size === 0) return;
  const counts = new Map<string, number>();
  for (const ref of lexPython(text, { watch }).attrs) {
    const key = `${bound.get(ref.base)}\0${ref.attrs.join('.')}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  for (const [key, n] of counts) {
    const cut = key.indexOf('\0');
    out.files.push(fileNo);
    out.specs.push(key.slice(0, cut));
    out.chains.push(key.slice(cut + 1));
    out.counts.push(n);
  }
}

/** Does `needle` occur in `text` outside the spans of `stmts` (in source order)? */
function dotted(text: string, needle: string, stmts: readonly ImportStmt[]): boolean {
  let s = 0;
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
    while (s < stmts.length && stmts[s]!.end <= at) s++;
    if (s === stmts.length || stmts[s]!.start > at) return true;
  }
  return false;
}

/**
 * Make the raw uses keys of `graph`, now that the module index exists. The files each edge gains
 * come unsorted, perhaps twice: buildGraph sorts and dedupes every edge's files after this.
 */
export function addUses(graph: ImportGraph, index: ModuleIndex, raws: readonly RawUses[]): void {
  const isModule = (m: string): boolean => index.isProjectModule(m) && index.has(m);
  for (const raw of raws) {
    for (let i = 0; i < raw.files.length; i++) {
      const fileNo = raw.files[i]!;
      let module = moduleOf(raw.specs[i]!, graph.files[fileNo]!, index);
      if (module === null || !isModule(module)) continue;
      const attrs = raw.chains[i]!.split('.');
      let a = 0;
      while (a < attrs.length - 1 && isModule(`${module}.${attrs[a]}`)) module = `${module}.${attrs[a++]}`;
      const key = `${module}:${attrs[a]}`;
      let edge = graph.edges.get(key);
      if (edge === undefined) graph.edges.set(key, (edge = { imports: 0, files: [], counts: [], attributeUses: 0 }));
      edge.imports += raw.counts[i]!;
      edge.attributeUses += raw.counts[i]!;
      edge.files.push(fileNo);
      edge.counts.push(raw.counts[i]!);
    }
  }
}

/** The module a binding names: as written, or a relative from-import made absolute from `file`'s module. */
function moduleOf(spec: string, file: string, index: ModuleIndex): string | null {
  if (!spec.startsWith('.')) return spec;
  const [dots, module, name] = spec.split('|') as [string, string, string];
  const self = index.ofFile(file);
  const abs = self ? resolveRelative(dots.length, module, self.name, self.isPackage) : null;
  return abs === null ? null : `${abs}.${name}`;
}
