// The contract between `canon fix` and its callers (migrate, the demo): plan the rewrite of some
// files in memory, then write the plan. Planning never touches the disk.

import type { Config } from '../config/types.js';
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
  refused: Refusal[];
}

export interface FixError {
  file: string;
  message: string;
}

export interface FixPlan {
  /** Files whose bytes change. */
  files: FileFix[];
  /** Findings refused in files that did not otherwise change, too. */
  refused: Refusal[];
  /** Files left as they were because the rewrite failed a check (lex, py_compile) or did not parse. */
  errors: FixError[];
}
