// A cheap, conservative look at a file's import statements without lexing it: at each `import`
// word the byte search found, read the module names around it in the file's bytes. It answers one
// question — can this file hold an unresolved project import? — and when the text around a site is
// unusual it says "maybe", so the caller lexes the file properly. Text in strings and comments can only cause
// a "maybe", never hide a real import: a real import statement always has one of the shapes read here.

import type { ModuleIndex } from '../python/moduleIndex.js';
import { resolveRelative } from '../python/modules.js';

/** Identifier bytes (any byte >= 0x80 counts: UTF-8 letters); also used by structure.ts. */
export function isIdent(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c >= 128;
}

export function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 12;
}

/** Step back over spaces and `\`-newline continuations; returns the index of the previous char. */
function back(text: Uint8Array, p: number): number {
  crossed = false;
  for (;;) {
    while (p >= 0 && isSpace(text[p])) p--;
    if (p >= 1 && text[p] === 10 && text[p - 1] === 92) p -= 2;
    else if (p >= 2 && text[p] === 10 && text[p - 1] === 13 && text[p - 2] === 92) p -= 3;
    else if (p >= 1 && text[p] === 13 && text[p - 1] === 92) p -= 2;
    else return p;
    crossed = true;
  }
}

/**
 * Whether the last `back` stepped over a `\`-newline. One that ends a comment is no continuation,
 * and this reading cannot tell: a statement it then does not recognize is a "maybe".
 */
let crossed = false;

/** Whether an identifier byte touches offset `p` from before (the byte-order mark does not). */
function identBefore(text: Uint8Array, p: number): boolean {
  return p > 0 && isIdent(text[p - 1]) && !(p === 3 && text[0] === 0xef && text[1] === 0xbb && text[2] === 0xbf);
}

/** Step forward over spaces and `\`-newline continuations. */
function fwd(text: Uint8Array, p: number): number {
  for (;;) {
    while (p < text.length && isSpace(text[p])) p++;
    if (text[p] === 92) {
      const n = text[p + 1];
      if (n === 10) p += 2;
      else if (n === 13) p += text[p + 2] === 10 ? 3 : 2;
      else return p;
    } else return p;
  }
}

/** True when the char at `p` (already stepped back over spaces) ends the previous statement. */
function statementStart(text: Uint8Array, p: number): boolean {
  if (p < 0) return true;
  const c = text[p];
  return c === 10 || c === 13 || c === 59 /*;*/ || c === 58 /*:*/ || (p === 2 && text[0] === 0xef);
}

/**
 * Reads import sites against one module index. Module names recur across a project's files, so
 * each absolute name is remembered by a hash of its bytes (checked byte for byte on a hit), with
 * whether it lies under the project's packages: most sites cost a hash and two lookups, and make
 * no string. The index is still asked `has` every time (history's RecordingIndex notes the question).
 */
export class ImportSites {
  private readonly memo = new Map<number, { name: string; project: boolean }>();

  constructor(readonly index: ModuleIndex) {}

  /**
   * True when the `import` word at `at` may import a missing module. `file` (root-relative) is the
   * importing file: its module is looked up only for a relative import.
   */
  mayBeUnresolved(text: Uint8Array, at: number, file: string): boolean {
    const after = at + 6;
    if (identBefore(text, at) || isIdent(text[after])) return false;
    const p = back(text, at - 1);
    const crossedBefore = crossed;
    if (statementStart(text, p)) {
      // `import a.b as c, d`
      let q = fwd(text, after);
      for (;;) {
        const s = q;
        while (q < text.length && (isIdent(text[q]) || text[q] === 46)) q++;
        if (q === s) return true; // odd: let the lexer decide
        if (this.missingAt(text, s, q)) return true;
        q = fwd(text, q);
        // `import a .b`: a dotted name with blanks in it, read by the lexer.
        if (text[q] === 46) return true;
        if (text[q] === 97 /*a*/ && text[q + 1] === 115 /*s*/ && !isIdent(text[q + 2])) {
          q = fwd(text, q + 2);
          while (q < text.length && isIdent(text[q])) q++;
          q = fwd(text, q);
        }
        if (text[q] !== 44 /*,*/) break;
        q = fwd(text, q + 1);
      }
      return false;
    }
    // `from <dots><module> import ...`: read the module backwards.
    const e = p + 1;
    let s = e;
    while (s > 0 && (isIdent(text[s - 1]) || text[s - 1] === 46)) s--;
    if (s === e) return crossedBefore;
    const f = back(text, s - 1);
    let unsure = crossedBefore || crossed;
    const isFrom = f >= 3 && text[f - 3] === 102 /*f*/ && text[f - 2] === 114 /*r*/ && text[f - 1] === 111 /*o*/ && text[f] === 109 /*m*/ && !identBefore(text, f - 3) && statementStart(text, back(text, f - 4));
    unsure ||= crossed;
    // Anything else (`importlib`, prose in a docstring) is not an import statement, unless this
    // reading may have missed one: blanks inside the dotted name (`from a. b import`, `from a .b
    // import`) or a `\`-newline that may end a comment.
    if (!isFrom) return unsure || text[f] === 46 || text[s] === 46;
    if (text[s] !== 46 /*.*/) return this.missingAt(text, s, e);
    let level = 0;
    while (text[s + level] === 46) level++;
    const self = this.index.ofFile(file);
    const abs = self ? resolveRelative(level, latin1(text, s + level, e), self.name, self.isPackage) : null;
    return abs !== null && abs !== '' && this.missing(abs);
  }

  /** `missing` for the absolute module name written at text[start, end). */
  private missingAt(text: Uint8Array, start: number, end: number): boolean {
    let h = 0x811c9dc5;
    for (let i = start; i < end; i++) h = Math.imul(h ^ text[i]!, 0x01000193);
    const m = this.memo.get(h);
    if (m !== undefined && sameBytes(m.name, text, start, end)) return m.project && !this.index.has(m.name);
    const name = latin1(text, start, end);
    const project = this.index.isProjectModule(name);
    if (m === undefined) this.memo.set(h, { name, project });
    return project && !this.index.has(name);
  }

  private missing(module: string): boolean {
    return this.index.isProjectModule(module) && !this.index.has(module);
  }
}

/** Bytes as latin1-held text, as the lexer sees them. */
function latin1(bytes: Uint8Array, start: number, end: number): string {
  return String.fromCharCode.apply(null, bytes.subarray(start, end) as unknown as number[]);
}

function sameBytes(s: string, bytes: Uint8Array, start: number, end: number): boolean {
  if (s.length !== end - start) return false;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) !== bytes[start + i]) return false;
  return true;
}
