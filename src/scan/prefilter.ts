// The byte prefilter, fused with the import-site check: one regular-expression pass over the
// latin1-held text finds the needles (a file containing none of them cannot mention a legacy path)
// and every `import` word (where an unresolved project import could stand), so each file is read
// through once before canon decides whether to lex it.

import type { ModuleIndex } from '../python/moduleIndex.js';
import { siteMayBeUnresolved, type SelfModule } from './importSites.js';

export class Prefilter {
  private readonly re: RegExp;
  private readonly needles: readonly string[];
  /** A needle ends with `import`: tell the matches apart by their text. */
  private readonly exact: boolean;

  constructor(needles: readonly string[]) {
    // Needles are identifiers; a non-ASCII one is matched by its UTF-8 bytes, as the text holds them.
    this.needles = [...new Set(needles)].filter((n) => n.length > 0).map((n) => Buffer.from(n, 'utf8').toString('latin1'));
    const parts = [...this.needles, 'import'].map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    this.re = new RegExp(parts.join('|'), 'g');
    this.exact = this.needles.some((n) => n.endsWith('import'));
  }

  /** True when the file must be lexed: it names a legacy module, or may import a missing project module. */
  mustLex(text: string, index: ModuleIndex, self: SelfModule | undefined): boolean {
    const re = this.re;
    re.lastIndex = 0;
    if (this.exact) {
      let m: RegExpExecArray | null;
      while ((m = re.exec(text)) !== null) {
        if (m[0] !== 'import') return true;
        if (siteMayBeUnresolved(text, m.index, index, self)) return true;
      }
      return false;
    }
    // test() allocates no match: the match ending in `import` is the word, since no needle does.
    while (re.test(text)) {
      const at = re.lastIndex - 6;
      if (at < 0 || !text.startsWith('import', at)) return true;
      if (siteMayBeUnresolved(text, at, index, self)) return true;
    }
    return false;
  }
}
