import type { Command } from 'commander';
// canon report: the consolidation report (Markdown and JSON) from the migration journal of every
// run so far and a fresh scan; written under .canon/report/ and printed. The HTML page is written
// too, and printed only when stdout is not a terminal (`> page.html`): on a terminal, its path.
import { collect, formatOf, formatOption, globalOptions, type GlobalOptions } from './options.js';
import { stdoutIsTerminal } from '../report/colors.js';

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

export interface ReportCommandOptions extends CommonOptions, GlobalOptions {
  /** Is stdout a terminal? (default: it is, and no --output-file takes it) */
  stdoutIsTTY?: boolean;
  format?: string;
  /** ruff's name for --format. */
  outputFormat?: string;
  out?: string;
  history?: string;
  usage?: string[];
  linkBase?: string;
}

export async function reportCommand(opts: ReportCommandOptions): Promise<CommandResult> {
  const config = loadProjectConfig(opts);
  const cwd = opts.cwd ?? process.cwd();
  const format = checkFormat(formatOf(opts), ['markdown', 'json', 'html'] as const, 'markdown');
  // --quiet: the report, without the note of where it was written.
  const note = (s: string): string => (opts.quiet ? '' : s);
  const historyCommits = opts.history === undefined ? 30 : Number(opts.history);
  if (!Number.isInteger(historyCommits) || historyCommits < 0) throw new UsageError(`--history: expected a whole number of commits (0 for none), got "${opts.history}"`);
  // Shim usage is drawn on the HTML page only: said, rather than taken and ignored.
  if (format !== 'html' && (opts.usage?.length ?? 0) > 0) {
    throw new UsageError(`--usage: only the html report shows shim usage (\`canon report --format html --usage LOG\`); for the ${format} report, \`canon usage LOG\` sums a log up`);
  }
  const scan = await runScan(config);
  const w = await writeConsolidationReport(config, opts.out, scan);
  if (format !== 'html') {
    return { stdout: format === 'json' ? w.json : w.markdown, stderr: note(`wrote ${w.paths.markdown} and ${w.paths.json}\n`), exitCode: EXIT_CLEAN };
  }
  const input = await buildHtmlInput(config, scan, { historyCommits, usageLogs: opts.usage ?? [], linkBase: opts.linkBase ?? '', strings: false, cwd });
  const dir = dirname(w.paths.markdown);
  // Links in the page are relative to the project root unless --link-base says otherwise.
  if (!opts.linkBase) input.linkBase = relative(dir, config.root).split('\\').join('/') || '.';
  const html = renderHtmlReport(input);
  const htmlPath = join(dir, 'consolidation.html');
  writeFileAtomic(htmlPath, Buffer.from(html), scratchDir(config.root));
  const written = note(`wrote ${w.paths.markdown}, ${w.paths.json} and ${htmlPath}\n`);
  // A page of HTML is no reading on a terminal: say where it is, to open in a browser.
  if (opts.stdoutIsTTY ?? stdoutIsTerminal()) return { stdout: `${htmlPath}\n`, stderr: written, exitCode: EXIT_CLEAN };
  return { stdout: html, stderr: written, exitCode: EXIT_CLEAN };
}

export function registerReport(program: Command, run: (p: Promise<CommandResult>) => Promise<void>): void {
  const cmd = program
    .command('report')
    .description('the consolidation report: canonical paths, scan results, shims, batches, changes, quarantine, remaining work, metrics');
  formatOption(cmd, ['markdown', 'json', 'html'], 'markdown', 'what to print (Markdown and JSON are always written; html also writes consolidation.html)')
    .option('--out <dir>', 'folder for consolidation.md and consolidation.json (default: .canon/report)')
    .option('--history <n>', 'html: commits of git history for the burn-down chart (0: none)', '30')
    .option('--usage <log>', 'html: shim usage log (CANON_SHIM_LOG) whose uses the page counts (repeatable)', collect)
    .option('--link-base <url>', 'html: prefix for finding links, e.g. https://host/org/repo/blob/main (default: relative paths)')
    .action((o, c: Command) => run(reportCommand({ ...o, ...globalOptions(c) })));
}
