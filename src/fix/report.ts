// What `canon fix` prints: the summary (files changed, imports rewritten per move, what was refused
// and why, notes, errors) and, for --diff, a unified diff that `git apply` accepts.

import { plural } from '../core/text.js';
import { relative, join } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import type { Config } from '../config/types.js';
import { decodeFor, sourceInfo } from '../python/source.js';
import type { Colors } from '../report/colors.js';
import type { FixPlan, Refusal } from './api.js';
import { allRefusals } from './plan.js';
import { canonicalPath } from '../core/moveTable.js';

export interface FixReportContext {
  config: Config;
  cwd: string;
  colors: Colors;
  /** --diff: nothing was written. */
  dryRun: boolean;
  /** --quiet: only what was refused and the errors. */
  quiet?: boolean;
}

function shown(ctx: FixReportContext, file: string): string {
  const rel = relative(ctx.cwd, join(ctx.config.root, file)).split('\\').join('/');
  return rel === '' ? file : rel;
}

function canonicalOf(ctx: FixReportContext, id: string): string {
  const m = ctx.config.moves.find((x) => x.id === id);
  if (!m) return '?';
  return canonicalPath(m);
}


/** The unified diff of every changed file (paths a/ and b/ relative to the project root). */
export function fixDiff(plan: FixPlan): string {
  const out: string[] = [];
  for (const f of plan.files) {
    const info = sourceInfo(f.before.toString('latin1'));
    const a = decodeFor(f.before.toString('latin1'), info);
    const b = decodeFor(f.after.toString('latin1'), info);
    const patch = createTwoFilesPatch(`a/${f.file}`, `b/${f.file}`, a, b, undefined, undefined, { context: 3 });
    out.push(patch.replace(/^=+\n/, ''));
  }
  return out.join('');
}

/** The summary printed after a fix (or, with --diff, after the diff, on stderr). */
export function fixSummary(plan: FixPlan, ctx: FixReportContext): string {
  if (ctx.quiet) return quietSummary(plan, ctx);
  const c = ctx.colors;
  const lines: string[] = [];
  const d = plan.details;
  for (const o of d?.overridden ?? []) {
    lines.push(c.yellow(c.bold(`WARNING: --allow-divergent: rewriting ${o.move} -> ${canonicalOf(ctx, o.move)} although verify says ${o.verdict}: ${o.reason ?? ''}`)));
  }
  if (lines.length > 0) lines.push('');

  const fixed = plan.files.reduce((n, f) => n + f.fixed.length, 0);
  const verb = ctx.dryRun ? 'would change' : 'changed';
  lines.push(c.bold(`${plural(plan.files.length, 'file')} ${verb}, ${plural(fixed, 'finding')} ${ctx.dryRun ? 'would be ' : ''}fixed.`));

  const perMove = new Map<string, { findings: number; files: Set<string> }>();
  for (const f of plan.files) {
    for (const x of f.fixed) {
      const id = x.move ?? '?';
      const m = perMove.get(id) ?? { findings: 0, files: new Set() };
      m.findings++;
      m.files.add(f.file);
      perMove.set(id, m);
    }
  }
  if (perMove.size > 0) {
    lines.push('', c.bold('Rewritten, by move:'));
    const order = ctx.config.moves.map((m) => m.id).filter((id) => perMove.has(id));
    const w = Math.max(...order.map((id) => `${id} -> ${canonicalOf(ctx, id)}`.length));
    for (const id of order) {
      const m = perMove.get(id)!;
      const label = `${id} -> ${canonicalOf(ctx, id)}`;
      lines.push(`  ${label.padEnd(w)}  ${plural(m.findings, 'import')} in ${plural(m.files.size, 'file')}`);
    }
  }

  const refused = allRefusals(plan);
  if (refused.length > 0) {
    lines.push('', c.bold(`Refused (${refused.length}):`));
    const sorted = [...refused].sort((a, b) => a.finding.file.localeCompare(b.finding.file) || a.finding.start - b.finding.start);
    for (const r of sorted) lines.push(`  ${refusalLine(r, ctx)}`);
  }
  const notes = d?.notes ?? [];
  if (notes.length > 0) {
    lines.push('', c.bold('Notes:'));
    for (const n of notes) lines.push(`  ${shown(ctx, n.file)}:${n.line}: ${n.message}`);
  }
  const strings = d?.strings ?? [];
  if (strings.length > 0) {
    lines.push('', c.bold(`Not rewritten without --strings (${plural(strings.length, 'string reference')} to a moved path):`));
    for (const s of strings) lines.push(`  ${shown(ctx, s.file)}:${s.line}:${s.column}: \`${s.legacy}\``);
  }
  if (plan.errors.length > 0) {
    lines.push('', c.bold(c.red(`Errors (${plural(plan.errors.length, 'file')} left as they were):`)));
    for (const e of plan.errors) lines.push(`  ${shown(ctx, e.file)}: ${e.message}`);
  }
  if (plan.files.length > 0 && !ctx.dryRun) {
    lines.push('', c.bold('Changed:'));
    for (const f of plan.files) lines.push(`  ${shown(ctx, f.file)} (${plural(f.fixed.length, 'finding')})`);
  }
  const ic = d?.importCheck;
  if (ic) {
    lines.push('', c.bold('Import check:'));
    if (ic.unavailable) lines.push('  python3 could not run: no module was imported');
    else {
      const bad = ic.reverted.length;
      lines.push(`  ${plural(ic.checked.length, 'rewritten module')} imported in a fresh python3 after the fix${bad > 0 ? `; ${bad} failed, and ${bad === 1 ? 'its file was' : 'their files were'} put back (see Errors)` : ', all fine'}.`);
    }
    for (const m of ic.failedBefore) lines.push(`  not judged: \`import ${m.module}\` failed before the fix already (${m.error})`);
    if (ic.notModules.length > 0) lines.push(`  not imported (not modules under the import roots): ${ic.notModules.map((f) => shown(ctx, f)).join(', ')}`);
  }
  if (d && plan.files.length > 0) {
    const how = d.stats.compiled ? 'compiled with python3' : 'parsed with tree-sitter (python3 not available)';
    lines.push('', c.dim(`Every rewritten file was lexed and ${how} before it was ${ctx.dryRun ? 'shown' : 'written'}.`));
  }
  return lines.join('\n') + '\n';
}

/** --quiet: one line per refused finding and per file left as it was; nothing when all went well. */
function quietSummary(plan: FixPlan, ctx: FixReportContext): string {
  const refused = [...allRefusals(plan)].sort((a, b) => a.finding.file.localeCompare(b.finding.file) || a.finding.start - b.finding.start);
  const lines = refused.map((r) => `refused: ${refusalLine(r, ctx)}`);
  for (const e of plan.errors) lines.push(`error: ${shown(ctx, e.file)}: ${e.message}`);
  return lines.length ? lines.join('\n') + '\n' : '';
}

function refusalLine(r: Refusal, ctx: FixReportContext): string {
  const f = r.finding;
  const what = f.kind === 'unresolved' ? `unresolved \`${f.legacy}\`` : `\`${f.legacy}\``;
  return `${shown(ctx, f.file)}:${f.line}:${f.column}: ${what}: ${r.reason}`;
}
