// `import a.b.c` without an alias binds `a`, and the file spells every use in full: `a.b.c.X`.
// All such imports of one top-level name in one scope are planned together: moved uses are
// respelled (`a.b.new.X`), the imports they need are added or rewritten in place, and an import
// nothing needs any more is removed.

import { MoveTable } from '../core/moveTable.js';
import { StmtKind, type ImportAlias, type ImportStmt } from '../python/records.js';
import type { FileState } from './fileState.js';
import { insertAfter } from './importText.js';
import type { BindingDecision } from './moduleUses.js';
import { classifyUses, inImport } from './moduleUses.js';
import type { NameSite } from './scope.js';

export const itemKey = (st: ImportStmt, j: number): string => `${st.start}:${j}`;

interface DottedItem {
  st: ImportStmt;
  j: number;
  n: ImportAlias;
  path: string[];
  own: NameSite;
}

/** Decisions for every un-aliased `import a.b.c` item that a move concerns, by itemKey. */
export function planDotted(fs: FileState): Map<string, BindingDecision> {
  const out = new Map<string, BindingDecision>();
  const table = fs.table;
  const byTop = new Map<string, { st: ImportStmt; j: number; n: ImportAlias }[]>();
  for (const st of fs.lex.imports) {
    if (st.kind !== StmtKind.Import) continue;
    st.names.forEach((n, j) => {
      if (n.asname !== null) return;
      const top = n.name.split('.')[0];
      if (!table.moduleMoveFor(n.name) && !table.symbolModules.has(top) && !table.reachesLegacy(top)) return;
      const list = byTop.get(top) ?? [];
      list.push({ st, j, n });
      byTop.set(top, list);
    });
  }
  for (const [top, items] of byTop) {
    const sites = fs.scopes.sites(top);
    if (fs.broken) return out;
    const groups = new Map<string, DottedItem[]>();
    for (const it of items) {
      const own = sites.find((s) => s.occurrence === 'store' && s.start >= it.n.start && s.end <= it.n.end);
      if (!own) continue;
      const key = own.scope === null ? 'module' : String(own.scope.id);
      const g = groups.get(key) ?? [];
      g.push({ ...it, path: it.n.name.split('.'), own });
      groups.set(key, g);
    }
    for (const g of groups.values()) planGroup(fs, top, sites, g, out);
  }
  return out;
}

function planGroup(fs: FileState, top: string, sites: NameSite[], group: DottedItem[], out: Map<string, BindingDecision>): void {
  const table = fs.table;
  const first = group[0];
  const remaining: string[][] = [];
  const otherBindingOk = (_s: NameSite, imp: ImportStmt | null): boolean =>
    imp !== null && imp.kind === StmtKind.Import && imp.names.some((n) => n.asname === null && n.name.split('.')[0] === top);
  const uses = classifyUses(fs, sites, first.own, [top], top, first.st, otherBindingOk, (attrs) => {
    remaining.push(attrs);
    return true;
  });
  if (uses.conflict !== null) {
    for (const m of uses.moved) fs.occur(m.site.start, m.end, m.move, false, uses.conflict);
    for (const it of group) {
      const mm = table.moduleMoveFor(it.n.name);
      if (mm) fs.occur(it.n.itemStart, it.n.itemEnd, mm, false, uses.conflict);
    }
    return;
  }
  if (uses.moved.length === 0 && !group.some((it) => table.moduleMoveFor(it.n.name))) return;
  // An import is replaced only when uses that went through it were rewritten; never a bystander.
  const carried = (path: string[]): boolean =>
    (table.symbolModules.has(path.join('.')) || table.reachesLegacy(path.join('.'))) &&
    uses.moved.some((m) => path.length === 1 || m.attrs[0] === path[1]);
  const needs = (path: string[]): boolean =>
    remaining.some((attrs) => attrs.length > 0 && attrs[0] === path[1]) ||
    uses.moved.some((m) => m.attrs[0] === path[1] && needed.get(m.module)?.ok === false);

  // Modules the rewritten uses go through; each must be imported.
  const needed = new Map<string, { ok: boolean; why: string | null }>();
  for (const m of uses.moved) {
    if (needed.has(m.module)) continue;
    let why: string | null = null;
    const cyc = fs.cycleFor(first.st, m.module);
    if (cyc) why = `would create an import cycle: ${cyc.join(' -> ')}`;
    else if (!topFree(fs, top, m.module)) why = `cannot add \`import ${m.module}\`: \`${m.module.split('.')[0]}\` already names something else in this file`;
    needed.set(m.module, { ok: why === null, why });
  }

  // The imports after the rewrite: module-moved items rewritten in place (when no use keeps the old path).
  const finals: string[] = [];
  const droppable: DottedItem[] = [];
  for (const it of group) {
    const mm = table.moduleMoveFor(it.n.name);
    if (mm) {
      const target = MoveTable.mapModule(mm, it.n.name);
      const cyc = fs.cycleFor(it.st, target);
      if (cyc) {
        fs.occur(it.n.itemStart, it.n.itemEnd, mm, false, `would create an import cycle: ${cyc.join(' -> ')}`);
        finals.push(it.n.name);
      } else if (needs(it.path) || !topFree(fs, top, target)) {
        // Something still goes through the old path: keep it, and import the new one beside it.
        finals.push(it.n.name);
        if (!needed.has(target)) needed.set(target, { ok: topFree(fs, top, target), why: null });
        fs.occur(it.n.itemStart, it.n.itemEnd, mm, true);
      } else {
        out.set(itemKey(it.st, it.j), { action: 'rebind', target });
        fs.expected.push({ kind: 'import', module: target, name: null, local: null });
        fs.occur(it.n.itemStart, it.n.itemEnd, mm, true);
        finals.push(target);
      }
      continue;
    }
    // `import a` itself goes only when nothing at all still uses `a`.
    const unused = carried(it.path) && (it.path.length > 1 ? !needs(it.path) : remaining.length === 0 && uses.moved.every((m) => needed.get(m.module)?.ok !== false));
    if (unused) droppable.push(it);
    else finals.push(it.n.name);
  }
  const covered = (mod: string): boolean =>
    finals.some((f) => f === mod || f.startsWith(mod + '.')) ||
    fs.lex.imports.some((o) => o.kind === StmtKind.Import && !group.some((g) => g.st === o) && o.names.some((n) => n.asname === null && (n.name === mod || n.name.startsWith(mod + '.'))) && sameBlock(fs, o, first.st));
  for (const [mod, state] of needed) {
    if (!state.ok || covered(mod)) continue;
    const reuse = droppable.shift();
    if (reuse) {
      out.set(itemKey(reuse.st, reuse.j), { action: 'rebind', target: mod });
    } else {
      fs.edits.push(insertAfter(fs.text, group[group.length - 1].st, `import ${fs.enc(mod)}`, fs.eol));
    }
    finals.push(mod);
    fs.expected.push({ kind: 'import', module: mod, name: null, local: null });
  }
  for (const it of droppable) out.set(itemKey(it.st, it.j), { action: 'drop' });

  for (const m of uses.moved) {
    const state = needed.get(m.module)!;
    if (!state.ok) {
      fs.occur(m.site.start, m.end, m.move, false, state.why);
      continue;
    }
    fs.edit(m.site.start, m.end, fs.enc(m.name === null ? m.module : `${m.module}.${m.name}`));
    fs.occur(m.site.start, m.end, m.move, true);
  }
}

/** Can `import target` be added: its top-level name is free or already a package import? */
function topFree(fs: FileState, top: string, target: string): boolean {
  const t = target.split('.')[0];
  if (t === top) return true;
  for (const s of fs.scopes.sites(t)) {
    const imp = inImport(fs, s.start);
    const ok = imp && imp.kind === StmtKind.Import && imp.names.some((n) => n.asname === null && n.name.split('.')[0] === t && n.start <= s.start && s.start < n.end);
    if (!ok) return false;
  }
  return true;
}

function sameBlock(fs: FileState, a: ImportStmt, b: ImportStmt): boolean {
  if (a.inline || b.inline) return false;
  if (a.indent === 0 && b.indent === 0) return true;
  return a.indent === b.indent && fs.blockKey(a) === fs.blockKey(b);
}
