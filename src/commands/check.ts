import type { Command } from 'commander';
// canon check: the CI gate. Exit 1 on any violation, or with --baseline on violations the baseline
// does not hold (and with --strict on a baseline that records fixed ones). With --fix, `canon fix`
// runs first over the same files and the gate judges what is left; --diff shows that fix instead.
import { cacheFor, filterOptions, formatOf, formatOption, globalOptions, jobsOption, type GlobalOptions } from './options.js';

import { renderCheck, type CheckFix } from '../check/report.js';
import { checkBaseline, checkFiles, runCheck, type CheckOptions } from '../check/run.js';
import type { Config } from '../config/types.js';
import { EXIT_CLEAN, EXIT_FINDINGS, UsageError } from '../core/errors.js';
import { allRefusals, planFix } from '../fix/plan.js';
import { fixDiff, fixSummary } from '../fix/report.js';
import { writeFixPlan } from '../fix/write.js';
import { colorsFor } from '../report/colors.js';
import { SCAN_FORMATS } from '../report/index.js';
import { VERSION } from '../version.js';
import { checkFilters, checkFormat, loadProjectConfig, type CommonOptions, type FilterOptions } from './context.js';
import { statisticsFormat, type CommandResult } from './scan.js';
import { filesResult } from './showFiles.js';

export interface CheckCommandOptions extends CommonOptions, FilterOptions, GlobalOptions {
  paths?: string[];
  baseline?: string;
  strict?: boolean;
  changedSince?: string;
  format?: string;
  /** ruff's name for --format. */
  outputFormat?: string;
  strings?: boolean;
  jobs?: number;
  /** false: --no-cache. */
  cache?: boolean;
  /** Rewrite what `canon fix` can first, then check what is left. */
  fix?: boolean;
  /** Print the diff --fix would apply; write nothing. */
  diff?: boolean;
  statistics?: boolean;
  showFiles?: boolean;
  /** List every fixed baseline entry. */
  verbose?: boolean;
}

export async function checkCommand(opts: CheckCommandOptions): Promise<CommandResult> {
  const cwd = opts.cwd ?? process.cwd();
  const config = loadProjectConfig(opts);
  const format = checkFormat(formatOf(opts), SCAN_FORMATS, 'text');
  if (opts.statistics) statisticsFormat(format);
  const filters = checkFilters(config, opts);
  const options: CheckOptions = {
    paths: opts.paths, cwd, changedSince: opts.changedSince, baseline: opts.baseline, strict: opts.strict,
    strings: opts.strings, jobs: opts.jobs, cache: cacheFor(opts.cache), ...filters,
  };
  if (opts.showFiles) return filesResult(config.root, (await checkFiles(config, options)).files, cwd);
  if (opts.diff) {
    if (format !== 'text') throw new UsageError(`--diff prints a unified diff; it has no --format ${format}`);
    return checkDiff(config, options, opts);
  }
  let fix: CheckFix | undefined;
  if (opts.fix) {
    // A baseline that cannot be used is a usage error before anything is rewritten.
    checkBaseline(options, cwd);
    const plan = await planFor(config, options, opts);
    if (plan) {
      await writeFixPlan(config.root, plan);
      fix = { filesChanged: plan.files.length, fixed: plan.files.reduce((n, f) => n + f.fixed.length, 0), refused: allRefusals(plan).length, errors: plan.errors.length };
    } else fix = { filesChanged: 0, fixed: 0, refused: 0, errors: 0 };
  }
  const result = await runCheck(config, options);
  const out = renderCheck(result, config, {
    format, cwd, colors: colorsFor(), version: VERSION, strict: opts.strict === true,
    verbose: opts.verbose, quiet: opts.quiet, statistics: opts.statistics, fix,
  });
  const warnings = result.errors.map((e) => `warning: cannot read ${e.file}: ${e.message}\n`).join('');
  return { stdout: out.stdout, stderr: warnings + out.stderr, exitCode: result.passed ? EXIT_CLEAN : EXIT_FINDINGS };
}

/** canon fix's plan over the files the check covers (null: none changed since the revision). */
async function planFor(config: Config, options: CheckOptions, opts: CheckCommandOptions) {
  const { paths } = await checkFiles(config, options);
  if (paths !== undefined && paths.length === 0) return null;
  return planFix(config, {
    paths, cwd: options.cwd, areas: options.areas, priorities: options.priorities, moves: options.moves, strings: opts.strings,
  });
}

/** `check --diff`: the diff `check --fix` would apply on stdout, fix's summary on stderr; exit 1 when it is not empty. */
async function checkDiff(config: Config, options: CheckOptions, opts: CheckCommandOptions): Promise<CommandResult> {
  const plan = await planFor(config, options, opts);
  if (!plan) return { stdout: '', stderr: '', exitCode: EXIT_CLEAN };
  const summary = opts.quiet ? '' : fixSummary(plan, { config, cwd: options.cwd ?? process.cwd(), colors: colorsFor(process.stderr), dryRun: true });
  return { stdout: fixDiff(plan), stderr: summary, exitCode: plan.files.length > 0 ? EXIT_FINDINGS : EXIT_CLEAN };
}

export function registerCheck(program: Command, run: (p: Promise<CommandResult>) => Promise<void>): void {
  const cmd = program
    .command('check')
    .description('fail (exit 1) on legacy imports: all of them, or those not in a baseline')
    .argument('[paths...]', 'files or folders to check (default: the whole project)')
    .option('--baseline <path>', 'fail only on violations this baseline file does not hold (see `canon baseline`)')
    .option('--strict', 'with --baseline: also fail when it records violations that were fixed')
    .option('--changed-since <rev>', 'only files changed since this git revision (commits, staged and unstaged edits, untracked files)')
    .option('--fix', 'rewrite what `canon fix` can in these files first, then check what is left')
    .option('--diff', 'print the diff --fix would apply, and write nothing (exit 1 when it is not empty)');
  formatOption(cmd, SCAN_FORMATS, 'text');
  cmd
    .option('--strings', 'count string references (mock.patch("legacy.X")) as violations')
    .option('--statistics', 'print how many failing violations there are of each code and move, instead of the violations')
    .option('--verbose', 'list every baseline entry fixed since it was recorded (more than 5 are only counted)');
  filterOptions(cmd);
  jobsOption(cmd)
    .option('--no-cache', 'neither read nor write the scan cache (.canon/cache/)')
    .option('--show-files', 'print the files the check would read, and exit')
    .action((paths: string[], o, c: Command) => run(checkCommand({ ...o, paths, ...globalOptions(c) })));
}
