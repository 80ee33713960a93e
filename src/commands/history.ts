import { Option, type Command } from 'commander';
// canon history: the violations at each commit of a range, by area, priority and move, read from
// git objects without checking anything out: a burn-down of the migration.
import { globalConfig } from './options.js';

import { EXIT_CLEAN, UsageError } from '../core/errors.js';
import { checkFormat, loadProjectConfig, type CommonOptions } from './context.js';
import type { CommandResult } from './scan.js';

// The engine is loaded when the command runs, not when the CLI starts: other commands do not pay for it.
const HISTORY_FORMATS = ['text', 'csv', 'json'] as const;

export interface HistoryCommandOptions extends CommonOptions {
  since?: string;
  commits?: number;
  rev?: string;
  format?: string;
  strings?: boolean;
}

/** Without --since or --commits: the last this many commits. */
export const DEFAULT_COMMITS = 20;

// Dates git reads the same everywhere: `2025-09-01`, `2025-09-01T12:00:00+02:00`, `3 weeks ago`.
const DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const AGO = /^\d+\s*(second|minute|hour|day|week|month|year)s?\s+ago$/;

/** git reads a bare date as that day at the current time of day: make it the day's start. */
function sinceArg(since: string | undefined): string | undefined {
  if (since === undefined) return undefined;
  const s = since.trim();
  return /^\d{4}-\d{2}-\d{2}$/.test(s) ? `${s} 00:00:00` : s;
}

/** A report, not a gate: exit 0 whatever the counts, 2 on usage errors. */
export async function historyCommand(opts: HistoryCommandOptions): Promise<CommandResult> {
  const format = checkFormat(opts.format, HISTORY_FORMATS, 'text');
  if (opts.since !== undefined && !DATE.test(opts.since.trim()) && !AGO.test(opts.since.trim())) {
    throw new UsageError(`--since: expected a date like 2025-09-01 (or "3 weeks ago"), got "${opts.since}"`);
  }
  if (opts.commits !== undefined && !(Number.isInteger(opts.commits) && opts.commits >= 1)) {
    throw new UsageError('--commits: expected an integer >= 1');
  }
  if (opts.rev !== undefined && (opts.rev === '' || opts.rev.startsWith('-'))) throw new UsageError(`--rev: not a revision: "${opts.rev}"`);
  const config = loadProjectConfig(opts);
  const [{ collectHistory }, { historyReport }, { historyReporters }] = await Promise.all([
    import('../history/api.js'),
    import('../history/format.js'),
    import('../history/reporters.js'),
  ]);
  const commits = opts.commits ?? (opts.since === undefined ? DEFAULT_COMMITS : undefined);
  const strings = opts.strings === true;
  const points = await collectHistory(config, { since: sinceArg(opts.since), commits, rev: opts.rev, strings });
  return { stdout: historyReporters[format](historyReport(points, config, strings)), stderr: '', exitCode: EXIT_CLEAN };
}

const int = (v: string): number => (/^\d+$/.test(v) ? parseInt(v, 10) : NaN);

export function registerHistory(program: Command, run: (p: Promise<CommandResult>) => Promise<void>): void {
  program
    .command('history')
    .description(`violations at each commit, by area, priority and move, read from git objects (default: the last ${DEFAULT_COMMITS} commits)`)
    .option('--since <date>', 'commits at or after this date (2025-09-01: from the start of that day)')
    .option('--commits <n>', 'at most the last N commits', int)
    .option('--rev <rev>', 'walk back from this revision (default HEAD); first parents only')
    .addOption(new Option('--format <format>', 'output format').choices([...HISTORY_FORMATS]).default('text'))
    .option('--strings', 'count string references (mock.patch("legacy.X")) as violations')
    .action((o, cmd: Command) => run(historyCommand({ ...o, config: globalConfig(cmd) })));
}
