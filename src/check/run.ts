// The CI gate: scan (the whole project, path arguments, or only files changed since a revision),
// then judge the violations, against a baseline when one is given. Prints nothing.

import { existsSync, lstatSync, realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { Config } from '../config/types.js';
import { UsageError } from '../core/errors.js';
import type { Finding } from '../core/finding.js';
import { isViolation } from '../core/summary.js';
import type { MoveVerdict } from '../core/verify.js';
import { makeGlobMatcher } from '../project/files.js';
import { loadProject, runScan, type LoadedProject, type ScanStats } from '../scan/runScan.js';
import { BaselineError, readBaseline, type Baseline } from './baseline.js';
import { compareWithBaseline, type Comparison } from './compare.js';
import { changedSince } from './git.js';

export interface CheckOptions {
  /** Path arguments (relative to cwd): only files at or under them. */
  paths?: string[];
  cwd?: string;
  /** Only files changed since this git revision. */
  changedSince?: string;
  /** Baseline file (absolute, or relative to cwd). */
  baseline?: string;
  /** Fail when the baseline records more violations than are found. */
  strict?: boolean;
  strings?: boolean;
  jobs?: number;
  /** The scan cache's build id (see ScanOptions.cache). */
  cache?: string;
}

export interface CheckResult {
  /** Every finding of the files scanned (violations, string references, suppressed). */
  findings: Finding[];
  /** The findings to report: all of them without a baseline; minus the known ones with one. */
  reported: Finding[];
  violations: number;
  verdicts: MoveVerdict[];
  stats: ScanStats;
  strings: boolean;
  changedSince: string | null;
  /** Absolute path of the baseline used, and what it says. */
  baseline: { file: string; comparison: Comparison } | null;
  /** --strict and the baseline records fixed violations. */
  stale: boolean;
  passed: boolean;
  errors: { file: string; message: string }[];
}

export async function runCheck(config: Config, opts: CheckOptions = {}): Promise<CheckResult> {
  const cwd = opts.cwd ?? process.cwd();
  if (opts.strict && !opts.baseline) throw new UsageError('--strict needs --baseline PATH');

  let baseline: Baseline | null = null;
  let baselineFile: string | null = null;
  if (opts.baseline) {
    baselineFile = resolve(cwd, opts.baseline);
    try {
      baseline = readBaseline(baselineFile);
    } catch (e) {
      if (e instanceof BaselineError) throw new UsageError(`${relative(cwd, baselineFile) || baselineFile}: ${e.message}`, e.details);
      throw e;
    }
    if (!baseline) throw new UsageError(`baseline not found: ${opts.baseline} (create it with \`canon baseline\`)`);
    if (opts.strings && !baseline.strings) {
      throw new UsageError('--strings: the baseline was recorded without --strings; re-record it with `canon baseline --reset --strings`');
    }
  }
  const strings = opts.strings === true || baseline?.strings === true;

  // What this run covers: files to scan, and which baseline files it may call fixed.
  const prefixes = (opts.paths ?? []).map((p) => rootPrefix(config.root, cwd, p));
  const underArgs = (file: string): boolean => prefixes.length === 0 || prefixes.some((p) => p === '' || file === p || file.startsWith(p + '/'));
  let scanPaths: string[] | undefined = opts.paths?.length ? opts.paths : undefined;
  let inScope = underArgs;
  let project: LoadedProject | undefined;
  if (opts.changedSince !== undefined) {
    // The scan never sees the path arguments here, so they are checked here.
    const missing = (opts.paths ?? []).filter((p) => !existsSync(resolve(cwd, p)));
    if (missing.length > 0) throw new UsageError('bad path argument:', missing.map((p) => `${p}: no such file or directory`));
    const [changed, loaded] = await Promise.all([changedSince(config.root, opts.changedSince), loadProject(config)]);
    project = loaded;
    if (changed !== null) {
      const include = makeGlobMatcher(config.include);
      const exclude = makeGlobMatcher(config.exclude);
      const touched = [...new Set([...changed, ...(loaded.untracked ?? [])])].filter((f) => underArgs(f) && include(f) && !exclude(f)).sort();
      const scope = new Set(touched);
      inScope = (file) => scope.has(file);
      scanPaths = touched.filter((f) => isRegularFile(resolve(config.root, f))).map((f) => resolve(config.root, f));
    }
  }

  const scan =
    scanPaths !== undefined && scanPaths.length === 0
      ? null
      : await runScan(config, { paths: scanPaths, cwd, jobs: opts.jobs, project, cache: opts.cache });
  if (scan && scan.problems.length > 0 && opts.changedSince === undefined) {
    throw new UsageError('bad path argument:', scan.problems.map((p) => `${p.path}: ${p.message}`));
  }
  const findings = scan?.findings ?? [];
  const violations = findings.filter((f) => isViolation(f, strings));

  let reported = findings;
  let comparison: Comparison | null = null;
  if (baseline) {
    comparison = compareWithBaseline(violations, baseline, inScope);
    const known = new Set(comparison.known);
    reported = findings.filter((f) => !known.has(f));
  }
  const failing = comparison ? comparison.fresh.length : violations.length;
  const stale = opts.strict === true && comparison !== null && comparison.fixedCount > 0;
  return {
    findings,
    reported,
    violations: violations.length,
    verdicts: scan?.verdicts ?? [],
    stats: scan?.stats ?? { filesScanned: 0, filesLexed: 0, bytes: 0, durationMs: 0, threads: 0 },
    strings,
    changedSince: opts.changedSince ?? null,
    baseline: comparison && baselineFile ? { file: baselineFile, comparison } : null,
    stale,
    passed: failing === 0 && !stale,
    errors: scan?.errors ?? [],
  };
}

/** A path argument as a root-relative POSIX prefix ('' = the root). */
function rootPrefix(root: string, cwd: string, arg: string): string {
  const abs = resolve(cwd, arg);
  let rel = relative(root, abs);
  if (isOutside(rel)) {
    // The same place reached through a symlink (macOS /tmp -> /private/tmp) is still inside.
    try {
      rel = relative(realpathSync(root), realpathSync(abs));
    } catch {
      // keep the outside verdict
    }
  }
  if (isOutside(rel)) throw new UsageError('bad path argument:', [`${arg}: outside the project root (${root})`]);
  return rel.split(sep).join('/');
}

function isOutside(rel: string): boolean {
  return rel === '..' || rel.startsWith('..' + sep) || isAbsolute(rel);
}

function isRegularFile(p: string): boolean {
  try {
    return lstatSync(p).isFile();
  } catch {
    return false;
  }
}
