// Planning `canon shim`: from the configured moves and their verify verdicts to the bytes of every
// legacy module's shim. Only moves whose verdict is `same` are shimmed (or `divergent` with
// --allow-divergent), into the legacy modules that exist: canon creates no module. A legacy path
// that does not exist is `unresolved`, and a module made for it could be one Python never imports
// (`src/py/path.py` beside `src/py.py`, which wins).

import { join } from 'node:path';
import type { Config, ModuleMove } from '../config/types.js';
import { MoveTable } from '../core/moveTable.js';
import { verifyMoves, type MoveVerdict } from '../core/verify.js';
import { moduleBindings, type StarImport } from '../python/bindings.js';
import type { ModuleEntry, ModuleIndex } from '../python/moduleIndex.js';
import type { Resolver } from '../python/resolve.js';
import { encodeFor, readSource, sourceInfo, toBytes } from '../python/source.js';
import { runScan, type ScanResult } from '../scan/runScan.js';
import type { ShimFile, ShimOptions, ShimPlan, ShimRefusal } from './api.js';
import { findBlock, readBlock, splitBom, type BlockRow, type BlockSearch } from './block.js';
import { applyEdits, mapOffset } from './edits.js';
import { insertBlock, insertionPoint, planUnbind } from './legacyModule.js';
import { renderBlock } from './template.js';

interface PlannedRow {
  row: BlockRow;
  /** The move that asks for it; null for a row kept from the block already there. */
  move: string | null;
}

interface Target {
  module: string;
  rows: Map<string, PlannedRow>;
  forward: { to: string; move: string } | null;
}

interface Source {
  /** The file's bytes as read. */
  raw: string;
  /** A UTF-8 byte-order mark, kept apart from `text`. */
  bom: string;
  text: string;
  search: BlockSearch;
  /** The text without its shim block. */
  base: string;
}

export async function planShims(config: Config, opts: ShimOptions = {}): Promise<ShimPlan> {
  const scan = opts.scan ?? (await runScan(config));
  return new Planner(config, scan.index, scan.resolver, opts, scan).plan(scan.verdicts);
}

class Planner {
  private readonly targets = new Map<string, Target>();
  private readonly refused: ShimRefusal[] = [];
  private readonly sources = new Map<string, Source | null>();
  private readonly table: MoveTable;
  /** Legacy paths (`module:Name`, or a module) and modules the scan still finds used. */
  private readonly usedPaths = new Set<string>();
  private readonly usedModules = new Set<string>();

  constructor(
    private readonly config: Config,
    private readonly index: ModuleIndex,
    private readonly resolver: Resolver,
    private readonly opts: ShimOptions,
    private readonly scan: ScanResult,
  ) {
    this.table = new MoveTable(config.moves);
    for (const f of scan.findings) {
      if (f.kind === 'unresolved') continue;
      this.usedPaths.add(f.legacy);
      this.usedModules.add(f.legacy.split(':')[0]);
    }
  }

  /** Is `module` or a submodule of it imported anywhere the scan sees? */
  private moduleUsed(module: string): boolean {
    for (const m of this.usedModules) if (m === module || m.startsWith(module + '.')) return true;
    return false;
  }

  plan(verdicts: MoveVerdict[]): ShimPlan {
    // Module moves first: a symbol move out of the same module overrides the forwarded row.
    for (const v of verdicts) if (v.move.kind === 'module') this.moduleMove(v, v.move);
    for (const v of verdicts) {
      const m = v.move;
      if (m.kind !== 'symbol') continue;
      // A legacy path that serves nothing today (never did, or `--remove` took it out) is
      // shimmed only while code still uses it: `canon shim` and `--remove` then agree.
      if (v.verdict !== 'same' && this.legacyAbsent(v) && !this.usedPaths.has(`${m.fromModule}:${m.fromName}`)) continue;
      const why = this.refusalFor(v);
      if (why) {
        this.refuse(m.id, `${m.fromModule}:${m.fromName}`, m.fromModule, why);
        continue;
      }
      this.target(m.fromModule).rows.set(m.fromName, { row: { name: m.fromName, module: m.toModule, attr: m.toName }, move: m.id });
    }
    const files: ShimFile[] = [];
    for (const t of this.targets.values()) {
      const entry = this.index.get(t.module);
      const f = entry?.file ? this.existing(t, entry) : this.absent(t, entry);
      if (f) files.push(f);
    }
    files.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
    return { files, refused: this.refused };
  }

  private moduleMove(v: MoveVerdict, m: ModuleMove): void {
    for (const legacy of this.legacyModulesOf(m)) {
      const canonical = MoveTable.mapModule(m, legacy);
      const entry = this.index.get(legacy);
      // A namespace package has no file to hold a shim; its submodules get their own.
      if (entry && entry.file === null) continue;
      // As for symbols: a module that serves nothing today is shimmed only while code uses it.
      const serves = entry !== undefined && (this.apiNames(legacy).length > 0 || this.source(legacy)?.search.kind === 'found');
      if (!serves && !this.moduleUsed(legacy)) continue;
      const sv = legacy === m.fromModule ? v : verifyMoves([{ ...m, id: legacy, fromModule: legacy, toModule: canonical }], this.resolver)[0];
      const why = this.refusalFor(sv);
      if (why) {
        this.refuse(m.id, legacy, legacy, why);
        continue;
      }
      const t = this.target(legacy);
      t.forward = { to: canonical, move: m.id };
      for (const name of this.apiNames(legacy)) t.rows.set(name, { row: { name, module: canonical, attr: name }, move: m.id });
    }
  }

  /**
   * The modules a module move shims: the moved module, each of its submodules that exists, and
   * each submodule the scan saw imported (which may no longer exist).
   */
  private legacyModulesOf(m: ModuleMove): string[] {
    const out = new Set<string>([m.fromModule]);
    const under = (name: string): boolean => name.startsWith(m.fromModule + '.');
    for (const e of this.index.toData().modules) if (under(e.name)) out.add(e.name);
    for (const module of this.usedModules) if (under(module)) out.add(module);
    // The most specific module move covering a module wins.
    return [...out].filter((name) => this.table.moduleMoveFor(name) === m).sort();
  }

  /** Public names a legacy module offers that a forwarding shim lists in its table. */
  private apiNames(module: string): string[] {
    const src = this.source(module);
    if (!src || src.search.kind === 'damaged') return [];
    const b = moduleBindings(src.base);
    const names = b.all ?? [...b.names.keys()].filter((n) => !n.startsWith('_'));
    const out = new Set<string>();
    for (const n of names) {
      if (!b.names.has(n)) continue;
      if (b.all === null) {
        // Modules and outside names the module merely imports for its own use are not its API.
        const r = this.resolver.resolveName(module, n);
        if (!r.ok || r.target.kind !== 'definition') continue;
      }
      out.add(n);
    }
    if (src.search.kind === 'found') {
      for (const r of readBlock(src.text.slice(src.search.span.start, src.search.span.end)).rows) out.add(r.name);
    }
    return [...out];
  }

  /** Why a move cannot be shimmed, or null when it can. */
  private refusalFor(v: MoveVerdict): string | null {
    if (v.verdict === 'same') return null;
    const from = v.move.fromModule;
    if (!this.index.isProjectModule(from)) {
      return `${from} is not in the project's packages (an installed module?); canon writes shims only inside the project`;
    }
    if (v.verdict === 'divergent') {
      return this.opts.allowDivergent ? null : `divergent: ${v.reason}; pass --allow-divergent to shim it anyway`;
    }
    if (this.legacyAbsent(v)) return `${v.verdict}: ${v.reason}; canon shims only legacy paths that exist and verify same (it creates no module and serves no name that is gone)`;
    return `${v.verdict}: ${v.reason}`;
  }

  private legacyAbsent(v: MoveVerdict): boolean {
    const m = v.move;
    const entry = this.index.get(m.fromModule);
    if (!entry) return true;
    if (m.kind === 'module' || entry.file === null) return false;
    const src = this.source(m.fromModule);
    if (!src || src.search.kind === 'damaged') return false;
    const b = moduleBindings(src.base);
    return !b.names.has(m.fromName) && b.stars.length === 0 && !b.hasGetattr && !this.index.has(`${m.fromModule}.${m.fromName}`);
  }

  private existing(t: Target, entry: ModuleEntry): ShimFile | null {
    const file = entry.file!;
    if (!file.endsWith('.py')) {
      this.refuseTarget(t, file, `only a stub (${file}) exists for ${t.module}; canon shims .py modules`, false);
      return null;
    }
    const src = this.source(t.module);
    if (!src) {
      this.refuseTarget(t, file, `cannot read ${file}`, false);
      return null;
    }
    if (src.search.kind === 'damaged') {
      this.refuseTarget(t, file, `its shim block is damaged (${src.search.reason}); restore the block or delete it, then run canon shim`, true);
      return null;
    }
    const span = src.search.kind === 'found' ? src.search.span : null;
    // canon shim never takes a legacy path away: rows of the block already there that this plan
    // does not ask for (a move refused now, or no longer configured) stay until `--remove`.
    const old = span ? readBlock(src.text.slice(span.start, span.end)) : { rows: [], forward: null };
    for (const r of old.rows) if (!t.rows.has(r.name)) t.rows.set(r.name, { row: r, move: null });
    const forward = t.forward?.to ?? old.forward;

    const names = new Map([...t.rows].map(([n, r]) => [n, `${r.row.module}:${r.row.attr}`]));
    const un = planUnbind(src.base, { module: t.module, isPackage: entry.isPackage, names, starProvides: (s, abs, n) => this.starProvides(s, abs, n) });
    if (un.fatal) {
      this.refuseTarget(t, file, un.fatal, span !== null);
      return null;
    }
    for (const [name, why] of un.refused) {
      this.refuse(t.rows.get(name)?.move ?? null, `${t.module}:${name}`, t.module, why);
      t.rows.delete(name);
    }
    if (t.rows.size === 0 && forward === null) return null;

    const info = sourceInfo(src.raw);
    const block = encodeFor(
      renderBlock({ rows: [...t.rows.values()].map((r) => r.row), forward, category: this.config.shim.category, provideAll: !un.hasOwnAll }).replace(/\n/g, info.eol),
      info,
    );
    const edited = applyEdits(src.base, un.edits);
    let after: string;
    if (span) {
      const at = mapOffset(span.start, un.edits);
      after = edited.slice(0, at) + block + edited.slice(at);
    } else {
      after = insertBlock(edited, insertionPoint(edited), block, info.eol);
    }
    return this.file(t, file, toBytes(src.raw), toBytes(src.bom + after), forward);
  }

  /** Only reached with --allow-divergent or a forged verdict: a module with no file gets no shim. */
  private absent(t: Target, entry: ModuleEntry | undefined): null {
    const why = entry
      ? `${t.module} is a namespace package (a folder without __init__.py); canon will not turn it into a regular package`
      : `${t.module} does not exist; canon creates no module`;
    this.refuseTarget(t, null, why, false);
    return null;
  }

  private file(t: Target, file: string, before: Buffer | null, after: Buffer, forward: string | null): ShimFile {
    const action = before === null ? 'create' : before.equals(after) ? 'unchanged' : 'update';
    return { file, before, after, action, module: t.module, names: [...t.rows.keys()].sort(), forward, removed: [] };
  }

  private starProvides(_star: StarImport, abs: string, name: string): boolean | 'unknown' {
    if (!this.index.has(abs)) return this.index.isProjectModule(abs) ? false : 'unknown';
    const b = this.resolver.bindingsOf(abs);
    if (b === null) return false;
    if (b.all !== null) return b.all.includes(name);
    if (name.startsWith('_')) return false;
    if (b.names.has(name)) return true;
    return b.stars.length > 0 ? 'unknown' : false;
  }

  private source(module: string): Source | null {
    if (this.sources.has(module)) return this.sources.get(module)!;
    const file = this.index.get(module)?.file;
    let src: Source | null = null;
    if (file) {
      try {
        const raw = readSource(join(this.config.root, file));
        const { bom, text } = splitBom(raw);
        const search = findBlock(text);
        const base = search.kind === 'found' ? text.slice(0, search.span.start) + text.slice(search.span.end) : text;
        src = { raw, bom, text, search, base };
      } catch {
        src = null;
      }
    }
    this.sources.set(module, src);
    return src;
  }

  private target(module: string): Target {
    let t = this.targets.get(module);
    if (!t) this.targets.set(module, (t = { module, rows: new Map(), forward: null }));
    return t;
  }

  private refuse(move: string | null, legacy: string, module: string, reason: string, stale?: boolean): void {
    const file = this.index.get(module)?.file ?? null;
    const shimmed = stale ?? (this.source(module)?.search.kind ?? 'none') !== 'none';
    this.refused.push({ move, legacy, file, reason, stale: shimmed });
  }

  /** Every path a target would have served is refused for one reason. */
  private refuseTarget(t: Target, file: string | null, reason: string, stale: boolean): void {
    if (t.forward) this.refused.push({ move: t.forward.move, legacy: t.module, file, reason, stale });
    for (const [name, r] of t.rows) {
      if (t.forward && r.move === t.forward.move) continue;
      this.refused.push({ move: r.move, legacy: `${t.module}:${name}`, file, reason, stale });
    }
  }
}
