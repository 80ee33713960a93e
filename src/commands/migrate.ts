import type { Command } from 'commander';
// canon migrate: priority batches validated by the project's own tests, with bisect, rollback,
// resume, and the consolidation report at the end.
import { filterOptions, formatOf, formatOption, globalOptions, type GlobalOptions } from './options.js';

import { MAX_TIMEOUT } from '../config/load.js';
import type { Config } from '../config/types.js';
import { EXIT_CLEAN, UsageError } from '../core/errors.js';
import { projectFixer } from '../migrate/fixer.js';
import { dirtyFiles, repoInfo } from '../migrate/git.js';
import { planJson, planMarkdown, planText, plural } from '../migrate/plan.js';
import { jsonSink, plainSink, quietSink, ttySink } from '../migrate/progress.js';
import { computePlan, runMigrate, untouchable } from '../migrate/run.js';
import type { EventSink, Fixer, RunOptionsRecord, RunRecord } from '../migrate/types.js';
import { colorsFor } from '../report/colors.js';
import { progressWanted } from '../report/progress.js';
import { writeConsolidationReport } from '../report/consolidation/write.js';
import { checkFilters, checkFormat, loadProjectConfig, type CommonOptions, type FilterOptions } from './context.js';
import type { CommandResult } from './scan.js';

export interface MigrateCommandOptions extends CommonOptions, FilterOptions, GlobalOptions {
  paths?: string[];
  plan?: boolean;
  format?: string;
  /** ruff's name for --format. */
  outputFormat?: string;
  batchSize?: number;
  validate?: string;
  timeout?: number;
  junit?: string;
  /** commander's --no-commit sets commit: false. */
  commit?: boolean;
  allowDirty?: boolean;
  resume?: boolean;
  strings?: boolean;
}

export interface MigrateDeps {
  /** The fixer to use instead of `canon fix` (tests). */
  fixer?: Fixer;
  /** Where the live progress goes (default: process.stdout, with a status line on a terminal). */
  sink?: EventSink;
  /** Listen for SIGINT/SIGTERM (default true). */
  signals?: boolean;
}

const PLAN_FORMATS = ['text', 'json', 'markdown'] as const;
const RUN_FORMATS = ['text', 'json'] as const;

function positive(flag: string, v: number | undefined, integer: boolean): number | undefined {
  if (v === undefined) return undefined;
  if (!Number.isFinite(v) || v <= 0 || (integer && !Number.isInteger(v))) throw new UsageError(`${flag}: expected ${integer ? 'an integer >= 1' : 'a number of seconds > 0'}`);
  if (!integer && v > MAX_TIMEOUT) throw new UsageError(`${flag}: expected at most ${MAX_TIMEOUT} seconds (24 days)`);
  return v;
}

export function runOptions(config: Config, opts: MigrateCommandOptions): RunOptionsRecord {
  const filters = checkFilters(config, opts);
  return {
    validate: opts.validate ?? config.migrate.validate ?? '',
    batchSize: positive('--batch-size', opts.batchSize, true) ?? config.migrate.batchSize,
    timeout: positive('--timeout', opts.timeout, false) ?? config.migrate.timeout,
    junit: opts.junit ?? config.migrate.junit,
    commit: opts.commit !== false,
    allowDirty: opts.allowDirty === true,
    areas: filters.areas,
    priorities: filters.priorities,
    moves: filters.moves,
    paths: opts.paths ?? [],
    strings: opts.strings === true,
  };
}

function defaultSink(format: 'text' | 'json', quiet: boolean): EventSink {
  const write = (s: string): void => void process.stdout.write(s);
  if (format === 'json') return jsonSink(write);
  const c = colorsFor();
  if (quiet) return quietSink(write, c);
  return process.stdout.isTTY && progressWanted(process.stderr) ? ttySink(write, process.stderr, c) : plainSink(write, c);
}

export function runSummary(run: RunRecord): string {
  const changes = run.batches.flatMap((b) => b.changes);
  const quarantined = run.batches.flatMap((b) => b.quarantined);
  const runs = run.batches.reduce((s, b) => s + b.runs.length, run.baseline ? 1 : 0);
  const passed = run.batches.filter((b) => b.status === 'passed').length;
  const head =
    run.status === 'done' ? 'Done' : run.status === 'interrupted' ? 'Interrupted' : run.status === 'failed' ? 'Stopped' : run.status;
  const parts = [
    `${plural(changes.reduce((s, c) => s + c.imports, 0), 'import')} rewritten in ${plural(changes.length, 'file')}`,
    `${run.batches.length} of ${plural(run.plan.length, 'batch', 'batches')} run (${passed} passed first time)`,
    `${plural(quarantined.length, 'file')} quarantined`,
    plural(runs, 'validation run'),
  ];
  return `${head}: ${parts.join('; ')}.`;
}

export async function migrateCommand(opts: MigrateCommandOptions, deps: MigrateDeps = {}): Promise<CommandResult> {
  const cwd = opts.cwd ?? process.cwd();
  const config = loadProjectConfig(opts);
  const options = runOptions(config, opts);

  if (opts.plan) {
    const format = checkFormat(formatOf(opts), PLAN_FORMATS, 'text');
    const info = await repoInfo(config.root);
    const dirty = info && info.head ? await dirtyFiles(config.root, info) : [];
    const exclude = info ? await untouchable(config.root, options.allowDirty ? dirty : []) : new Map<string, string>();
    const { plan } = await computePlan(config, options, cwd, exclude);
    const render = { text: planText, json: planJson, markdown: planMarkdown }[format];
    const note = dirty.length > 0 && !options.allowDirty ? `note: the working tree has uncommitted changes in ${plural(dirty.length, 'file')}; migrate refuses to start without --allow-dirty\n` : '';
    return { stdout: render(plan), stderr: note, exitCode: EXIT_CLEAN };
  }

  const format = checkFormat(formatOf(opts), RUN_FORMATS, 'text');
  if (opts.resume && (options.paths.length || options.areas.length || options.priorities.length || options.moves.length || opts.batchSize !== undefined)) {
    throw new UsageError('--resume continues the interrupted run with its own plan; leave out paths, filters and --batch-size', ['run `canon migrate` without --resume to rescan and plan anew']);
  }
  const fixer = deps.fixer ?? projectFixer(config, { areas: options.areas, priorities: options.priorities, moves: options.moves, strings: options.strings });
  const sink = deps.sink ?? defaultSink(format, opts.quiet === true);
  const overrides = { validate: opts.validate, timeout: opts.timeout, junit: opts.junit };
  const { run, exitCode } = await runMigrate({ config, fixer, sink, options, resume: opts.resume === true, overrides, cwd, signals: deps.signals ?? true });

  // The report is written whenever a run started, interrupted runs included. Failing to write it
  // loses nothing (the journal holds it all): `canon report` tries again.
  let report: { markdown: string; json: string } | null = null;
  let stderr = '';
  try {
    const written = await writeConsolidationReport(config);
    report = { markdown: written.paths.markdown, json: written.paths.json };
  } catch (e) {
    stderr = `warning: the consolidation report was not written (${e instanceof Error ? e.message : String(e)}); run \`canon report\`\n`;
  }
  sink.emit({ type: 'end', run, report });
  if (format === 'json' || opts.quiet) return { stdout: '', stderr, exitCode };
  const lines = [runSummary(run)];
  if (report) lines.push(`Report: ${report.markdown} (and ${report.json})`);
  if (run.status === 'interrupted') lines.push('Run `canon migrate --resume` to continue.');
  return { stdout: lines.join('\n') + '\n', stderr, exitCode };
}

export function registerMigrate(program: Command, run: (p: Promise<CommandResult>) => Promise<void>): void {
  const num = (v: string): number => Number(v);
  const cmd = program
    .command('migrate')
    .description('rewrite legacy imports in priority batches, each validated by your tests and committed; bisects and quarantines what breaks')
    .argument('[paths...]', 'files or folders to migrate (default: the whole project)')
    .option('--plan', 'print the batches and stop');
  formatOption(cmd, PLAN_FORMATS, 'text', 'text | json (events, one per line) | markdown (--plan only)');
  filterOptions(
    cmd
      .option('--batch-size <n>', 'files per batch (default: [migrate] batch-size, else 5)', num)
      .option('--validate <cmd>', 'validation command, run by /bin/sh in the project root (default: [migrate] validate)')
      .option('--timeout <seconds>', 'end a validation run (its whole process group) after this long', num)
      .option('--junit <path>', 'JUnit XML the validation command writes: compare test by test with the baseline')
      .option('--no-commit', 'leave passing batches uncommitted in the work tree')
      .option('--allow-dirty', 'start with uncommitted changes; files that have them are never touched')
      .option('--resume', 'continue the interrupted run where it stopped')
      .option('--strings', 'also rewrite string references (mock.patch("legacy.X"))'),
  ).action((paths: string[], o, c: Command) => run(migrateCommand({ ...o, paths, ...globalOptions(c) })));
}
