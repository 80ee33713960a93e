// The prefilter: decides from a file's bytes, without lexing, whether it must be analyzed. One SIMD
// pass (needleSearch.ts) finds the needles (a file containing none of them cannot mention a legacy
// path) and every `import` word (where an unresolved project import could stand); the words are
// then read as import sites (importSites.ts). A file's needles count only where analysis could see
// them: the structural pass (wasm/needles.wat) tells one in a comment or a sentence-like string
// from one in code. The file becomes text only when it must be analyzed, and is then lexed
// through its import statements alone where it can be (structure.ts).

import type { Stats } from 'node:fs';
import { lexPython, type FullLexResult, type LexOptions } from '../python/lexer.js';
import type { ModuleIndex } from '../python/moduleIndex.js';
import { rootPrefixes } from '../python/modules.js';
import { ImportSites } from './importSites.js';
import { NeedleSearch, TOO_MANY_SITES } from './needleSearch.js';
import { COMMENT, STRING, referenceAt, structuredLex } from './structure.js';

export class Prefilter {
  private readonly search: NeedleSearch;
  private sites: ImportSites | null = null;
  /** The last judged file's sites (TOO_MANY_SITES when too many), and whether a needle is among them. */
  private found = 0;
  private needles = false;
  /** Files lexed whole because the structural path could not read them (for measurements). */
  fullyLexed = 0;

  /**
   * `needles`: identifiers (legacy module names); a non-ASCII one is matched by its UTF-8 bytes.
   * `inside`: the files a relative import in can reach a legacy module without naming it
   * (insideLegacy); each with an `import` word is lexed.
   * Each is looked for as a whole identifier: a file that spells `legacy` only inside
   * `legacy_tools` or `LegacyTool` cannot name the module `legacy` (Python reads other names).
   */
  constructor(
    needles: readonly string[],
    private readonly inside: ((file: string) => boolean) | null = null,
  ) {
    this.search = new NeedleSearch(needles.map((n) => Buffer.from(n, 'utf8').toString('latin1')), { words: true });
  }

  /** Reads a file to be judged (throws as `openSync` does); with `stamped`, its fstat. */
  readFile(path: string, stamped: boolean): Stats | undefined {
    return this.search.readFile(path, stamped);
  }

  /** Takes bytes to be judged (copied). */
  load(bytes: Uint8Array): void {
    this.search.load(bytes);
  }

  /** The bytes being judged: their length. */
  get size(): number {
    return this.search.size;
  }

  /** The bytes being judged as latin1-held text, what the lexer reads. */
  text(): string {
    return this.search.text();
  }

  /**
   * True when the file must be lexed: it names a legacy module, or may import a missing project
   * module. `file`: the file's root-relative path (its module matters for relative imports).
   */
  mustLex(index: ModuleIndex, file: string): boolean {
    const search = this.search;
    const found = search.searchSites();
    this.found = found;
    this.needles = false;
    if (found === TOO_MANY_SITES) return true;
    if (found === 0) return false;
    if (this.inside !== null && this.inside(file)) {
      this.needles = true;
      return true;
    }
    for (let k = 0; k < found; k++) {
      if ((search.site(k) & 1) === 1) {
        this.needles = true;
        break;
      }
    }
    if (this.needles && this.needlesMatter(found)) return true;
    if (this.sites?.index !== index) this.sites = new ImportSites(index);
    const sites = this.sites;
    const bytes = search.bytes();
    for (let k = 0; k < found; k++) {
      const v = search.site(k);
      if ((v & 1) === 0 && sites.mayBeUnresolved(bytes, v >>> 1, file)) return true;
    }
    return false;
  }

  /**
   * Whether a needle among the `found` sites can matter to analysis. One in a comment cannot, nor
   * one in a string literal that cannot be a string reference (a sentence, a bytes literal, a
   * path): analysis reads imports, attribute uses and dotted literals, and the lexer skips the
   * rest. So a file whose needles are all such is judged like a file without any: it can reach a
   * legacy module only from inside it (`inside`, by a relative import) and otherwise can hold
   * only an unresolved import, which its import sites tell (importSites.ts, conservative: what
   * it cannot read for sure is a "maybe"). One in code, in an f-string (its fields hold code), or in a literal that can be a
   * reference matters; so does every needle of a file the structural pass cannot read (brackets
   * that do not balance). The pass's classes are kept for `lex`, which reads them again.
   */
  private needlesMatter(found: number): boolean {
    const search = this.search;
    const b = search.bytes();
    const base = b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? 3 : 0;
    if (search.structure(found, base) !== 0) return true;
    for (let k = 0; k < found; k++) {
      if ((search.site(k) & 1) === 0) continue;
      const cls = search.siteClass(k);
      if (cls === COMMENT) continue;
      if (cls !== STRING || referenceAt(search, k) !== null) return true;
    }
    return false;
  }

  /**
   * How the file judged last (`mustLex` true; `text` its bytes as latin1) lexes with `options`
   * for analysis: through its import statements alone where structure.ts can read it so (the
   * result then says `attrsUnknown`), else by the lexer over the whole file.
   */
  lex(text: string, options: LexOptions): FullLexResult {
    if (this.found >= 0) {
      const r = structuredLex(this.search, this.found, text, this.needles);
      if (r !== null) {
        const attrsOf = r.attrsOf;
        if (attrsOf) {
          r.attrsOf = (watch) => {
            const found = attrsOf(watch);
            if (found === null) this.fullyLexed++;
            return found;
          };
        }
        return r;
      }
    }
    this.fullyLexed++;
    return lexPython(text, options);
  }
}

/**
 * The files in which a relative import can reach one of `modules` (legacy modules) without
 * spelling its name, so without a needle: the module's own file and, for a package, every file
 * below it (`from . import helpers` in legacy/sub.py imports legacy.helpers). A predicate on
 * root-relative paths, under each import root of `srcRoots`; it may say yes to a few more
 * (a stub, a folder that is not a package), never to fewer.
 */
export function insideLegacy(modules: Iterable<string>, srcRoots: readonly string[]): (file: string) => boolean {
  const prefixes: string[] = [];
  for (const root of rootPrefixes(srcRoots)) for (const m of new Set(modules)) prefixes.push(root + m.split('.').join('/'));
  return (file) => {
    for (const p of prefixes) {
      if (!file.startsWith(p)) continue;
      const c = file.charCodeAt(p.length);
      if (c === 47 /*/*/ || c === 46 /*.*/) return true;
    }
    return false;
  };
}
