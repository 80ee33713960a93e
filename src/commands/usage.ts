import type { Command } from 'commander';
// canon usage: what the shims' usage logs (CANON_SHIM_LOG) say: uses by legacy path and by caller,
// callers the static scan did not see (dynamic imports, patches), and shims nobody used.
import { formatOf, formatOption, globalOptions } from './options.js';

import { EXIT_CLEAN, UsageError } from '../core/errors.js';
import { colorsFor, type Colors } from '../report/colors.js';
import { runScan } from '../scan/runScan.js';
import { listInstalledShims } from '../shim/inventory.js';
import { readUsageLogs, summarizeUsage, type CallerUse, type UsageSummary } from '../shim/usageLog.js';
import { checkFormat, loadProjectConfig, type CommonOptions } from './context.js';
import type { CommandResult } from './scan.js';
import { plural } from '../core/text.js';

export interface UsageCommandOptions extends CommonOptions {
  logs: string[];
  format?: string;
  /** ruff's name for --format. */
  outputFormat?: string;
}

export async function usageCommand(opts: UsageCommandOptions): Promise<CommandResult> {
  const cwd = opts.cwd ?? process.cwd();
  const config = loadProjectConfig(opts);
  const format = checkFormat(formatOf(opts), ['text', 'json'] as const, 'text');
  if (opts.logs.length === 0) throw new UsageError('name at least one usage log (the file CANON_SHIM_LOG pointed at)');
  const logs = readUsageLogs(opts.logs, cwd);
  const scan = await runScan(config);
  const summary = summarizeUsage(logs.records, config.root, scan.findings, listInstalledShims(config.root, scan.index));
  const stderr = logs.badLines.length
    ? `warning: skipped ${plural(logs.badLines.length, 'line')} that are not usage records (first: ${logs.badLines[0].log}:${logs.badLines[0].line})\n`
    : '';
  const stdout = format === 'json' ? usageJson(summary, logs.badLines.length) : usageText(summary, colorsFor());
  return { stdout, stderr, exitCode: EXIT_CLEAN };
}

function caller(c: CallerUse): string {
  return `${c.file}:${c.line}`;
}

export function usageText(s: UsageSummary, c: Colors): string {
  const out: string[] = [];
  const count = (n: number): string => String(n).padStart(6);
  out.push(c.bold(`Uses by legacy path (${plural(s.records, 'recorded use')}):`));
  if (s.byLegacy.length === 0) out.push('  none');
  for (const l of s.byLegacy) {
    out.push(`${count(l.uses)}  ${l.legacy} -> ${l.canonical}  (${plural(l.callers, 'caller')}, ${l.processes} process${l.processes === 1 ? '' : 'es'})`);
  }
  out.push('', c.bold('Uses by caller:'));
  if (s.byCaller.length === 0) out.push('  none');
  for (const u of s.byCaller) out.push(`${count(u.uses)}  ${caller(u)}  ${u.legacy.join(', ')}`);
  out.push('', c.bold('Callers the static scan did not see:'));
  if (s.unseen.length === 0) out.push('  none');
  for (const u of s.unseen) out.push(`${count(u.uses)}  ${caller(u)}  ${u.legacy.join(', ')}${u.inProject ? '' : c.dim('  (outside the project)')}`);
  out.push('', c.bold('Shims with no recorded use:'));
  if (s.unused.length === 0) out.push('  none');
  for (const u of s.unused) out.push(`        ${u.legacy}  (${u.file})`);
  return out.join('\n') + '\n';
}

/**
 * JSON output, a public contract: {version: 1, records, badLines, byLegacy: [{legacy, canonical,
 * uses, callers, processes, first, last}], byCaller: [{file, line, inProject, uses, legacy}],
 * unseen: [same as byCaller], unused: [{legacy, file}]}. Times are seconds since the epoch.
 */
export function usageJson(s: UsageSummary, badLines: number): string {
  return JSON.stringify({ version: 1, records: s.records, badLines, byLegacy: s.byLegacy, byCaller: s.byCaller, unseen: s.unseen, unused: s.unused }, null, 2) + '\n';
}

export function registerUsage(program: Command, run: (p: Promise<CommandResult>) => Promise<void>): void {
  const cmd = program
    .command('usage')
    .description('sum up the usage logs the shims wrote (CANON_SHIM_LOG): who still uses which legacy path')
    .argument('<logs...>', 'usage log files');
  formatOption(cmd, ['text', 'json'], 'text').action((logs: string[], o, c: Command) => run(usageCommand({ ...o, logs, config: globalOptions(c).config })));
}
