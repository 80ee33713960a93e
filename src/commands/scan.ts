import type { Command } from 'commander';
// canon scan: every legacy import, unresolved import and string reference, by area and priority.
import { filterOptions, formatOf, formatOption, globalOptions, jobsOption, type GlobalOptions } from './options.js';

import { EXIT_CLEAN, EXIT_FINDINGS, UsageError } from '../core/errors.js';
import { summarize } from '../core/summary.js';
import { colorsFor } from '../report/colors.js';
import { reporters, SCAN_FORMATS } from '../report/index.js';
import type { ScanReport } from '../report/model.js';
import { statisticsJson, statisticsText } from '../report/statistics.js';
import { runScan } from '../scan/runScan.js';
import { cacheFor } from './options.js';
import { VERSION } from '../version.js';
import { checkFilters, checkFormat, loadProjectConfig, type CommonOptions, type FilterOptions } from './context.js';
import { pathProblems, showFiles } from './showFiles.js';

export interface ScanCommandOptions extends CommonOptions, FilterOptions, GlobalOptions {
  paths?: string[];
  format?: string;
  /** ruff's name for --format. */
  outputFormat?: string;
  strings?: boolean;
  jobs?: number;
  /** false: --no-cache. */
  cache?: boolean;
  /** Counts per code and move instead of the findings. */
  statistics?: boolean;
  /** List the files the scan would read, and stop. */
  showFiles?: boolean;
}

export interface CommandResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** --statistics prints a table, or JSON: the two formats it has. */
export function statisticsFormat(format: string): 'text' | 'json' {
  if (format === 'text' || format === 'json') return format;
  throw new UsageError(`--statistics prints a table (the default) or JSON (--format json), not --format ${format}`);
}

export async function scanCommand(opts: ScanCommandOptions): Promise<CommandResult> {
  const cwd = opts.cwd ?? process.cwd();
  const config = loadProjectConfig(opts);
  const format = checkFormat(formatOf(opts), SCAN_FORMATS, 'text');
  if (opts.statistics) statisticsFormat(format);
  const filters = checkFilters(config, opts);
  if (opts.showFiles) return showFiles(config, opts.paths, cwd);
  const result = await runScan(config, { paths: opts.paths, cwd, areas: filters.areas, priorities: filters.priorities, moves: filters.moves, jobs: opts.jobs, cache: cacheFor(opts.cache) });
  pathProblems(result.problems);
  const strings = opts.strings === true;
  const summary = summarize(result.findings, result.verdicts, config.areas, result.stats, strings);
  const report: ScanReport = {
    findings: result.findings, summary, verdicts: result.verdicts, strings, root: config.root, cwd,
    colors: colorsFor(), version: VERSION, quiet: opts.quiet,
  };
  const stderr = result.errors.map((e) => `warning: cannot read ${e.file}: ${e.message}\n`).join('');
  const stdout = opts.statistics ? (format === 'json' ? statisticsJson(report) : statisticsText(report)) : reporters[format](report);
  return { stdout, stderr, exitCode: summary.violations > 0 ? EXIT_FINDINGS : EXIT_CLEAN };
}

export function registerScan(program: Command, run: (p: Promise<CommandResult>) => Promise<void>): void {
  const cmd = program
    .command('scan')
    .description('find every import of a legacy path, unresolved imports and string references')
    .argument('[paths...]', 'files or folders to scan (default: the whole project)');
  formatOption(cmd, SCAN_FORMATS, 'text');
  cmd
    .option('--strings', 'count string references (mock.patch("legacy.X")) as violations')
    .option('--statistics', 'print how many violations there are of each code and move, instead of the violations');
  filterOptions(cmd);
  jobsOption(cmd)
    .option('--no-cache', 'neither read nor write the scan cache (.canon/cache/)')
    .option('--show-files', 'print the files the scan would read, and exit')
    .action((paths: string[], o, c: Command) => run(scanCommand({ ...o, paths, ...globalOptions(c) })));
}
