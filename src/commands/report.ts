import { Option, type Command } from 'commander';
// canon report: the consolidation report (Markdown and JSON) from the migration journal of every
// run so far and a fresh scan; written under .canon/report/ and printed.
import { globalConfig } from './options.js';

import { EXIT_CLEAN } from '../core/errors.js';
import { writeConsolidationReport } from '../report/consolidation/write.js';
import { checkFormat, loadProjectConfig, type CommonOptions } from './context.js';
import type { CommandResult } from './scan.js';

export interface ReportCommandOptions extends CommonOptions {
  format?: string;
  out?: string;
}

export async function reportCommand(opts: ReportCommandOptions): Promise<CommandResult> {
  const config = loadProjectConfig(opts);
  const format = checkFormat(opts.format, ['markdown', 'json'] as const, 'markdown');
  const w = await writeConsolidationReport(config, opts.out);
  return { stdout: format === 'json' ? w.json : w.markdown, stderr: `wrote ${w.paths.markdown} and ${w.paths.json}\n`, exitCode: EXIT_CLEAN };
}

export function registerReport(program: Command, run: (p: Promise<CommandResult>) => Promise<void>): void {
  program
    .command('report')
    .description('the consolidation report: canonical paths, scan results, shims, batches, changes, quarantine, remaining work, metrics')
    .addOption(new Option('--format <format>', 'what to print (both files are always written)').choices(['markdown', 'json']).default('markdown'))
    .option('--out <dir>', 'folder for consolidation.md and consolidation.json (default: .canon/report)')
    .action((o, cmd: Command) => run(reportCommand({ ...o, config: globalConfig(cmd) })));
}
