// discover's import scanner: the import statements of a file, exactly as lexImports finds them,
// at a fraction of the cost, because discover must read every byte of every project file.
//
// Imports sit at the top of most files, and no statement can start after the last `import` or
// `from` keyword that stands at a line start (or after `;` or `:`). Native substring searches find
// that keyword; the shared lexer then reads the file only up to the end of its line. Whenever the
// cut could change what the lexer sees (the statement goes on past it, or the lexer met a problem
// there), the whole file is lexed instead. test/discover/importScan.test.ts checks the result
// against lexImports over the Python standard library.

import { lexImports } from '../python/lexer.js';
import type { ImportStmt } from '../python/records.js';

/** lexer.ts keeps at most this many problems: with that many, a tail problem may go unrecorded. */
const MAX_PROBLEMS = 100;

function isIdentChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c >= 128;
}

/**
 * The offset of the last place where an `import`/`from` statement could start: the keyword at a
 * line start or after `;` or `:`, behind nothing but blanks and backslashes (and a byte-order
 * mark); -1 when there is none. A superset of where lexPython starts statements. Forward searches
 * (V8's lastIndexOf is several times slower than indexOf).
 */
export function lastStatementStart(text: string): number {
  let last = -1;
  // `mport` is found faster than `import` (its first letter is rarer), `from` as it is.
  for (let at = text.indexOf('mport', 1); at >= 0; at = text.indexOf('mport', at + 5)) {
    if (text.charCodeAt(at - 1) === 105 /*i*/ && startsStatement(text, at - 1, 6)) last = at - 1;
  }
  for (let at = text.indexOf('from', last + 1); at >= 0; at = text.indexOf('from', at + 4)) {
    if (startsStatement(text, at, 4)) last = at;
  }
  return last;
}

/** Is the keyword of `n` letters at `at` a word, behind only blanks and backslashes since a statement boundary? */
function startsStatement(text: string, at: number, n: number): boolean {
  if (isIdentChar(text.charCodeAt(at + n))) return false;
  let k = at - 1;
  for (;;) {
    const c = text.charCodeAt(k);
    if (c === 32 || c === 9 || c === 12 || c === 92 || c === 0xef || c === 0xbb || c === 0xbf) k--;
    else break;
  }
  const c = k < 0 ? 10 : text.charCodeAt(k);
  return c === 10 || c === 13 || c === 59 /*;*/ || c === 58 /*:*/;
}

/** Just past the `\n` ending the line at `p` and any lines it continues with `\`; -1 at the end. */
function lineEnd(text: string, p: number): number {
  for (;;) {
    const nl = text.indexOf('\n', p);
    if (nl < 0) return -1;
    const before = text.charCodeAt(nl - 1) === 13 ? nl - 2 : nl - 1;
    if (text.charCodeAt(before) !== 92 /*\\*/) return nl + 1;
    p = nl + 1;
  }
}

export function scanImports(text: string): ImportStmt[] {
  const last = lastStatementStart(text);
  if (last < 0) return [];
  const cut = lineEnd(text, last);
  if (cut < 0) return lexImports(text).imports;
  const head = lexImports(text.slice(0, cut));
  // A statement cut short fails where the text ends, so at or after `last`: lex the whole file.
  if (head.problems.length >= MAX_PROBLEMS || head.problems.some((p) => p.start >= last)) return lexImports(text).imports;
  return head.imports;
}
