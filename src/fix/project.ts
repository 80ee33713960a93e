// What fix asks of the rest of the project: which project modules a module imports when it is
// imported (to find import cycles), who imports a name from a module (before renaming it), and who
// looks a name up through a module at run time (before moving a patch target). Files are read
// through a SourceHost and analysed once.

import type { SymbolMove } from '../config/types.js';
import { MoveTable } from '../core/moveTable.js';
import { lexImports } from '../python/lexer.js';
import { LineTable } from '../python/lineTable.js';
import type { ModuleIndex } from '../python/moduleIndex.js';
import { resolveRelative } from '../python/modules.js';
import { StmtKind } from '../python/records.js';
import type { SourceHost } from '../python/resolve.js';
import { sourceInfo } from '../python/source.js';
import { analyzeFile } from '../scan/analyze.js';
import { statementContext, type ModuleSelf, type Occurrence, type ProjectHooks } from './fileState.js';
import { FileScopes } from './scope.js';
import { plural } from '../core/text.js';

interface Lookup {
  file: string;
  start: number;
  end: number;
  line: number;
}

export class ProjectView {
  private readonly deps = new Map<string, string[]>();
  private readonly texts = new Map<string, string | null>();
  private readonly lookupCache = new Map<string, Lookup[]>();
  /** Occurrences this plan rewrites, by file (set once every file's imports are planned). */
  fixed = new Map<string, Occurrence[]>();

  constructor(
    readonly index: ModuleIndex,
    private readonly host: SourceHost,
    /** Every Python file of the project (root-relative). */
    private readonly files: readonly string[],
  ) {}

  private read(file: string): string | null {
    if (!this.texts.has(file)) this.texts.set(file, this.host.read(file));
    return this.texts.get(file)!;
  }

  /** Project modules `module` imports while it is being imported (not in functions or TYPE_CHECKING). */
  importTimeDeps(module: string): string[] {
    const cached = this.deps.get(module);
    if (cached) return cached;
    const out = new Set<string>();
    this.deps.set(module, []);
    const entry = this.index.get(module);
    const text = entry?.file ? this.read(entry.file) : null;
    if (entry && text !== null) {
      let scopes: FileScopes | null = null;
      const addPath = (path: string): void => {
        const parts = path.split('.');
        for (let i = 1; i <= parts.length; i++) {
          const m = parts.slice(0, i).join('.');
          if (this.index.has(m)) out.add(m);
        }
      };
      for (const st of lexImports(text).imports) {
        if (st.indent > 0 || st.inline) {
          scopes ??= new FileScopes(text, sourceInfo(text));
          const c = statementContext(scopes, st);
          if (c.inFunction || c.typeChecking) continue;
        }
        if (st.kind === StmtKind.Import) {
          for (const n of st.names) addPath(n.name);
          continue;
        }
        const abs = st.level > 0 ? resolveRelative(st.level, st.module, entry.name, entry.isPackage) : st.module;
        if (abs === null) continue;
        addPath(abs);
        for (const n of st.names) if (n.name !== '*' && this.index.has(`${abs}.${n.name}`)) out.add(`${abs}.${n.name}`);
      }
    }
    const list = [...out].filter((m) => m !== module);
    this.deps.set(module, list);
    return list;
  }

  /**
   * The cycle an import-time import of `target` by `self` would close: [self, target, ..., self],
   * or null. Packages above `self` are already imported when it runs, so paths through them are not cycles.
   */
  cycle(self: string, target: string): string[] | null {
    if (target === self) return null;
    const above = new Set<string>();
    const parts = self.split('.');
    for (let i = 1; i < parts.length; i++) above.add(parts.slice(0, i).join('.'));
    const parent = new Map<string, string>();
    const queue = [target];
    const seen = new Set([target]);
    while (queue.length > 0) {
      const m = queue.shift()!;
      for (const d of this.importTimeDeps(m)) {
        if (d === self) {
          const path = [self, m];
          for (let p = parent.get(m); p !== undefined; p = parent.get(p)) path.splice(1, 0, p);
          return [...path, self];
        }
        if (seen.has(d) || above.has(d)) continue;
        seen.add(d);
        parent.set(d, m);
        queue.push(d);
      }
    }
    return null;
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

  /** The hooks one file's planner uses. */
  hooksFor(file: string, self: ModuleSelf | null): ProjectHooks {
    return {
      cycle: (target) => (self ? this.cycle(self.name, target) : null),
      importers: (module, name) => this.importers(module, name, file),
      patchTarget: (lm, x, tm, y) => this.patchTarget(lm, x, tm, y),
    };
  }
}
