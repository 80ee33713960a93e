// The cheap path to a file's import statements: `import` is a keyword, so outside strings and
// comments every `import` word belongs to an import statement. The byte search already has every
// `import` word and needle of the file (needleSearch.ts); the structural pass (wasm/needles.wat)
// says which of them lie in code, in a comment or in a string literal, and how deep in brackets;
// each statement's keyword is then found by reading back from its `import` word, and the lexer
// reads those statements alone (lexPython's `statements`). A needle inside a plain string literal
// gives that literal, for string references. Attribute uses are looked for only when analysis
// asks (`attrsOf`: its imports bind a name they could be reached through): the names' occurrences
// go through the structural pass too, and the lexer reads the `.attr` chains of those in code.
//
// Whatever this path cannot read the way the lexer would (brackets that do not balance, an
// `import` word inside brackets, a statement after `;` or `:` on a line it cannot vouch for (see
// inlineStatement), a shape read back that is not `import` or `from <module> import`, a problem
// reading a statement), it answers null and the caller lexes the whole file: so on every file the
// result is the lexer's (checked over the standard library and the benchmark trees:
// test/scan/structure.test.ts).

import { lexPython, type FullLexResult } from '../python/lexer.js';
import type { AttrRef, ImportStmt, StringRef } from '../python/records.js';
import { isIdent, isSpace } from './importSites.js';
import type { NeedleSearch } from './needleSearch.js';

const DOTTED = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+$/;

/** Class of a site, from the structural pass. */
const CODE = 0;
const IN_BRACKETS = 1;
export const COMMENT = 2;
export const STRING = 3;
const F_STRING = 4;

/**
 * For site `k` (after `search.structure`), in a string literal: the literal's content when it can
 * be a string reference (a plain literal, its whole content a dotted name of 3 to 200 characters,
 * as analysis takes one), else null. The latin1 text, like the lexer's.
 */
export function referenceAt(search: NeedleSearch, k: number): string | null {
  if (search.siteClass(k) !== STRING || search.siteSpan(k, 5) !== 1) return null;
  const cs = search.siteSpan(k, 2);
  const ce = search.siteSpan(k, 3);
  if (ce - cs < 3 || ce - cs > 200) return null;
  const value = search.latin1(cs, ce);
  return DOTTED.test(value) ? value : null;
}

/** Step back over spaces and `\`-newline continuations from `p`; the index of the char before them. */
function back(text: string, p: number): number {
  for (;;) {
    while (p >= 0 && isSpace(text.charCodeAt(p))) p--;
    const c = text.charCodeAt(p);
    if (c === 10 && text.charCodeAt(p - 1) === 92) p -= 2;
    else if (c === 10 && text.charCodeAt(p - 1) === 13 && text.charCodeAt(p - 2) === 92) p -= 3;
    else if (c === 13 && text.charCodeAt(p - 1) === 92) p -= 2;
    else return p;
  }
}

/**
 * The statement whose `import` word is at `at` (in code, outside brackets): pushes its keyword's
 * offset, its line's start, its indent and 0 (not inline) onto `out`; false when it is not the
 * plain shape this reads (the caller then lexes the whole file).
 */
function statementOf(text: string, at: number, base: number, out: number[]): boolean {
  let p = back(text, at - 1);
  let start = at;
  if (p >= base && !isBreak(text.charCodeAt(p)) && !isInlineMark(text.charCodeAt(p))) {
    // `from <dots and names, spaces between> import`: read back runs of names and dots to `from`.
    for (let runs = 0; ; runs++) {
      if (runs > 64 || p < base) return false;
      const e = p + 1;
      while (p >= base && (isIdent(text.charCodeAt(p)) || text.charCodeAt(p) === 46)) p--;
      const s = p + 1;
      if (s === e) return false;
      // Another statement's keyword: not the plain shape (invalid code may run two together).
      if (e - s === 6 && text.startsWith('import', s)) return false;
      if (text.startsWith('from', s) && (s + 4 === e || text.charCodeAt(s + 4) === 46)) {
        start = s;
        p = back(text, s - 1);
        break;
      }
      p = back(text, p);
    }
  }
  if (p >= base && !isBreak(text.charCodeAt(p))) return inlineStatement(text, p, start, base, out);
  // After a line break (or at the top): the statement opens a logical line; its indent is that
  // line's leading blanks.
  const lineStart = Math.max(text.lastIndexOf('\n', start - 1), text.lastIndexOf('\r', start - 1)) + 1;
  const first = p < base ? base : p + 1;
  let i = first;
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  out.push(start, lineStart, i - first, 0);
  return true;
}

/**
 * The statement at `start` after `mark`, a `;` or `:` with only blanks between them on one line.
 * The lexer reads such a statement as inline when the mark is in code outside brackets (a `:`
 * before a keyword is never the start of `:=`), with the indent of the logical line the mark is
 * on. Pushed as statementOf does when the line alone tells both; false (the caller lexes the
 * whole file) when it does not.
 *
 * The line, from its start to the mark, must hold no quote, `#` or `\` and its brackets must
 * balance, and the line break before it must not follow a `\`. Then the line starts in code
 * outside brackets: no string or comment can reach from an earlier line past the mark without a
 * quote on it, and since the statement's keyword is in code outside brackets, so is the mark
 * (only blanks between), so the line's start is at the same depth. That start opens the logical
 * line, whose indent is its leading blanks.
 */
function inlineStatement(text: string, mark: number, start: number, base: number, out: number[]): boolean {
  if (!isInlineMark(text.charCodeAt(mark))) return false;
  for (let i = mark + 1; i < start; i++) if (isBreak(text.charCodeAt(i))) return false;
  const lineStart = Math.max(text.lastIndexOf('\n', start - 1), text.lastIndexOf('\r', start - 1)) + 1;
  const first = Math.max(lineStart, base);
  let depth = 0;
  for (let i = first; i < mark; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 || c === 39 || c === 35 || c === 92) return false;
    if (c === 40 || c === 91 || c === 123) depth++;
    else if (c === 41 || c === 93 || c === 125) {
      if (--depth < 0) return false;
    }
  }
  if (depth !== 0) return false;
  if (lineStart > base) {
    // The break's own characters: `\n`, `\r` or `\r\n`.
    let b = lineStart - 1;
    if (text.charCodeAt(b) === 10 && text.charCodeAt(b - 1) === 13) b--;
    if (text.charCodeAt(b - 1) === 92) return false;
  }
  let i = first;
  while (i < mark && isSpace(text.charCodeAt(i))) i++;
  out.push(start, lineStart, i - first, 1);
  return true;
}

/** `;` or `:`: after one, the lexer may read a statement on the same line. */
function isInlineMark(c: number): boolean {
  return c === 59 || c === 58;
}

function isBreak(c: number): boolean {
  return c === 10 || c === 13;
}

/**
 * The import statements and (with `needles`) the needle-bearing dotted string literals of the
 * file in `search` (its current bytes, `text` the same as latin1), from the `n` sites its
 * `searchSites` found; null when the file must be lexed whole. With `needles` false (no needle in
 * the file) no attribute use could matter, and `attrs` is complete (empty).
 */
export function structuredLex(search: NeedleSearch, n: number, text: string, needles: boolean): FullLexResult | null {
  const base = text.charCodeAt(0) === 0xef && text.charCodeAt(1) === 0xbb && text.charCodeAt(2) === 0xbf ? 3 : 0;
  if (search.structure(n, base) !== 0) return null;
  const statements: number[] = [];
  const strings: StringRef[] = [];
  let lastLiteral = -1;
  for (let k = 0; k < n; k++) {
    const v = search.site(k);
    const at = v >>> 1;
    const cls = search.siteClass(k);
    if ((v & 1) === 1) {
      // A needle: only a plain literal's whole content can be a string reference.
      if (cls !== STRING) continue;
      const ls = search.siteSpan(k, 1);
      if (ls === lastLiteral) continue;
      lastLiteral = ls;
      const value = referenceAt(search, k);
      if (value !== null) strings.push({ start: ls, end: search.siteSpan(k, 4), value });
      continue;
    }
    if (cls !== CODE && cls !== IN_BRACKETS) continue;
    // `importlib`, `__import__`, `reimport`: not the keyword.
    if ((at > base && isIdent(text.charCodeAt(at - 1))) || isIdent(text.charCodeAt(at + 6))) continue;
    if (cls === IN_BRACKETS) return null;
    if (!statementOf(text, at, base, statements)) return null;
  }
  const lex = lexPython(text, { statements });
  if (lex.problems.length > 0) return null;
  const result: FullLexResult = { imports: lex.imports, strings, problems: [], attrs: [], attrsUnknown: needles };
  if (needles) {
    const generation = search.generation;
    result.attrsOf = (watch) => (search.generation === generation ? usesOf(search, text, base, lex.imports, watch) : null);
  }
  return result;
}

/**
 * The uses `name.attr...` of the `watch` names in the file `search` holds, as lexPython with
 * `watch` records them; null when one is where this does not follow the lexer (in an f-string,
 * or after a line inside brackets that may end in a comment).
 */
function usesOf(search: NeedleSearch, text: string, base: number, imports: readonly ImportStmt[], watch: ReadonlySet<string>): AttrRef[] | null {
  const at: number[] = [];
  for (const name of watch) {
    const bytes = Buffer.from(name, 'utf8').toString('latin1');
    for (let i = text.indexOf(bytes); i >= 0; i = text.indexOf(bytes, i + 1)) {
      if ((i > 0 && isIdent(text.charCodeAt(i - 1)) && i > base) || isIdent(text.charCodeAt(i + bytes.length))) continue;
      at.push(i);
    }
  }
  if (at.length === 0) return [];
  if (at.length > 16384) return null;
  at.sort((a, b) => a - b);
  search.useSites(at.map((p) => p * 2));
  if (search.structure(at.length, base) !== 0) return null;
  const uses: number[] = [];
  let i = 0;
  for (let k = 0; k < at.length; k++) {
    const cls = search.siteClass(k);
    if (cls === F_STRING) return null;
    if (cls !== CODE && cls !== IN_BRACKETS) continue;
    const s = at[k]!;
    // The names in import statements are the statements' (the lexer reads them there).
    while (i < imports.length && imports[i]!.end <= s) i++;
    if (i < imports.length && imports[i]!.start <= s) continue;
    // The lexer checks an identifier only when the previous significant token is not a `.`.
    const prev = previousSignificant(text, s, base, cls === IN_BRACKETS);
    if (prev === null) return null;
    if (prev >= 0 && text.charCodeAt(prev) === 46) {
      const number = startsNumber(text, prev);
      // `1.x`: one number token, no name in it; `1. x`: a number, then the name.
      if (!number || prev === s - 1) continue;
    }
    uses.push(s, cls === IN_BRACKETS ? 1 : 0);
  }
  return lexPython(text, { statements: [], uses, watch }).attrs;
}

/**
 * The offset of the last character before `s` that the lexer's `prevSig` would see (-1 for none:
 * the start of the file, or a line break outside brackets); null when a line inside brackets
 * holds a `#` (the line may end in a comment, which the lexer skips).
 */
function previousSignificant(text: string, s: number, base: number, inBrackets: boolean): number | null {
  let p = back(text, s - 1);
  for (;;) {
    if (p < base) return -1;
    if (!isBreak(text.charCodeAt(p))) return p;
    if (!inBrackets) return -1;
    // A line break in brackets: the previous line's last character, unless it holds a `#`.
    const nl = p;
    if (text.charCodeAt(p) === 10 && text.charCodeAt(p - 1) === 13) p--;
    const lineStart = Math.max(text.lastIndexOf('\n', p - 1), text.lastIndexOf('\r', p - 1)) + 1;
    const hash = text.indexOf('#', lineStart);
    if (hash >= 0 && hash < nl) return null;
    p = back(text, p - 1);
  }
}

/** True when the `.` at `p` is part of a number token (the run of names and dots it ends starts with a digit). */
function startsNumber(text: string, p: number): boolean {
  let i = p;
  while (i > 0 && (isIdent(text.charCodeAt(i - 1)) || text.charCodeAt(i - 1) === 46)) i--;
  const c = text.charCodeAt(i);
  return c >= 48 && c <= 57;
}
