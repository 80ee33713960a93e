// Which files could read a name from one of many modules: the cheap test before fix's look for the
// readers of an import it would drop (ProjectView.readersOf), which analyses only the files that
// pass. It must never turn away a file the analysis would count as a reader; it may let through
// files that are not (the analysis then says no).
//
// A file reads `N` from module `a.b.m` only where it spells the path, so the test looks at every
// dotted chain that starts with a top-level package of the modules (`a`, `a.b`, `a.b.m.N`: in
// code, strings and comments alike) and asks:
// - the chain is a module or runs through one (`a.b.m`, `a.b.m.N`, `"a.b.m.N"`): the file passes;
// - the chain is a package above a module (`a.b`): followed by `import` (`from a.b import m`), the
//   file passes when the names imported hold the next name on the way (`m`) or a `*`; followed by
//   `as` (`import a.b as x`, then `x.m.N`), it passes. Between the parts of a chain the test
//   steps over spaces, line breaks, backslashes and comments, as a chain inside brackets may hold;
// - a relative import (`from .m import N`, `from . import m`, `from.m`) in a file of the same top-level
//   package passes when the file holds the module's last name, or lies in the package's folder.
// Before all that, the file must hold one of the names (or a `*`: a star-import passes names on).

import { isIdent, isSpace } from '../scan/importSites.js';
import { NeedleSearch } from '../scan/needleSearch.js';

interface Target {
  /** The module's dotted name. */
  module: string;
  /** Its last name. */
  last: string;
  /** Its top-level package. */
  top: string;
  /** The folder of a package's `__init__.py` (root-relative, ending in `/`), else null. */
  folder: string | null;
}

/** Up to this many modules, a file must first spell one's last name, told by a byte search (see mayRead). */
const FEW = 64;

export class ReaderFilter {
  private readonly modules = new Set<string>();
  /** Packages above a module -> the next names on the way down to the modules below. */
  private readonly above = new Map<string, Set<string>>();
  private readonly tops: string[];
  private readonly targets: Target[];
  private readonly names: readonly string[];
  /** With a few modules, the byte search for their last names (mayRead's first test). */
  private readonly search: NeedleSearch | null;

  /** `modules`: each module with its file (root-relative); `names`: the names read from them. */
  constructor(modules: readonly { module: string; file: string }[], names: readonly string[]) {
    // Compared with the text as the lexer holds it, one char per byte: a non-ASCII name by its UTF-8 bytes.
    this.names = names.map(bytesOf);
    this.targets = modules.map(({ module: name, file }) => {
      const module = bytesOf(name);
      return {
        module,
        last: module.slice(module.lastIndexOf('.') + 1),
        top: module.split('.')[0]!,
        folder: /(^|\/)__init__\.pyi?$/.test(file) ? file.slice(0, file.lastIndexOf('/') + 1) : null,
      };
    });
    for (const { module } of this.targets) {
      this.modules.add(module);
      const parts = module.split('.');
      for (let i = 1; i < parts.length; i++) {
        const pkg = parts.slice(0, i).join('.');
        let next = this.above.get(pkg);
        if (next === undefined) this.above.set(pkg, (next = new Set()));
        next.add(parts[i]!);
      }
    }
    this.tops = [...new Set(this.targets.map((t) => t.top))];
    this.search = this.targets.length > 0 && this.targets.length <= FEW ? new NeedleSearch([...new Set(this.targets.map((t) => t.last))]) : null;
  }

  /**
   * Could the file (root-relative `file`, holding `text`; `topOf`: its module's top-level package,
   * null for a file that is no module) read one of the names from one of the modules?
   */
  mayRead(file: string, text: string, topOf: () => string | null): boolean {
    // Every reader spells a module's last name, or lies in the folder of a package it reads from
    // (`from . import N`). With a few modules, one SIMD pass over the bytes for all their last
    // names tells the first (the scan's byte search), at less cost than the tests below.
    if (this.search !== null && !this.targets.some((t) => inFolder(t, file))) {
      this.search.load(Buffer.from(text, 'latin1'));
      if (this.search.search() >= 0) return false; // no last name (NEEDLE_FOUND and TOO_MANY_SITES are negative)
    }
    if (!text.includes('*') && !this.names.some((n) => text.includes(n))) return false;
    for (const t of this.tops) if (this.chains(text, t)) return true;
    const named = hasRelativeImport(text) ? topOf() : null;
    const top = named === null ? null : bytesOf(named);
    return top !== null && this.targets.some((t) => t.top === top && (text.includes(t.last) || inFolder(t, file)));
  }

  /** Does a chain starting with the top-level name `top` pass (see the head of the file)? */
  private chains(text: string, top: string): boolean {
    for (let at = text.indexOf(top); at >= 0; at = text.indexOf(top, at + 1)) {
      const before = at > 0 ? text.charCodeAt(at - 1) : 32;
      if (isIdent(before) || before === 46 /*.*/) continue;
      let p = at + top.length;
      if (p < text.length && isIdent(text.charCodeAt(p))) continue;
      let chain = top;
      for (;;) {
        if (this.modules.has(chain)) return true;
        // Inside brackets a chain may run over lines and comments: `(a.b\n  .m.N)`.
        let q = gap(text, p);
        if (text.charCodeAt(q) !== 46) break;
        q = gap(text, q + 1);
        const s = q;
        while (isIdent(text.charCodeAt(q))) q++;
        if (q === s) break;
        // Written without spaces (nearly always): the chain is the text itself.
        chain = q - at === chain.length + 1 + (q - s) ? text.slice(at, q) : chain + '.' + text.slice(s, q);
        p = q;
      }
      const next = this.above.get(chain);
      if (next === undefined) continue;
      // A package above a module: what follows it decides.
      const q = gap(text, p);
      if (wordAt(text, q, 'as')) return true;
      if (wordAt(text, q, 'import') && importsOneOf(text, q + 6, next)) return true;
    }
    return false;
  }
}

/**
 * Does the name list of `from P import ...` (from `at`, just past `import`) hold one of `names`,
 * or `*`? The list runs to the end of the line, or to the closing bracket; a backslash continues it.
 */
function importsOneOf(text: string, at: number, names: ReadonlySet<string>): boolean {
  let p = at;
  while (p < text.length && isSpace(text.charCodeAt(p))) p++;
  const bracketed = text.charCodeAt(p) === 40; /*(*/
  for (; p < text.length; p++) {
    const c = text.charCodeAt(p);
    if (c === 41 /*)*/ && bracketed) return false;
    if ((c === 10 || c === 13) && !bracketed && text.charCodeAt(p - 1) !== 92 && !(c === 10 && text.charCodeAt(p - 1) === 13 && text.charCodeAt(p - 2) === 92)) return false;
    if (c === 35 /*#*/) {
      while (p + 1 < text.length && text.charCodeAt(p + 1) !== 10 && text.charCodeAt(p + 1) !== 13) p++;
      continue;
    }
    if (c === 42 /***/) return true;
    if (isIdent(c) && !isIdent(text.charCodeAt(p - 1))) {
      let q = p;
      while (q < text.length && isIdent(text.charCodeAt(q))) q++;
      if (names.has(text.slice(p, q))) return true;
      p = q - 1;
    }
  }
  return false;
}

/** Does the text hold the word `from` then a dot (`from .m`, `from.m`, `from \` + line break + `.m`)? */
function hasRelativeImport(text: string): boolean {
  for (let at = text.indexOf('from'); at >= 0; at = text.indexOf('from', at + 4)) {
    if (at > 0 && isIdent(text.charCodeAt(at - 1))) continue;
    if (text.charCodeAt(gap(text, at + 4)) === 46) return true;
  }
  return false;
}

/**
 * Past what may stand between the parts of a dotted name: spaces, and (continued or inside
 * brackets) line breaks, backslashes ending lines and comments. Generous outside brackets too:
 * the test may let a file through, never turn a reader away.
 */
function gap(text: string, at: number): number {
  let p = at;
  for (;;) {
    const c = text.charCodeAt(p);
    if (isSpace(c) || c === 10 || c === 13 || c === 92 /*\*/) p++;
    else if (c === 35 /*#*/) {
      while (p < text.length && text.charCodeAt(p) !== 10 && text.charCodeAt(p) !== 13) p++;
    } else return p;
  }
}

/** A name as the latin1-held text spells it (its UTF-8 bytes, one char each). */
function bytesOf(name: string): string {
  return /[^\x00-\x7f]/.test(name) ? Buffer.from(name, 'utf8').toString('latin1') : name;
}

/** Does `file` lie in the folder of the package `t` (where `from . import N` reads from it)? */
function inFolder(t: Target, file: string): boolean {
  return t.folder !== null && file.startsWith(t.folder);
}

function wordAt(text: string, at: number, word: string): boolean {
  return text.startsWith(word, at) && !isIdent(text.charCodeAt(at + word.length));
}
