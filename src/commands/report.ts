import { Option, type Command } from 'commander';
// canon report: the consolidation report (Markdown and JSON) from the migration journal of every
// run so far and a fresh scan; written under .canon/report/ and printed.
import { collect, globalConfig } from './options.js';

import { dirname, join, relative } from 'node:path';
import { EXIT_CLEAN, UsageError } from '../core/errors.js';
import { writeFileAtomic } from '../fs/atomic.js';
import { scratchDir } from '../fs/temp.js';
import { buildHtmlInput } from '../report/html/build.js';
import { renderHtmlReport } from '../report/html/page.js';
import { runScan } from '../scan/runScan.js';
import { writeConsolidationReport } from '../report/consolidation/write.js';
import { checkFormat, loadProjectConfig, type CommonOptions } from './context.js';
import type { CommandResult } from './scan.js';

export interface ReportCommandOptions extends CommonOptions {
  format?: string;
  out?: string;
  history?: string;
  usage?: string[];
  linkBase?: string;
}

export async function reportCommand(opts: ReportCommandOptions): Promise<CommandResult> {
  const config = loadProjectConfig(opts);
  const cwd = opts.cwd ?? process.cwd();
  const format = checkFormat(opts.format, ['markdown', 'json', 'html'] as const, 'markdown');
  const historyCommits = opts.history === undefined ? 30 : Number(opts.history);
  if (!Number.isInteger(historyCommits) || historyCommits < 0) throw new UsageError(`--history: expected a whole number of commits (0 for none), got "${opts.history}"`);
  const scan = await runScan(config);
  const w = await writeConsolidationReport(config, opts.out, scan);
  if (format !== 'html') {
    return { stdout: format === 'json' ? w.json : w.markdown, stderr: `wrote ${w.paths.markdown} and ${w.paths.json}\n`, exitCode: EXIT_CLEAN };
  }
  const input = await buildHtmlInput(config, scan, { historyCommits, usageLogs: opts.usage ?? [], linkBase: opts.linkBase ?? '', strings: false, cwd });
  const dir = dirname(w.paths.markdown);
  // Links in the page are relative to the project root unless --link-base says otherwise.
  if (!opts.linkBase) input.linkBase = relative(dir, config.root).split('\\').join('/') || '.';
  const html = renderHtmlReport(input);
  const htmlPath = join(dir, 'consolidation.html');
  writeFileAtomic(htmlPath, Buffer.from(html), scratchDir(config.root));
  return { stdout: html, stderr: `wrote ${w.paths.markdown}, ${w.paths.json} and ${htmlPath}\n`, exitCode: EXIT_CLEAN };
}

export function registerReport(program: Command, run: (p: Promise<CommandResult>) => Promise<void>): void {
  program
    .command('report')
    .description('the consolidation report: canonical paths, scan results, shims, batches, changes, quarantine, remaining work, metrics')
    .addOption(new Option('--format <format>', 'what to print (Markdown and JSON are always written; html also writes consolidation.html)').choices(['markdown', 'json', 'html']).default('markdown'))
    .option('--out <dir>', 'folder for consolidation.md and consolidation.json (default: .canon/report)')
    .option('--history <n>', 'html: commits of git history for the burn-down chart (0: none)', '30')
    .option('--usage <log>', 'html: shim usage log (CANON_SHIM_LOG) whose uses the page counts (repeatable)', collect)
    .option('--link-base <url>', 'html: prefix for finding links, e.g. https://host/org/repo/blob/main (default: relative paths)')
    .action((o, cmd: Command) => run(reportCommand({ ...o, config: globalConfig(cmd) })));
}
