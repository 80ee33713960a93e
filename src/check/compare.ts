// Violations against a baseline: which are new, which the baseline already holds, and which
// recorded ones are gone. The gate counts per (file, legacy path); fingerprints only choose which
// occurrences of a key to call new when its count grew.

import type { Finding } from '../core/finding.js';
import { baselineOf, fingerprint, type Baseline, type BaselineEntry } from './baseline.js';

/** A (file, legacy path) with fewer violations than the baseline records. */
export interface FixedEntry {
  file: string;
  legacy: string;
  recorded: number;
  found: number;
}

export interface Comparison {
  /** Violations beyond what the baseline allows, in the order given. */
  fresh: Finding[];
  /** Violations the baseline accounts for. */
  known: Finding[];
  /** Keys whose count went down, sorted by file then legacy path. */
  fixed: FixedEntry[];
  /** Sum of (recorded - found) over `fixed`. */
  fixedCount: number;
  /** Violations recorded for in-scope files. */
  recorded: number;
}

/**
 * `inScope(file)` says which baseline files this run looked at: with --changed-since or path
 * arguments, a file the run did not scan has not lost its violations.
 */
export function compareWithBaseline(
  violations: readonly Finding[],
  baseline: Baseline,
  inScope: (file: string) => boolean,
): Comparison {
  const groups = new Map<string, Finding[]>();
  for (const f of violations) {
    const k = key(f.file, f.legacy);
    const g = groups.get(k);
    if (g) g.push(f);
    else groups.set(k, [f]);
  }
  const freshSet = new Set<Finding>();
  for (const g of groups.values()) {
    const entry = baseline.files.get(g[0]!.file)?.get(g[0]!.legacy);
    for (const f of pickFresh(g, entry)) freshSet.add(f);
  }

  const fixed: FixedEntry[] = [];
  let fixedCount = 0;
  let recorded = 0;
  for (const [file, byLegacy] of baseline.files) {
    if (!inScope(file)) continue;
    for (const [legacy, e] of byLegacy) {
      recorded += e.count;
      const found = groups.get(key(file, legacy))?.length ?? 0;
      if (found < e.count) {
        fixed.push({ file, legacy, recorded: e.count, found });
        fixedCount += e.count - found;
      }
    }
  }
  fixed.sort((a, b) => cmp(a.file, b.file) || cmp(a.legacy, b.legacy));
  return {
    fresh: violations.filter((f) => freshSet.has(f)),
    known: violations.filter((f) => !freshSet.has(f)),
    fixed,
    fixedCount,
    recorded,
  };
}

/**
 * The occurrences of one key that exceed the recorded count. Occurrences whose fingerprint the
 * baseline does not hold are the likely newcomers; if the count grew by more than those (the same
 * text added again), the last occurrences in the file make up the rest.
 */
function pickFresh(group: readonly Finding[], entry: BaselineEntry | undefined): Finding[] {
  const excess = group.length - (entry?.count ?? 0);
  if (excess <= 0) return [];
  if (!entry) return [...group];
  const left = new Map<string, number>();
  for (const fp of entry.fingerprints) left.set(fp, (left.get(fp) ?? 0) + 1);
  const unmatched: Finding[] = [];
  const matched: Finding[] = [];
  for (const f of group) {
    const fp = fingerprint(f);
    const n = left.get(fp) ?? 0;
    if (n > 0) {
      left.set(fp, n - 1);
      matched.push(f);
    } else unmatched.push(f);
  }
  const chosen = unmatched.slice(0, excess);
  for (let i = matched.length - 1; chosen.length < excess; i--) chosen.push(matched[i]!);
  return chosen;
}

function key(file: string, legacy: string): string {
  return `${file}\0${legacy}`;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The baseline `canon baseline` writes over an existing one: each key keeps min(recorded, found)
 * occurrences, so it only ratchets down; violations it does not allow are left out and returned.
 */
export function tightenBaseline(old: Baseline, violations: readonly Finding[]): { baseline: Baseline; leftOut: Finding[] } {
  const c = compareWithBaseline(violations, old, () => true);
  return { baseline: baselineOf(c.known, old.strings), leftOut: c.fresh };
}
