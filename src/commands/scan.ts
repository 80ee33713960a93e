import { Option, type Command } from 'commander';
// canon scan: every legacy import, unresolved import and string reference, by area and priority.
import { filterOptions, globalConfig } from './options.js';

import { EXIT_CLEAN, EXIT_FINDINGS, UsageError } from '../core/errors.js';
import { summarize } from '../core/summary.js';
import { colorsFor } from '../report/colors.js';
import { reporters, SCAN_FORMATS } from '../report/index.js';
import type { ScanReport } from '../report/model.js';
import { runScan } from '../scan/runScan.js';
import { cacheFor } from './options.js';
import { VERSION } from '../version.js';
import { checkFilters, checkFormat, loadProjectConfig, type CommonOptions, type FilterOptions } from './context.js';

export interface ScanCommandOptions extends CommonOptions, FilterOptions {
  paths?: string[];
  format?: string;
  strings?: boolean;
  jobs?: number;
  /** false: --no-cache. */
  cache?: boolean;
}

export interface CommandResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export async function scanCommand(opts: ScanCommandOptions): Promise<CommandResult> {
  const cwd = opts.cwd ?? process.cwd();
  const config = loadProjectConfig(opts);
  const format = checkFormat(opts.format, SCAN_FORMATS, 'text');
  const filters = checkFilters(config, opts);
  const result = await runScan(config, { paths: opts.paths, cwd, areas: filters.areas, priorities: filters.priorities, moves: filters.moves, jobs: opts.jobs, cache: cacheFor(opts.cache) });
  if (result.problems.length > 0) {
    throw new UsageError('bad path argument:', result.problems.map((p) => `${p.path}: ${p.message}`));
  }
  const strings = opts.strings === true;
  const summary = summarize(result.findings, result.verdicts, config.areas, result.stats, strings);
  const report: ScanReport = {
    findings: result.findings, summary, verdicts: result.verdicts, strings, root: config.root, cwd,
    colors: colorsFor(), version: VERSION,
  };
  const stderr = result.errors.map((e) => `warning: cannot read ${e.file}: ${e.message}\n`).join('');
  return { stdout: reporters[format](report), stderr, exitCode: summary.violations > 0 ? EXIT_FINDINGS : EXIT_CLEAN };
}

export function registerScan(program: Command, run: (p: Promise<CommandResult>) => Promise<void>): void {
  filterOptions(
    program
      .command('scan')
      .description('find every import of a legacy path, unresolved imports and string references')
      .argument('[paths...]', 'files or folders to scan (default: the whole project)')
      .addOption(new Option('--format <format>', 'output format').choices([...SCAN_FORMATS]).default('text'))
      .option('--strings', 'count string references (mock.patch("legacy.X")) as violations')
      .option('--jobs <n>', 'worker threads (default: by amount of work)', (v) => parseInt(v, 10))
    .option('--no-cache', 'neither read nor write the scan cache (.canon/cache/)'),
  ).action((paths: string[], o, cmd: Command) => run(scanCommand({ ...o, paths, config: globalConfig(cmd) })));
}
