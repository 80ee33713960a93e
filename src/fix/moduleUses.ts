// Uses of a legacy module through a local name: `import old as m` / `from pkg import old` with
// `m.X` (`import a.b.c` with `a.b.c.X` is dotted.ts, on the helpers here). Every use the name's
// scope shows is the module's is rewritten through a binding of the canonical module (one the file
// has, or a new one beside the old); the old binding goes when nothing else uses it. The local name
// itself is never bound to another module.

import type { Move } from '../config/types.js';
import type { ChainOptions, MovedPart, MoveTable } from '../core/moveTable.js';
import type { SyntaxNode } from '../python/parser.js';
import { StmtKind, type ImportStmt } from '../python/records.js';
import type { FileState } from './fileState.js';
import { insertAfter } from './importText.js';
import { addFromBinding } from './merge.js';
import { runTimeOf } from './importOrder.js';
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
  /** How many of the chain's attributes the moved part takes (0: only the base name). */
  used: number;
  attrs: string[];
}

export function inImport(fs: FileState, at: number): ImportStmt | null {
  for (const st of fs.lex.imports) if (st.start <= at && at < st.end) return st;
  return null;
}

/**
 * A name for a new binding of `module`: its last segment unless the file already uses that word as
 * a name (a module path in an import statement does not count; with a star-import any mention does).
 */
export function freshName(fs: FileState, module: string): string {
  const last = module.slice(module.lastIndexOf('.') + 1);
  const star = fs.scopes.hasStarImport();
  for (let i = 0; ; i++) {
    const name = i === 0 ? last : i === 1 ? `${last}_mod` : `${last}_mod${i}`;
    const taken = fs.newNames.get(name);
    if (taken !== undefined && taken !== module) continue;
    if (!fs.mentions(name, 0, fs.text.length) || (!star && fs.scopes.sites(name).length === 0 && !fs.broken)) {
      fs.newNames.set(name, module);
      return name;
    }
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

/** The moved part of a use `base.attrs...` whose base is bound to `prefix` (MoveTable.movedPart). */
export function movedPart(table: MoveTable, prefix: string[], attrs: string[], opts: ChainOptions = {}): MovedPart | null {
  return table.movedPart(prefix, attrs, opts);
}

/** The node a moved part of a chain ends at (the base identifier itself when nothing of the chain is used). */
function movedNode(site: NameSite, ch: { nodes: SyntaxNode[] }, used: number): SyntaxNode {
  return used === 0 ? site.node : ch.nodes[used - 1];
}

/**
 * Plan the uses of one module binding; edits the uses, and says what becomes of the import item.
 * A symbol move never changes which module a name binds (`m` keeps meaning its module, for every
 * reader and for every use that did not move): each moved use is spelled through a binding of its
 * canonical module instead, one the block already has or a new name. The use stays an attribute
 * lookup at run time, as it was (so `mock.patch` on the canonical module still reaches it).
 */
export function planBinding(fs: FileState, b: ModuleBinding): BindingDecision {
  const item = b.st.names[b.j];
  const sites = fs.scopes.sites(b.local);
  if (fs.broken) return { action: 'keep' };
  const own = sites.find((s) => s.occurrence === 'store' && s.start >= item.itemStart && s.end <= item.itemEnd);
  if (!own) return { action: 'keep' };
  const prefix = b.module.split('.');
  const uses = classifyUses(fs, sites, own, prefix, b.local, b.st, () => false);
  const { moved, conflict } = uses;
  let others = uses.others;
  if (moved.length === 0) return { action: 'keep' };
  if (conflict !== null) {
    for (const m of moved) fs.occur(m.site.start, m.end, m.move, false, conflict);
    return { action: 'keep' };
  }

  // The import order: importing each canonical module beside the binding, and reading the name
  // from it where the use runs.
  const rewritten: MovedUse[] = [];
  for (const m of moved) {
    // A module reached through its package (`from P import sub`) must be the module itself.
    const why = fs.orderFor(b.st, m.module, m.name, runTimeOf(m.site.node)) ?? fs.shadowed(m.module);
    if (why) {
      fs.occur(m.site.start, m.end, m.move, false, why);
      others++;
    } else rewritten.push(m);
  }

  // A binding per canonical module, and each use spelled through it.
  const bindingOf = new Map<string, string>();
  for (const t of new Set(rewritten.map((m) => m.module))) {
    const existing = existingBinding(fs, b.st, b.j, t);
    const name = existing ?? freshName(fs, t);
    if (!existing) {
      const dot = t.lastIndexOf('.');
      if (dot < 0) {
        const text = name === t ? `import ${fs.enc(t)}` : `import ${fs.enc(t)} as ${fs.enc(name)}`;
        fs.edits.push(insertAfter(fs.text, b.st, text, fs.eol));
        fs.expected.push({ kind: 'import', module: t, name: null, local: name === t ? null : name });
      } else {
        addFromBinding(fs, b.st, t.slice(0, dot), t.slice(dot + 1), name);
      }
    }
    bindingOf.set(t, name);
  }
  for (const m of rewritten) {
    const base = bindingOf.get(m.module)!;
    fs.edit(m.site.start, m.end, fs.enc(m.name === null ? base : `${base}.${m.name}`));
    fs.occur(m.site.start, m.end, m.move, true);
  }
  // `m` is part of what the module exports (a package's `__init__`, or listed in `__all__`): other
  // files may import it from here and use names that did not move.
  const exported = own.scope === null && (fs.input.self?.isPackage === true || listedInAll(fs.text, b.local));
  // Another file reads the name from this module (`from here import m`, `here.m`, a star-import).
  const reader = own.scope === null ? fs.input.keep?.get(b.local) : undefined;
  if (others === 0 && !exported && reader !== undefined) {
    fs.notes.push({ start: b.st.start, message: `the import of \`${b.local}\` stays although no use here needs it: ${reader} reads \`${b.local}\` from ${fs.input.self?.name ?? 'this module'}` });
  }
  if (others > 0 || exported || reader !== undefined) return { action: 'keep' };
  fs.dropped.add(`${b.st.start}:${b.j}`);
  if (own.scope === null) fs.moduleDrops.add(b.local);
  return { action: 'drop' };
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
  needsBinding: (attrs: string[], at: number) => boolean = () => true,
  chain: ChainOptions = {},
): Uses {
  const sameScope = (s: NameSite): boolean => (s.scope === null ? own.scope === null : own.scope !== null && s.scope.id === own.scope.id);
  const opts: ChainOptions = { ...chain, isModule: chain.isModule ?? ((m, t) => fs.isModule(m) || fs.isModule(t)) };
  let conflict: string | null = null;
  const moved: MovedUse[] = [];
  let others = 0;
  for (const s of sites) {
    if (s === own) continue;
    const imp = inImport(fs, s.start);
    if (!sameScope(s)) {
      if (s.occurrence === 'load' && !imp) {
        const ch = chainOf(s.node);
        const mp = movedPart(fs.table, prefix, ch.attrs, opts);
        if (mp) {
          const why = `\`${local}\` here is a local name of the enclosing function (a parameter or variable), not the module imported at line ${fs.lineOf(st.start)}`;
          fs.occur(s.start, s.chunk.off(movedNode(s, ch, mp.used).endIndex), mp.move, false, why);
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
    const mp = movedPart(fs.table, prefix, ch.attrs, opts);
    if (!mp) {
      if (needsBinding(ch.attrs, s.start)) others++;
      continue;
    }
    const node = movedNode(s, ch, mp.used);
    const end = s.chunk.off(node.endIndex);
    // A use left as it is (suppressed, or an assignment) still needs the old binding.
    if (fs.skipped(s.start, end)) {
      needsBinding(ch.attrs, s.start);
      others++;
      continue;
    }
    // Assigning to the moved name, or to an attribute of a moved module, would patch the canonical module instead.
    const written = isTarget(node) ? node : mp.name === null && mp.used < ch.nodes.length && isTarget(ch.nodes[mp.used]) ? ch.nodes[mp.used] : null;
    if (written) {
      const text = fs.text.slice(s.start, s.chunk.off(written.endIndex));
      fs.occur(s.start, end, mp.move, false, `assigns or deletes \`${text}\`: doing that on the canonical module instead changes which module is patched`);
      needsBinding(ch.attrs, s.start);
      others++;
      continue;
    }
    moved.push({ site: s, end, move: mp.move, module: mp.module, name: mp.name, used: mp.used, attrs: ch.attrs });
  }
  return { moved, others, conflict };
}

/** A local name already bound to module `t` in the same block, at or before `st` (and bound nowhere else), or null. */
function existingBinding(fs: FileState, st: ImportStmt, j: number, t: string): string | null {
  const key = fs.blockKey(st);
  if (key === null) return null;
  const dot = t.lastIndexOf('.');
  for (const o of fs.lex.imports) {
    if (o.start > st.start || fs.blockKey(o) !== key) continue;
    for (const [k, n] of o.names.entries()) {
      // The item being replaced binds the legacy module; its neighbours may bind the canonical one.
      // An item an earlier rewrite drops binds nothing once the plan is applied.
      if ((o === st && k === j) || fs.dropped.has(`${o.start}:${k}`) || fs.removed.has(o.start)) continue;
      let local: string | null = null;
      // `import t as x`, or `import t` for a top-level t (a dotted `import a.b` binds `a`, not a.b).
      if (o.kind === StmtKind.Import && n.name === t && (n.asname !== null || dot < 0)) local = n.asname ?? t;
      if (o.kind === StmtKind.From && dot > 0 && fs.absModule(o) === t.slice(0, dot) && n.name === t.slice(dot + 1)) local = n.asname ?? n.name;
      if (local === null) continue;
      const stores = fs.scopes.sites(local).filter((s) => s.occurrence === 'store' || s.occurrence === 'uncertain');
      if (stores.length === 1) return local;
    }
  }
  return null;
}
