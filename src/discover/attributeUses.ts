// Uses of a symbol through a module import: `import app.compat as c` then `c.Engine`, `import
// app.compat` then `app.compat.Engine`, `from app import compat` then `compat.Engine`. Each is a use
// of the path `app.compat:Engine`, which `canon fix` rewrites like an import, so discover counts it
// with the path's imports. A second pass over the files that bind a project module to a name (the
// import graph says which): each is lexed whole, watching those names, and every `name.X` becomes
// one use of `module:X` (through submodules: `c.sub.X` is `app.compat.sub:X` when that module
// exists).
//
// Like scan, without scope analysis: a local variable that shadows the name in a function counts
// too. Such a use may name nothing; it is then counted as not followed, never reported as an
// unresolved import (findings.ts).

import { lexPython } from '../python/lexer.js';
import type { ModuleIndex } from '../python/moduleIndex.js';
import { resolveRelative } from '../python/modules.js';
import { StmtKind, type ImportStmt } from '../python/records.js';
import type { Edge, ImportGraph } from './graph.js';
import { splitKey } from './importKeys.js';
import { scanImports } from './importScan.js';
import type { ThreadPool } from './threads.js';

/** One file for the pass: its position in the graph's list, its path, and its own module. */
export type AttrJob = [fileNo: number, file: string, self: string | null, selfIsPackage: boolean];

/** A pass's answer: `keys[i]` is used `uses[i]` times in the file `files[i]` (positions). */
export interface AttrCounts {
  keys: string[];
  uses: number[];
  files: number[];
}

const ATTR_BATCH = 64;

/**
 * Add the attribute uses through module imports to `graph`'s edges. The files are shared with the
 * pool's workers (which get the index's module names first); the answer is the same with any
 * number of threads.
 */
export async function countAttributeUses(graph: ImportGraph, index: ModuleIndex, read: (file: string) => string | null, pool: ThreadPool): Promise<void> {
  const isModule = (m: string): boolean => index.isProjectModule(m) && index.has(m);
  // The files that bind a project module to a name, from the keys they import.
  const fileNos = new Set<number>();
  for (const [key, edge] of graph.edges) {
    const [module, name] = splitKey(key);
    const bound = name === null ? module : name === '*' ? null : `${module}.${name}`;
    if (bound !== null && isModule(bound)) for (const f of edge.files) fileNos.add(f);
  }
  if (fileNos.size === 0) return;
  const jobs: AttrJob[][] = [];
  const sorted = [...fileNos].sort((a, b) => a - b);
  for (let i = 0; i < sorted.length; i += ATTR_BATCH) {
    jobs.push(
      sorted.slice(i, i + ATTR_BATCH).map((fileNo): AttrJob => {
        const file = graph.files[fileNo]!;
        const self = index.ofFile(file);
        return [fileNo, file, self ? self.name : null, self?.isPackage === true];
      }),
    );
  }
  if (pool.size > 0) pool.broadcast({ type: 'modules', names: index.toData().modules.map((m) => m.name).filter(isModule) });
  const answers = await pool.run<AttrJob[], AttrCounts>(
    jobs,
    (files) => ({ type: 'attrs', files }),
    (files) => attributeCounts(files, read, isModule),
  );
  const touched = new Set<Edge>();
  for (const a of answers) {
    for (let i = 0; i < a.keys.length; i++) {
      let edge = graph.edges.get(a.keys[i]!);
      if (edge === undefined) graph.edges.set(a.keys[i]!, (edge = { imports: 0, files: [], attributeUses: 0 }));
      edge.imports += a.uses[i]!;
      edge.attributeUses += a.uses[i]!;
      edge.files.push(a.files[i]!);
      touched.add(edge);
    }
  }
  for (const e of touched) {
    e.files.sort((a, b) => a - b);
    e.files = e.files.filter((f, i) => i === 0 || f !== e.files[i - 1]);
  }
}

/** The attribute uses of a batch of files (on any thread). */
export function attributeCounts(files: readonly AttrJob[], read: (file: string) => string | null, isModule: (m: string) => boolean): AttrCounts {
  const out: AttrCounts = { keys: [], uses: [], files: [] };
  for (const [fileNo, file, selfName, selfIsPackage] of files) {
    const text = read(file);
    if (text === null) continue;
    const counts = new Map<string, number>();
    // The imports as the graph read them (scanImports: the file's head only).
    const stmts = scanImports(text);
    const bindings = moduleBindings(stmts, selfName === null ? undefined : { name: selfName, isPackage: selfIsPackage }, isModule);
    // Lexed whole (strings and comments told apart) only when a bound name is followed by a dot
    // somewhere else than in the import statements themselves (`import app.x` spells `app.`).
    const watch = new Set([...bindings.keys()].filter((name) => dotted(text, `${name}.`, stmts)));
    if (watch.size === 0) continue;
    for (const ref of lexPython(text, { watch }).attrs) {
      let module = bindings.get(ref.base)!;
      let i = 0;
      while (i < ref.attrs.length - 1 && isModule(`${module}.${ref.attrs[i]}`)) module = `${module}.${ref.attrs[i++]}`;
      const key = `${module}:${ref.attrs[i]}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    for (const [key, n] of counts) {
      out.keys.push(key);
      out.uses.push(n);
      out.files.push(fileNo);
    }
  }
  return out;
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
 * Local name -> the project module it is bound to, by the file's imports. A name bound to anything
 * else anywhere in the file (another module, a symbol, a module outside the project) is left out:
 * which one a use means would be a guess.
 */
function moduleBindings(stmts: readonly ImportStmt[], self: { name: string; isPackage: boolean } | undefined, isModule: (m: string) => boolean): Map<string, string> {
  const bound = new Map<string, string | null>();
  const bind = (local: string, module: string | null): void => {
    const had = bound.get(local);
    bound.set(local, had === undefined || had === module ? module : null);
  };
  for (const st of stmts) {
    if (st.kind === StmtKind.Import) {
      for (const n of st.names) {
        // `import a.b.c` binds `a`; `import a.b as m` binds `m` to `a.b`.
        const module = n.asname !== null ? n.name : n.name.split('.')[0]!;
        bind(n.asname ?? module, isModule(module) ? module : null);
      }
      continue;
    }
    const abs = st.level > 0 ? (self ? resolveRelative(st.level, st.module, self.name, self.isPackage) : null) : st.module;
    for (const n of st.names) {
      if (n.name === '*') continue;
      const full = abs === null ? null : `${abs}.${n.name}`;
      bind(n.asname ?? n.name, full !== null && isModule(full) ? full : null);
    }
  }
  const out = new Map<string, string>();
  for (const [local, module] of bound) if (module !== null) out.set(local, module);
  return out;
}
