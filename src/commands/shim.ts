import type { Command } from 'commander';
// canon shim: write or refresh the compatibility shims of every legacy path (--diff previews,
// --check fails when one is missing or stale), or take out those nothing uses (--remove).
import { collect, formatOf, formatOption, globalOptions, type GlobalOptions } from './options.js';

import { createTwoFilesPatch, FILE_HEADERS_ONLY } from 'diff';
import { configKeyAt } from '../config/keyAt.js';
import type { Config, Move } from '../config/types.js';
import { EXIT_CLEAN, EXIT_FINDINGS, UsageError } from '../core/errors.js';
import { decodeFor } from '../python/source.js';
import { gateShimPlan } from '../shim/compileGate.js';
import { colorsFor, type Colors } from '../report/colors.js';
import type { ShimFile, ShimPlan, WriteResult } from '../shim/api.js';
import { BEGIN_MARKER } from '../shim/block.js';
import { planShims } from '../shim/plan.js';
import { planShimRemoval } from '../shim/remove.js';
import { writeShims } from '../shim/write.js';
import { shimWarningsAsErrors, type WarningsAsErrors } from '../shim/warningFilters.js';
import { lockProject } from '../project/lock.js';
import { checkFormat, loadProjectConfig, type CommonOptions } from './context.js';
import type { CommandResult } from './scan.js';
import { plural } from '../core/text.js';

export interface ShimCommandOptions extends CommonOptions, GlobalOptions {
  /** ruff's name for --format. */
  outputFormat?: string;
  diff?: boolean;
  check?: boolean;
  remove?: boolean;
  usage?: string[];
  allowDivergent?: boolean;
  format?: string;
}

export type ShimMode = 'write' | 'diff' | 'check';

/** What the reporters render. */
export interface ShimReport {
  mode: ShimMode;
  remove: boolean;
  plan: ShimPlan;
  /** null unless the mode is `write`. */
  written: WriteResult | null;
  /** The project's tests turn shim warnings into errors (pytest's `filterwarnings = error`, `-W error`): how to exempt them. */
  warningsAsErrors: WarningsAsErrors | null;
  exitCode: number;
}

export async function shimCommand(opts: ShimCommandOptions): Promise<CommandResult> {
  const config = loadProjectConfig(opts);
  const format = checkFormat(formatOf(opts), ['text', 'json'] as const, 'text');
  if (opts.diff && opts.check) throw new UsageError('--diff and --check cannot be combined');
  if (opts.usage?.length && !opts.remove) throw new UsageError('--usage goes with --remove');
  if (opts.allowDivergent && opts.remove) throw new UsageError('--allow-divergent does not go with --remove');
  const mode: ShimMode = opts.check ? 'check' : opts.diff ? 'diff' : 'write';
  const remove = opts.remove === true;
  // Writing plans and writes under the project lock: no other canon writes in between.
  const lock = mode === 'write' ? lockProject(config.root, 'shim') : null;
  let plan: ShimPlan;
  let written: WriteResult | null;
  try {
    plan = remove ? await planShimRemoval(config, { usageLogs: opts.usage }) : await planShims(config, { allowDivergent: opts.allowDivergent });
    await gateShimPlan(plan);
    written = mode === 'write' ? writeShims(config.root, plan, (f) => moveKeyOf(config, f, opts.cwd ?? process.cwd())) : null;
  } finally {
    lock?.release();
  }
  // Said whenever shims are (or are to be) in place: with warnings as errors, each use fails the tests.
  const shimmed = !remove && plan.files.some((f) => f.after !== null);
  const warningsAsErrors = shimmed ? shimWarningsAsErrors(config.root, config.migrate.validate, config.shim.category) : null;
  const report: ShimReport = { mode, remove, plan, written, warningsAsErrors, exitCode: shimExitCode(mode, plan, written) };
  if (format === 'json') return { stdout: shimJson(report), stderr: '', exitCode: report.exitCode };
  if (mode === 'diff') return { stdout: shimDiff(plan), stderr: shimText(report, colorsFor(process.stderr), opts.quiet), exitCode: report.exitCode };
  return { stdout: shimText(report, colorsFor(), opts.quiet), stderr: '', exitCode: report.exitCode };
}

/** Where the move that makes `f` a legacy module is written: `canon.toml:4:8: move[0].from`. */
function moveKeyOf(config: Config, f: ShimFile, cwd: string): string {
  const covers = (m: Move): boolean =>
    f.module === m.fromModule || m.fromModule.startsWith(f.module + '.') || (m.kind === 'module' && f.module.startsWith(m.fromModule + '.'));
  const move = config.moves.find(covers);
  return move ? configKeyAt(config, ['move', move.index, 'from'], cwd) : f.file;
}

/**
 * One meaning in every mode, as ruff's: 0 when nothing is left to do and nothing is wrong. Left to
 * do: a shim missing or stale (check and diff; write does it). Wrong: a file that could not be
 * written, or a shim already in place that cannot be brought up to date (a damaged block, a row
 * refused now). A path refused before it had a shim is reported with its reason but does not fail:
 * `canon verify` is what fails on divergent and unresolved moves.
 */
export function shimExitCode(mode: ShimMode, plan: ShimPlan, written: WriteResult | null): number {
  const wrong = plan.refused.some((r) => r.stale) || (written?.errors.length ?? 0) > 0;
  const pending = mode !== 'write' && plan.files.some((f) => f.action !== 'unchanged');
  return wrong || pending ? EXIT_FINDINGS : EXIT_CLEAN;
}

const VERB: Record<ShimMode, Record<ShimFile['action'], string>> = {
  write: { create: 'created', update: 'updated', delete: 'deleted', unchanged: 'unchanged' },
  diff: { create: 'create', update: 'update', delete: 'delete', unchanged: 'unchanged' },
  check: { create: 'missing', update: 'stale', delete: 'stale', unchanged: 'ok' },
};

function describe(f: ShimFile, remove: boolean): string {
  if (remove) return f.removed.join(', ');
  const names = f.names.length ? f.names.join(', ') : '';
  if (f.forward) return `forwards to ${f.forward}${names ? `; ${names}` : ''}`;
  return names;
}

/** `quiet`: what was refused and the errors only (and with --check, what is missing or stale). */
export function shimText(r: ShimReport, c: Colors, quiet = false): string {
  const out: string[] = [];
  const changed = r.plan.files.filter((f) => f.action !== 'unchanged' && (!quiet || r.mode === 'check'));
  for (const f of changed) {
    let verb = r.remove && f.action === 'update' && r.mode === 'write' ? 'removed' : VERB[r.mode][f.action];
    // A legacy module without a shim block yet misses its shim; one with a block has a stale one.
    if (r.mode === 'check' && !r.remove && f.action === 'update' && !f.before?.includes(BEGIN_MARKER)) verb = 'missing';
    const paint = r.mode === 'check' ? c.yellow : f.action === 'delete' ? c.red : c.green;
    const what = describe(f, r.remove);
    out.push(`${paint(verb.padEnd(10))} ${f.file}${what ? `  (${what})` : ''}`);
  }
  for (const x of r.plan.refused) {
    out.push(`${c.red('refused'.padEnd(10))} ${x.legacy}${x.file ? `  (${x.file})` : ''}`);
    out.push(`           ${c.dim('why:')} ${x.reason}`);
  }
  for (const e of r.written?.errors ?? []) out.push(`${c.red('error'.padEnd(10))} ${e.file}: ${e.message}`);
  if (quiet) return out.length ? out.join('\n') + '\n' : '';
  if (out.length > 0) out.push('');
  const w = r.warningsAsErrors;
  if (w !== null) {
    out.push(
      `${c.yellow('note:')} ${w.where} turns warnings into errors (\`${w.filter}\`): every use of a shim would fail the tests.`,
      `${w.how}, to show shim warnings instead:`,
      `    ${w.add}`,
      '',
    );
  }
  out.push(summary(r));
  return out.join('\n') + '\n';
}

function summary(r: ShimReport): string {
  const files = r.plan.files;
  const n = (a: ShimFile['action']): number => files.filter((f) => f.action === a).length;
  const refused = r.plan.refused.length ? `, ${r.plan.refused.length} refused` : '';
  const unchanged = n('unchanged');
  if (r.mode === 'check') {
    const behind = files.length - unchanged;
    const stale = r.plan.refused.filter((x) => x.stale).length;
    if (behind === 0 && stale === 0) return `${r.remove ? 'No shim to remove' : `All ${plural(files.length, 'shim')} up to date`}${refused}.`;
    if (r.remove) return `${plural(behind, 'shim')} can be removed: run \`canon shim --remove\`.`;
    return `${plural(behind + stale, 'shim')} missing or stale${refused}: run \`canon shim\`.`;
  }
  const verb = r.mode === 'write' ? '' : 'would be ';
  if (r.remove) {
    return `${plural(n('update') + n('delete'), 'shim')} ${verb}removed (${plural(n('delete'), 'file')} deleted), ${unchanged} still used${refused}.`;
  }
  return `${plural(n('create') + n('update'), 'shim')} ${verb}written (${n('create')} created, ${n('update')} updated), ${unchanged} unchanged${refused}.`;
}

/** A unified diff of every changed file, `git apply`-able. */
export function shimDiff(plan: ShimPlan): string {
  let out = '';
  for (const f of plan.files) {
    if (f.action === 'unchanged') continue;
    const a = f.before === null ? '' : decodeFor(f.before.toString('latin1'));
    const b = f.after === null ? '' : decodeFor(f.after.toString('latin1'));
    const from = f.before === null ? '/dev/null' : `a/${f.file}`;
    const to = f.after === null ? '/dev/null' : `b/${f.file}`;
    out += createTwoFilesPatch(from, to, a, b, undefined, undefined, { headerOptions: FILE_HEADERS_ONLY });
  }
  return out;
}

/**
 * JSON output, a public contract: {version: 1, mode, remove, exitCode, files: [{file, module,
 * action, names, forward, removed}], refused: [{move, legacy, file, reason, stale}], errors:
 * [{file, message}], warningsAsErrors: {where, filter, add, how} | null, diff?: string (mode "diff")}.
 */
export function shimJson(r: ShimReport): string {
  const doc: Record<string, unknown> = {
    version: 1,
    mode: r.mode,
    remove: r.remove,
    exitCode: r.exitCode,
    files: r.plan.files.map((f) => ({ file: f.file, module: f.module, action: f.action, names: f.names, forward: f.forward, removed: f.removed })),
    refused: r.plan.refused,
    errors: r.written?.errors ?? [],
    warningsAsErrors: r.warningsAsErrors,
  };
  if (r.mode === 'diff') doc.diff = shimDiff(r.plan);
  return JSON.stringify(doc, null, 2) + '\n';
}

export function registerShim(program: Command, run: (p: Promise<CommandResult>) => Promise<void>): void {
  const cmd = program
    .command('shim')
    .description('write compatibility shims that keep legacy import paths working, warn, and record their use')
    .option('--diff', 'print the changes as a unified diff; write nothing')
    .option('--check', 'write nothing; exit 1 when a shim is missing or stale (for CI)')
    .option('--remove', 'remove shims whose legacy path the scan no longer finds')
    .option('--usage <log>', 'with --remove: keep legacy paths this usage log (CANON_SHIM_LOG) recorded (repeatable)', collect)
    .option('--allow-divergent', 'shim moves whose verify verdict is divergent too (changes behaviour)');
  formatOption(cmd, ['text', 'json'], 'text')
    .action((o, c: Command) => run(shimCommand({ ...o, ...globalOptions(c) })));
}
