// The cheap path to a file's import statements: `import` is a keyword, so outside strings and
// comments every `import` word belongs to an import statement. The byte search already has every
// `import` word and needle of the file (needleSearch.ts); the structural pass (wasm/needles.wat)
// says which of them lie in code, in a comment or in a string literal, and how deep in brackets;
// each statement's keyword is then found by reading back from its `import` word, and the lexer
// reads those statements alone (lexPython's `statements`). A needle inside a plain string literal
// gives that literal, for string references. Attribute uses are not looked for: the result says
// so (`attrsUnknown`), and analysis lexes the file for them only when its imports bind a name
// they could be reached through.
//
// Whatever this path cannot read the way the lexer would (brackets that do not balance, an
// `import` word inside brackets, a statement after `;` or `:` on its line, a shape read back that
// is not `import` or `from <module> import`, a problem reading a statement), it answers null and
// the caller lexes the whole file: so on every file the result is the lexer's (checked over the
// standard library and the benchmark trees: test/scan/structure.test.ts).

import { lexPython, type FullLexResult } from '../python/lexer.js';
import type { StringRef } from '../python/records.js';
import type { NeedleSearch } from './needleSearch.js';

const DOTTED = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+$/;

/** Class of a site, from the structural pass. */
const CODE = 0;
const IN_BRACKETS = 1;
const STRING = 3;

function isIdent(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c >= 128;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 12;
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
  if (p >= base && !isBreak(text.charCodeAt(p))) {
    // `from <dots and names, spaces between> import`: read back runs of names and dots to `from`.
    for (let runs = 0; ; runs++) {
      if (runs > 64 || p < base) return false;
      const e = p + 1;
      while (p >= base && (isIdent(text.charCodeAt(p)) || text.charCodeAt(p) === 46)) p--;
      const s = p + 1;
      if (s === e) return false;
      if (text.startsWith('from', s) && (s + 4 === e || text.charCodeAt(s + 4) === 46)) {
        start = s;
        p = back(text, s - 1);
        break;
      }
      p = back(text, p);
    }
    if (p >= base && !isBreak(text.charCodeAt(p))) return false;
  }
  // After a line break (or at the top): the statement opens a logical line; its indent is that
  // line's leading blanks. (A statement after `;` or `:` returned false above.)
  const lineStart = Math.max(text.lastIndexOf('\n', start - 1), text.lastIndexOf('\r', start - 1)) + 1;
  const first = p < base ? base : p + 1;
  let i = first;
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  out.push(start, lineStart, i - first, 0);
  return true;
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
      if (search.siteSpan(k, 5) !== 1) continue;
      const cs = search.siteSpan(k, 2);
      const ce = search.siteSpan(k, 3);
      if (ce - cs < 3 || ce - cs > 200) continue;
      const value = text.slice(cs, ce);
      if (DOTTED.test(value)) strings.push({ start: ls, end: search.siteSpan(k, 4), value });
      continue;
    }
    if (cls !== CODE && cls !== IN_BRACKETS) continue;
    // `importlib`, `__import__`, `reimport`: not the keyword.
    if ((at > 0 && isIdent(text.charCodeAt(at - 1))) || isIdent(text.charCodeAt(at + 6))) continue;
    if (cls === IN_BRACKETS) return null;
    if (!statementOf(text, at, base, statements)) return null;
  }
  const lex = lexPython(text, { statements });
  if (lex.problems.length > 0) return null;
  return { imports: lex.imports, strings, problems: [], attrs: [], attrsUnknown: needles };
}
