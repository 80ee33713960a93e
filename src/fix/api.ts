// The contract between `canon fix` and its callers (migrate, the demo): plan the rewrite of some
// files in memory, then write the plan. Planning never touches the disk.

import type { Finding } from '../core/finding.js';

export type ImportStyle = 'absolute' | 'relative' | 'keep';

export interface FixOptions {
  /** Root-relative or cwd-relative paths narrowing the files (as scan's path arguments). */
  paths?: string[];
  cwd?: string;
  areas?: string[];
  priorities?: string[];
  moves?: string[];
  /** Only these root-relative files (migrate's batches). */
  files?: string[];
  renameUses?: boolean;
  style?: ImportStyle;
  strings?: boolean;
  allowDivergent?: boolean;
  /** The interpreter that compiles rewritten files: default $CANON_PYTHON or `python3`; null skips it. */
  python?: string | null;
  /** After writing, import each rewritten module in a fresh interpreter; put back those that fail (fix.ts). */
  importCheck?: boolean;
}

/** A finding canon would not rewrite, and why. */
export interface Refusal {
  finding: Finding;
  reason: string;
}

export interface FileFix {
  /** Root-relative path. */
  file: string;
  before: Buffer;
  after: Buffer;
  /** Findings rewritten in this file. */
  fixed: Finding[];
  /** The module the file is, under the import roots (null: not a module, e.g. a script outside them). */
  module?: string | null;
  refused: Refusal[];
}

export interface FixError {
  file: string;
  message: string;
}

export interface FixPlan {
  /** Files whose bytes change. */
  files: FileFix[];
  /** Findings refused in files that did not otherwise change, too (a changed file's are in its FileFix). */
  refused: Refusal[];
  /** Files left as they were because the rewrite failed a check (lex, py_compile) or did not parse. */
  errors: FixError[];
  /** What `canon fix` prints beyond the above (optional: callers may ignore it). */
  details?: FixPlanDetails;
}

/** An explanation worth printing: an alias kept instead of renaming uses, a patch target left alone. */
export interface FixNote {
  file: string;
  /** 1-based. */
  line: number;
  message: string;
}

export interface FixPlanDetails {
  /** `--import-check`: what importing the rewritten modules showed (set once the plan is written). */
  importCheck?: import('./importCheck.js').ImportCheckReport;
  notes: FixNote[];
  /** String references to applied moves left alone because --strings was not given. */
  strings: { file: string; line: number; column: number; legacy: string }[];
  /** Moves applied although verify did not say `same` (--allow-divergent): id and verify's reason. */
  overridden: { move: string; verdict: string; reason: string | null }[];
  stats: {
    filesScanned: number;
    /** Files whose rewrite was planned (had a finding of an applied move). */
    filesPlanned: number;
    scanMs: number;
    planMs: number;
    checkMs: number;
    /** python3 compiled the rewritten files (else tree-sitter checked they parse). */
    compiled: boolean;
  };
}
