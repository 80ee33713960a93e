// The contract between `canon shim` and its callers (migrate, usage): plan the shims of a project
// in memory, then write the plan. Planning never touches the disk.

import type { Config } from '../config/types.js';
import type { ScanResult } from '../scan/runScan.js';

export interface ShimOptions {
  /** Shim moves whose verdict is `divergent` too (serving the canonical object changes behaviour). */
  allowDivergent?: boolean;
  /**
   * A scan of the same project and config already run (migrate has one): saves another. It must
   * be unfiltered (no paths, areas or moves): its findings tell which legacy paths code still uses.
   */
  scan?: ScanResult;
}

export interface RemoveOptions {
  /** Usage logs (CANON_SHIM_LOG files): a legacy path with a recorded use is kept. */
  usageLogs?: string[];
  /** As ShimOptions.scan: unfiltered. */
  scan?: ScanResult;
}

export type ShimAction = 'create' | 'update' | 'delete' | 'unchanged';

/** One legacy module's file and what the plan does to it. */
export interface ShimFile {
  /** Root-relative POSIX path. */
  file: string;
  /** The file's bytes now; null when it does not exist. */
  before: Buffer | null;
  /** The file's bytes after the plan; null when the plan deletes it. */
  after: Buffer | null;
  action: ShimAction;
  /** Dotted name of the legacy module. */
  module: string;
  /** The names its block serves after the plan (sorted). */
  names: string[];
  /** Whole-module move: the module every other attribute is forwarded to. */
  forward: string | null;
  /** Legacy paths taken out by `--remove` (`module:Name`, or the module for a forwarding shim). */
  removed: string[];
}

/** A legacy path canon would not shim (or un-shim), and why. */
export interface ShimRefusal {
  /** The move's id (its `from`); null for a problem with a shim block not tied to one move. */
  move: string | null;
  /** `module:Name` or `module`. */
  legacy: string;
  /** The legacy module's root-relative file, when it has one. */
  file: string | null;
  reason: string;
  /** The legacy module already holds a shim block that this plan leaves out of date: `--check` fails. */
  stale: boolean;
}

export interface ShimPlan {
  /** Every legacy module the plan covers, changed or not, sorted by file. */
  files: ShimFile[];
  refused: ShimRefusal[];
}

export interface WriteResult {
  written: string[];
  deleted: string[];
  /** A file that could not be written never stops the others. */
  errors: { file: string; message: string }[];
}

export { planShims } from './plan.js';
export { planShimRemoval } from './remove.js';
export { writeShims } from './write.js';

/** Signatures, for callers that read this file first. */
export type PlanShims = (config: Config, opts?: ShimOptions) => Promise<ShimPlan>;
export type PlanShimRemoval = (config: Config, opts?: RemoveOptions) => Promise<ShimPlan>;
export type WriteShims = (root: string, plan: ShimPlan) => WriteResult;
