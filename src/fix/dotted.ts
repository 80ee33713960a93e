// `import a.b.c` without an alias binds `a`, and the file spells every use in full: `a.b.c.X`.
// All such imports of one top-level name in one scope are planned together: moved uses are
// respelled (`a.b.new.X`), the imports they need are added or rewritten in place, and an import
// nothing needs any more is removed.

import type { ModuleMove } from '../config/types.js';
import { MoveTable } from '../core/moveTable.js';
import { StmtKind, type ImportAlias, type ImportStmt } from '../python/records.js';
import type { FileState } from './fileState.js';
import { insertAfter } from './importText.js';
import type { BindingDecision } from './moduleUses.js';
import { classifyUses, inImport, type MovedUse } from './moduleUses.js';
import { runTimeOf } from './importOrder.js';
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
  // Uses left as they are (nothing of theirs moved, or canon refused them), and where.
  const remaining: { attrs: string[]; at: number }[] = [];
  const otherBindingOk = (_s: NameSite, imp: ImportStmt | null): boolean =>
    imp !== null && imp.kind === StmtKind.Import && imp.names.some((n) => n.asname === null && n.name.split('.')[0] === top);
  // The group's own imports show their paths are modules.
  const imported = new Set<string>();
  for (const it of group) for (let i = 1; i <= it.path.length; i++) imported.add(it.path.slice(0, i).join('.'));
  const uses = classifyUses(fs, sites, first.own, [top], top, first.st, otherBindingOk, (attrs, at) => {
    remaining.push({ attrs, at });
    return true;
  }, { base: true, isModule: (m, t) => imported.has(m) || fs.isModule(m) || fs.isModule(t) });
  if (uses.conflict !== null) {
    for (const m of uses.moved) fs.occur(m.site.start, m.end, m.move, false, uses.conflict);
    for (const it of group) {
      const mm = table.moduleMoveFor(it.n.name);
      if (mm) fs.occur(it.n.itemStart, it.n.itemEnd, mm, false, uses.conflict);
    }
    return;
  }
  if (uses.moved.length === 0 && !group.some((it) => table.moduleMoveFor(it.n.name))) return;

  // Each rewritten use needs its canonical module imported (and, where the use runs while this
  // module is imported, the name bound there by then): a use that cannot have that stays as it is.
  const moduleWhy = new Map<string, string | null>();
  const whyFor = (mod: string): string | null => {
    if (!moduleWhy.has(mod)) {
      const t = mod.split('.')[0];
      moduleWhy.set(mod, fs.orderFor(first.st, mod, null) ?? fs.shadowed(mod) ?? (topFree(fs, top, mod) ? null : `cannot add \`import ${mod}\`: \`${t}\` already names something else in this file`));
    }
    return moduleWhy.get(mod)!;
  };
  const rewritten: MovedUse[] = [];
  for (const m of uses.moved) {
    const read = m.name ?? m.attrs[m.used] ?? null;
    const why = whyFor(m.module) ?? (read === null ? null : fs.orderFor(first.st, m.module, read, runTimeOf(m.site.node)));
    if (why) {
      fs.occur(m.site.start, m.end, m.move, false, why);
      remaining.push({ attrs: m.attrs, at: m.site.start });
    } else rewritten.push(m);
  }

  // The uses still spelled through an import of the group: for `import a`, every use left; for
  // `import a.b`, those that go on with `.b`.
  const through = (path: string[]): { at: number }[] => remaining.filter((r) => path.length === 1 || r.attrs[0] === path[1]);
  // An import is replaced only when uses that went through it were rewritten; never a bystander.
  const carried = (path: string[]): boolean =>
    (table.symbolModules.has(path.join('.')) || table.reachesLegacy(path.join('.'))) &&
    rewritten.some((m) => path.length === 1 || m.attrs[0] === path[1]);

  // The imports after the rewrite. A module-moved import is rewritten in place unless a use left
  // as it is still goes through it.
  const finals: string[] = [];
  const droppable: DottedItem[] = [];
  const rebound: { it: DottedItem; target: string; mm: ModuleMove }[] = [];
  const keepOld = (it: DottedItem, mm: ModuleMove | undefined, at: number): void => {
    finals.push(it.n.name);
    if (mm) fs.occur(it.n.itemStart, it.n.itemEnd, mm, false, `\`${top}\` is still used at line ${fs.lineOf(at)}, where canon does not rewrite it: \`import ${it.n.name}\` stays`);
  };
  for (const it of group) {
    const mm = table.moduleMoveFor(it.n.name);
    if (mm) {
      const target = MoveTable.mapModule(mm, it.n.name);
      const why = fs.orderFor(it.st, target, null) ??
        (topFree(fs, top, target) ? null : `cannot rewrite it to \`import ${target}\`: \`${target.split('.')[0]}\` already names something else in this file`);
      const left = through(it.path);
      if (why) {
        fs.occur(it.n.itemStart, it.n.itemEnd, mm, false, why);
        finals.push(it.n.name);
      } else if (left.length > 0) keepOld(it, mm, left[0].at);
      else {
        rebound.push({ it, target, mm });
        finals.push(target);
      }
      continue;
    }
    // `import a` itself goes only when nothing at all still uses `a`, and no other file reads `a`
    // from this module (planFix asks: `keep`).
    if (carried(it.path) && through(it.path).length === 0 && !(it.own.scope === null && fs.input.keep?.has(top) === true)) droppable.push(it);
    else finals.push(it.n.name);
  }
  // A use left as it is needs `top` bound: when every import binding it would go, the first stays.
  if (remaining.length > 0 && !finals.some((f) => f.split('.')[0] === top)) {
    const at = remaining[0].at;
    for (const it of group) {
      const r = rebound.findIndex((x) => x.it === it);
      if (r >= 0) {
        const [x] = rebound.splice(r, 1);
        finals.splice(finals.indexOf(x.target), 1);
        keepOld(it, x.mm, at);
        break;
      }
      const d = droppable.indexOf(it);
      if (d >= 0) {
        droppable.splice(d, 1);
        keepOld(it, undefined, at);
        break;
      }
    }
  }
  for (const x of rebound) {
    out.set(itemKey(x.it.st, x.it.j), { action: 'rebind', target: x.target });
    fs.expected.push({ kind: 'import', module: x.target, name: null, local: null });
    fs.occur(x.it.n.itemStart, x.it.n.itemEnd, x.mm, true);
  }

  const covered = (mod: string): boolean =>
    finals.some((f) => f === mod || f.startsWith(mod + '.')) ||
    fs.lex.imports.some((o) => o.kind === StmtKind.Import && !group.some((g) => g.st === o) && o.names.some((n) => n.asname === null && (n.name === mod || n.name.startsWith(mod + '.'))) && sameBlock(fs, o, first.st));
  for (const mod of new Set(rewritten.map((m) => m.module))) {
    if (covered(mod)) continue;
    const reuse = droppable.shift();
    if (reuse) {
      out.set(itemKey(reuse.st, reuse.j), { action: 'rebind', target: mod });
    } else {
      fs.edits.push(insertAfter(fs.text, group[group.length - 1].st, `import ${fs.enc(mod)}`, fs.eol));
    }
    finals.push(mod);
    fs.expected.push({ kind: 'import', module: mod, name: null, local: null });
  }
  for (const it of droppable) {
    out.set(itemKey(it.st, it.j), { action: 'drop' });
    fs.dropped.add(`${it.st.start}:${it.j}`);
    if (it.own.scope === null) fs.moduleDrops.add(top);
  }

  for (const m of rewritten) {
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
