// canon's Python import lexer: one pass over character codes that finds every import statement
// (and, on request, dotted-path string literals and `name.attr` uses of watched names) without
// building a token list or a syntax tree. Offsets are byte offsets: see records.ts.
//
// Checked against CPython: test/python/differential.test.ts compares every import statement it
// finds with what `ast.parse` finds, over the whole Python standard library and site-packages
// (module, level, names, aliases, line and column, and no extra statements).
//
// Limits, stated plainly:
// - It understands exactly as much Python as it needs to know where statements start: brackets,
//   strings of every prefix (including nested f-string replacement fields, with Python 3.12's
//   reused quotes and comments, and 3.14's t-strings), comments, `\` continuations, `;` and
//   block-opening `:`. It does not check that the rest of the file is valid.
// - A bracket left open hides every statement after it (Python rejects such a file too); the
//   opening bracket is reported as a problem.
// - Non-ASCII identifier bytes are decoded as UTF-8 when names are extracted. CPython also
//   NFKC-normalizes identifiers (`ﬁle` is `file`); canon keeps names as written.
// - Files in another encoding than UTF-8 (a `# coding: latin-1` line) are lexed as bytes: import
//   statements are found and spelled correctly whenever their names are ASCII.
//
// Speed (bench/lexer.mjs: ~300 MB/s on one core, warm): after the first token of a logical line
// nothing can start a statement until a line break, `;` or `:`, so the main loop skips through a
// byte table (PLAIN) to the next character that matters instead of tokenizing; a string's prefix
// is found by looking back from its quote; comments and docstrings end at indexOf hits.

import {
  StmtKind,
  type AttrRef,
  type ImportAlias,
  type ImportStmt,
  type LexProblem,
  type LexResult,
  type StringRef,
} from './records.js';

export interface LexOptions {
  /** Collect string literals that look like dotted paths (`"a.b.C"`). */
  strings?: boolean;
  /** Collect `name.attr...` uses of these local names (outside strings and comments). */
  watch?: ReadonlySet<string>;
  /**
   * Read only these import statements, and nothing else of the file: four numbers each, the
   * offset of its `import` or `from` keyword, the start of that keyword's physical line, the
   * statement's indent and 1 when it follows `;` or `:` on its line (else 0). The caller vouches
   * that each keyword starts a statement (src/scan/structure.ts finds them).
   */
  statements?: readonly number[];
  /**
   * With `statements`: also read these uses, two numbers each: the offset of a name that starts
   * an identifier token the lexer would check against `watch` (src/scan/structure.ts vouches for
   * it), and 1 when it is inside brackets (its `.attr` chain may then span lines).
   */
  uses?: readonly number[];
}

export interface FullLexResult extends LexResult {
  attrs: AttrRef[];
  /**
   * Set when `attrs` was not looked for (src/scan/structure.ts read the import statements and
   * strings only): a caller that needs the uses of names asks `attrsOf`, or lexes the file.
   */
  attrsUnknown?: boolean;
  /** With `attrsUnknown`: the uses of these names, as the lexer would record them; null when the file must be lexed for them. */
  attrsOf?: (watch: ReadonlySet<string>) => AttrRef[] | null;
}

const DOTTED = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+$/;
const HIGH = /[\x80-\uffff]/;

/**
 * Characters the main loop may skip without looking when no statement can start at them: `PLAIN`
 * when only imports and strings are wanted (everything but line breaks, `#`, `\\`, quotes,
 * brackets, `;` and `:`), `PLAIN_WATCH` when watched names are looked for too (only blanks are
 * skipped then: every token updates `prevSig`). A string's prefix is found by looking back from
 * its quote.
 */
const PLAIN = new Uint8Array(256);
const PLAIN_WATCH = new Uint8Array(256);
{
  const special = '\n\r#\\"\'()[]{};:';
  for (let c = 0; c < 256; c++) {
    const s = special.indexOf(String.fromCharCode(c)) >= 0;
    PLAIN[c] = s ? 0 : 1;
    PLAIN_WATCH[c] = c === 32 || c === 9 || c === 12 ? 1 : 0;
  }
}

/** f-string replacement fields nested deeper than this are skipped as plain text (CPython stops at ~150). */
const MAX_FIELD_DEPTH = 200;

/** Byte classes: 1 = can start an identifier (letters, `_`, any byte >= 0x80: UTF-8), 2 = digit. */
const IDENT = new Uint8Array(256);
for (let c = 0; c < 256; c++) {
  IDENT[c] = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c >= 128 ? 1 : c >= 48 && c <= 57 ? 2 : 0;
}

/** True for bytes that can appear in an identifier (any byte >= 0x80 counts: UTF-8 letters). */
function isIdentChar(c: number): boolean {
  return c > 255 || IDENT[c]! > 0;
}

function isIdentStart(c: number): boolean {
  return c > 255 || IDENT[c] === 1;
}

/**
 * Which identifiers are string prefixes: 0 = none, 1 = plain, 2 = f-string (or a 3.14 t-string:
 * the same syntax), 3 = bytes. One of `r u f t b`, or `r` with one of `f t b` in either order, any
 * case; also Python 2's `ur` (an error in Python 3, harmless to accept).
 */
function stringPrefixKind(text: string, s: number, e: number): number {
  const n = e - s;
  if (n === 1) {
    const c = text.charCodeAt(s) | 32; // lower-case
    if (c === 114 /*r*/ || c === 117 /*u*/) return 1;
    if (c === 102 /*f*/ || c === 116 /*t*/) return 2;
    if (c === 98 /*b*/) return 3;
    return 0;
  }
  if (n !== 2) return 0;
  const a = text.charCodeAt(s) | 32;
  const z = text.charCodeAt(s + 1) | 32;
  let other: number;
  if (z === 114) other = a;
  else if (a === 114) other = z;
  else return 0;
  if (other === 102 || other === 116) return 2;
  if (other === 98) return 3;
  if (other === 117 && a === 117) return 1; // `ur`, not `ru`
  return 0;
}

/** Decode an extracted name: bytes >= 0x80 are UTF-8. */
function decodeName(raw: string): string {
  return HIGH.test(raw) ? Buffer.from(raw, 'latin1').toString('utf8') : raw;
}

export function lexImports(text: string): LexResult {
  return lexPython(text, {});
}

export function lexPython(text: string, opts: LexOptions): FullLexResult {
  const len = text.length;
  const imports: ImportStmt[] = [];
  const strings: StringRef[] = [];
  const attrs: AttrRef[] = [];
  const problems: LexProblem[] = [];
  const wantStrings = opts.strings === true;
  const watch = opts.watch && opts.watch.size > 0 ? opts.watch : null;
  // A cheap filter before slicing an identifier to look it up: its first byte and byte length.
  const watchFirst = new Uint8Array(watch === null ? 0 : 256);
  let watchLens = new Uint8Array(0);
  if (watch !== null) {
    let max = 0;
    for (const w of watch) max = Math.max(max, Buffer.byteLength(w, 'utf8'));
    watchLens = new Uint8Array(max + 1);
    for (const w of watch) {
      const b = Buffer.from(w, 'utf8');
      if (b.length === 0) continue;
      watchFirst[b[0]!] = 1;
      watchLens[b.length] = 1;
    }
  }

  let pos = 0;
  // A UTF-8 byte-order mark is not an identifier.
  if (len >= 3 && text.charCodeAt(0) === 0xef && text.charCodeAt(1) === 0xbb && text.charCodeAt(2) === 0xbf) pos = 3;
  const base = pos;
  const plain = watch === null ? PLAIN : PLAIN_WATCH;

  let depth = 0;
  /** Offset of the outermost bracket still open. */
  let openAt = -1;
  let atStmt = true;
  let inline = false;
  let physLine = 0;
  let stmtLine = 0;
  let indent = measureIndent(pos);
  // The code of the previous significant character, to tell `x.m` (attribute) from `m` (a name).
  let prevSig = 0;
  /** Where the literal whose kind literalKind() returned starts (its prefix included). */
  let litStart = 0;
  /** How many f-string replacement fields are being skipped (0 in plain code). */
  let fieldDepth = 0;
  // The next `\r` / `\\` at or after `crFrom` / `bsFrom` (len when none): indexOf once per hit
  // instead of once per comment or docstring. Valid for positions in [from, at].
  let crFrom = 1;
  let crAt = 0;
  let bsFrom = 1;
  let bsAt = 0;

  function measureIndent(p: number): number {
    let i = p;
    while (i < len) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 9 || c === 12) i++;
      else break;
    }
    return i - p;
  }

  /**
   * The kind of the string literal whose quote is at `q` (see stringPrefixKind), with its prefix:
   * the identifier characters right before the quote. Returns the kind; sets `litStart`.
   */
  function literalKind(q: number): number {
    litStart = q;
    if (q <= base || !isIdentChar(text.charCodeAt(q - 1))) return 1;
    let s = q - 1;
    if (s > base && isIdentChar(text.charCodeAt(s - 1))) {
      s--;
      if (s > base && isIdentChar(text.charCodeAt(s - 1))) return 1; // `print"x"` (Python 2)
    }
    const k = stringPrefixKind(text, s, q);
    if (k === 0) return 1;
    litStart = s;
    return k;
  }

  function problem(at: number, message: string): void {
    if (problems.length < 100) problems.push({ start: at, message });
  }

  function nextCR(p: number): number {
    if (p < crFrom || p > crAt) {
      crFrom = p;
      const i = text.indexOf('\r', p);
      crAt = i < 0 ? len : i;
    }
    return crAt;
  }

  function nextBackslash(p: number): number {
    if (p < bsFrom || p > bsAt) {
      bsFrom = p;
      const i = text.indexOf('\\', p);
      bsAt = i < 0 ? len : i;
    }
    return bsAt;
  }

  /** Skip a comment starting at `#`; stops at the line break. */
  function skipComment(p: number): number {
    let nl = text.indexOf('\n', p);
    if (nl < 0) nl = len;
    const cr = nextCR(p);
    return cr < nl ? cr : nl;
  }

  /**
   * Skip a string literal whose opening quote is at `q` (prefix already consumed).
   * `kind`: 1 plain, 2 f-string, 3 bytes. Returns the offset after the closing quote.
   */
  function skipString(q: number, kind: number, literalStart: number): number {
    const quote = text.charCodeAt(q);
    const triple = text.charCodeAt(q + 1) === quote && text.charCodeAt(q + 2) === quote;
    if (kind === 2 && fieldDepth >= MAX_FIELD_DEPTH) {
      if (fieldDepth === MAX_FIELD_DEPTH) problem(literalStart, 'f-strings nested too deeply');
      kind = 1;
    }
    if (triple && kind !== 2) return skipLongString(q, kind, literalStart);
    let p = triple ? q + 3 : q + 1;
    const contentStart = p;
    let sawBackslash = false;
    while (p < len) {
      const c = text.charCodeAt(p);
      if (c === quote) {
        if (!triple) {
          if (wantStrings && kind === 1 && !sawBackslash && fieldDepth === 0) recordString(literalStart, contentStart, p, p + 1);
          return p + 1;
        }
        if (text.charCodeAt(p + 1) === quote && text.charCodeAt(p + 2) === quote) return p + 3;
        p++;
      } else if (c === 92 /*\\*/) {
        sawBackslash = true;
        const n = text.charCodeAt(p + 1);
        if (kind === 2 && n === 123 /*{*/) {
          // `\{` in an f-string: the backslash is literal, the brace still opens a field.
          p++;
        } else if (kind === 2 && n === 78 /*N*/ && text.charCodeAt(p + 2) === 123 && !isRaw(literalStart, q)) {
          // `\N{EM DASH}`: a named character, not a replacement field.
          p += 3;
          while (p < len) {
            const e = text.charCodeAt(p);
            if (e === 125 || e === quote || e === 10 || e === 13) break;
            p++;
          }
          if (text.charCodeAt(p) === 125) p++;
        } else {
          // `\r\n` after a backslash is one line break.
          p += n === 13 && text.charCodeAt(p + 2) === 10 ? 3 : 2;
        }
      } else if ((c === 10 || c === 13) && !triple) {
        problem(literalStart, 'unterminated string literal');
        return p;
      } else if (c === 123 /*{*/ && kind === 2) {
        if (text.charCodeAt(p + 1) === 123) p += 2;
        else p = skipReplacementField(p + 1, quote, triple);
      } else {
        p++;
      }
    }
    problem(literalStart, 'unterminated string literal');
    return len;
  }

  /** True when the identifier at [s, e) may be a watched name (a quick filter, no false negatives). */
  function maybeWatched(s: number, e: number): boolean {
    return watchFirst[text.charCodeAt(s)] === 1 && watchLens[e - s] === 1;
  }

  /** True when the string prefix in [s, q) has an `r`. */
  function isRaw(s: number, q: number): boolean {
    for (let i = s; i < q; i++) if ((text.charCodeAt(i) | 32) === 114) return true;
    return false;
  }

  /** A triple-quoted string without replacement fields (docstrings): jump from quote to quote. */
  function skipLongString(q: number, kind: number, literalStart: number): number {
    const quote = text.charCodeAt(q);
    const qs = quote === 34 ? '"' : "'";
    const contentStart = q + 3;
    let p = contentStart;
    let sawBackslash = false;
    let qi = text.indexOf(qs, p);
    while (qi >= 0) {
      const bi = nextBackslash(p);
      if (bi < qi) {
        // An escape before the next quote: skip it (the quote may be the escaped character).
        sawBackslash = true;
        p = bi + 2;
        if (p > qi) qi = text.indexOf(qs, p);
        continue;
      }
      if (text.charCodeAt(qi + 1) === quote && text.charCodeAt(qi + 2) === quote) {
        if (wantStrings && kind === 1 && !sawBackslash && fieldDepth === 0) recordString(literalStart, contentStart, qi, qi + 3);
        return qi + 3;
      }
      p = qi + 1;
      qi = text.indexOf(qs, p);
    }
    problem(literalStart, 'unterminated string literal');
    return len;
  }

  function recordString(s: number, cs: number, ce: number, e: number): void {
    const n = ce - cs;
    if (n < 3 || n > 200) return;
    const value = text.slice(cs, ce);
    if (value.indexOf('.') < 0 || !DOTTED.test(value)) return;
    strings.push({ start: s, end: e, value });
  }

  /**
   * Skip an f-string replacement field; `p` is just after `{`. Returns the offset after its `}`
   * (or where the enclosing string's line or quote ends it, in broken code).
   */
  function skipReplacementField(p: number, quote: number, triple: boolean): number {
    fieldDepth++;
    let d = 0;
    let prevDot = false;
    let end = len;
    while (p < len) {
      const c = text.charCodeAt(p);
      if (c === 39 || c === 34) {
        // A nested string (in Python 3.12+ it may reuse the enclosing quote).
        p = skipString(p, 1, p);
        prevDot = false;
      } else if (isIdentStart(c)) {
        const s = p;
        p++;
        while (p < len && isIdentChar(text.charCodeAt(p))) p++;
        const nc = text.charCodeAt(p);
        if (nc === 39 || nc === 34) {
          const k = stringPrefixKind(text, s, p);
          if (k) {
            p = skipString(p, k, s);
            prevDot = false;
            continue;
          }
        }
        if (watch !== null && !prevDot && maybeWatched(s, p)) {
          const word = decodeName(text.slice(s, p));
          if (watch.has(word)) p = attrChain(s, p, word, triple || d > 0);
        }
        prevDot = false;
      } else if (c === 46 /*.*/) {
        prevDot = true;
        p++;
      } else if (c === 32 || c === 9) {
        p++;
      } else if (c === 40 || c === 91 || c === 123) {
        d++;
        p++;
        prevDot = false;
      } else if (c === 41 || c === 93) {
        if (d > 0) d--;
        p++;
        prevDot = false;
      } else if (c === 125 /*}*/) {
        if (d === 0) {
          end = p + 1;
          break;
        }
        d--;
        p++;
        prevDot = false;
      } else if (c === 58 /*:*/ && d === 0) {
        end = skipFormatSpec(p + 1, quote, triple);
        break;
      } else if (c === 35 /*#*/) {
        // A comment (Python 3.12+, in a field spanning lines).
        p = skipComment(p);
      } else if ((c === 10 || c === 13) && !triple && d === 0) {
        // A line break ends a single-quoted f-string (outside brackets).
        end = p;
        break;
      } else {
        p++;
        prevDot = false;
      }
    }
    fieldDepth--;
    return end;
  }

  /** Skip the format spec after `:` in a replacement field, up to and including its `}`. */
  function skipFormatSpec(p: number, quote: number, triple: boolean): number {
    while (p < len) {
      const c = text.charCodeAt(p);
      if (c === 125) return p + 1;
      if (c === 123 && fieldDepth < MAX_FIELD_DEPTH) p = skipReplacementField(p + 1, quote, triple);
      else if (c === quote) {
        // The enclosing string's closing quote ends the spec too (broken code): let it close.
        if (!triple || (text.charCodeAt(p + 1) === quote && text.charCodeAt(p + 2) === quote)) return p;
        p++;
      } else if ((c === 10 || c === 13) && !triple) return p;
      else p++;
    }
    return len;
  }

  // ---- Import statements -------------------------------------------------------------------

  /** Skip spaces, tabs, form feeds and `\` line continuations; inside brackets also newlines and comments. */
  function ws(p: number, inParens: boolean): number {
    while (p < len) {
      const c = text.charCodeAt(p);
      if (c === 32 || c === 9 || c === 12) p++;
      else if (c === 92 /*\\*/) {
        const n = text.charCodeAt(p + 1);
        if (n === 10) p += 2;
        else if (n === 13) p += text.charCodeAt(p + 2) === 10 ? 3 : 2;
        else return p;
        physLine = p;
      } else if (inParens && (c === 10 || c === 13)) {
        p++;
        physLine = p;
      } else if (inParens && c === 35 /*#*/) p = skipComment(p);
      else return p;
    }
    return p;
  }

  function identEnd(p: number): number {
    if (p >= len || !isIdentStart(text.charCodeAt(p))) return p;
    p++;
    while (p < len && isIdentChar(text.charCodeAt(p))) p++;
    return p;
  }

  /** True when text[p..] is the keyword `word` followed by a non-identifier character. */
  function keywordAt(p: number, word: string): boolean {
    return text.startsWith(word, p) && !isIdentChar(text.charCodeAt(p + word.length));
  }

  interface Dotted {
    name: string;
    start: number;
    end: number;
  }

  /** Read `a.b.c` (spaces allowed around dots); null when no identifier is at `p`. */
  function dotted(p: number, inParens: boolean): Dotted | null {
    const s = p;
    let e = identEnd(p);
    if (e === p) return null;
    let name = text.slice(p, e);
    for (;;) {
      const q = ws(e, inParens);
      if (text.charCodeAt(q) !== 46 /*.*/) break;
      const r = ws(q + 1, inParens);
      const re = identEnd(r);
      if (re === r) break;
      name += '.' + text.slice(r, re);
      e = re;
    }
    return { name: decodeName(name), start: s, end: e };
  }

  /** Read one `name [as alias]` item. */
  function aliasItem(p: number, inParens: boolean, allowDots: boolean): ImportAlias | null {
    let d: Dotted | null;
    if (allowDots) d = dotted(p, inParens);
    else {
      const e = identEnd(p);
      d = e === p ? null : { name: decodeName(text.slice(p, e)), start: p, end: e };
    }
    if (!d) return null;
    let asname: string | null = null;
    let asStart = -1;
    let asEnd = -1;
    let itemEnd = d.end;
    const q = ws(d.end, inParens);
    if (keywordAt(q, 'as')) {
      const r = ws(q + 2, inParens);
      const re = identEnd(r);
      if (re === r) return null;
      asname = decodeName(text.slice(r, re));
      asStart = r;
      asEnd = re;
      itemEnd = re;
    }
    return { name: d.name, start: d.start, end: d.end, asname, asStart, asEnd, itemStart: d.start, itemEnd };
  }

  /** `import a.b as c, d` with `import` at `s`. Returns the offset where lexing resumes. */
  function importStmt(s: number): number {
    const names: ImportAlias[] = [];
    let p = ws(s + 6, false);
    let end = s + 6;
    for (;;) {
      const item = aliasItem(p, false, true);
      if (!item) {
        problem(p, 'expected a module name after `import`');
        return p;
      }
      names.push(item);
      end = item.itemEnd;
      p = ws(end, false);
      if (text.charCodeAt(p) !== 44 /*,*/) break;
      p = ws(p + 1, false);
    }
    imports.push({
      kind: StmtKind.Import, start: s, end, module: '', moduleStart: -1, moduleEnd: -1, level: 0,
      names, parenStart: -1, parenEnd: -1, lineStart: stmtLine, indent, inline,
    });
    return end;
  }

  /** `from ..a.b import (X as Y, Z)` with `from` at `s`. */
  function fromStmt(s: number): number {
    let p = ws(s + 4, false);
    const moduleStart = p;
    let level = 0;
    for (;;) {
      const c = text.charCodeAt(p);
      if (c === 46 /*.*/) {
        level++;
        p = ws(p + 1, false);
      } else break;
    }
    let module = '';
    let moduleEnd = p;
    if (!keywordAt(p, 'import')) {
      const d = dotted(p, false);
      if (d) {
        module = d.name;
        moduleEnd = d.end;
        p = ws(d.end, false);
      }
    } else {
      // Only dots: the span ends after the last dot.
      moduleEnd = lastNonSpace(moduleStart, p);
    }
    if ((level === 0 && module === '') || !keywordAt(p, 'import')) {
      problem(p, 'expected `import` in a from-import');
      return p;
    }
    p = ws(p + 6, false);
    const names: ImportAlias[] = [];
    let parenStart = -1;
    let parenEnd = -1;
    let end: number;
    if (text.charCodeAt(p) === 42 /***/) {
      names.push({ name: '*', start: p, end: p + 1, asname: null, asStart: -1, asEnd: -1, itemStart: p, itemEnd: p + 1 });
      end = p + 1;
    } else {
      const inParens = text.charCodeAt(p) === 40; /*(*/
      if (inParens) {
        parenStart = p;
        p = ws(p + 1, true);
      }
      end = p;
      for (;;) {
        if (inParens && text.charCodeAt(p) === 41 /*)*/) break;
        const item = aliasItem(p, inParens, false);
        if (!item) {
          problem(p, 'expected a name in a from-import');
          return p;
        }
        names.push(item);
        end = item.itemEnd;
        p = ws(end, inParens);
        if (text.charCodeAt(p) !== 44 /*,*/) break;
        p = ws(p + 1, inParens);
      }
      if (inParens) {
        if (text.charCodeAt(p) !== 41) {
          problem(p, 'expected `)` to close a from-import');
          // The rest of the file is probably not Python we can follow; resume after the names.
          return end;
        }
        parenEnd = p + 1;
        end = p + 1;
      }
      if (names.length === 0) {
        problem(p, 'empty from-import');
        return end;
      }
    }
    imports.push({
      kind: StmtKind.From, start: s, end, module, moduleStart, moduleEnd, level, names,
      parenStart, parenEnd, lineStart: stmtLine, indent, inline,
    });
    return end;
  }

  function lastNonSpace(from: number, to: number): number {
    let e = to;
    while (e > from) {
      const c = text.charCodeAt(e - 1);
      if (c === 32 || c === 9 || c === 12 || c === 10 || c === 13 || c === 92) e--;
      else break;
    }
    return e;
  }

  /** Read a watched name's `.attr.attr` chain starting after the base identifier. */
  function attrChain(s: number, baseEnd: number, base: string, inParens: boolean): number {
    const names: string[] = [];
    let e = baseEnd;
    for (;;) {
      const q = ws(e, inParens);
      if (text.charCodeAt(q) !== 46) break;
      const r = ws(q + 1, inParens);
      const re = identEnd(r);
      if (re === r) break;
      names.push(decodeName(text.slice(r, re)));
      e = re;
    }
    if (names.length > 0) attrs.push({ start: s, end: e, base, attrs: names });
    return e;
  }

  const only = opts.statements;
  if (only !== undefined) {
    for (let k = 0; k + 3 < only.length; k += 4) {
      const s = only[k]!;
      physLine = only[k + 1]!;
      stmtLine = physLine;
      indent = only[k + 2]!;
      inline = only[k + 3] === 1;
      if (text.charCodeAt(s) === 105 /*i*/) importStmt(s);
      else fromStmt(s);
    }
    const uses = opts.uses ?? [];
    for (let k = 0; k + 1 < uses.length; k += 2) {
      const s = uses[k]!;
      const e = identEnd(s);
      const word = decodeName(text.slice(s, e));
      if (watch !== null && watch.has(word)) attrChain(s, e, word, uses[k + 1] === 1);
    }
    return { imports, strings, problems, attrs };
  }

  while (pos < len) {
    if (!atStmt) {
      // Nothing can start a statement here: skip to the next character that matters.
      let p = pos;
      while (p < len && plain[text.charCodeAt(p)] === 1) p++;
      pos = p;
      if (p >= len) break;
    }
    const c = text.charCodeAt(pos);
    switch (c) {
      case 10 /*\n*/:
      case 13 /*\r*/: {
        pos += c === 13 && text.charCodeAt(pos + 1) === 10 ? 2 : 1;
        physLine = pos;
        if (depth === 0) {
          atStmt = true;
          inline = false;
          indent = measureIndent(pos);
          pos += indent;
          prevSig = 0;
        }
        break;
      }
      case 32:
      case 9:
      case 12:
        pos++;
        break;
      case 35 /*#*/:
        pos = skipComment(pos);
        break;
      case 92 /*\\*/: {
        const n = text.charCodeAt(pos + 1);
        if (n === 10) pos += 2;
        else if (n === 13) pos += text.charCodeAt(pos + 2) === 10 ? 3 : 2;
        else {
          pos++;
          break;
        }
        physLine = pos;
        break;
      }
      case 34 /*"*/:
      case 39 /*'*/: {
        const k = literalKind(pos);
        pos = skipString(pos, k, litStart);
        atStmt = false;
        prevSig = 34;
        break;
      }
      case 40 /*(*/:
      case 91 /*[*/:
      case 123 /*{*/:
        if (depth === 0) openAt = pos;
        depth++;
        pos++;
        atStmt = false;
        prevSig = c;
        break;
      case 41 /*)*/:
      case 93 /*]*/:
      case 125 /*}*/:
        if (depth > 0) depth--;
        else problem(pos, `unmatched '${String.fromCharCode(c)}'`);
        pos++;
        atStmt = false;
        prevSig = c;
        break;
      case 59 /*;*/:
        pos++;
        if (depth === 0) {
          atStmt = true;
          inline = true;
        }
        prevSig = c;
        break;
      case 58 /*:*/:
        pos++;
        // A block-opening colon may be followed by a statement on the same line.
        if (depth === 0 && text.charCodeAt(pos) !== 61 /*=*/) {
          atStmt = true;
          inline = true;
        } else atStmt = false;
        prevSig = c;
        break;
      default: {
        if (isIdentStart(c)) {
          const s = pos;
          pos++;
          while (pos < len && isIdentChar(text.charCodeAt(pos))) pos++;
          // (A string prefix is left for the quote's case to find.)
          if (atStmt) {
            const w = pos - s;
            if (w === 6 && c === 105 /*i*/ && text.startsWith('import', s)) {
              stmtLine = physLine;
              pos = importStmt(s);
              atStmt = false;
              prevSig = 0;
              break;
            }
            if (w === 4 && c === 102 /*f*/ && text.startsWith('from', s)) {
              stmtLine = physLine;
              pos = fromStmt(s);
              atStmt = false;
              prevSig = 0;
              break;
            }
          }
          if (watch !== null && prevSig !== 46 /*.*/ && maybeWatched(s, pos)) {
            const word = decodeName(text.slice(s, pos));
            if (watch.has(word)) pos = attrChain(s, pos, word, depth > 0);
          }
          atStmt = false;
          prevSig = 65;
        } else if (c >= 48 && c <= 57) {
          // A number: digits, letters (hex, exponents, suffixes), underscores and the point.
          pos++;
          while (pos < len) {
            const d = text.charCodeAt(pos);
            if (isIdentChar(d) || d === 46) pos++;
            else break;
          }
          atStmt = false;
          prevSig = 48;
        } else {
          pos++;
          atStmt = false;
          prevSig = c;
        }
      }
    }
  }
  if (depth > 0) problem(openAt, 'unclosed bracket');
  return { imports, strings, problems, attrs };
}
