// canon's Python import lexer: one pass over character codes that finds every import statement
// (and, on request, dotted-path string literals and `name.attr` uses of watched names) without
// building a token list or a syntax tree. Offsets are byte offsets: see records.ts.
//
// Limits, stated plainly:
// - It understands exactly as much Python as it needs to know where statements start: brackets,
//   strings of every prefix (including nested f-string replacement fields), comments, `\`
//   continuations, `;` and block-opening `:`. It does not check that the rest of the file is valid.
// - `name.attr` uses inside f-string replacement fields are not reported as AttrRefs.
// - Non-ASCII identifier bytes are decoded as UTF-8 when names are extracted.

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
}

export interface FullLexResult extends LexResult {
  attrs: AttrRef[];
}

const DOTTED = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+$/;
const HIGH = /[\x80-\xff]/;

/** True for bytes that can appear in an identifier (any byte >= 0x80 counts: UTF-8 letters). */
function isIdentChar(c: number): boolean {
  return (
    (c >= 97 /*a*/ && c <= 122) /*z*/ ||
    (c >= 65 /*A*/ && c <= 90) /*Z*/ ||
    (c >= 48 /*0*/ && c <= 57) /*9*/ ||
    c === 95 /*_*/ ||
    c >= 128
  );
}

function isIdentStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c >= 128;
}

/** Which identifiers are string prefixes; 1 = plain, 2 = f-string, 3 = bytes. */
function stringPrefixKind(text: string, s: number, e: number): number {
  const n = e - s;
  if (n > 2) return 0;
  let f = false;
  let b = false;
  for (let i = s; i < e; i++) {
    const c = text.charCodeAt(i) | 32; // lower-case
    if (c === 102 /*f*/) f = true;
    else if (c === 98 /*b*/) b = true;
    else if (c !== 114 /*r*/ && c !== 117 /*u*/) return 0;
  }
  if (n === 2) {
    const a = text.charCodeAt(s) | 32;
    const z = text.charCodeAt(s + 1) | 32;
    if (a === z) return 0;
    if (a === 117 || z === 117) return 0; // `u` combines with nothing
    if (f && b) return 0;
  }
  return f ? 2 : b ? 3 : 1;
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

  let pos = 0;
  // A UTF-8 byte-order mark is not an identifier.
  if (len >= 3 && text.charCodeAt(0) === 0xef && text.charCodeAt(1) === 0xbb && text.charCodeAt(2) === 0xbf) pos = 3;

  let depth = 0;
  let atStmt = true;
  let inline = false;
  let physLine = 0;
  let indent = measureIndent(pos);
  // The code of the previous significant character, to tell `x.m` (attribute) from `m` (a name).
  let prevSig = 0;

  function measureIndent(p: number): number {
    let i = p;
    while (i < len) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 9 || c === 12) i++;
      else break;
    }
    return i - p;
  }

  function problem(at: number, message: string): void {
    if (problems.length < 100) problems.push({ start: at, message });
  }

  /** Skip a comment starting at `#`; stops at the newline. */
  function skipComment(p: number): number {
    const nl = text.indexOf('\n', p);
    const cr = text.indexOf('\r', p);
    if (nl < 0 && cr < 0) return len;
    if (nl < 0) return cr;
    if (cr < 0) return nl;
    return nl < cr ? nl : cr;
  }

  /**
   * Skip a string literal whose opening quote is at `q` (prefix already consumed).
   * `kind`: 1 plain, 2 f-string, 3 bytes. Returns the offset after the closing quote.
   */
  function skipString(q: number, kind: number, literalStart: number): number {
    const quote = text.charCodeAt(q);
    const triple = text.charCodeAt(q + 1) === quote && text.charCodeAt(q + 2) === quote;
    let p = triple ? q + 3 : q + 1;
    const contentStart = p;
    let sawBackslash = false;
    while (p < len) {
      const c = text.charCodeAt(p);
      if (c === quote) {
        if (!triple) {
          if (wantStrings && kind === 1 && !sawBackslash) recordString(literalStart, contentStart, p, p + 1);
          return p + 1;
        }
        if (text.charCodeAt(p + 1) === quote && text.charCodeAt(p + 2) === quote) {
          if (wantStrings && kind === 1 && !sawBackslash) recordString(literalStart, contentStart, p, p + 3);
          return p + 3;
        }
        p++;
      } else if (c === 92 /*\\*/) {
        sawBackslash = true;
        // `\r\n` after a backslash is one line break.
        p += text.charCodeAt(p + 1) === 13 && text.charCodeAt(p + 2) === 10 ? 3 : 2;
      } else if ((c === 10 || c === 13) && !triple) {
        problem(literalStart, 'unterminated string literal');
        return p;
      } else if (c === 123 /*{*/ && kind === 2) {
        if (text.charCodeAt(p + 1) === 123) p += 2;
        else p = skipReplacementField(p + 1, triple);
      } else {
        p++;
      }
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

  /** Skip an f-string replacement field; `p` is just after `{`. Returns the offset after `}`. */
  function skipReplacementField(p: number, triple: boolean): number {
    let d = 0;
    while (p < len) {
      const c = text.charCodeAt(p);
      if (c === 39 || c === 34) {
        p = skipString(p, 1, p);
      } else if (isIdentStart(c)) {
        const s = p;
        while (p < len && isIdentChar(text.charCodeAt(p))) p++;
        const nc = text.charCodeAt(p);
        if (nc === 39 || nc === 34) {
          const k = stringPrefixKind(text, s, p);
          if (k) p = skipString(p, k, s);
        }
      } else if (c === 40 || c === 91 || c === 123) {
        d++;
        p++;
      } else if (c === 41 || c === 93) {
        if (d > 0) d--;
        p++;
      } else if (c === 125 /*}*/) {
        if (d === 0) return p + 1;
        d--;
        p++;
      } else if (c === 58 /*:*/ && d === 0) {
        return skipFormatSpec(p + 1, triple);
      } else if ((c === 10 || c === 13) && !triple && d === 0) {
        // A line break ends a single-quoted f-string in any version canon reads.
        return p;
      } else {
        p++;
      }
    }
    return len;
  }

  /** Skip the format spec after `:` in a replacement field, up to and including its `}`. */
  function skipFormatSpec(p: number, triple: boolean): number {
    while (p < len) {
      const c = text.charCodeAt(p);
      if (c === 125) return p + 1;
      if (c === 123) p = skipReplacementField(p + 1, triple);
      else if ((c === 10 || c === 13) && !triple) return p;
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
    let messy = false;
    for (;;) {
      const q = ws(e, inParens);
      if (text.charCodeAt(q) !== 46 /*.*/) break;
      const r = ws(q + 1, inParens);
      const re = identEnd(r);
      if (re === r) break;
      if (q !== e || r !== q + 1) messy = true;
      name += '.' + text.slice(r, re);
      e = re;
    }
    void messy;
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
  function attrChain(s: number, baseEnd: number, base: string): number {
    const names: string[] = [];
    let e = baseEnd;
    for (;;) {
      const q = ws(e, depth > 0);
      if (text.charCodeAt(q) !== 46) break;
      const r = ws(q + 1, depth > 0);
      const re = identEnd(r);
      if (re === r) break;
      names.push(decodeName(text.slice(r, re)));
      e = re;
    }
    if (names.length > 0) attrs.push({ start: s, end: e, base, attrs: names });
    return e;
  }

  let stmtLine = 0;

  while (pos < len) {
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
        }
        prevSig = 0;
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
      case 39 /*'*/:
        pos = skipString(pos, 1, pos);
        atStmt = false;
        prevSig = 34;
        break;
      case 40 /*(*/:
      case 91 /*[*/:
      case 123 /*{*/:
        depth++;
        pos++;
        atStmt = false;
        prevSig = c;
        break;
      case 41 /*)*/:
      case 93 /*]*/:
      case 125 /*}*/:
        if (depth > 0) depth--;
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
          const nc = text.charCodeAt(pos);
          if (nc === 39 || nc === 34) {
            const k = stringPrefixKind(text, s, pos);
            if (k) {
              pos = skipString(pos, k, s);
              atStmt = false;
              prevSig = 34;
              break;
            }
          }
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
          if (watch !== null && prevSig !== 46 /*.*/) {
            const word = text.slice(s, pos);
            if (watch.has(word)) pos = attrChain(s, pos, word);
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
  if (depth > 0) problem(len, 'unclosed bracket at end of file');
  return { imports, strings, problems, attrs };
}
