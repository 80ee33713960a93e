// Where a moved name lands: merged into a from-import of its canonical module in the same block
// (when nothing between them mentions the name), else a new statement right after the one it left.
// The same binding is never added twice.

import { StmtKind, type ImportStmt } from '../python/records.js';
import type { FileState, MergeTarget } from './fileState.js';
import {
  appendItems,
  indentOf,
  insertAfter,
  itemIndentOf,
  itemText,
  moduleText,
  onePerLine,
  renderFrom,
} from './importText.js';

/** Where a target sits in the original text (a new statement: after its anchor). */
function positionOf(t: MergeTarget): number {
  return t.st ? t.st.end : t.anchor!.end;
}

/** Register a statement as a possible merge target, with the bindings it will hold. */
export function registerTarget(fs: FileState, st: ImportStmt, module: string, bindings: Map<string, string>, mergeable: boolean): MergeTarget {
  const t: MergeTarget = {
    module, st, anchor: null, moduleText: '', bindings, added: [], layout: null, mergeable,
    blockKey: st.inline ? null : lazyKey(st),
  };
  fs.merges.push(t);
  return t;
}

function lazyKey(st: ImportStmt): string | null {
  // Module level needs no parse; an indented block is asked for only when a merge considers it.
  return st.indent === 0 ? 'module' : `lazy:${st.start}`;
}

function keyOf(fs: FileState, t: MergeTarget): string | null {
  if (t.blockKey !== null && t.blockKey.startsWith('lazy:')) {
    const st = t.st ?? t.anchor!;
    t.blockKey = fs.blockKey(st);
  }
  return t.blockKey;
}

/** Where a binding is made: a statement this plan writes or keeps (a merge target), or a later statement as it is. */
export type BoundAt = { target: MergeTarget } | { stmt: ImportStmt };

/** The same binding (local -> module.name) already made in st's block, before st or after it with nothing between. */
export function boundBy(fs: FileState, st: ImportStmt, module: string, name: string, local: string): BoundAt | null {
  if (st.inline) return null;
  const key = () => fs.blockKey(st);
  for (const t of fs.merges) {
    if (t.module !== module || t.bindings.get(local) !== name) continue;
    const at = positionOf(t);
    if (at > st.start || fs.mentions(local, at, st.start)) continue;
    if (keyOf(fs, t) !== null && keyOf(fs, t) === key()) return { target: t };
  }
  for (const o of fs.lex.imports) {
    if (o.start <= st.start || o.kind !== StmtKind.From || o.inline || fs.removed.has(o.start)) continue;
    if (fs.absModule(o) !== module || fs.mentions(local, st.end, o.start)) continue;
    if (!o.names.some((n) => n.name === name && (n.asname ?? n.name) === local)) continue;
    if (o.indent === st.indent && fs.blockKey(o) === key()) return { stmt: o };
  }
  return null;
}

export function alreadyBound(fs: FileState, st: ImportStmt, module: string, name: string, local: string): boolean {
  return boundBy(fs, st, module, name, local) !== null;
}

/**
 * Spell the binding of `local` (to the same name) as `X as X`: a duplicate dropped in its favour
 * had that form, which type checkers read as an explicit re-export (PEP 484).
 */
export function makeExplicit(fs: FileState, at: BoundAt, local: string): void {
  const st = 'stmt' in at ? at.stmt : at.target.st;
  if ('target' in at) {
    const added = at.target.added.find((a) => a.local === local);
    if (added) {
      added.text = fs.enc(itemText(local, local));
      return;
    }
  }
  const n = st?.names.find((x) => (x.asname ?? x.name) === local);
  if (!st || !n) return;
  // Rewritten in place: the new spelling gets the alias.
  const whole = fs.edits.find((e) => e.start === n.start && e.end >= n.end && e.end <= n.itemEnd);
  if (whole) {
    if (!/\sas\s/.test(whole.text)) whole.text += ` as ${fs.enc(local)}`;
    return;
  }
  if (n.asname === null) fs.edits.push({ start: n.end, end: n.end, text: ` as ${fs.enc(local)}` });
}

/** The nearest earlier from-import of `module` in st's block that `locals` may merge into, or null. */
function mergeTarget(fs: FileState, st: ImportStmt, module: string, locals: string[]): MergeTarget | null {
  if (st.inline) return null;
  for (let i = fs.merges.length - 1; i >= 0; i--) {
    const t = fs.merges[i];
    if (t.module !== module || t.blockKey === null || !t.mergeable) continue;
    // A statement this one already adds (right after it) is the nearest of all.
    if (t.anchor === st) return t;
    const at = positionOf(t);
    if (at > st.start) continue;
    if (locals.some((l) => fs.mentions(l, at, st.start))) continue;
    if (keyOf(fs, t) === fs.blockKey(st)) return t;
  }
  return null;
}

export interface MovedItem {
  name: string;
  local: string;
  /** Rendered and encoded `name [as alias]`. */
  text: string;
  comment: string;
}

/** Add moved items (all for `module`) that leave `st`: merge, or a new statement after `st`. */
export function placeItems(fs: FileState, st: ImportStmt, module: string, items: MovedItem[]): void {
  const fresh = items.filter((it, i) => items.findIndex((o) => o.local === it.local && o.name === it.name) === i);
  let target = mergeTarget(fs, st, module, fresh.map((i) => i.local));
  if (!target) {
    const multi = onePerLine(fs.text, st) && !st.inline;
    target = {
      module, st: null, anchor: st, moduleText: moduleText(module, st.kind === StmtKind.From ? st : null, fs.style),
      bindings: new Map(), added: [], blockKey: st.inline ? null : lazyKey(st), mergeable: !st.inline,
      layout: {
        onePerLine: multi,
        parens: st.parenStart >= 0,
        indent: st.inline ? '' : indentOf(fs.text, st),
        itemIndent: multi ? itemIndentOf(fs.text, st.names[0]) : '',
      },
    };
    fs.merges.push(target);
  }
  for (const it of fresh) {
    if (target.bindings.get(it.local) === it.name) continue;
    target.bindings.set(it.local, it.name);
    target.added.push({ text: it.text, comment: it.comment, local: it.local });
  }
}

/** One `from parent import name [as local]` binding for a module (moduleUses). */
export function addFromBinding(fs: FileState, st: ImportStmt, parent: string, name: string, local: string): void {
  fs.expected.push({ kind: 'from', module: parent, name, local });
  if (alreadyBound(fs, st, parent, name, local)) return;
  const text = fs.enc(itemText(name, local === name ? null : local));
  placeItems(fs, st, parent, [{ name, local, text, comment: '' }]);
}

/** Turn the gathered merges and new statements into edits. */
export function finishMerges(fs: FileState): void {
  for (const t of fs.merges) {
    if (t.added.length === 0) continue;
    if (t.st) {
      // Names appended to a statement belong to it: they go before any new statement inserted
      // after it at the same offset (insertions at one offset apply in the order of fs.edits).
      for (const e of appendItems(fs.text, t.st, t.added, fs.eol)) {
        const at = e.start === e.end ? fs.edits.findIndex((o) => o.start === e.start && o.end === e.start) : -1;
        if (at < 0) fs.edits.push(e);
        else fs.edits.splice(at, 0, e);
      }
    } else {
      const anchor = t.anchor!;
      const layout = { ...t.layout!, eol: fs.eol };
      fs.edits.push(insertAfter(fs.text, anchor, renderFrom(fs.enc(t.moduleText), t.added, layout), fs.eol));
    }
  }
}
