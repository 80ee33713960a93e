// Splits a Python file into its top-level statements ("chunks"), so that fix can hand tree-sitter
// only the few statements it must understand instead of the whole file (a full parse costs ~3 ms
// per 16 KB file: too slow for thousands of files).
//
// One pass over character codes, in the manner of the import lexer: it skips strings (every prefix,
// triple quotes, f-string replacement fields), comments, brackets and `\` continuations, and notes
// where a logical line starts at column 0. A decorator stays with what it decorates, and
// `else`/`elif`/`except`/`finally` with the statement they continue. Merging two chunks is always
// safe; so when the scanner is unsure (an unterminated string or bracket) it returns one chunk.

export interface Chunk {
  /** Byte offsets; chunks tile the file from after the BOM to the end. */
  start: number;
  end: number;
}

const CONTINUATIONS = ['else', 'elif', 'except', 'finally'];

/** Characters the scanner can step over: all but line breaks, `#`, `\\`, quotes and brackets. */
const PLAIN = new Uint8Array(256).fill(1);
for (const c of '\n\r#\\\'"()[]{}') PLAIN[c.charCodeAt(0)] = 0;

function isIdentChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c >= 128;
}

export function topLevelChunks(text: string): Chunk[] {
  const len = text.length;
  let pos = len >= 3 && text.charCodeAt(0) === 0xef && text.charCodeAt(1) === 0xbb && text.charCodeAt(2) === 0xbf ? 3 : 0;
  const first = pos;
  const starts: number[] = [];
  let depth = 0;
  let lineStart = true;
  let afterDecorator = false;
  let confused = false;

  /** Returns the offset after the string whose opening quote is at `q`; -1 when unterminated. */
  function skipString(q: number, fstring: boolean): number {
    const quote = text.charCodeAt(q);
    const triple = text.charCodeAt(q + 1) === quote && text.charCodeAt(q + 2) === quote;
    let p = triple ? q + 3 : q + 1;
    while (p < len) {
      const c = text.charCodeAt(p);
      if (c === quote) {
        if (!triple) return p + 1;
        if (text.charCodeAt(p + 1) === quote && text.charCodeAt(p + 2) === quote) return p + 3;
        p++;
      } else if (c === 92 /*\\*/) {
        p += text.charCodeAt(p + 1) === 13 && text.charCodeAt(p + 2) === 10 ? 3 : 2;
      } else if ((c === 10 || c === 13) && !triple) {
        return -1;
      } else if (c === 123 /*{*/ && fstring) {
        if (text.charCodeAt(p + 1) === 123) p += 2;
        else {
          p = skipField(p + 1);
          if (p < 0) return -1;
        }
      } else p++;
    }
    return -1;
  }

  /** Skip an f-string replacement field from just after `{` to just after its `}`. */
  function skipField(p: number): number {
    let d = 0;
    while (p < len) {
      const c = text.charCodeAt(p);
      if (c === 39 || c === 34) {
        p = skipString(p, false);
        if (p < 0) return -1;
      } else if (c === 40 || c === 91 || c === 123) {
        d++;
        p++;
      } else if (c === 41 || c === 93) {
        d--;
        p++;
      } else if (c === 125) {
        if (d === 0) return p + 1;
        d--;
        p++;
      } else p++;
    }
    return -1;
  }

  while (pos < len && !confused) {
    const c = text.charCodeAt(pos);
    if (lineStart) {
      lineStart = false;
      // A logical line starts here (depth 0). Column 0 and not blank or a comment: top level.
      if (c !== 32 && c !== 9 && c !== 12 && c !== 10 && c !== 13 && c !== 35) {
        let word = '';
        if (isIdentChar(c)) {
          let e = pos;
          while (e < len && isIdentChar(text.charCodeAt(e))) e++;
          word = text.slice(pos, e);
        }
        if (!afterDecorator && !CONTINUATIONS.includes(word)) starts.push(pos);
        afterDecorator = c === 64; /*@*/
      } else if (c === 10 || c === 13 || c === 35 || c === 32 || c === 9 || c === 12) {
        // Blank, comment-only or indented: look at the next line's start again when this one is
        // blank or a comment (an indented statement is not top level).
        let p = pos;
        while (p < len && (text.charCodeAt(p) === 32 || text.charCodeAt(p) === 9 || text.charCodeAt(p) === 12)) p++;
        const d = text.charCodeAt(p);
        if (d === 10 || d === 13 || d === 35 || p >= len) {
          if (d === 35) {
            while (p < len && text.charCodeAt(p) !== 10 && text.charCodeAt(p) !== 13) p++;
          }
          pos = p;
          if (pos < len) {
            pos += text.charCodeAt(pos) === 13 && text.charCodeAt(pos + 1) === 10 ? 2 : 1;
            lineStart = true;
          }
          continue;
        }
      }
    }
    switch (c) {
      case 10:
      case 13:
        pos += c === 13 && text.charCodeAt(pos + 1) === 10 ? 2 : 1;
        if (depth === 0) lineStart = true;
        break;
      case 35 /*#*/:
        while (pos < len && text.charCodeAt(pos) !== 10 && text.charCodeAt(pos) !== 13) pos++;
        break;
      case 92 /*\\*/: {
        const n = text.charCodeAt(pos + 1);
        pos += n === 13 && text.charCodeAt(pos + 2) === 10 ? 3 : n === 10 || n === 13 ? 2 : 1;
        break;
      }
      case 34:
      case 39: {
        // A string prefix (`r`, `b`, `u`, `f`, or two of them) is the identifier right before it.
        let s = pos;
        while (s > first && isIdentChar(text.charCodeAt(s - 1))) s--;
        const prefix = pos - s <= 2 ? text.slice(s, pos) : '';
        const e = skipString(pos, /^[rRbBuUfF]{1,2}$/.test(prefix) && /[fF]/.test(prefix));
        if (e < 0) confused = true;
        else pos = e;
        break;
      }
      case 40:
      case 91:
      case 123:
        depth++;
        pos++;
        break;
      case 41:
      case 93:
      case 125:
        if (depth > 0) depth--;
        pos++;
        break;
      default:
        // Nothing else matters here: skip to the next character that does.
        pos++;
        while (pos < len && PLAIN[text.charCodeAt(pos)] === 1) pos++;
    }
  }
  if (confused || depth > 0 || starts.length === 0) return [{ start: first, end: len }];
  starts[0] = first;
  return starts.map((s, i) => ({ start: s, end: i + 1 < starts.length ? starts[i + 1] : len }));
}

/** The chunk holding `offset` (binary search). */
export function chunkIndexAt(chunks: readonly Chunk[], offset: number): number {
  let lo = 0;
  let hi = chunks.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (chunks[mid].start <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
