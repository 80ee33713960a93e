// Which comments suppress a finding on a line: canon's own `# canon: ignore` (every canon code), and
// flake8/ruff's `# noqa: CAN001` naming the finding's code. A bare `# noqa` does not suppress canon's
// codes: it is written for other linters (F401 on a package's re-exports, E402), and honouring it
// would hide exactly the imports canon exists to find.

const CANON_IGNORE = /#\s*canon:\s*ignore\b/;

/** Does a comment on `line` (one line of source, without its newline) suppress `code` there? */
export function suppresses(line: string, code: string): boolean {
  if (line.indexOf('#') < 0) return false;
  if (CANON_IGNORE.test(line)) return true;
  const codes = noqaCodes(line);
  return codes !== null && codes.includes(code);
}

/**
 * The codes of the first `noqa` directive on the line, as ruff reads one: `#`, optional whitespace,
 * `noqa` in any case, then `:` (whitespace allowed before and after it) and codes — uppercase
 * letters then digits — separated by commas and/or whitespace, ending at the first word that is
 * not a code (a trailing remark) or at another `#`. `[]` for a bare `# noqa` (which names no code
 * of canon's); null when there is no directive, or it is malformed the way ruff rejects
 * (`# noqaX`, `# noqa:` without codes, a code running into other characters: `CAN001x`).
 */
export function noqaCodes(line: string): string[] | null {
  let p = 0;
  const n = line.length;
  while (p < n) {
    const hash = line.indexOf('#', p);
    if (hash < 0) return null;
    p = skipSpace(line, hash + 1);
    if (line.slice(p, p + 4).toLowerCase() !== 'noqa') continue;
    return directive(line, p + 4);
  }
  return null;
}

/** What follows `noqa` at `p`. */
function directive(line: string, p: number): string[] | null {
  const n = line.length;
  if (p >= n || line[p] === '#') return [];
  if (line[p] !== ':') {
    if (!isSpace(line.charCodeAt(p))) return null; // `# noqaX`
    p = skipSpace(line, p);
    // `# noqa a remark` is bare; `# noqa   : CAN001` still names codes.
    if (line[p] !== ':') return [];
  }
  const codes: string[] = [];
  p++;
  while (p < n) {
    p = skipSpace(line, p);
    if (p >= n) break;
    const c = line.charCodeAt(p);
    if (c === 44 /* , */) {
      p++;
      continue;
    }
    if (!isUpper(c)) break; // a remark after the codes
    const start = p;
    while (p < n && isUpper(line.charCodeAt(p))) p++;
    if (p >= n || !isDigit(line.charCodeAt(p))) {
      // Letters without digits: a remark, unless it runs straight on from a code (`CAN001Fabc`).
      if (codes.length > 0 && start > 0 && isDigit(line.charCodeAt(start - 1))) return null;
      break;
    }
    while (p < n && isDigit(line.charCodeAt(p))) p++;
    codes.push(line.slice(start, p));
    if (p >= n) break;
    const next = line.charCodeAt(p);
    // Codes may follow each other without a delimiter (`CAN001CAN002`: ruff warns, and reads both).
    if (next === 44 /* , */ || next === 35 /* # */ || isSpace(next) || isUpper(next)) {
      if (next === 35) break;
      continue;
    }
    return null; // `CAN001x`
  }
  return codes.length > 0 ? codes : null;
}

function skipSpace(s: string, p: number): number {
  while (p < s.length && isSpace(s.charCodeAt(p))) p++;
  return p;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 12 || c === 11 || c === 13;
}

function isUpper(c: number): boolean {
  return c >= 65 && c <= 90;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
