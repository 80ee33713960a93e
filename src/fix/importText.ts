// Layout-preserving surgery on import statements, as edits against the original text: remove some
// names from a statement (keeping its parentheses, continuations and the comments of the names that
// stay), append names to one, insert a statement after one, remove one with its line, and spell a
// module path absolute or relative.

import type { ImportStyle } from './api.js';
import { packageOf } from '../python/modules.js';
import type { ImportAlias, ImportStmt } from '../python/records.js';
import type { Edit } from './edits.js';

const isHSpace = (c: number): boolean => c === 32 || c === 9 || c === 12;
const isEol = (c: number): boolean => c === 10 || c === 13;

/** Offset of the end of the physical line holding `p` (the position of its line break, or the text end). */
export function lineEnd(text: string, p: number): number {
  while (p < text.length && !isEol(text.charCodeAt(p))) p++;
  return p;
}

/** Offset after the line break at `p` (p must be a line end). */
export function afterEol(text: string, p: number): number {
  if (text.charCodeAt(p) === 13 && text.charCodeAt(p + 1) === 10) return p + 2;
  return p < text.length ? p + 1 : p;
}

export function lineStartOf(text: string, p: number): number {
  while (p > 0 && !isEol(text.charCodeAt(p - 1))) p--;
  return p;
}

/** Skip spaces, `\` continuations and (inside parentheses) line breaks and comments. */
function skipGap(text: string, p: number, inParens: boolean): number {
  for (;;) {
    const c = text.charCodeAt(p);
    if (isHSpace(c)) p++;
    else if (c === 92 && isEol(text.charCodeAt(p + 1))) p = afterEol(text, p + 1);
    else if (inParens && isEol(c)) p = afterEol(text, p);
    else if (inParens && c === 35) p = lineEnd(text, p);
    else return p;
  }
}

/** Offset of the comma after item `j`, or -1. */
function commaAfter(text: string, st: ImportStmt, j: number): number {
  const p = skipGap(text, st.names[j].itemEnd, st.parenStart >= 0);
  return text.charCodeAt(p) === 44 ? p : -1;
}

/** True when [a, b) holds a comment. */
function hasComment(text: string, a: number, b: number): boolean {
  return text.slice(a, b).includes('#');
}

/**
 * Edits removing the items `remove` (indices) from `st`; at least one item must stay. Inside
 * parentheses, a line left blank by the removal goes too, and a removed name takes the comment on
 * its line with it.
 */
export function removeItems(text: string, st: ImportStmt, remove: ReadonlySet<number>): Edit[] {
  const n = st.names.length;
  const inParens = st.parenStart >= 0;
  const spans: [number, number][] = [];
  let j = 0;
  while (j < n) {
    if (!remove.has(j)) {
      j++;
      continue;
    }
    let b = j;
    while (b + 1 < n && remove.has(b + 1)) b++;
    const a = j;
    const sa = st.names[a].itemStart;
    const whole = inParens ? wholeLines(text, st, a, b) : null;
    if (whole) {
      spans.push(whole);
    } else if (b + 1 < n) {
      // A kept item follows: remove the run, its comma and, on the same line, its comment.
      let q = commaAfter(text, st, b);
      q = q >= 0 ? q + 1 : st.names[b].itemEnd;
      while (isHSpace(text.charCodeAt(q))) q++;
      if (inParens && text.charCodeAt(q) === 35) q = lineEnd(text, q);
      let s = sa;
      if (isEol(text.charCodeAt(q)) || q >= text.length) {
        while (s > 0 && isHSpace(text.charCodeAt(s - 1))) s--;
      } else if (!inParens || text.slice(sa, q).indexOf('\n') < 0) {
        q = skipGap(text, q, false);
      }
      spans.push([s, q]);
    } else {
      // The run ends the list: remove from the previous kept item's end, unless that would take a
      // comment belonging to it.
      const p = a - 1;
      const ep = st.names[p].itemEnd;
      const trailing = commaAfter(text, st, b);
      if (inParens && hasComment(text, ep, sa)) {
        let s = sa;
        while (s > 0 && isHSpace(text.charCodeAt(s - 1))) s--;
        if (trailing >= 0) spans.push([s, trailing + 1]);
        else {
          const cp = commaAfter(text, st, p);
          if (cp >= 0) spans.push([cp, cp + 1]);
          spans.push([s, st.names[b].itemEnd]);
        }
      } else {
        spans.push([ep, st.names[b].itemEnd]);
      }
    }
    j = b + 1;
  }
  if (inParens) return spans.map(([s, e]) => widenBlankLine(text, st, s, e));
  return spans.map(([s, e]) => ({ start: s, end: e, text: '' }));
}

/** The lines of items a..b when they hold nothing else (but the items' comments); null otherwise. */
function wholeLines(text: string, st: ImportStmt, a: number, b: number): [number, number] | null {
  const sa = st.names[a].itemStart;
  const ls = lineStartOf(text, sa);
  if (ls <= st.parenStart || !/^[ \t\f]*$/.test(text.slice(ls, sa))) return null;
  const c = commaAfter(text, st, b);
  let q = c >= 0 ? c + 1 : st.names[b].itemEnd;
  while (isHSpace(text.charCodeAt(q))) q++;
  if (text.charCodeAt(q) === 35) q = lineEnd(text, q);
  if (!isEol(text.charCodeAt(q))) return null;
  return [ls, afterEol(text, q)];
}

/** Inside parentheses: when a removal leaves its line blank, remove the whole line. */
function widenBlankLine(text: string, st: ImportStmt, s: number, e: number): Edit {
  const ls = lineStartOf(text, s);
  const le = lineEnd(text, e);
  // Only lines strictly between the `(` line and the `)` line.
  if (ls <= st.parenStart || le >= st.parenEnd - 1) return { start: s, end: e, text: '' };
  const before = text.slice(ls, s);
  const after = text.slice(e, le);
  if (/^[ \t\f]*$/.test(before) && /^[ \t\f]*$/.test(after) && text.slice(s, e).indexOf('\n') < 0 && text.slice(s, e).indexOf('\r') < 0) {
    return { start: ls, end: afterEol(text, le), text: '' };
  }
  if (/^[ \t\f]*$/.test(before) && /^[ \t\f]*$/.test(after)) {
    // A multi-line removal whose first and last lines are otherwise blank.
    return { start: ls, end: afterEol(text, le), text: '' };
  }
  return { start: s, end: e, text: '' };
}

/** True when each item of a parenthesized statement starts its own line. */
export function onePerLine(text: string, st: ImportStmt): boolean {
  if (st.parenStart < 0) return false;
  for (const it of st.names) {
    const ls = lineStartOf(text, it.itemStart);
    if (ls <= st.parenStart || !/^[ \t\f]*$/.test(text.slice(ls, it.itemStart))) return false;
  }
  return true;
}

/** The comment (with the spaces before it) that ends the line of item `j`, after its comma; '' if none. */
export function itemComment(text: string, st: ImportStmt, j: number): string {
  const c = commaAfter(text, st, j);
  let p = c >= 0 ? c + 1 : st.names[j].itemEnd;
  const s = p;
  while (isHSpace(text.charCodeAt(p))) p++;
  if (text.charCodeAt(p) !== 35) return '';
  // Only a comment on the item's own line.
  if (text.slice(st.names[j].itemEnd, p).includes('\n')) return '';
  return text.slice(s, lineEnd(text, p));
}

/** Edits appending `items` (rendered `name [as alias]`, encoded, each with its comment) to the names of `st`. */
export function appendItems(text: string, st: ImportStmt, items: { text: string; comment: string }[], eol: string): Edit[] {
  const last = st.names[st.names.length - 1];
  if (onePerLine(text, st) && st.names.length > 0) {
    const indent = text.slice(lineStartOf(text, last.itemStart), last.itemStart);
    const comma = commaAfter(text, st, st.names.length - 1);
    const edits: Edit[] = [];
    if (comma < 0) edits.push({ start: last.itemEnd, end: last.itemEnd, text: ',' });
    const le = lineEnd(text, comma >= 0 ? comma : last.itemEnd);
    const tail = comma >= 0 ? ',' : '';
    edits.push({ start: le, end: le, text: items.map((i, k) => `${eol}${indent}${i.text}${k < items.length - 1 ? ',' : tail}${i.comment}`).join('') });
    return edits;
  }
  return [{ start: last.itemEnd, end: last.itemEnd, text: items.map((i) => `, ${i.text}`).join('') }];
}

/** How to place a statement after `st`: on its own line with the same indentation, or after `; `. */
export function insertAfter(text: string, st: ImportStmt, stmt: string, eol: string): Edit {
  let p = st.end;
  while (isHSpace(text.charCodeAt(p))) p++;
  const c = text.charCodeAt(p);
  if (st.inline || c === 59 /*;*/) return { start: st.end, end: st.end, text: `; ${stmt}` };
  const le = lineEnd(text, st.end);
  return { start: le, end: le, text: `${eol}${indentOf(text, st)}${stmt}` };
}

/** The indentation bytes of the line a (non-inline) statement starts. */
export function indentOf(text: string, st: ImportStmt): string {
  const ls = lineStartOf(text, st.start);
  const ind = text.slice(ls, st.start);
  return /^[ \t\f]*$/.test(ind) ? ind : ' '.repeat(st.indent);
}

/** What precedes an inline statement on its line: `;` or a block-opening `:`. */
export function inlineAfter(text: string, st: ImportStmt): ';' | ':' | null {
  let p = st.start;
  while (p > 0 && isHSpace(text.charCodeAt(p - 1))) p--;
  const c = text.charCodeAt(p - 1);
  return c === 59 ? ';' : c === 58 ? ':' : null;
}

/**
 * Edits removing a whole statement. `sole`: it is the only statement of its block, so it becomes
 * `pass` instead. A statement alone on its line(s) goes with the line and its trailing comment.
 */
export function removeStatement(text: string, st: ImportStmt, sole: boolean): Edit {
  const before = inlineAfter(text, st);
  if (sole || before === ':') return { start: st.start, end: st.end, text: 'pass' };
  let p = st.end;
  while (isHSpace(text.charCodeAt(p))) p++;
  if (text.charCodeAt(p) === 59) {
    // `S; rest`: drop `S; `.
    let q = p + 1;
    while (isHSpace(text.charCodeAt(q))) q++;
    return { start: st.start, end: q, text: '' };
  }
  if (before === ';') {
    let s = st.start;
    while (s > 0 && isHSpace(text.charCodeAt(s - 1))) s--;
    return { start: s - 1, end: st.end, text: '' };
  }
  const ls = lineStartOf(text, st.start);
  const le = lineEnd(text, st.end);
  return { start: ls, end: afterEol(text, le), text: '' };
}

/** `level` dots and the rest, naming `target` relative to the module `self`; null when it cannot. */
export function relativeSpec(target: string, self: { name: string; isPackage: boolean } | null): { level: number; rest: string } | null {
  if (!self) return null;
  const pkg = packageOf(self.name, self.isPackage);
  if (pkg === '') return null;
  const p = pkg.split('.');
  const t = target.split('.');
  let common = 0;
  while (common < p.length && common < t.length && p[common] === t[common]) common++;
  if (common === 0) return null;
  return { level: p.length - common + 1, rest: t.slice(common).join('.') };
}

export interface StyleContext {
  self: { name: string; isPackage: boolean } | null;
  style: ImportStyle | undefined;
  /** The file has a relative import other than `st`. */
  otherRelative: (st: ImportStmt) => boolean;
}

/** The module part of a `from ... import` naming `target`, for a statement replacing or split from `legacy`. */
export function moduleText(target: string, legacy: ImportStmt | null, ctx: StyleContext): string {
  const rel = relativeSpec(target, ctx.self);
  const wasRelative = legacy !== null && legacy.level > 0;
  let relative = false;
  switch (ctx.style) {
    case 'absolute':
      break;
    case 'relative':
      relative = rel !== null;
      break;
    case 'keep':
      relative = rel !== null && wasRelative;
      break;
    default:
      relative = rel !== null && wasRelative && legacy !== null && ctx.otherRelative(legacy);
  }
  return relative && rel ? '.'.repeat(rel.level) + rel.rest : target;
}

/** `name` or `name as alias`. */
export function itemText(name: string, alias: string | null): string {
  return alias === null ? name : `${name} as ${alias}`;
}

/**
 * A new `from <module> import ...` for moved items, in the layout of the statement they came from:
 * one name per line (with each name's comment) when it had that layout, else on one line.
 */
export function renderFrom(
  module: string,
  items: { text: string; comment: string }[],
  layout: { onePerLine: boolean; parens: boolean; indent: string; itemIndent: string; eol: string },
): string {
  if (layout.onePerLine) {
    const body = items.map((i) => `${layout.itemIndent}${i.text},${i.comment}${layout.eol}`).join('');
    return `from ${module} import (${layout.eol}${body}${layout.indent})`;
  }
  const list = items.map((i) => i.text).join(', ');
  return layout.parens ? `from ${module} import (${list})` : `from ${module} import ${list}`;
}

/** The indentation of the first item of a one-name-per-line statement. */
export function itemIndentOf(text: string, it: ImportAlias): string {
  return text.slice(lineStartOf(text, it.itemStart), it.itemStart);
}
