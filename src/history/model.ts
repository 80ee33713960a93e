// What `canon history` measures at each commit, as plain data: the CSV and JSON reporters write
// it, and the HTML report draws its burn-down from it. A public contract: add, never rename.

import type { Priority } from '../config/types.js';
import type { FindingKind } from '../core/finding.js';

export interface HistoryPoint {
  /** Full object name of the commit. */
  commit: string;
  /** Committer date, ISO 8601 with the committer's offset. */
  date: string;
  author: string;
  subject: string;
  /** Files scanned at this commit (include, minus exclude). */
  files: number;
  /** What would fail `canon scan`: legacy and unresolved imports (and string references with --strings), not suppressed. */
  violations: number;
  /** Findings by kind, suppressed ones left out (string references counted even without --strings). */
  byKind: Record<FindingKind, number>;
  /** Findings suppressed by `# canon: ignore`, `# noqa: CAN001` or per-file-ignores. */
  suppressed: number;
  /** Violations per area: every configured area in config order, then `other`; zeros included. */
  byArea: Record<string, number>;
  byPriority: Record<Priority, number>;
  /** Violations per move (its `from`), every configured move; zeros included. */
  byMove: Record<string, number>;
}

export interface HistoryStats {
  commits: number;
  /** Files analyzed, and files whose result was carried over from an earlier commit (summed over commits). */
  analyzed: number;
  reused: number;
  durationMs: number;
}
