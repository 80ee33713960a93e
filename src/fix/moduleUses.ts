// Uses of a legacy module through a local name: `import old as m` / `from pkg import old` with
// `m.X` (`import a.b.c` with `a.b.c.X` is dotted.ts, on the helpers here). Every use the name's
// scope shows is the module's is rewritten to the canonical module; the local name is rebound in
// place when nothing else uses it, else a binding for the canonical module is added beside it.

import type { Move } from '../config/types.js';
import { MoveTable } from '../core/moveTable.js';
import type { SyntaxNode } from '../python/parser.js';
import { StmtKind, type ImportStmt } from '../python/records.js';
import type { FileState } from './fileState.js';
import { insertAfter } from './importText.js';
import { addFromBinding } from './merge.js';
import { isTarget, type NameSite } from './scope.js';

export interface ModuleBinding {
  st: ImportStmt;
  /** Index of the item in st.names. */
  j: number;
  /** The bound local name. */
  local: string;
  /** Dotted path of the module object the name is bound to. */
  module: string;
}

/** What becomes of the import item that bound the name. */
export type BindingDecision =
  | { action: 'keep' }
  /** Bind the same local name to this module instead (`import T as m`, `from P import t as m`, `import T`). */
  | { action: 'rebind'; target: string }
  | { action: 'drop' };

export interface MovedUse {
  site: NameSite;
  /** End of the moved part of the dotted use (`m.X` of `m.X.y`). */
  end: number;
  move: Move;
  /** Canonical module, and name (null for a module move: the use names the module itself). */
  module: string;
  name: string | null;
  /** The attribute identifier after the base, when the use is `m.X` exactly. */
  direct: SyntaxNode | null;
  attrs: string[];
}

export function inImport(fs: FileState, at: number): ImportStmt | null {
  for (const st of fs.lex.imports) if (st.start <= at && at < st.end) return st;
  return null;
}

/** A name for a new binding of `module`: its last segment unless the file already uses that word. */
export function freshName(fs: FileState, module: string): string {
  const last = module.slice(module.lastIndexOf('.') + 1);
  for (let i = 0; ; i++) {
    const name = i === 0 ? last : i === 1 ? `${last}_mod` : `${last}_mod${i}`;
    if (!fs.mentions(name, 0, fs.text.length)) return name;
  }
}

/** Follow `m.a.b...` up from the base identifier: the attribute names and nodes. */
export function chainOf(id: SyntaxNode): { attrs: string[]; nodes: SyntaxNode[]; names: SyntaxNode[] } {
  const attrs: string[] = [];
  const nodes: SyntaxNode[] = [];
  const names: SyntaxNode[] = [];
  let node = id;
  for (;;) {
    const p = node.parent;
    if (!p || p.type !== 'attribute' || p.childForFieldName('object')?.id !== node.id) break;
    const a = p.childForFieldName('attribute');
    if (!a) break;
    attrs.push(a.text);
    nodes.push(p);
    names.push(a);
    node = p;
  }
  return { attrs, nodes, names };
}

/** The moved part of a use `base.attrs...` whose base is bound to `prefix`, as analyze finds it. */
export function movedPart(table: MoveTable, prefix: string[], attrs: string[]): { move: Move; used: number; module: string; name: string | null } | null {
  const parts = [...prefix, ...attrs];
  const from = prefix.length;
  for (let i = from; i < parts.length; i++) {
    const module = parts.slice(0, i).join('.');
    const sm = table.symbol(module, parts[i]);
    if (sm) return { move: sm, used: i - from + 1, module: sm.toModule, name: sm.toName };
    const mm = table.moduleMoveFor(module);
    if (mm && i > from) return { move: mm, used: i - from, module: MoveTable.mapModule(mm, module), name: null };
  }
  return null;
}

/** Plan the uses of one module binding; edits the uses, and says what becomes of the import item. */
export function planBinding(fs: FileState, b: ModuleBinding): BindingDecision {
  const item = b.st.names[b.j];
  const sites = fs.scopes.sites(b.local);
  if (fs.broken) return { action: 'keep' };
  const own = sites.find((s) => s.occurrence === 'store' && s.start >= item.itemStart && s.end <= item.itemEnd);
  if (!own) return { action: 'keep' };
  const prefix = b.module.split('.');
  const uses = classifyUses(fs, sites, own, prefix, b.local, b.st, () => false);
  const { moved, others, conflict } = uses;
  if (moved.length === 0) return { action: 'keep' };
  if (conflict !== null) {
    for (const m of moved) fs.occur(m.site.start, m.end, m.move, false, conflict);
    return { action: 'keep' };
  }
  const targets = [...new Set(moved.map((m) => m.module))];
  const cyclic = new Map<string, string[]>();
  for (const t of targets) {
    const c = fs.cycleFor(b.st, t);
    if (c) cyclic.set(t, c);
  }
  for (const m of moved) {
    const c = cyclic.get(m.module);
    if (c) fs.occur(m.site.start, m.end, m.move, false, `would create an import cycle: ${c.join(' -> ')}`);
  }

  // Rebind: every use is `m.X` with X moved out of m's own module, all to one module, and `m` is
  // not part of what the module exports (a package's `__init__`, or listed in `__all__`): other
  // files may import `m` from here and use names that did not move.
  const exported = own.scope === null && (fs.input.self?.isPackage === true || listedInAll(fs.text, b.local));
  if (!exported && others === 0 && targets.length === 1 && moved.every((m) => m.direct !== null && m.name !== null)) {
    if (cyclic.size > 0) return { action: 'keep' };
    for (const m of moved) {
      const d = m.direct!;
      if (m.name !== d.text) fs.edit(m.site.chunk.off(d.startIndex), m.site.chunk.off(d.endIndex), fs.enc(m.name!));
      fs.occur(m.site.start, m.end, m.move, true);
    }
    return { action: 'rebind', target: targets[0] };
  }

  // Otherwise: a binding per canonical module, and each use spelled through it.
  const bindingOf = new Map<string, string>();
  for (const t of targets) {
    if (cyclic.has(t)) continue;
    const existing = existingBinding(fs, b.st, t);
    const name = existing ?? freshName(fs, t);
    if (!existing) {
      const dot = t.lastIndexOf('.');
      if (b.st.kind === StmtKind.Import || dot < 0) {
        const text = name === t ? `import ${fs.enc(t)}` : `import ${fs.enc(t)} as ${fs.enc(name)}`;
        fs.edits.push(insertAfter(fs.text, b.st, text, fs.eol));
        fs.expected.push({ kind: 'import', module: t, name: null, local: name === t ? null : name });
      } else {
        addFromBinding(fs, b.st, t.slice(0, dot), t.slice(dot + 1), name);
      }
    }
    bindingOf.set(t, name);
  }
  for (const m of moved) {
    const base = bindingOf.get(m.module);
    if (base === undefined) continue;
    fs.edit(m.site.start, m.end, fs.enc(m.name === null ? base : `${base}.${m.name}`));
    fs.occur(m.site.start, m.end, m.move, true);
  }
  return others > 0 || cyclic.size > 0 || exported ? { action: 'keep' } : { action: 'drop' };
}

/** Does the file's `__all__` (roughly: any quoted `name` in a file mentioning `__all__`) list `name`? */
function listedInAll(text: string, name: string): boolean {
  if (!text.includes('__all__')) return false;
  return text.includes(`"${name}"`) || text.includes(`'${name}'`);
}

export interface Uses {
  moved: MovedUse[];
  /** Uses that still need the binding (not moved, or refused). */
  others: number;
  /** Why none of the uses may be rewritten, or null. */
  conflict: string | null;
}

/**
 * Sort the sites of a local name bound at `own`: uses of moved names (rewritable), other uses,
 * and uses in other scopes (shadowed: refused, so the scan's findings there get a reason).
 * `otherBindingOk` accepts a second binding of the name in the same scope (`import a.b` + `import a.c`).
 */
export function classifyUses(
  fs: FileState, sites: NameSite[], own: NameSite, prefix: string[], local: string, st: ImportStmt,
  otherBindingOk: (s: NameSite, imp: ImportStmt | null) => boolean,
  needsBinding: (attrs: string[]) => boolean = () => true,
): Uses {
  const sameScope = (s: NameSite): boolean => (s.scope === null ? own.scope === null : own.scope !== null && s.scope.id === own.scope.id);
  let conflict: string | null = null;
  const moved: MovedUse[] = [];
  let others = 0;
  for (const s of sites) {
    if (s === own) continue;
    const imp = inImport(fs, s.start);
    if (!sameScope(s)) {
      if (s.occurrence === 'load' && !imp) {
        const ch = chainOf(s.node);
        const mp = movedPart(fs.table, prefix, ch.attrs);
        if (mp) {
          const why = `\`${local}\` here is a local name of the enclosing function (a parameter or variable), not the module imported at line ${fs.lineOf(st.start)}`;
          fs.occur(s.start, s.chunk.off(ch.nodes[mp.used - 1].endIndex), mp.move, false, why);
        }
      }
      continue;
    }
    if (s.occurrence === 'uncertain') {
      conflict = `\`${local}\` appears in a match pattern (line ${fs.lineOf(s.start)}); canon does not model pattern captures`;
      continue;
    }
    if (s.occurrence === 'store' || s.occurrence === 'declare') {
      if (s.occurrence === 'store' && !otherBindingOk(s, imp)) conflict = `\`${local}\` is bound again at line ${fs.lineOf(s.start)}`;
      continue;
    }
    if (imp) continue;
    const ch = chainOf(s.node);
    const mp = movedPart(fs.table, prefix, ch.attrs);
    if (!mp) {
      if (needsBinding(ch.attrs)) others++;
      continue;
    }
    const node = ch.nodes[mp.used - 1];
    const end = s.chunk.off(node.endIndex);
    // A use left as it is (suppressed, or an assignment) still needs the old binding.
    if (fs.skipped(s.start, end)) {
      needsBinding(ch.attrs);
      others++;
      continue;
    }
    if (isTarget(node)) {
      fs.occur(s.start, end, mp.move, false, `assigns or deletes \`${fs.text.slice(s.start, end)}\`: doing that on the canonical module instead changes which module is patched`);
      needsBinding(ch.attrs);
      others++;
      continue;
    }
    moved.push({ site: s, end, move: mp.move, module: mp.module, name: mp.name, direct: mp.used === 1 ? ch.names[0] : null, attrs: ch.attrs });
  }
  return { moved, others, conflict };
}

/** A local name already bound to module `t` in the same block (and bound nowhere else), or null. */
function existingBinding(fs: FileState, st: ImportStmt, t: string): string | null {
  const key = fs.blockKey(st);
  if (key === null) return null;
  const dot = t.lastIndexOf('.');
  for (const o of fs.lex.imports) {
    if (o === st || o.start > st.start || fs.blockKey(o) !== key) continue;
    for (const n of o.names) {
      let local: string | null = null;
      if (o.kind === StmtKind.Import && n.name === t && n.asname !== null) local = n.asname;
      if (o.kind === StmtKind.From && dot > 0 && fs.absModule(o) === t.slice(0, dot) && n.name === t.slice(dot + 1)) local = n.asname ?? n.name;
      if (local === null) continue;
      const stores = fs.scopes.sites(local).filter((s) => s.occurrence === 'store' || s.occurrence === 'uncertain');
      if (stores.length === 1) return local;
    }
  }
  return null;
}
