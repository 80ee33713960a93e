import { Option, type Command } from 'commander';
// canon discover: the consolidation work the import graph shows, without any config: symbols
// imported through several paths (with paste-ready [[move]] entries), names that resolve to
// different definitions, and imports of project modules that do not exist.
import { globalConfig } from './options.js';

import { resolve } from 'node:path';
import { findConfig } from '../config/load.js';
import { EXIT_CLEAN, EXIT_FINDINGS, UsageError } from '../core/errors.js';
import { colorsFor } from '../report/colors.js';
import { checkFormat, loadProjectConfig, type CommonOptions } from './context.js';
import type { CommandResult } from './scan.js';

// The engine is loaded when the command runs, not when the CLI starts: other commands do not pay for it.
const DISCOVER_FORMATS = ['text', 'json', 'markdown'] as const;

export interface DiscoverCommandOptions extends CommonOptions {
  format?: string;
  jobs?: number;
  minFiles?: number;
}

/**
 * Exit 1 when there is consolidation work, a breach or an unresolved import (so `canon discover`
 * can gate CI against new duplicate paths), 0 when the import graph is clean, 2 on usage errors.
 */
export async function discoverCommand(opts: DiscoverCommandOptions): Promise<CommandResult> {
  const cwd = opts.cwd ?? process.cwd();
  const format = checkFormat(opts.format, DISCOVER_FORMATS, 'text');
  const [{ defaultProject, discover, projectOf }, { discoverReporters }] = await Promise.all([
    import('../discover/api.js'),
    import('../discover/reporters.js'),
  ]);
  if (opts.jobs !== undefined && !(Number.isInteger(opts.jobs) && opts.jobs >= 1)) throw new UsageError('--jobs: expected an integer >= 1');
  if (opts.minFiles !== undefined && !(Number.isInteger(opts.minFiles) && opts.minFiles >= 1)) {
    throw new UsageError('--min-files: expected an integer >= 1');
  }
  // With a config, its root and file selection; without one, the working directory as it is.
  const found = opts.config !== undefined || findConfig(cwd) !== null;
  const project = found ? projectOf(loadProjectConfig(opts)) : defaultProject(resolve(cwd));
  const result = await discover(project, { jobs: opts.jobs, minFiles: opts.minFiles });
  const stdout = discoverReporters[format]({ result, root: project.root, cwd, colors: colorsFor() });
  const stderr = result.errors.map((e) => `warning: cannot read ${e.file}: ${e.message}\n`).join('');
  const s = result.summary;
  const work = s.consolidation > 0 || s.breaches > 0 || s.unresolved > 0;
  return { stdout, stderr, exitCode: work ? EXIT_FINDINGS : EXIT_CLEAN };
}

const int = (v: string): number => (/^\d+$/.test(v) ? parseInt(v, 10) : NaN);

export function registerDiscover(program: Command, run: (p: Promise<CommandResult>) => Promise<void>): void {
  program
    .command('discover')
    .description('find the consolidation work in the import graph, without any config: duplicate import paths, divergent names, unresolved imports')
    .addOption(new Option('--format <format>', 'output format').choices([...DISCOVER_FORMATS]).default('text'))
    .option('--min-files <n>', 'a definition counts towards a breach only when this many files import it (default 2)', int)
    .option('--jobs <n>', 'threads, the main thread included (default: by amount of work)', int)
    .action((o, cmd: Command) => run(discoverCommand({ ...o, config: globalConfig(cmd) })));
}
