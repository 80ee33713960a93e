// `per-file-ignores` as ruff reads it: a glob matches a file by its root-relative path (or, for a
// glob without a `/`, by its name too: `"__init__.py"` is every package's), a leading `!` inverts
// the match, and every entry that applies adds its codes. A finding whose code one of them selects
// is suppressed, as `# canon: ignore` would suppress it: counted, never a violation, never fixed.

import type { PerFileIgnore } from '../config/types.js';
import { makeGlobMatcher } from './files.js';

/** Does `selector` (a code, a prefix of codes, or `ALL`) select `code`? */
export function selects(selector: string, code: string): boolean {
  return selector === 'ALL' || code.startsWith(selector);
}

/**
 * Compile the entries once; the returned function says whether `code` is ignored in `file`
 * (root-relative, `/`-separated). Each file's answer is worked out once.
 */
export function makeIgnoreMatcher(entries: readonly PerFileIgnore[]): (file: string, code: string) => boolean {
  if (entries.length === 0) return () => false;
  const compiled = entries.map((e) => {
    const path = makeGlobMatcher([e.pattern]);
    const byName = !e.pattern.includes('/');
    const matches = (file: string): boolean => path(file) || (byName && path(file.slice(file.lastIndexOf('/') + 1)));
    return { applies: (file: string) => matches(file) !== e.negated, codes: e.codes };
  });
  const perFile = new Map<string, string[]>();
  return (file, code) => {
    let selectors = perFile.get(file);
    if (selectors === undefined) {
      selectors = compiled.filter((c) => c.applies(file)).flatMap((c) => c.codes);
      perFile.set(file, selectors);
    }
    return selectors.some((s) => selects(s, code));
  };
}
