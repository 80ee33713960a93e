// `--statistics` (ruff's): how many violations there are of each code and move, most first, instead
// of the violations themselves. `[*]`: every one of them is fixable, `[-]`: some are, `[ ]`: none.
// As JSON (`--format json`): [{code, name, move, canonical, count, fixable}], `fixable` a count.

import type { Finding, FindingKind } from '../core/finding.js';
import { isViolation } from '../core/summary.js';
import type { ScanReport } from './model.js';

const NAMES: Record<FindingKind, string> = {
  'legacy-import': 'legacy-import',
  unresolved: 'unresolved-import',
  'string-reference': 'string-reference',
};

export interface Statistic {
  code: string;
  name: string;
  /** The move's `from`, or null (unresolved imports). */
  move: string | null;
  canonical: string | null;
  count: number;
  fixable: number;
}

export function statisticsOf(findings: readonly Finding[], strings: boolean): Statistic[] {
  const groups = new Map<string, Statistic>();
  for (const f of findings) {
    if (!isViolation(f, strings)) continue;
    const key = `${f.code}\0${f.move ?? ''}`;
    let g = groups.get(key);
    if (!g) {
      g = { code: f.code, name: NAMES[f.kind], move: f.move, canonical: null, count: 0, fixable: 0 };
      groups.set(key, g);
    }
    g.count++;
    if (f.fixable) g.fixable++;
  }
  // Code-unit order, not the locale's: the same everywhere.
  const cmp = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0);
  return [...groups.values()].sort((a, b) => b.count - a.count || cmp(a.code, b.code) || cmp(a.move ?? '', b.move ?? ''));
}

export function statisticsText(r: ScanReport): string {
  const stats = withCanonical(statisticsOf(r.findings, r.strings), r);
  if (stats.length === 0) return '';
  const w = Math.max(...stats.map((s) => String(s.count).length));
  return (
    stats
      .map((s) => {
        const mark = s.fixable === s.count ? '[*]' : s.fixable > 0 ? '[-]' : '[ ]';
        const what = s.move === null ? s.name : `${s.move} -> ${s.canonical ?? '?'}`;
        const part = s.fixable > 0 && s.fixable < s.count ? `  (${s.fixable} fixable)` : '';
        return `${String(s.count).padStart(w)}  ${r.colors.red(s.code)}  ${mark} ${what}${part}`;
      })
      .join('\n') + '\n'
  );
}

export function statisticsJson(r: ScanReport): string {
  return JSON.stringify(withCanonical(statisticsOf(r.findings, r.strings), r), null, 2) + '\n';
}

/** Each move's canonical path as the config names it (a module move's target module, not a submodule's). */
function withCanonical(stats: Statistic[], r: ScanReport): Statistic[] {
  const canonical = new Map(r.summary.byMove.map((m) => [m.move, m.canonical]));
  return stats.map((s) => ({ ...s, canonical: s.move === null ? null : (canonical.get(s.move) ?? null) }));
}
