// The import-order rule: can a rewritten import run under CPython's import order? A module being
// imported sits in sys.modules before its body has run, so a name read from it then is there only
// if its body has bound the name already. A rewrite is refused, with the chain, when canon cannot
// show that: the file's own module, a package still running its `__init__` (which imports this
// file) before it binds the name, an import cycle. fix and scan both ask this one class, so that
// scan's `fixable` agrees with fix on every refusal that needs only the module graph.

import type { Finding } from '../core/finding.js';
import type { MoveTable } from '../core/moveTable.js';
import { moduleBindings, type ModuleBindings } from '../python/bindings.js';
import { lexImports } from '../python/lexer.js';
import { LineTable } from '../python/lineTable.js';
import type { ModuleIndex } from '../python/moduleIndex.js';
import { resolveRelative } from '../python/modules.js';
import { StmtKind, type ImportStmt } from '../python/records.js';
import type { SourceHost } from '../python/resolve.js';
import type { SyntaxNode } from '../python/parser.js';
import { sourceInfo } from '../python/source.js';
import { statementContext, type ModuleSelf } from './fileState.js';
import { FileScopes } from './scope.js';

/**
 * When a piece of rewritten code runs, relative to the import of its module: while the module is
 * being imported (`import`), never at run time but read by type checkers (`typing`: under
 * `if TYPE_CHECKING:`), or later (`later`: in a function body, once called).
 */
export type RunTime = 'import' | 'typing' | 'later';

export interface OrderQuestion {
  /** The module of the rewritten file. */
  self: string;
  /** The module the rewritten code imports (or reads a name from). */
  target: string;
  /** The name read from `target`; null when only the module object is bound. */
  name: string | null;
  /** When the statement importing `target` runs. */
  imports: RunTime;
  /** When `name` is read from `target` (a from-import: when it runs; `m.X`: when the use runs). */
  reads: RunTime;
  /** The line of the statement that imports `target`, when canon means to write it (the answer then counts it in). */
  line?: number;
}

/** One import statement of a module that runs while the module is imported. */
interface TimedImport {
  line: number;
  /** Project modules it imports (every package on the way, and submodules it names). */
  deps: string[];
  /** The modules it reads names from as it runs (`from m import X`), and those names. */
  reads: Map<string, string[]>;
}

/** What the class reads from disk once: shared by the copies fresh() makes. */
interface Shared {
  timed: Map<string, TimedImport[]>;
  texts: Map<string, string | null>;
  bindings: Map<string, ModuleBindings | null>;
}

export class ImportOrder {
  private readonly shared: Shared;
  /** Import-time imports this plan adds (a rewrite canon means to make), by module. */
  private readonly planned = new Map<string, TimedImport[]>();
  private readonly depsCache = new Map<string, string[]>();
  private readonly closures = new Map<string, Set<string>>();
  /** readModules' answers, cleared with the closures they stand on. */
  private readonly readsCache = new Map<string, Set<string>>();
  private readonly answers = new Map<string, string | null>();

  constructor(
    readonly index: ModuleIndex,
    private readonly host: SourceHost,
    shared?: Shared,
  ) {
    this.shared = shared ?? { timed: new Map(), texts: new Map(), bindings: new Map() };
  }

  /** A copy that knows what this one read, without the imports planned so far (for the next planner). */
  fresh(): ImportOrder {
    return new ImportOrder(this.index, this.host, this.shared);
  }

  /** A root-relative file's text (the rewritten file itself, for scan's post-pass). */
  read(file: string): string | null {
    return this.host.read(file);
  }

  private textOf(module: string): string | null {
    const texts = this.shared.texts;
    if (texts.has(module)) return texts.get(module)!;
    const file = this.index.get(module)?.file;
    const text = file ? this.host.read(file) : null;
    texts.set(module, text);
    return text;
  }

  /**
   * Record an import-time import a rewrite adds: later questions see the graph as it will be
   * (two rewrites that are each fine alone can close a cycle together).
   */
  private plan(module: string, target: string, name: string | null, line: number): void {
    const list = this.planned.get(module) ?? [];
    const t: TimedImport = { line, deps: this.pathDeps(module, target, name !== null), reads: new Map(name !== null ? [[target, [name]]] : []) };
    if (list.some((x) => x.line === t.line && x.deps.join() === t.deps.join() && [...x.reads].join() === [...t.reads].join())) return;
    list.push(t);
    this.planned.set(module, list);
    this.depsCache.delete(module);
    this.closures.clear();
    this.readsCache.clear();
    this.answers.clear();
  }

  /** The modules importing `path` from `module` imports: each package on the way (those above `module` only when read from). */
  private pathDeps(module: string, path: string, readsLast: boolean): string[] {
    const above = new Set(ancestors(module));
    const out: string[] = [];
    const parts = path.split('.');
    for (let i = 1; i <= parts.length; i++) {
      const m = parts.slice(0, i).join('.');
      if (m === module || !this.index.has(m) || (above.has(m) && (i < parts.length || !readsLast))) continue;
      out.push(m);
    }
    return out;
  }

  private statements(module: string): TimedImport[] {
    const own = this.ownStatements(module);
    const added = this.planned.get(module);
    return added ? [...own, ...added].sort((a, b) => a.line - b.line) : own;
  }

  /** The module's import statements that run while it is imported, in order (not in functions or TYPE_CHECKING). */
  private ownStatements(module: string): TimedImport[] {
    const cached = this.shared.timed.get(module);
    if (cached) return cached;
    const out: TimedImport[] = [];
    this.shared.timed.set(module, out);
    const entry = this.index.get(module);
    const text = this.textOf(module);
    if (!entry || text === null) return out;
    let scopes: FileScopes | null = null;
    let lines: LineTable | null = null;
    for (const st of lexImports(text).imports) {
      if (st.indent > 0 || st.inline) {
        scopes ??= new FileScopes(text, sourceInfo(text));
        const c = statementContext(scopes, st);
        if (c.inFunction || c.typeChecking) continue;
      }
      // Importing a.b.c imports a, a.b, then a.b.c. A package above this module has started
      // already (it is done, or on the import stack): importing it again runs nothing, so it counts
      // only where the statement reads names from it (or binds it, for `import`).
      const deps = new Set<string>();
      const reads = new Map<string, string[]>();
      if (st.kind === StmtKind.Import) {
        for (const n of st.names) for (const d of this.pathDeps(module, n.name, true)) deps.add(d);
      } else {
        const abs = st.level > 0 ? resolveRelative(st.level, st.module, entry.name, entry.isPackage) : st.module;
        if (abs === null) continue;
        const subs = st.names.filter((n) => n.name !== '*' && this.index.has(`${abs}.${n.name}`));
        const read = st.names.filter((n) => !subs.includes(n)).map((n) => n.name);
        for (const d of this.pathDeps(module, abs, read.length > 0)) deps.add(d);
        for (const n of subs) deps.add(`${abs}.${n.name}`);
        if (read.length > 0 && this.index.has(abs) && abs !== module) reads.set(abs, read);
      }
      out.push({ line: (lines ??= new LineTable(text)).lineOf(st.start), deps: [...deps], reads });
    }
    return out;
  }

  /** Project modules `module` imports while it is being imported. */
  importTimeDeps(module: string): string[] {
    const cached = this.depsCache.get(module);
    if (cached) return cached;
    const out = new Set<string>();
    for (const st of this.statements(module)) for (const d of st.deps) out.add(d);
    const list = [...out];
    this.depsCache.set(module, list);
    return list;
  }

  /** Every module importing `module` may import, at import time (itself excluded). */
  private closure(module: string): Set<string> {
    const cached = this.closures.get(module);
    if (cached) return cached;
    const seen = new Set<string>();
    const queue = [module];
    while (queue.length > 0) {
      for (const d of this.importTimeDeps(queue.pop()!)) {
        if (seen.has(d) || d === module) continue;
        seen.add(d);
        queue.push(d);
      }
    }
    this.closures.set(module, seen);
    return seen;
  }

  /**
   * A path of import-time imports from `from` to `to` that avoids `avoid`: [from, ..., to], or null.
   * (Modules on the import stack already are in sys.modules: importing them again runs nothing.)
   */
  private path(from: string, to: string, avoid: ReadonlySet<string>): string[] | null {
    if (from === to) return [to];
    if (!this.closure(from).has(to)) return null;
    const parent = new Map<string, string>();
    const seen = new Set([from]);
    const queue = [from];
    while (queue.length > 0) {
      const m = queue.shift()!;
      for (const d of this.importTimeDeps(m)) {
        if (seen.has(d) || avoid.has(d)) continue;
        parent.set(d, m);
        if (d === to) {
          const out = [d];
          for (let p = parent.get(d); p !== undefined; p = parent.get(p)) out.unshift(p);
          return out;
        }
        seen.add(d);
        queue.push(d);
      }
    }
    return null;
  }

  /**
   * The cycle an import-time import of `target` by `self` would close: [self, target, ..., self],
   * or null. Packages above `self` have started when it runs (importing them again runs nothing),
   * so paths through them are not cycles; reading a name from one that is still initializing is
   * (cycleProblem).
   */
  cycle(self: string, target: string): string[] | null {
    if (target === self) return null;
    const above = new Set(ancestors(self));
    const p = this.path(target, self, above);
    return p === null ? null : [self, ...p];
  }

  /** Why importing `target` from `self` at import time may fail: a cycle back to `self`, or a read from a package still initializing. */
  private cycleProblem(self: string, target: string): string | null {
    const c = this.cycle(self, target);
    if (c !== null) return `would create an import cycle: ${c.join(' -> ')}`;
    const above = new Set(ancestors(self));
    const parent = new Map<string, string>();
    const seen = new Set([target]);
    const queue = [target];
    while (queue.length > 0) {
      const m = queue.shift()!;
      for (const st of this.statements(m)) {
        for (const [a, names] of st.reads) {
          if (!above.has(a)) continue;
          for (const n of names) {
            const p = this.partial(self, a, n);
            if (p === null) continue;
            const chain = [m];
            for (let x = parent.get(m); x !== undefined; x = parent.get(x)) chain.unshift(x);
            return `would create an import cycle: ${[self, ...chain].join(' -> ')}, which reads \`${n}\` from ${a} while ${a} is still being initialized: ${p.file} line ${p.line} imports this file (${p.chain}), and ${p.why}`;
          }
        }
        for (const d of st.deps) {
          if (seen.has(d) || above.has(d) || d === self) continue;
          seen.add(d);
          parent.set(d, m);
          queue.push(d);
        }
      }
    }
    return null;
  }

  /** Why the rewritten code may fail under CPython's import order; null when it cannot. */
  problem(q: OrderQuestion): string | null {
    const key = `${q.self}\u0000${q.target}\u0000${q.name ?? ''}\u0000${q.imports}\u0000${q.reads}`;
    let answer = this.answers.get(key);
    if (answer === undefined) {
      answer = this.decide(q);
      this.answers.set(key, answer);
    }
    // The import canon means to write: later questions see it.
    if (answer === null && q.imports === 'import' && q.line !== undefined && q.target !== q.self) {
      this.plan(q.self, q.target, q.reads === 'import' ? q.name : null, q.line);
    }
    return answer;
  }

  private decide(q: OrderQuestion): string | null {
    const { self, target, name } = q;
    const above = ancestors(self);
    if (name !== null && q.reads !== 'later') {
      if (target === self) {
        // Even under TYPE_CHECKING: a type checker then sees the name bound only by importing itself.
        return `would import \`${name}\` from ${target}, the module this file is: ${target} is still being initialized when the line runs (import cycle: ${self} -> ${self}), so the name is not bound there yet`;
      }
      if (q.reads === 'import' && above.includes(target)) {
        const p = this.partial(self, target, name);
        if (p !== null) return `would import \`${name}\` from ${target} while ${target} is still being initialized: ${p.file} line ${p.line} imports this file (${p.chain}), and ${p.why}`;
      }
    }
    if (q.imports !== 'import' || target === self || above.includes(target)) return null;
    return this.cycleProblem(self, target);
  }

  /**
   * `self` reads `name` from its package `target` while being imported. Python imports `target`
   * first; if `target`'s own body imports `self` (at line L, directly or through other modules),
   * `self` runs while `target` is still at line L, so the name must be bound above L. null when it is
   * (or `target` never imports `self`), else where and why not.
   */
  private partial(self: string, target: string, name: string): { file: string; line: number; chain: string; why: string } | null {
    // `from pkg import sub` imports the submodule when pkg lacks the attribute: always available.
    if (this.index.has(`${target}.${name}`)) return null;
    const entry = this.index.get(target);
    if (!entry?.file) return null; // a namespace package runs no code
    // Modules on the import stack (target and the packages above it) run nothing when imported again.
    const avoid = new Set([target, ...ancestors(target)]);
    for (const st of this.statements(target)) {
      for (const d of st.deps) {
        if (avoid.has(d)) continue;
        const p = this.path(d, self, avoid);
        if (p === null) continue;
        const bound = this.boundBefore(target, name, st.line);
        if (bound === true) return null;
        const why = typeof bound === 'number'
          ? `${target} binds it only at line ${bound}`
          : `canon cannot show that ${target} binds it before that line`;
        return { file: entry.file, line: st.line, chain: [target, ...p].join(' -> '), why };
      }
    }
    return null;
  }

  /** True when `module` binds `name` unconditionally above `line`; else the line of a later binding, or null. */
  private boundBefore(module: string, name: string, line: number): true | number | null {
    const b = this.bindingsOf(module);
    if (b === null) return null;
    let later: number | null = null;
    for (const bd of b.names.get(name) ?? []) {
      if (bd.line < line && !bd.conditional) return true;
      if (bd.line >= line && later === null) later = bd.line;
    }
    const entry = this.index.get(module)!;
    for (const s of b.stars) {
      if (s.line >= line) continue;
      const abs = resolveRelative(s.level, s.module, module, entry.isPackage);
      if (abs !== null && this.starExports(abs, name, new Set()) === true) return true;
    }
    return later;
  }

  private bindingsOf(module: string): ModuleBindings | null {
    const cache = this.shared.bindings;
    if (cache.has(module)) return cache.get(module)!;
    const text = this.textOf(module);
    const b = text === null ? null : moduleBindings(text);
    cache.set(module, b);
    return b;
  }

  /** Does `from module import *` bind `name`? null when canon cannot read what it exports. */
  private starExports(module: string, name: string, seen: Set<string>): boolean | null {
    if (seen.has(module)) return false;
    seen.add(module);
    const entry = this.index.get(module);
    if (!entry) return null;
    const b = this.bindingsOf(module);
    if (b === null) return null;
    if (b.all !== null) return b.all.includes(name) && (b.names.has(name) || this.index.has(`${module}.${name}`));
    if (name.startsWith('_')) return false;
    if (b.names.get(name)?.some((bd) => !bd.conditional)) return true;
    for (const s of b.stars) {
      const abs = resolveRelative(s.level, s.module, module, entry.isPackage);
      if (abs !== null && this.starExports(abs, name, seen) === true) return true;
    }
    return false;
  }

  /** Could `self` importing `target` run into any of the above (a cheap filter for scan)? */
  mayMatter(self: string, target: string): boolean {
    if (target === self || this.closure(target).has(self)) return true;
    const above = ancestors(self);
    if (above.includes(target)) return true;
    const read = this.readModules(target);
    return above.some((a) => read.has(a));
  }

  /** The modules `target` and what it imports read names from at import time. */
  private readModules(target: string): Set<string> {
    let out = this.readsCache.get(target);
    if (out !== undefined) return out;
    out = new Set<string>();
    for (const m of [target, ...this.closure(target)]) for (const st of this.statements(m)) for (const r of st.reads.keys()) out.add(r);
    this.readsCache.set(target, out);
    return out;
  }
}

/** The packages above a module: `a.b.c` -> [`a`, `a.b`]. */
export function ancestors(module: string): string[] {
  const out: string[] = [];
  for (let dot = module.indexOf('.'); dot > 0; dot = module.indexOf('.', dot + 1)) out.push(module.slice(0, dot));
  return out;
}

/**
 * When a node runs relative to its module's import: inside a function or lambda body `later`,
 * under `if TYPE_CHECKING:` `typing`, else `import` (module level, class bodies, decorators and
 * default values of functions defined at module level).
 */
export function runTimeOf(node: SyntaxNode): RunTime {
  let typing = false;
  let child = node;
  for (let p = node.parent; p; child = p, p = p.parent) {
    if ((p.type === 'function_definition' || p.type === 'lambda') && p.childForFieldName('body')?.id === child.id) return 'later';
    if (p.type === 'if_statement') {
      const cond = p.childForFieldName('condition');
      const cons = p.childForFieldName('consequence');
      if (cond && cons && cons.id === child.id && /\bTYPE_CHECKING\b/.test(cond.text)) typing = true;
    }
  }
  return typing ? 'typing' : 'import';
}

/**
 * Scan's side of the rule: the findings fix would refuse for the import order, with fix's reason.
 * Only findings whose canonical module could matter (`mayMatter`) are looked at closely: their
 * file's imports are lexed again, and a statement or use not at module level is parsed to see
 * when it runs, as fix does.
 */
export function orderRefusals(findings: readonly Finding[], order: ImportOrder, table: MoveTable): Map<Finding, string> {
  const out = new Map<Finding, string>();
  const views = new Map<string, FileView | null>();
  // Findings come file by file, several to a file, most with the same few canonical modules.
  let file: string | null = null;
  let self: ModuleSelf | undefined;
  let matters = new Map<string, boolean>();
  for (const f of findings) {
    if (f.kind !== 'legacy-import' || !f.fixable || f.suppressed || f.move === null || f.canonical === null) continue;
    if (f.file !== file) {
      file = f.file;
      self = order.index.ofFile(f.file);
      matters = new Map();
    }
    if (!self) continue;
    const colon = f.canonical.indexOf(':');
    const target = colon < 0 ? f.canonical : f.canonical.slice(0, colon);
    let matter = matters.get(target);
    if (matter === undefined) matters.set(target, (matter = order.mayMatter(self.name, target)));
    if (!matter) continue;
    if (!views.has(f.file)) {
      const text = order.read(f.file);
      views.set(f.file, text === null ? null : new FileView(text, self, table));
    }
    const q = views.get(f.file)?.question(f);
    if (!q) continue;
    const why = order.problem({ ...q, self: self.name });
    if (why !== null) out.set(f, why);
    // The rewrite it plans changes the graph the answers above stood on.
    matters = new Map();
  }
  return out;
}

/** One file as scan's post-pass sees it: the questions fix would ask the rule for a finding. */
class FileView {
  private readonly imports: ImportStmt[];
  private scopesCache: FileScopes | null = null;
  private lines: LineTable | null = null;

  constructor(
    private readonly text: string,
    private readonly self: ModuleSelf,
    private readonly table: MoveTable,
  ) {
    this.imports = lexImports(text).imports;
  }

  private get scopes(): FileScopes {
    return (this.scopesCache ??= new FileScopes(this.text, sourceInfo(this.text)));
  }

  private runTime(st: ImportStmt): RunTime {
    const c = statementContext(this.scopes, st);
    return c.inFunction ? 'later' : c.typeChecking ? 'typing' : 'import';
  }

  private lineOf(st: ImportStmt): number {
    return (this.lines ??= new LineTable(this.text)).lineOf(st.start);
  }

  question(f: Finding): Omit<OrderQuestion, 'self'> | null {
    if (f.form === 'attribute') return this.useQuestion(f);
    const st = this.imports.find((s) => s.start <= f.start && f.end <= s.end);
    if (!st) return null;
    const when = this.runTime(st);
    const line = this.lineOf(st);
    const target = f.canonical!;
    if (f.form === 'star') return { target, name: '*', imports: when, reads: when, line };
    if (f.form === 'import') return { target, name: null, imports: when, reads: when, line };
    // A from-import: the name read, as statements.ts's planFrom decides it.
    const n = st.names.find((x) => x.itemStart === f.start);
    const abs = st.level > 0 ? resolveRelative(st.level, st.module, this.self.name, this.self.isPackage) : st.module;
    if (!n || abs === null) return null;
    const sm = this.table.symbol(abs, n.name);
    if (sm) return { target: sm.toModule, name: sm.toName, imports: when, reads: when, line };
    const submodule = this.table.moduleMoveFor(`${abs}.${n.name}`) && !this.table.moduleMoveFor(abs);
    return { target, name: submodule ? null : n.name, imports: when, reads: when, line };
  }

  /** `m.X` (or `a.legacy.sub`): the import binding `m` runs when it runs; the name is read where the use runs. */
  private useQuestion(f: Finding): Omit<OrderQuestion, 'self'> | null {
    const text = this.text;
    let e = f.start;
    while (e < text.length && isIdent(text.charCodeAt(e))) e++;
    const base = text.slice(f.start, e);
    const binds = (st: ImportStmt): boolean => st.names.some((n) => st.kind === StmtKind.Import
      ? (n.asname ?? n.name.split('.')[0]) === base
      : (n.asname ?? n.name) === base);
    const before = this.imports.filter((st) => st.start < f.start && binds(st));
    const st = before.length > 0 ? before[before.length - 1] : this.imports.find(binds);
    if (!st) return null;
    const use = this.scopes.nodeAt(f.start, e, IDENTIFIERS);
    const reads = use ? runTimeOf(use.node) : 'import';
    const canonical = f.canonical!;
    const colon = canonical.indexOf(':');
    const line = this.lineOf(st);
    if (colon >= 0) return { target: canonical.slice(0, colon), name: canonical.slice(colon + 1), imports: this.runTime(st), reads, line };
    // A moved module: the attribute read from it next, if any.
    const next = /^(?:[ \t\f]|\\\r?\n)*\.(?:[ \t\f]|\\\r?\n)*([A-Za-z_][A-Za-z0-9_]*)/.exec(text.slice(f.end, f.end + 200));
    return { target: canonical, name: next ? next[1] : null, imports: this.runTime(st), reads, line };
  }
}

const IDENTIFIERS: ReadonlySet<string> = new Set(['identifier']);

function isIdent(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c >= 128;
}
