// The prefilter: decides from a file's bytes, without lexing, whether it must be lexed. One SIMD
// pass (needleSearch.ts) finds the needles (a file containing none of them cannot mention a legacy
// path) and every `import` word (where an unresolved project import could stand); the words are
// then read as import sites (importSites.ts). The file becomes text only when it must be lexed.

import type { Stats } from 'node:fs';
import type { ModuleIndex } from '../python/moduleIndex.js';
import { ImportSites } from './importSites.js';
import { NeedleSearch } from './needleSearch.js';

export class Prefilter {
  private readonly search: NeedleSearch;
  private sites: ImportSites | null = null;

  /** `needles`: identifiers (legacy module names); a non-ASCII one is matched by its UTF-8 bytes. */
  constructor(needles: readonly string[]) {
    this.search = new NeedleSearch(needles.map((n) => Buffer.from(n, 'utf8').toString('latin1')));
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
    const found = this.search.search();
    if (found < 0) return true;
    if (found === 0) return false;
    if (this.sites?.index !== index) this.sites = new ImportSites(index);
    const sites = this.sites;
    const bytes = this.search.bytes();
    for (let k = 0; k < found; k++) {
      if (sites.mayBeUnresolved(bytes, this.search.site(k), file)) return true;
    }
    return false;
  }
}
