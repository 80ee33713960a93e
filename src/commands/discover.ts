import type { Command } from 'commander';
// canon discover: the consolidation work the import graph shows, without any config: symbols
// imported through several paths (with paste-ready [[move]] entries), names that resolve to
// different definitions, and imports of project modules that do not exist.
import { formatOf, formatOption, globalOptions, jobsOption, type GlobalOptions } from './options.js';

import { resolve } from 'node:path';
import { findConfig } from '../config/load.js';
import { EXIT_CLEAN, EXIT_FINDINGS, UsageError } from '../core/errors.js';
import { colorsFor } from '../report/colors.js';
import { progress, progressWanted } from '../report/progress.js';
import { filesResult } from './showFiles.js';
import { checkFormat, loadProjectConfig, type CommonOptions } from './context.js';
import type { CommandResult } from './scan.js';

// The engine is loaded when the command runs, not when the CLI starts: other commands do not pay for it.
const DISCOVER_FORMATS = ['text', 'json', 'markdown'] as const;

export interface DiscoverCommandOptions extends CommonOptions, GlobalOptions {
  format?: string;
  /** ruff's name for --format. */
  outputFormat?: string;
  showFiles?: boolean;
  jobs?: number;
  minFiles?: number;
}

/**
 * Exit 1 when there is consolidation work, a breach or an unresolved import (so `canon discover`
 * can gate CI against new duplicate paths), 0 when the import graph is clean, 2 on usage errors.
 */
export async function discoverCommand(opts: DiscoverCommandOptions): Promise<CommandResult> {
  const cwd = opts.cwd ?? process.cwd();
  const format = checkFormat(formatOf(opts), DISCOVER_FORMATS, 'text');
  const [{ defaultProject, discover, discoverFiles, projectOf }, { discoverReporters }] = await Promise.all([
    import('../discover/api.js'),
    import('../discover/reporters.js'),
  ]);
  if (opts.minFiles !== undefined && !(Number.isInteger(opts.minFiles) && opts.minFiles >= 1)) {
    throw new UsageError('--min-files: expected an integer >= 1');
  }
  // With a config, its root and file selection; without one, the working directory as it is.
  const found = opts.config !== undefined || findConfig(cwd) !== null;
  const project = found ? projectOf(loadProjectConfig(opts)) : defaultProject(resolve(cwd));
  if (opts.showFiles) return filesResult(project.root, await discoverFiles(project), cwd);
  // On a terminal, what it is doing: reading 12,000 files takes a while.
  const line = progress(format === 'text' && !opts.quiet && progressWanted());
  const onProgress = (step: string, done?: number, of?: number): void =>
    line.update([`discover: ${step}${of !== undefined ? ` ${done ?? 0}/${of}` : ''}`], done === undefined || done === 0);
  let result;
  try {
    result = await discover(project, { jobs: opts.jobs, minFiles: opts.minFiles, onProgress });
  } finally {
    line.done();
  }
  const stdout = discoverReporters[format]({ result, root: project.root, cwd, colors: colorsFor() });
  const stderr = result.errors.map((e) => `warning: cannot read ${e.file}: ${e.message}\n`).join('');
  const s = result.summary;
  const work = s.consolidation > 0 || s.breaches > 0 || s.unresolved > 0;
  return { stdout, stderr, exitCode: work ? EXIT_FINDINGS : EXIT_CLEAN };
}

const int = (v: string): number => (/^\d+$/.test(v) ? parseInt(v, 10) : NaN);

export function registerDiscover(program: Command, run: (p: Promise<CommandResult>) => Promise<void>): void {
  const cmd = program
    .command('discover')
    .description('find the consolidation work in the import graph, without any config: duplicate import paths, divergent names, unresolved imports');
  formatOption(cmd, DISCOVER_FORMATS, 'text').option('--min-files <n>', 'a definition counts towards a breach only when this many files import it (default 2)', int);
  jobsOption(cmd, 'threads, the main thread included (default: by amount of work)')
    .option('--show-files', 'print the files discover would read, and exit')
    .action((o, c: Command) => run(discoverCommand({ ...o, ...globalOptions(c) })));
}
