import { Option, type Command } from 'commander';
// canon check: the CI gate. Exit 1 on any violation, or with --baseline on violations the baseline
// does not hold (and with --strict on a baseline that records fixed ones).
import { cacheFor, globalConfig } from './options.js';

import { renderCheck } from '../check/report.js';
import { runCheck } from '../check/run.js';
import { EXIT_CLEAN, EXIT_FINDINGS } from '../core/errors.js';
import { colorsFor } from '../report/colors.js';
import { SCAN_FORMATS } from '../report/index.js';
import { VERSION } from '../version.js';
import { checkFormat, loadProjectConfig, type CommonOptions } from './context.js';
import type { CommandResult } from './scan.js';

export interface CheckCommandOptions extends CommonOptions {
  paths?: string[];
  baseline?: string;
  strict?: boolean;
  changedSince?: string;
  format?: string;
  strings?: boolean;
  jobs?: number;
  /** false: --no-cache. */
  cache?: boolean;
}

export async function checkCommand(opts: CheckCommandOptions): Promise<CommandResult> {
  const cwd = opts.cwd ?? process.cwd();
  const config = loadProjectConfig(opts);
  const format = checkFormat(opts.format, SCAN_FORMATS, 'text');
  const result = await runCheck(config, {
    paths: opts.paths, cwd, changedSince: opts.changedSince, baseline: opts.baseline, strict: opts.strict,
    strings: opts.strings, jobs: opts.jobs, cache: cacheFor(opts.cache),
  });
  const out = renderCheck(result, config, { format, cwd, colors: colorsFor(), version: VERSION, strict: opts.strict === true });
  const warnings = result.errors.map((e) => `warning: cannot read ${e.file}: ${e.message}\n`).join('');
  return { stdout: out.stdout, stderr: warnings + out.stderr, exitCode: result.passed ? EXIT_CLEAN : EXIT_FINDINGS };
}

export function registerCheck(program: Command, run: (p: Promise<CommandResult>) => Promise<void>): void {
  program
    .command('check')
    .description('fail (exit 1) on legacy imports: all of them, or those not in a baseline')
    .argument('[paths...]', 'files or folders to check (default: the whole project)')
    .option('--baseline <path>', 'fail only on violations this baseline file does not hold (see `canon baseline`)')
    .option('--strict', 'with --baseline: also fail when it records violations that were fixed')
    .option('--changed-since <rev>', 'only files changed since this git revision (commits, staged and unstaged edits, untracked files)')
    .addOption(new Option('--format <format>', 'output format').choices([...SCAN_FORMATS]).default('text'))
    .option('--strings', 'count string references (mock.patch("legacy.X")) as violations')
    .option('--jobs <n>', 'worker threads (default: by amount of work)', (v) => parseInt(v, 10))
    .option('--no-cache', 'neither read nor write the scan cache (.canon/cache/)')
    .action((paths: string[], o, cmd: Command) => run(checkCommand({ ...o, paths, config: globalConfig(cmd) })));
}
