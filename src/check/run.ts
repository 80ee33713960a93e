// The CI gate: scan (the whole project, path arguments, or only files changed since a revision),
// then judge the violations, against a baseline when one is given. Prints nothing.

import { existsSync, lstatSync, realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { Config, Priority } from '../config/types.js';
import { UsageError } from '../core/errors.js';
import type { Finding } from '../core/finding.js';
import { MoveTable } from '../core/moveTable.js';
import { isViolation } from '../core/summary.js';
import type { MoveVerdict } from '../core/verify.js';
import { makeAreaMatcher } from '../project/areas.js';
import { listPythonFiles, makeGlobMatcher } from '../project/files.js';
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
  /** Filters (scan's --area, --priority, --move): the gate judges only these findings and baseline entries. */
  areas?: string[];
  priorities?: Priority[];
  moves?: string[];
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

  const { baseline, baselineFile } = checkBaseline(opts, cwd);
  const strings = opts.strings === true || baseline?.strings === true;

  const { scanPaths, inScope, project } = await scopeOf(config, opts, cwd);
  const scan =
    scanPaths !== undefined && scanPaths.length === 0
      ? null
      : await runScan(config, { paths: scanPaths, cwd, jobs: opts.jobs, project, cache: opts.cache });
  if (scan && scan.problems.length > 0 && opts.changedSince === undefined) {
    throw new UsageError('bad path argument:', scan.problems.map((p) => `${p.path}: ${p.message}`));
  }
  // The filters apply after the comparison: the baseline's counts are per (file, legacy path), and
  // the findings of a key are judged together before some of them are set aside.
  const selected = selection(config, opts);
  const findings = (scan?.findings ?? []).filter((f) => selected.finding(f));
  const all = (scan?.findings ?? []).filter((f) => isViolation(f, strings));
  const violations = all.filter((f) => selected.finding(f));

  let reported = findings;
  let comparison: Comparison | null = null;
  if (baseline) {
    comparison = narrowComparison(compareWithBaseline(all, baseline, inScope), selected);
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

/** The baseline --baseline names, read and checked against the other options (a UsageError if it cannot be used). */
export function checkBaseline(opts: CheckOptions, cwd: string): { baseline: Baseline | null; baselineFile: string | null } {
  if (opts.strict && !opts.baseline) throw new UsageError('--strict needs --baseline PATH');
  if (!opts.baseline) return { baseline: null, baselineFile: null };
  const baselineFile = resolve(cwd, opts.baseline);
  let baseline: Baseline | null;
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
  return { baseline, baselineFile };
}

interface Scope {
  /** What the scan is given: undefined for the whole project, else paths (cwd-relative or absolute). */
  scanPaths: string[] | undefined;
  /** Which baseline files this run may call fixed (root-relative). */
  inScope: (file: string) => boolean;
  project: LoadedProject | undefined;
}

/** What this run covers: the files to scan, and which baseline files it may call fixed. */
async function scopeOf(config: Config, opts: CheckOptions, cwd: string): Promise<Scope> {
  const prefixes = (opts.paths ?? []).map((p) => rootPrefix(config.root, cwd, p));
  const underArgs = (file: string): boolean => prefixes.length === 0 || prefixes.some((p) => p === '' || file === p || file.startsWith(p + '/'));
  if (opts.changedSince === undefined) return { scanPaths: opts.paths?.length ? opts.paths : undefined, inScope: underArgs, project: undefined };
  // The scan never sees the path arguments here, so they are checked here.
  const missing = (opts.paths ?? []).filter((p) => !existsSync(resolve(cwd, p)));
  if (missing.length > 0) throw new UsageError('bad path argument:', missing.map((p) => `${p}: no such file or directory`));
  const [changed, project] = await Promise.all([changedSince(config.root, opts.changedSince), loadProject(config)]);
  if (changed === null) return { scanPaths: opts.paths?.length ? opts.paths : undefined, inScope: underArgs, project };
  const include = makeGlobMatcher(config.include);
  const exclude = makeGlobMatcher(config.exclude);
  const touched = [...new Set([...changed, ...(project.untracked ?? [])])].filter((f) => underArgs(f) && include(f) && !exclude(f)).sort();
  const scope = new Set(touched);
  const scanPaths = touched.filter((f) => isRegularFile(resolve(config.root, f))).map((f) => resolve(config.root, f));
  return { scanPaths, inScope: (file) => scope.has(file), project };
}

/**
 * The files a check reads (root-relative, sorted), and the paths to hand `canon fix` for the same
 * files (`check --fix`, `--diff`): none when nothing changed since the revision.
 */
export async function checkFiles(config: Config, opts: CheckOptions = {}): Promise<{ files: string[]; paths: string[] | undefined }> {
  const cwd = opts.cwd ?? process.cwd();
  const { scanPaths } = await scopeOf(config, opts, cwd);
  if (scanPaths !== undefined && scanPaths.length === 0) return { files: [], paths: [] };
  const listing = await listPythonFiles(config, scanPaths, cwd);
  if (listing.problems.length > 0) throw new UsageError('bad path argument:', listing.problems.map((p) => `${p.path}: ${p.message}`));
  return { files: listing.files, paths: scanPaths };
}

/** The filters as predicates over findings and over baseline keys (file, legacy path). */
function selection(config: Config, opts: CheckOptions): { finding: (f: Finding) => boolean; key: (file: string, legacy: string) => boolean } {
  const areas = opts.areas ?? [];
  const priorities = opts.priorities ?? [];
  const moves = opts.moves ?? [];
  if (areas.length === 0 && priorities.length === 0 && moves.length === 0) return { finding: () => true, key: () => true };
  const areaOf = makeAreaMatcher(config.areas);
  const table = new MoveTable(config.moves);
  const place = (area: string, priority: Priority): boolean => (areas.length === 0 || areas.includes(area)) && (priorities.length === 0 || priorities.includes(priority));
  const moveOf = (legacy: string): string | null => {
    const colon = legacy.indexOf(':');
    if (colon >= 0) return table.symbol(legacy.slice(0, colon), legacy.slice(colon + 1))?.id ?? null;
    return table.moduleMoveFor(legacy)?.id ?? null;
  };
  const moved = (move: string | null): boolean => moves.length === 0 || (move !== null && moves.includes(move));
  return {
    finding: (f) => place(f.area, f.priority) && moved(f.move),
    key: (file, legacy) => {
      const a = areaOf(file);
      return place(a.name, a.priority) && moved(moveOf(legacy));
    },
  };
}

function narrowComparison(c: Comparison, selected: ReturnType<typeof selection>): Comparison {
  const fixed = c.fixed.filter((e) => selected.key(e.file, e.legacy));
  return {
    fresh: c.fresh.filter(selected.finding),
    known: c.known.filter(selected.finding),
    fixed,
    fixedCount: fixed.reduce((n, e) => n + e.recorded - e.found, 0),
    recorded: c.recorded,
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
