// A cheap, conservative look at a file's import statements without lexing it: find each `import`
// keyword by substring search and read the module names around it. It answers one question — can
// this file hold an unresolved project import? — and when the text around a site is unusual it
// says "maybe", so the caller lexes the file properly. Text in strings and comments can only cause
// a "maybe", never hide a real import: a real import statement always has one of the shapes read here.

import type { ModuleIndex } from '../python/moduleIndex.js';
import { resolveRelative } from '../python/modules.js';

function isIdent(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c >= 128;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 12;
}

/** Step back over spaces and `\`-newline continuations; returns the index of the previous char. */
function back(text: string, p: number): number {
  for (;;) {
    while (p >= 0 && isSpace(text.charCodeAt(p))) p--;
    if (p >= 1 && text.charCodeAt(p) === 10 && text.charCodeAt(p - 1) === 92) p -= 2;
    else if (p >= 2 && text.charCodeAt(p) === 10 && text.charCodeAt(p - 1) === 13 && text.charCodeAt(p - 2) === 92) p -= 3;
    else if (p >= 1 && text.charCodeAt(p) === 13 && text.charCodeAt(p - 1) === 92) p -= 2;
    else return p;
  }
}

/** Step forward over spaces and `\`-newline continuations. */
function fwd(text: string, p: number): number {
  for (;;) {
    while (p < text.length && isSpace(text.charCodeAt(p))) p++;
    if (text.charCodeAt(p) === 92) {
      const n = text.charCodeAt(p + 1);
      if (n === 10) p += 2;
      else if (n === 13) p += text.charCodeAt(p + 2) === 10 ? 3 : 2;
      else return p;
    } else return p;
  }
}

/** True when the char at `p` (already stepped back over spaces) ends the previous statement. */
function statementStart(text: string, p: number): boolean {
  if (p < 0) return true;
  const c = text.charCodeAt(p);
  return c === 10 || c === 13 || c === 59 /*;*/ || c === 58 /*:*/ || (p === 2 && text.charCodeAt(0) === 0xef);
}

export interface SelfModule {
  name: string;
  isPackage: boolean;
}

/**
 * False only when every import statement the file can hold names a module that exists or lies
 * outside the project: then lexing it cannot produce an unresolved-import finding.
 */
export function mayHaveUnresolved(text: string, index: ModuleIndex, self: SelfModule | undefined): boolean {
  for (let at = text.indexOf('import'); at >= 0; at = text.indexOf('import', at + 6)) {
    if (siteMayBeUnresolved(text, at, index, self)) return true;
  }
  return false;
}

/** The same question for the one `import` word at `at`: true when it may import a missing module. */
export function siteMayBeUnresolved(text: string, at: number, index: ModuleIndex, self: SelfModule | undefined): boolean {
  const missing = (module: string): boolean => index.isProjectModule(module) && !index.has(module);
  const after = at + 6;
  if ((at > 0 && isIdent(text.charCodeAt(at - 1))) || isIdent(text.charCodeAt(after))) return false;
  const p = back(text, at - 1);
  if (statementStart(text, p)) {
    // `import a.b as c, d`
    let q = fwd(text, after);
    for (;;) {
      const s = q;
      while (q < text.length && (isIdent(text.charCodeAt(q)) || text.charCodeAt(q) === 46)) q++;
      if (q === s) return true; // odd: let the lexer decide
      if (missing(text.slice(s, q))) return true;
      q = fwd(text, q);
      if (text.startsWith('as', q) && !isIdent(text.charCodeAt(q + 2))) {
        q = fwd(text, q + 2);
        while (q < text.length && isIdent(text.charCodeAt(q))) q++;
        q = fwd(text, q);
      }
      if (text.charCodeAt(q) !== 44 /*,*/) break;
      q = fwd(text, q + 1);
    }
    return false;
  }
  // `from <dots><module> import ...`: read the module backwards.
  const e = p + 1;
  let s = e;
  while (s > 0 && (isIdent(text.charCodeAt(s - 1)) || text.charCodeAt(s - 1) === 46)) s--;
  if (s === e) return false;
  const f = back(text, s - 1);
  const isFrom = f >= 3 && text.startsWith('from', f - 3) && !isIdent(text.charCodeAt(f - 4)) && statementStart(text, back(text, f - 4));
  // Anything else (`importlib`, prose in a docstring) is not an import statement.
  if (!isFrom) return false;
  const written = text.slice(s, e);
  let level = 0;
  while (level < written.length && written.charCodeAt(level) === 46) level++;
  const module = written.slice(level);
  const abs = level === 0 ? module : self ? resolveRelative(level, module, self.name, self.isPackage) : null;
  return abs !== null && abs !== '' && missing(abs);
}
