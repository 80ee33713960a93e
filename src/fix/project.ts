// What fix asks of the rest of the project: whether a rewritten import can run under the import
// order (importOrder.ts), who imports a name from a module (before renaming it), and who
// looks a name up through a module at run time (before moving a patch target). Files are read
// through a SourceHost and analysed once.

import type { SymbolMove } from '../config/types.js';
import { MoveTable } from '../core/moveTable.js';
import { lexImports } from '../python/lexer.js';
import { LineTable } from '../python/lineTable.js';
import type { ModuleIndex } from '../python/moduleIndex.js';
import type { SourceHost } from '../python/resolve.js';
import { sourceInfo } from '../python/source.js';
import { moduleBindings } from '../python/bindings.js';
import { resolveRelative } from '../python/modules.js';
import { analyzeFile } from '../scan/analyze.js';
import { statementContext, type ModuleSelf, type Occurrence, type ProjectHooks } from './fileState.js';
import { ImportOrder } from './importOrder.js';
import { ReaderFilter } from './readerFilter.js';
import { FileScopes } from './scope.js';
import { plural } from '../core/text.js';

interface Lookup {
  file: string;
  start: number;
  end: number;
  line: number;
}

export class ProjectView {
  private readonly texts = new Map<string, string | null>();
  private readonly lookupCache = new Map<string, Lookup[]>();
  /** Occurrences this plan rewrites, by file (set once every file's imports are planned). */
  fixed = new Map<string, Occurrence[]>();

  constructor(
    readonly index: ModuleIndex,
    private readonly host: SourceHost,
    /** Every Python file of the project (root-relative). */
    private readonly files: readonly string[],
    /** The import-order rule (shared with the scan, which asked it already). */
    readonly order: ImportOrder = new ImportOrder(index, host),
  ) {}

  private read(file: string): string | null {
    if (!this.texts.has(file)) this.texts.set(file, this.host.read(file));
    return this.texts.get(file)!;
  }

  /** Where `module.name` is used through `module` (any form the scan reports), file by file. */
  private uses(module: string, name: string): { file: string; findings: ReturnType<typeof analyzeFile>; text: string }[] {
    const move: SymbolMove = { kind: 'symbol', index: 0, id: `${module}:${name}`, fromModule: module, fromName: name, toModule: module, toName: name };
    const ctx = { table: new MoveTable([move]), index: this.index };
    const out = [];
    const last = module.slice(module.lastIndexOf('.') + 1);
    for (const file of this.files) {
      const text = this.read(file);
      if (text === null || !text.includes(name) || !text.includes(last)) continue;
      const findings = analyzeFile(file, text, ctx).filter((f) => f.kind === 'legacy-import' && !f.suppressed);
      if (findings.length > 0) out.push({ file, findings, text });
    }
    return out;
  }

  /** Files other than `except` that import `name` from `module`. */
  importers(module: string, name: string, except: string): string[] {
    return this.uses(module, name).map((u) => u.file).filter((f) => f !== except);
  }

  /**
   * Of the module-level names a plan would drop (`drops`: a file, its module, the names), those
   * another file of `files` reads from that module (file -> name -> a file that reads it): `from m import name` (relative too), a use
   * `m.name` through any import of m, a star-import of m, or the string "m.name". One pass over
   * the project, each file read once and analysed only when it holds one of the names; nothing is kept.
   */
  readersOf(files: readonly string[], drops: { file: string; module: string; names: ReadonlySet<string> }[]): Map<string, Map<string, string>> {
    const vetoed = new Map<string, Map<string, string>>();
    const byKey = new Map<string, { file: string; name: string }[]>();
    const byModule = new Map<string, { file: string; names: ReadonlySet<string> }>();
    const moves: SymbolMove[] = [];
    for (const d of drops) {
      byModule.set(d.module, d);
      for (const name of d.names) {
        const key = `${d.module}:${name}`;
        byKey.set(key, [...(byKey.get(key) ?? []), { file: d.file, name }]);
        moves.push({ kind: 'symbol', index: moves.length, id: key, fromModule: d.module, fromName: name, toModule: d.module, toName: name });
      }
    }
    if (moves.length === 0) return vetoed;
    const names = [...new Set(moves.map((m) => m.fromName))];
    const veto = (file: string, name: string, reader: string): void => {
      const readers = vetoed.get(file) ?? new Map<string, string>();
      if (!readers.has(name)) readers.set(name, reader);
      vetoed.set(file, readers);
    };
    // Only files that spell one of the modules are analysed (readerFilter.ts).
    const table = new MoveTable(moves);
    const filter = new ReaderFilter([...byModule].map(([module, d]) => ({ module, file: d.file })), names);
    for (const file of files) {
      const text = this.host.read(file);
      if (text === null) continue;
      const topOf = (): string | null => this.index.ofFile(file)?.name.split('.')[0] ?? null;
      if (!filter.mayRead(file, text, topOf)) continue;
      const findings = analyzeFile(file, text, { table, index: this.index });
      for (const f of findings) {
        if (f.kind !== 'legacy-import' && f.kind !== 'string-reference') continue;
        if (f.form === 'star') {
          const d = byModule.get(f.legacy);
          if (d && d.file !== file) for (const name of d.names) veto(d.file, name, file);
          continue;
        }
        for (const c of byKey.get(f.legacy) ?? []) if (c.file !== file) veto(c.file, c.name, file);
      }
    }
    return vetoed;
  }

  /** Run-time lookups of `module.name`: attribute uses, and from-imports inside functions (or other blocks). */
  lookups(module: string, name: string): Lookup[] {
    const key = `${module}:${name}`;
    const cached = this.lookupCache.get(key);
    if (cached) return cached;
    const out: Lookup[] = [];
    for (const u of this.uses(module, name)) {
      const stmts = lexImports(u.text).imports;
      let scopes: FileScopes | null = null;
      for (const f of u.findings) {
        if (f.form === 'from-import') {
          const st = stmts.find((s) => s.start <= f.start && f.end <= s.end);
          if (!st || (st.indent === 0 && !st.inline)) continue;
          scopes ??= new FileScopes(u.text, sourceInfo(u.text));
          const c = statementContext(scopes, st);
          if (!c.inFunction) continue;
        } else if (f.form !== 'attribute') continue;
        out.push({ file: u.file, start: f.start, end: f.end, line: f.line });
      }
    }
    this.lookupCache.set(key, out);
    return out;
  }

  /** Lines where `module` itself reads `name` as a global (not its own definition or import). */
  internalUses(module: string, name: string): number[] {
    const entry = this.index.get(module);
    const text = entry?.file ? this.read(entry.file) : null;
    if (text === null || !text.includes(name)) return [];
    const scopes = new FileScopes(text, sourceInfo(text));
    const lines = new LineTable(text);
    return scopes.sites(name).filter((s) => s.occurrence === 'load' && s.scope === null).map((s) => lines.lineOf(s.start));
  }

  /** null when `patch("<lm>.<x>")` may become `patch("<tm>.<y>")` once this plan is applied; else why not. */
  patchTarget(lm: string, x: string, tm: string, y: string): string | null {
    const isFixed = (l: Lookup): boolean => (this.fixed.get(l.file) ?? []).some((o) => o.fixed && o.start <= l.start && l.end <= o.end);
    const left = this.lookups(lm, x).filter((l) => !isFixed(l));
    const where = (ls: Lookup[]): string => ls.slice(0, 3).map((l) => `${l.file}:${l.line}`).join(', ') + (ls.length > 3 ? ', ...' : '');
    if (left.length > 0) {
      return `${plural(left.length, 'place')} would still look \`${x}\` up in ${lm} after this fix (${where(left)}): patching ${tm}.${y} would not reach ${left.length === 1 ? 'it' : 'them'}; fix them in the same run`;
    }
    const already = this.lookups(tm, y);
    if (already.length > 0) {
      return `${tm}.${y} is already looked up at run time elsewhere (${where(already)}): patching it there would patch those too`;
    }
    const own = this.internalUses(lm, x);
    if (own.length > 0) return `${lm} itself uses \`${x}\` (line ${own[0]}): patching ${tm}.${y} would not reach that`;
    const theirs = this.internalUses(tm, y);
    if (theirs.length > 0) return `${tm} itself uses \`${y}\` (line ${theirs[0]}): patching it there would change that too`;
    return null;
  }

  private readonly shadowCache = new Map<string, string | null>();

  /**
   * Why `module` (`P.sub`) read as the attribute `sub` of P would not be that module: P's
   * `__init__` binds `sub` at module level to something else (a def, a value, another import:
   * `def mapper()` in `sqlalchemy/orm/__init__.py` beside its submodule `mapper`); or null.
   */
  shadowed(module: string): string | null {
    const dot = module.lastIndexOf('.');
    if (dot < 0) return null;
    const cached = this.shadowCache.get(module);
    if (cached !== undefined) return cached;
    const parent = module.slice(0, dot);
    const sub = module.slice(dot + 1);
    let why: string | null = null;
    const entry = this.index.get(parent);
    const text = entry?.file && entry.isPackage ? this.read(entry.file) : null;
    if (entry?.file && text !== null && text.includes(sub)) {
      for (const b of moduleBindings(text).names.get(sub) ?? []) {
        // `from . import sub` / `from P import sub` / `import P.sub as sub`: the submodule itself.
        const from = b.kind === 'import-from' ? ((b.level ?? 0) > 0 ? resolveRelative(b.level!, b.module ?? '', parent, true) : b.module ?? null) : null;
        if (b.kind === 'import-from' && from === parent && b.imported === sub) continue;
        if (b.kind === 'import' && b.boundModule === module) continue;
        why = `${entry.file} binds \`${sub}\` at line ${b.line} (${b.kind === 'import' || b.kind === 'import-from' ? 'an import' : `a ${b.kind}`}), so \`${module}\` reached through ${parent} would not be the module; import the name from ${module} instead`;
        break;
      }
    }
    this.shadowCache.set(module, why);
    return why;
  }

  /** The hooks one file's planner uses. */
  hooksFor(file: string, self: ModuleSelf | null): ProjectHooks {
    return {
      order: (q) => (self ? this.order.problem({ ...q, self: self.name }) : null),
      importers: (module, name) => this.importers(module, name, file),
      patchTarget: (lm, x, tm, y) => this.patchTarget(lm, x, tm, y),
      shadowed: (module) => this.shadowed(module),
    };
  }
}
