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
}

/** One import statement of a module that runs while the module is imported. */
interface TimedImport {
  line: number;
  /** Project modules it imports (every package on the way, and submodules it names). */
  deps: string[];
}

export class ImportOrder {
  private readonly timed = new Map<string, TimedImport[]>();
  private readonly depsCache = new Map<string, string[]>();
  private readonly closures = new Map<string, Set<string>>();
  private readonly texts = new Map<string, string | null>();
  private readonly bindingsCache = new Map<string, ModuleBindings | null>();
  private readonly answers = new Map<string, string | null>();

  constructor(
    readonly index: ModuleIndex,
    private readonly host: SourceHost,
  ) {}

  /** A root-relative file's text (the rewritten file itself, for scan's post-pass). */
  read(file: string): string | null {
    return this.host.read(file);
  }

  private textOf(module: string): string | null {
    if (this.texts.has(module)) return this.texts.get(module)!;
    const file = this.index.get(module)?.file;
    const text = file ? this.host.read(file) : null;
    this.texts.set(module, text);
    return text;
  }

  /** The module's import statements that run while it is imported, in order (not in functions or TYPE_CHECKING). */
  private statements(module: string): TimedImport[] {
    const cached = this.timed.get(module);
    if (cached) return cached;
    const out: TimedImport[] = [];
    this.timed.set(module, out);
    const entry = this.index.get(module);
    const text = this.textOf(module);
    if (!entry || text === null) return out;
    let scopes: FileScopes | null = null;
    let lines: LineTable | null = null;
    const above = new Set(ancestors(module));
    for (const st of lexImports(text).imports) {
      if (st.indent > 0 || st.inline) {
        scopes ??= new FileScopes(text, sourceInfo(text));
        const c = statementContext(scopes, st);
        if (c.inFunction || c.typeChecking) continue;
      }
      const deps = new Set<string>();
      // Importing a.b.c imports a, a.b, then a.b.c. A package above this module has started
      // already (it is done, or on the import stack): importing it again runs nothing, so it counts
      // only where the statement reads names from it (or binds it, for `import`).
      const addPath = (path: string, skipAbove: boolean, last: boolean): void => {
        const parts = path.split('.');
        for (let i = 1; i <= parts.length; i++) {
          const m = parts.slice(0, i).join('.');
          if (!this.index.has(m) || (skipAbove && above.has(m) && (i < parts.length || !last))) continue;
          deps.add(m);
        }
      };
      if (st.kind === StmtKind.Import) {
        for (const n of st.names) addPath(n.name, false, true);
      } else {
        const abs = st.level > 0 ? resolveRelative(st.level, st.module, entry.name, entry.isPackage) : st.module;
        if (abs === null) continue;
        const subs = st.names.filter((n) => n.name !== '*' && this.index.has(`${abs}.${n.name}`));
        addPath(abs, true, subs.length < st.names.length);
        for (const n of subs) deps.add(`${abs}.${n.name}`);
      }
      deps.delete(module);
      out.push({ line: (lines ??= new LineTable(text)).lineOf(st.start), deps: [...deps] });
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
   * or null. Packages above `self` are already imported when it runs, so paths through them are not cycles.
   */
  cycle(self: string, target: string): string[] | null {
    if (target === self) return null;
    const above = new Set(ancestors(self));
    const p = this.path(target, self, above);
    return p === null ? null : [self, ...p];
  }

  /** Why the rewritten code may fail under CPython's import order; null when it cannot. */
  problem(q: OrderQuestion): string | null {
    const key = `${q.self}\u0000${q.target}\u0000${q.name ?? ''}\u0000${q.imports}\u0000${q.reads}`;
    if (this.answers.has(key)) return this.answers.get(key)!;
    const answer = this.decide(q);
    this.answers.set(key, answer);
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
      if (q.reads === 'import' && above.includes(target)) return this.ancestorProblem(self, target, name);
    }
    if (q.imports !== 'import' || target === self || above.includes(target)) return null;
    const c = this.cycle(self, target);
    return c === null ? null : `would create an import cycle: ${c.join(' -> ')}`;
  }

  /**
   * `self` reads `name` from its package `target` while being imported. Python imports `target`
   * first; if `target`'s own body imports `self` (at line L, directly or through other modules),
   * `self` runs while `target` is still at line L, so the name must be bound above L.
   */
  private ancestorProblem(self: string, target: string, name: string): string | null {
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
        const chain = [target, ...p].join(' -> ');
        const bound = this.boundBefore(target, name, st.line);
        if (bound === true) return null;
        const why = typeof bound === 'number'
          ? `${target} binds it only at line ${bound}`
          : `canon cannot show that ${target} binds it before that line`;
        return `would import \`${name}\` from ${target} while ${target} is still being initialized: ${entry.file} line ${st.line} imports this file (${chain}), and ${why}`;
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
    if (this.bindingsCache.has(module)) return this.bindingsCache.get(module)!;
    const text = this.textOf(module);
    const b = text === null ? null : moduleBindings(text);
    this.bindingsCache.set(module, b);
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
    return target === self || ancestors(self).includes(target) || this.closure(target).has(self);
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
  for (const f of findings) {
    if (f.kind !== 'legacy-import' || !f.fixable || f.suppressed || f.move === null || f.canonical === null) continue;
    const self = order.index.ofFile(f.file);
    if (!self) continue;
    const colon = f.canonical.indexOf(':');
    if (!order.mayMatter(self.name, colon < 0 ? f.canonical : f.canonical.slice(0, colon))) continue;
    if (!views.has(f.file)) {
      const text = order.read(f.file);
      views.set(f.file, text === null ? null : new FileView(text, self, table));
    }
    const q = views.get(f.file)?.question(f);
    if (!q) continue;
    const why = order.problem({ ...q, self: self.name });
    if (why !== null) out.set(f, why);
  }
  return out;
}

/** One file as scan's post-pass sees it: the questions fix would ask the rule for a finding. */
class FileView {
  private readonly imports: ImportStmt[];
  private scopesCache: FileScopes | null = null;

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

  question(f: Finding): Omit<OrderQuestion, 'self'> | null {
    if (f.form === 'attribute') return this.useQuestion(f);
    const st = this.imports.find((s) => s.start <= f.start && f.end <= s.end);
    if (!st) return null;
    const when = this.runTime(st);
    const target = f.canonical!;
    if (f.form === 'star') return { target, name: '*', imports: when, reads: when };
    if (f.form === 'import') return { target, name: null, imports: when, reads: when };
    // A from-import: the name read, as statements.ts's planFrom decides it.
    const n = st.names.find((x) => x.itemStart === f.start);
    const abs = st.level > 0 ? resolveRelative(st.level, st.module, this.self.name, this.self.isPackage) : st.module;
    if (!n || abs === null) return null;
    const sm = this.table.symbol(abs, n.name);
    if (sm) return { target: sm.toModule, name: sm.toName, imports: when, reads: when };
    const submodule = this.table.moduleMoveFor(`${abs}.${n.name}`) && !this.table.moduleMoveFor(abs);
    return { target, name: submodule ? null : n.name, imports: when, reads: when };
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
    if (colon >= 0) return { target: canonical.slice(0, colon), name: canonical.slice(colon + 1), imports: this.runTime(st), reads };
    // A moved module: the attribute read from it next, if any.
    const next = /^(?:[ \t\f]|\\\r?\n)*\.(?:[ \t\f]|\\\r?\n)*([A-Za-z_][A-Za-z0-9_]*)/.exec(text.slice(f.end, f.end + 200));
    return { target: canonical, name: next ? next[1] : null, imports: this.runTime(st), reads };
  }
}

const IDENTIFIERS: ReadonlySet<string> = new Set(['identifier']);

function isIdent(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c >= 128;
}
