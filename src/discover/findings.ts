// From the import graph to what discover reports: each distinct key resolved once (the Resolver
// caches every module it parses), then grouped by the object it resolves to (consolidation), by
// the name it is imported as (breaches), and by failure (unresolved imports).

import type { Move } from '../config/types.js';
import { LineTable } from '../python/lineTable.js';
import { targetKey, type Resolution, type Resolver, type Target } from '../python/resolve.js';
import type { Edge, ImportGraph } from './graph.js';
import { importKeys, splitKey } from './importKeys.js';
import { scanImports } from './importScan.js';
import { patchSites } from './patched.js';
import { ImportReach } from './reach.js';
import { StmtKind } from '../python/records.js';
import type {
  Breach,
  BreachDefinition,
  CanonicalRule,
  Consolidation,
  DiscoverResult,
  ImportSite,
  PatchedPath,
  PathUse,
  SuggestedMove,
  UnresolvedImport,
} from './model.js';

export interface FindingsOptions {
  /** Configured moves: suggested moves with the same `from` are marked `configured`. */
  moves?: readonly Move[];
  /** A definition counts towards a breach only when at least this many files import it (default 2). */
  minFiles?: number;
  /** Reads a root-relative file as latin1 (to locate unresolved imports); null when unreadable. */
  read(file: string): string | null;
  /**
   * Would Python find this module on disk (see DiskModules)? A module the listing lacks (git
   * ignores it: generated code, a built extension) is then not reported as missing.
   */
  onDisk?(module: string): boolean;
}

type Found = Omit<DiscoverResult, 'errors' | 'stats'>;

interface Group {
  target: Extract<Target, { kind: 'definition' | 'external' }>;
  /** path -> edge */
  paths: Map<string, Edge>;
}

export function discoverFindings(graph: ImportGraph, resolver: Resolver, opts: FindingsOptions): Found {
  const index = resolver.index;
  const groups = new Map<string, Group>();
  const byName = new Map<string, Map<string, Group>>();
  /** `imports`: the import statements' names alone (an edge's attribute uses are not sites). */
  const unresolved: { key: string; reason: string; edge: Edge; imports: number }[] = [];
  let imports = 0;
  let dynamic = 0;
  const globalsWriters = new Map<string, boolean>();
  const writesGlobals = (module: string): boolean => {
    let w = globalsWriters.get(module);
    if (w === undefined) {
      const file = index.get(module)?.file;
      const text = file ? opts.read(file) : null;
      w = text !== null && WRITES_GLOBALS.test(text);
      globalsWriters.set(module, w);
    }
    return w;
  };

  for (const [key, edge] of graph.edges) {
    imports += edge.imports;
    const [module, name] = splitKey(key);
    let r: Resolution;
    if (name === null || name === '*') r = resolver.resolveModule(module);
    else r = resolver.resolveName(module, name);
    if (!r.ok) {
      // Attribute uses alone (`m.X`) may be a shadowing local's: not followed, never reported.
      const imported = edge.imports - edge.attributeUses;
      if (r.verdict === 'unresolved' && imported > 0 && !notBroken(name, r.reason, writesGlobals, opts.onDisk)) unresolved.push({ key, reason: r.reason, edge, imports: imported });
      else dynamic++;
      continue;
    }
    if (name === null || name === '*') continue;
    const t = r.target;
    // Modules are not symbols to consolidate: a module imported under another name is a binding.
    if (t.kind === 'module' || (t.kind === 'external' && t.name === null)) continue;
    const tk = targetKey(t);
    let g = groups.get(tk);
    if (!g) groups.set(tk, (g = { target: t, paths: new Map() }));
    g.paths.set(key, edge);
    if (t.kind === 'definition' && !name.startsWith('__')) {
      let defs = byName.get(name);
      if (!defs) byName.set(name, (defs = new Map()));
      let d = defs.get(tk);
      if (!d) defs.set(tk, (d = { target: t, paths: new Map() }));
      d.paths.set(key, edge);
    }
  }

  const configured = configuredBy(opts.moves ?? []);
  const reach = new ImportReach(graph, index);
  const patches = patchIndex(graph, resolver, groups.values(), opts.read);
  const consolidation: Consolidation[] = [];
  const patched: PatchedPath[] = [];
  for (const g of groups.values()) {
    const c = consolidate(g, resolver, reach, patches);
    if (c === null) continue;
    for (const p of c.paths) if (p.role === 'patched') patched.push({ path: p.path, target: c.target, imports: p.imports, patches: patches.get(splitKey(p.path)[0])! });
    if (c.toMove > 0) consolidation.push(c);
  }
  consolidation.sort((a, b) => b.toMove - a.toMove || cmp(a.target, b.target));
  patched.sort((a, b) => cmp(a.path, b.path));
  const moves: SuggestedMove[] = [];
  for (const c of consolidation) {
    for (const p of c.paths) {
      if (p.role !== 'move') continue;
      moves.push({ from: p.path, to: c.canonical, imports: p.imports - p.kept, files: p.files - p.keptFiles, kept: p.kept, rule: c.rule, configured: configured(p.path) });
    }
  }

  const minFiles = opts.minFiles ?? 2;
  const breaches: Breach[] = [];
  for (const [name, defs] of byName) {
    // "Imported widely": each definition counts only when enough files import it.
    const wide = new Map([...defs].filter(([, d]) => filesOf(d).size >= minFiles));
    if (wide.size >= 2) breaches.push(breach(name, wide));
  }
  breaches.sort((a, b) => b.imports - a.imports || cmp(a.name, b.name));

  const missing = locateUnresolved(unresolved, graph, resolver, opts.read);

  return {
    summary: {
      files: graph.files.length,
      imports,
      paths: graph.edges.size,
      consolidation: consolidation.length,
      moves: moves.length,
      importsToMove: moves.reduce((n, m) => n + m.imports, 0),
      breaches: breaches.length,
      unresolved: missing.length,
      patched: patched.length,
      dynamic,
    },
    consolidation,
    moves,
    breaches,
    unresolved: missing,
    patched,
  };
}

/** Is `module:Name` already moved by the config: by a symbol move, or a module move covering its module? */
function configuredBy(moves: readonly Move[]): (path: string) => boolean {
  const symbols = new Set<string>();
  const modules: string[] = [];
  for (const m of moves) {
    if (m.kind === 'symbol') symbols.add(`${m.fromModule}:${m.fromName}`);
    else modules.push(m.fromModule);
  }
  return (path) => {
    if (symbols.has(path)) return true;
    const module = splitKey(path)[0];
    return modules.some((m) => module === m || module.startsWith(m + '.'));
  };
}

/** Attributes every module has without binding them. */
const IMPLICIT = new Set(['__name__', '__doc__', '__file__', '__package__', '__loader__', '__spec__', '__path__', '__cached__', '__builtins__', '__dict__']);

/** Python's builtins (3.11, `dir(builtins)` without the private names): the resolver does not model them. */
const BUILTINS = new Set(
  ('ArithmeticError AssertionError AttributeError BaseException BaseExceptionGroup BlockingIOError BrokenPipeError BufferError ' +
    'BytesWarning ChildProcessError ConnectionAbortedError ConnectionError ConnectionRefusedError ConnectionResetError ' +
    'DeprecationWarning EOFError Ellipsis EncodingWarning EnvironmentError Exception ExceptionGroup False FileExistsError ' +
    'FileNotFoundError FloatingPointError FutureWarning GeneratorExit IOError ImportError ImportWarning IndentationError IndexError ' +
    'InterruptedError IsADirectoryError KeyError KeyboardInterrupt LookupError MemoryError ModuleNotFoundError NameError None ' +
    'NotADirectoryError NotImplemented NotImplementedError OSError OverflowError PendingDeprecationWarning PermissionError ' +
    'ProcessLookupError RecursionError ReferenceError ResourceWarning RuntimeError RuntimeWarning StopAsyncIteration StopIteration ' +
    'SyntaxError SyntaxWarning SystemError SystemExit TabError TimeoutError True TypeError UnboundLocalError UnicodeDecodeError ' +
    'UnicodeEncodeError UnicodeError UnicodeTranslateError UnicodeWarning UserWarning ValueError Warning ZeroDivisionError abs aiter ' +
    'all anext any ascii bin bool breakpoint bytearray bytes callable chr classmethod compile complex copyright credits delattr dict ' +
    'dir divmod enumerate eval exec exit filter float format frozenset getattr globals hasattr hash help hex id input int isinstance ' +
    'issubclass iter len license list locals map max memoryview min next object oct open ord pow print property quit range repr ' +
    'reversed round set setattr slice sorted staticmethod str sum super tuple type vars zip').split(' '),
);

/** Module text that binds names canon cannot see: `globals()[...] = ...`, `globals().update(...)`. */
const WRITES_GLOBALS = /\bglobals\(\)\s*(\[|\.update\b|\.setdefault\b)/;

const NOT_DEFINED = /^(\S+) is not defined in (\S+)$/;
const MISSING = /^module (\S+) does not exist$/;

/**
 * Failures that do not mean the import breaks at run time, counted as not followed: an implicit
 * module attribute; a builtin reached through an alias (`Path = str`) or re-bound under its own
 * name (`TimeoutError = TimeoutError`, which the resolver sees as a cycle); a package importing
 * its own submodule (also a "cycle"); a name a module binds through `globals()`; a module, or a
 * submodule imported by name, that exists on disk but not in the listing (git ignores it).
 */
function notBroken(name: string | null, reason: string, writesGlobals: (module: string) => boolean, onDisk?: (module: string) => boolean): boolean {
  if (name !== null && IMPLICIT.has(name)) return true;
  if (reason.startsWith('import cycle')) return true;
  const missing = MISSING.exec(reason);
  if (missing !== null) return onDisk?.(missing[1]) === true;
  const m = NOT_DEFINED.exec(reason);
  if (m === null) return false;
  return BUILTINS.has(m[1]) || writesGlobals(m[2]) || onDisk?.(`${m[2]}.${m[1]}`) === true;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** No segment of the module or the name is private (`_x`). */
function isPublic(path: string): boolean {
  return !/(^|[.:])_/.test(path);
}

function segments(path: string): number {
  return path.split(/[.:]/).length;
}

/** The most used of `paths`: imports, then files, then the shortest, then by name. */
function mostUsed(paths: [string, Edge][]): string {
  return [...paths].sort(
    ([pa, a], [pb, b]) => b.imports - a.imports || b.files.length - a.files.length || segments(pa) - segments(pb) || cmp(pa, pb),
  )[0][0];
}

/** The canonical path of a group, and the rule that chose it (README: canon discover). */
function chooseCanonical(g: Group, entries: [string, Edge][]): { canonical: string; rule: CanonicalRule } {
  const t = g.target;
  const own = `${t.module}:${t.name}`;
  if (isPublic(own)) {
    // A package that re-exports its own submodule's object under the same name (`unittest` and
    // `unittest.case:SkipTest`) is the API its users import: it wins when it is used more.
    const facades = entries.filter(([p]) => {
      const [m, n] = splitKey(p);
      return t.kind === 'definition' && n === t.name && t.module.startsWith(m + '.') && isPublic(p);
    });
    if (facades.length > 0) {
      const best = mostUsed(facades);
      if (g.paths.get(best)!.imports > (g.paths.get(own)?.imports ?? 0)) return { canonical: best, rule: 'package-re-export' };
    }
    return { canonical: own, rule: 'defining-module' };
  }
  const pub = entries.filter(([p]) => isPublic(p));
  return { canonical: mostUsed(pub.length > 0 ? pub : entries), rule: pub.length > 0 ? 'most-used-public-path' : 'most-used-path' };
}

/** A group's paths and their roles, or null when it is no group (one path, or nothing of the project's). */
function consolidate(g: Group, resolver: Resolver, reach: ImportReach, patches: ReadonlyMap<string, PatchedPath['patches']>): Consolidation | null {
  if (g.paths.size < 2) return null;
  const t = g.target;
  const entries = [...g.paths];
  // An object from outside the project matters only when some path reaches it through the project.
  if (t.kind === 'external' && !entries.some(([p]) => resolver.index.isProjectModule(splitKey(p)[0]))) return null;
  const own = `${t.module}:${t.name}`;
  const { canonical, rule } = chooseCanonical(g, entries);
  // The hops of the canonical path's own chain re-export what it names: they stay.
  const [cm, cn] = splitKey(canonical);
  const chain = new Set(resolver.resolveName(cm, cn!).chain);
  // Walked only when a path does not go through the canonical module (its package's re-export,
  // a private definition's public path): with the defining module canonical, none is.
  let cycles: ReadonlySet<string> | null = null;
  const paths: PathUse[] = entries.map(([path, e]) => {
    if (path === canonical) return { path, imports: e.imports, files: e.files.length, kept: 0, keptFiles: 0, role: 'canonical' };
    if (t.kind === 'external' && patches.has(splitKey(path)[0])) {
      return { path, imports: e.imports, files: e.files.length, kept: e.imports, keptFiles: e.files.length, role: 'patched' };
    }
    const [m, n] = splitKey(path);
    // A path that reaches the object through the canonical module's own binding (a re-export of
    // it) works today only once the canonical module has bound the name, so switching to the
    // canonical path cannot fail where the old one worked. Any other path is kept in the files
    // that importing the canonical module runs, where the name may not be bound yet.
    const throughCanonical = resolver.resolveName(m, n!).chain.includes(`${cm}.${cn}`);
    let kept = 0;
    let keptFiles = 0;
    if (!throughCanonical) {
      e.files.forEach((f, j) => {
        const fm = reach.moduleOfFile[f];
        if (fm !== null && (cycles ??= reach.cycles(cm)).has(fm)) (kept += e.counts[j], keptFiles++);
      });
    }
    const role = kept < e.imports ? 'move' : chain.has(`${m}.${n}`) ? 're-export' : 'kept';
    return { path, imports: e.imports, files: e.files.length, kept, keptFiles, role };
  });
  const toMove = paths.reduce((s, p) => s + (p.role === 'move' ? p.imports - p.kept : 0), 0);
  if (toMove === 0 && !paths.some((p) => p.role === 'patched')) return null;
  paths.sort((a, b) => Number(b.role === 'canonical') - Number(a.role === 'canonical') || b.imports - a.imports || cmp(a.path, b.path));
  return {
    target: own,
    kind: t.kind === 'external' ? 'external' : t.defKind,
    line: t.kind === 'definition' ? t.line : null,
    canonical,
    rule,
    imports: paths.reduce((s, p) => s + p.imports, 0),
    toMove,
    paths,
  };
}

/** Test files by name, where patches live: `test_*.py`, `*_test.py`, `conftest.py`, or under `tests/`, `test/`, `testing/`. */
function isTestFile(file: string): boolean {
  const parts = file.split('/');
  const base = parts[parts.length - 1];
  return /^test_.*\.py$|_test\.py$|^conftest\.py$/.test(base) || parts.slice(0, -1).some((d) => d === 'tests' || d === 'test' || d === 'testing');
}

/**
 * The project modules that re-export an object from outside the project (`_pytest.timing` and
 * `time.time`) and that tests patch, each with where: read from the test files and the files that
 * import such a module. Nothing is read when no module re-exports an outside object.
 */
function patchIndex(graph: ImportGraph, resolver: Resolver, groups: Iterable<Group>, read: (file: string) => string | null): Map<string, PatchedPath['patches']> {
  const index = resolver.index;
  const modules = new Set<string>();
  for (const g of groups) {
    if (g.target.kind !== 'external' || g.paths.size < 2) continue;
    for (const p of g.paths.keys()) {
      const m = splitKey(p)[0];
      if (index.isProjectModule(m) && index.has(m)) modules.add(m);
    }
  }
  const out = new Map<string, PatchedPath['patches']>();
  if (modules.size === 0) return out;
  const files = new Set<number>();
  graph.files.forEach((f, i) => {
    if (isTestFile(f)) files.add(i);
  });
  for (const m of modules) {
    const dot = m.lastIndexOf('.');
    for (const key of [m, dot < 0 ? null : `${m.slice(0, dot)}:${m.slice(dot + 1)}`]) {
      for (const f of (key === null ? undefined : graph.edges.get(key))?.files ?? []) files.add(f);
    }
  }
  for (const f of [...files].sort((a, b) => a - b)) {
    const file = graph.files[f];
    const text = read(file);
    if (text === null) continue;
    const self = index.ofFile(file);
    for (const site of patchSites(text, self ? { name: self.name, isPackage: self.isPackage } : undefined)) {
      const module = site.path.slice(0, site.path.lastIndexOf('.'));
      if (!modules.has(module)) continue;
      let list = out.get(module);
      if (!list) out.set(module, (list = []));
      list.push({ file, line: site.line, column: site.column, patched: site.path });
    }
  }
  return out;
}

function filesOf(g: Group): Set<number> {
  const files = new Set<number>();
  for (const e of g.paths.values()) for (const f of e.files) files.add(f);
  return files;
}

function breach(name: string, defs: Map<string, Group>): Breach {
  const files = new Set<number>();
  let imports = 0;
  const definitions: BreachDefinition[] = [];
  for (const d of defs.values()) {
    const t = d.target;
    if (t.kind !== 'definition') continue;
    const own = new Set<number>();
    let n = 0;
    const paths = [...d.paths].map(([path, e]) => {
      n += e.imports;
      for (const f of e.files) (own.add(f), files.add(f));
      return { path, imports: e.imports, files: e.files.length };
    });
    paths.sort((a, b) => b.imports - a.imports || cmp(a.path, b.path));
    imports += n;
    definitions.push({ target: `${t.module}:${t.name}`, kind: t.defKind, line: t.line, imports: n, files: own.size, paths });
  }
  definitions.sort((a, b) => b.imports - a.imports || cmp(a.target, b.target));
  return { name, imports, files: files.size, definitions };
}

/**
 * Where each unresolved key is imported: its files are scanned again (there are few). A site is
 * where scan reports the same import: the module's name when the module is missing (in a
 * from-import, its dotted name after `from`), else the imported name.
 */
function locateUnresolved(
  found: { key: string; reason: string; edge: Edge; imports: number }[],
  graph: ImportGraph,
  resolver: Resolver,
  read: (file: string) => string | null,
): UnresolvedImport[] {
  const byFile = new Map<number, Set<string>>();
  const moduleMissing = new Set<string>();
  for (const u of found) {
    if (MISSING.test(u.reason)) moduleMissing.add(u.key);
    for (const f of u.edge.files) {
      let keys = byFile.get(f);
      if (!keys) byFile.set(f, (keys = new Set()));
      keys.add(u.key);
    }
  }
  const sites = new Map<string, ImportSite[]>();
  for (const [fileNo, keys] of [...byFile].sort((a, b) => a[0] - b[0])) {
    const file = graph.files[fileNo];
    const text = read(file);
    if (text === null) continue;
    const self = resolver.index.ofFile(file);
    let lines: LineTable | null = null;
    for (const r of scanImports(text)) {
      // One site per key and statement (`from m import a, a` is one), where scan puts it.
      const hit = new Map<string, number>();
      importKeys(r, self, (k, item) => {
        if (!keys.has(k) || hit.has(k)) return;
        hit.set(k, r.kind === StmtKind.From && moduleMissing.has(k) ? r.moduleStart : item.start);
      });
      for (const [k, at] of hit) {
        const pos = (lines ??= new LineTable(text)).position(at);
        let list = sites.get(k);
        if (!list) sites.set(k, (list = []));
        list.push({ file, line: pos.line, column: pos.column });
      }
    }
  }
  const bySite = (a: ImportSite, b: ImportSite): number => cmp(a.file, b.file) || a.line - b.line || a.column - b.column;
  return found
    .map((u) => ({ import: u.key, reason: u.reason, imports: u.imports, sites: (sites.get(u.key) ?? []).sort(bySite) }))
    .sort((a, b) => cmp(a.import, b.import));
}
