// Totals a report shows: by kind, area, priority and move. Violations are what fail a gate:
// legacy imports and unresolved imports (and string references with --strings), never suppressed ones.

import { PRIORITIES, type Area, type Priority } from '../config/types.js';
import { zeroByKind, type Finding, type FindingKind } from './finding.js';
import type { MoveVerdict, Verdict } from './verify.js';
import { canonicalPath } from './moveTable.js';

export interface AreaTotal {
  area: string;
  priority: Priority;
  violations: number;
  fixable: number;
  files: number;
}

export interface MoveTotal {
  move: string;
  canonical: string;
  verdict: Verdict;
  violations: number;
}

export interface Summary {
  filesScanned: number;
  filesLexed: number;
  filesWithViolations: number;
  violations: number;
  fixable: number;
  suppressed: number;
  byKind: Record<FindingKind, number>;
  byArea: AreaTotal[];
  byPriority: Record<Priority, number>;
  byMove: MoveTotal[];
}

export function isViolation(f: Finding, strings: boolean): boolean {
  return !f.suppressed && (f.kind !== 'string-reference' || strings);
}

export function summarize(
  findings: readonly Finding[],
  verdicts: readonly MoveVerdict[],
  areas: readonly Area[],
  stats: { filesScanned: number; filesLexed: number },
  strings: boolean,
): Summary {
  const byKind = zeroByKind();
  const byPriority = Object.fromEntries(PRIORITIES.map((p) => [p, 0])) as Record<Priority, number>;
  const areaTotals = new Map<string, AreaTotal & { fileSet: Set<string> }>();
  for (const a of areas) areaTotals.set(a.name, { area: a.name, priority: a.priority, violations: 0, fixable: 0, files: 0, fileSet: new Set() });
  const moveCounts = new Map<string, number>();
  const files = new Set<string>();
  let violations = 0;
  let fixable = 0;
  let suppressed = 0;
  for (const f of findings) {
    if (f.suppressed) {
      suppressed++;
      continue;
    }
    byKind[f.kind]++;
    if (!isViolation(f, strings)) continue;
    violations++;
    if (f.fixable) fixable++;
    files.add(f.file);
    byPriority[f.priority]++;
    let at = areaTotals.get(f.area);
    if (!at) {
      at = { area: f.area, priority: f.priority, violations: 0, fixable: 0, files: 0, fileSet: new Set() };
      areaTotals.set(f.area, at);
    }
    at.violations++;
    if (f.fixable) at.fixable++;
    at.fileSet.add(f.file);
    if (f.move) moveCounts.set(f.move, (moveCounts.get(f.move) ?? 0) + 1);
  }
  const byArea = [...areaTotals.values()]
    .filter((a) => a.violations > 0)
    .map(({ fileSet, ...a }) => ({ ...a, files: fileSet.size }));
  const byMove = verdicts.map((v) => ({
    move: v.move.id,
    canonical: canonicalPath(v.move),
    verdict: v.verdict,
    violations: moveCounts.get(v.move.id) ?? 0,
  }));
  return {
    filesScanned: stats.filesScanned,
    filesLexed: stats.filesLexed,
    filesWithViolations: files.size,
    violations,
    fixable,
    suppressed,
    byKind,
    byArea,
    byPriority,
    byMove,
  };
}
