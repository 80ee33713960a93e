// The records migrate keeps in its journal and the events it emits while it runs. The journal's
// JSON (`.canon/migrate/runs/*.json`) is read back by `canon report`: fields are only ever added.

import type { Priority } from '../config/types.js';
import type { FixPlan } from '../fix/api.js';

/** What migrate needs from `canon fix`: plan the rewrite of some files, in memory. */
export interface Fixer {
  plan(files: string[]): Promise<FixPlan>;
}

/** One file of the plan: its fixable findings, counted, and the moves they belong to. */
export interface PlannedFile {
  file: string;
  imports: number;
  moves: string[];
}

export interface PlannedBatch {
  /** 1-based position in the plan. */
  n: number;
  area: string;
  priority: Priority;
  files: PlannedFile[];
}

/** Passed/failed counts parsed from JUnit or from the runner's own summary line (best-effort). */
export interface TestCounts {
  total: number;
  passed: number;
  failed: number;
  errors: number;
  skipped: number;
  /** Where the counts come from. */
  source: 'junit' | 'unittest' | 'pytest';
}

export type RunKind = 'baseline' | 'batch' | 'bisect';

/** One run of the validation command. */
export interface ValidationRecord {
  kind: RunKind;
  /** Files applied for this run (empty for the baseline). */
  files: string[];
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  /** Stopped because canon itself was interrupted. */
  interrupted: boolean;
  durationMs: number;
  passed: boolean;
  /** Why it failed, in a few words (null when it passed). */
  reason: string | null;
  counts: TestCounts | null;
  /** Tests that failed (JUnit ids, or names read from the output). */
  failingTests: string[];
  /** With JUnit: tests that passed at baseline and did not pass here. */
  newlyFailing: string[];
  /** The full output, relative to the project root (under .canon/). */
  log: string;
  /** The tail of the output, or the failing tests' blocks. */
  excerpt: string;
}

export interface CommitRecord {
  sha: string;
  subject: string;
  files: string[];
  imports: number;
}

/** A file whose rewrite made validation fail: restored to its bytes and left for a person. */
export interface Quarantine {
  file: string;
  imports: number;
  moves: string[];
  reason: string;
  failingTests: string[];
  excerpt: string;
  log: string;
}

/** A file migrate changed and kept (committed, or left in the tree with --no-commit). */
export interface FileChange {
  file: string;
  imports: number;
  moves: string[];
  /** Findings rewritten, as `line: legacy -> canonical`. */
  details: string[];
  commit: string | null;
  /** The attempt (ActiveRecord.key) that kept it. */
  attempt: string;
}

export interface Skip {
  file: string;
  reason: string;
}

export interface BatchRecord {
  n: number;
  of: number;
  area: string;
  priority: Priority;
  status: 'running' | 'passed' | 'partial' | 'failed' | 'empty';
  runs: ValidationRecord[];
  commits: CommitRecord[];
  changes: FileChange[];
  quarantined: Quarantine[];
  /** Files left as they were because the fixer could not rewrite them. */
  skipped: Skip[];
  durationMs: number;
}

/** Scan figures at the start of a run, enough for the report's "before" tables. */
export interface ScanSnapshot {
  filesScanned: number;
  violations: number;
  fixable: number;
  filesWithViolations: number;
  byArea: { area: string; priority: Priority; violations: number; fixable: number; files: number }[];
  byPriority: Record<Priority, number>;
  byMove: { move: string; canonical: string; verdict: string; violations: number }[];
}

export type RunStatus = 'running' | 'done' | 'interrupted' | 'failed' | 'superseded';

export interface RunOptionsRecord {
  validate: string;
  batchSize: number;
  timeout: number | null;
  junit: string | null;
  commit: boolean;
  allowDirty: boolean;
  areas: string[];
  priorities: string[];
  moves: string[];
  paths: string[];
  strings: boolean;
}

export interface RunRecord {
  version: 1;
  id: string;
  canonVersion: string;
  startedAt: string;
  finishedAt: string | null;
  status: RunStatus;
  /** Why the run stopped early (failed/interrupted), or null. */
  error: string | null;
  head: string;
  options: RunOptionsRecord;
  scan: ScanSnapshot;
  plan: PlannedBatch[];
  baseline: ValidationRecord | null;
  /** With JUnit: the tests that passed at baseline. */
  baselinePassing: string[] | null;
  batches: BatchRecord[];
  /** Files left out of the plan: uncommitted changes, untracked. */
  skipped: Skip[];
  /** How many times the run was resumed. */
  resumes: number;
}

/** The in-flight set of files, written durably before any of them is touched. */
export interface ActiveRecord {
  version: 1;
  runId: string;
  batch: number;
  /** Unique per attempt; also the `Canon-Batch:` trailer of its commit. */
  key: string;
  pid: number;
  /** Where the attempt is (see journal.ts): `committing`/`keeping` once validation passed, `committed` once the commit landed. */
  phase: 'writing' | 'validating' | 'committing' | 'committed' | 'keeping';
  /** With `committed`: the commit. */
  commit?: string;
  files: { file: string; backup: string; before: string; after: string; imports: number; moves: string[]; details: string[] }[];
}

/** What migrate tells its reporter, in order. `--format json` prints these one per line. */
export type MigrateEvent =
  | { type: 'recovered'; runId: string; files: string[]; committed: boolean; conflicts?: string[] }
  /** migrate put `pattern` into git's own exclude file (`file`) so its journal stays out of commits; once per repository. */
  | { type: 'excluded'; file: string; pattern: string }
  | {
      type: 'start'; runId: string; resumed: boolean; batches: number; files: number; imports: number; skipped: Skip[];
      /** What the run being resumed had done already (all zero for a new run): counters go on from there. */
      done: { batches: number; files: number; imports: number; durationsMs: number[] };
    }
  | { type: 'baseline-start' }
  | { type: 'baseline'; run: ValidationRecord }
  | { type: 'batch-start'; n: number; of: number; area: string; priority: Priority; files: string[]; imports: number }
  | { type: 'validate-start'; kind: RunKind; files: string[]; timeout: number | null }
  | { type: 'validate-end'; run: ValidationRecord }
  | { type: 'commit'; n: number; commit: CommitRecord }
  | { type: 'kept'; n: number; files: string[]; imports: number }
  | { type: 'bisect'; n: number; files: string[] }
  | { type: 'quarantine'; n: number; quarantine: Quarantine }
  | { type: 'skip'; n: number; skip: Skip }
  | { type: 'batch-end'; batch: BatchRecord }
  | { type: 'interrupted'; signal: string; rolledBack: string[] }
  | { type: 'end'; run: RunRecord; report: { markdown: string; json: string } | null };

export interface EventSink {
  emit(e: MigrateEvent): void;
  /** Called once when the run ends (stop timers, clear the live display). */
  close(): void;
}
