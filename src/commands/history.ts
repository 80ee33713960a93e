import type { Command } from 'commander';
// canon history: the violations at each commit of a range, by area, priority and move, read from
// git objects without checking anything out: a burn-down of the migration.
import { formatOf, formatOption, globalOptions, type GlobalOptions } from './options.js';

import { EXIT_CLEAN, UsageError } from '../core/errors.js';
import { progress, progressWanted } from '../report/progress.js';
import { checkFormat, loadProjectConfig, type CommonOptions } from './context.js';
import type { CommandResult } from './scan.js';

// The engine is loaded when the command runs, not when the CLI starts: other commands do not pay for it.
const HISTORY_FORMATS = ['text', 'csv', 'json'] as const;

export interface HistoryCommandOptions extends CommonOptions, GlobalOptions {
  /** ruff's name for --format. */
  outputFormat?: string;
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
  const format = checkFormat(formatOf(opts), HISTORY_FORMATS, 'text');
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
  // On a terminal, which commit it is at: thousands of commits take seconds.
  const line = progress(format === 'text' && !opts.quiet && progressWanted());
  let points;
  try {
    points = await collectHistory(config, {
      since: sinceArg(opts.since), commits, rev: opts.rev, strings,
      onCommit: (n, of, c) => line.update([`history: commit ${n}/${of}`, { text: c.commit.slice(0, 10), drop: 2 }, { text: c.subject, drop: 1 }]),
    });
  } finally {
    line.done();
  }
  return { stdout: historyReporters[format](historyReport(points, config, strings, textWidth())), stderr: '', exitCode: EXIT_CLEAN };
}

const int = (v: string): number => (/^\d+$/.test(v) ? parseInt(v, 10) : NaN);

/** The text table's width: the terminal's, else $COLUMNS, else the reporter's default. */
function textWidth(): number | undefined {
  if (process.stdout.isTTY && process.stdout.columns > 0) return process.stdout.columns;
  const env = Number(process.env.COLUMNS);
  return Number.isInteger(env) && env > 0 ? env : undefined;
}

export function registerHistory(program: Command, run: (p: Promise<CommandResult>) => Promise<void>): void {
  const cmd = program
    .command('history')
    .description(`violations at each commit, by area, priority and move, read from git objects (default: the last ${DEFAULT_COMMITS} commits)`)
    .option('--since <date>', 'commits at or after this date (2025-09-01: from the start of that day)')
    .option('--commits <n>', 'at most the last N commits', int)
    .option('--rev <rev>', 'walk back from this revision (default HEAD); first parents only')
    .option('--strings', 'count string references (mock.patch("legacy.X")) as violations');
  formatOption(cmd, HISTORY_FORMATS, 'text').action((o, c: Command) => run(historyCommand({ ...o, ...globalOptions(c) })));
}
