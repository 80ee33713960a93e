import { Option, type Command } from 'commander';
// canon fix: rewrite every fixable legacy import in place (or print the diff with --diff).
import { filterOptions, formatOf, formatOption, globalOptions, type GlobalOptions } from './options.js';

import { EXIT_CLEAN, EXIT_FINDINGS, UsageError } from '../core/errors.js';
import type { FixPlan, ImportStyle } from '../fix/api.js';
import { allRefusals, planFix } from '../fix/plan.js';
import { fixJson } from '../fix/json.js';
import { fixDiff, fixSummary } from '../fix/report.js';
import { writeFixPlan } from '../fix/write.js';
import { withImportCheck } from '../fix/importCheck.js';
import { pythonCommand } from '../fix/python.js';
import type { Config } from '../config/types.js';
import { lockProject } from '../project/lock.js';
import { colorsFor } from '../report/colors.js';
import { checkFilters, checkFormat, loadProjectConfig, type CommonOptions, type FilterOptions } from './context.js';
import type { CommandResult } from './scan.js';
import { showFiles } from './showFiles.js';

export interface FixCommandOptions extends CommonOptions, FilterOptions, GlobalOptions {
  paths?: string[];
  diff?: boolean;
  /** ruff's name for --format. */
  outputFormat?: string;
  showFiles?: boolean;
  renameUses?: boolean;
  style?: string;
  strings?: boolean;
  allowDivergent?: boolean;
  format?: string;
  importCheck?: boolean;
}

const STYLES: readonly ImportStyle[] = ['absolute', 'relative', 'keep'];
const FIX_FORMATS = ['text', 'json'] as const;

/** 0: everything selected was fixed (or nothing to do); 1: refusals or errors remain. */
export function fixExitCode(plan: FixPlan): number {
  return allRefusals(plan).length > 0 || plan.errors.length > 0 ? EXIT_FINDINGS : EXIT_CLEAN;
}

export async function fixCommand(opts: FixCommandOptions): Promise<CommandResult> {
  const cwd = opts.cwd ?? process.cwd();
  const config = loadProjectConfig(opts);
  const filters = checkFilters(config, opts);
  const format = checkFormat(formatOf(opts), FIX_FORMATS, 'text');
  if (opts.style !== undefined && !STYLES.includes(opts.style as ImportStyle)) {
    throw new UsageError(`--style: unknown style "${opts.style}" (expected one of ${STYLES.join(', ')})`);
  }
  if (opts.showFiles) return showFiles(config, opts.paths, cwd);
  const python = pythonCommand();
  if (opts.importCheck && python === null) throw new UsageError('--import-check needs python3 (CANON_PYTHON is "none")');
  // Planning and writing under the project lock: no other canon writes in between.
  const lock = opts.diff ? null : lockProject(config.root, 'fix');
  try {
    return await fixWith(opts, config, cwd, filters, format, python);
  } finally {
    lock?.release();
  }
}

async function fixWith(
  opts: FixCommandOptions,
  config: ReturnType<typeof loadProjectConfig>,
  cwd: string,
  filters: ReturnType<typeof checkFilters>,
  format: (typeof FIX_FORMATS)[number],
  python: string | null,
): Promise<CommandResult> {
  const plan = await planFix(config, {
    paths: opts.paths, cwd, areas: filters.areas, priorities: filters.priorities, moves: filters.moves,
    renameUses: opts.renameUses, style: opts.style as ImportStyle | undefined, strings: opts.strings,
    allowDivergent: opts.allowDivergent,
  });
  const ctx = { config, cwd, colors: colorsFor(), dryRun: opts.diff === true, quiet: opts.quiet };
  if (format === 'json') {
    // One document on stdout; with --diff it carries the diff, and nothing is written.
    if (!opts.diff) await write(config, plan, opts.importCheck === true ? python : null);
    return { stdout: fixJson(plan, config, { dryRun: opts.diff === true, diff: opts.diff ? fixDiff(plan) : undefined }), stderr: '', exitCode: fixExitCode(plan) };
  }
  if (opts.diff) {
    // The diff on stdout (for `git apply`), the summary on stderr.
    return { stdout: fixDiff(plan), stderr: fixSummary(plan, { ...ctx, colors: colorsFor(process.stderr) }), exitCode: fixExitCode(plan) };
  }
  await write(config, plan, opts.importCheck === true ? python : null);
  return { stdout: fixSummary(plan, ctx), stderr: '', exitCode: fixExitCode(plan) };
}

/** Write the plan; with an interpreter, import the rewritten modules around the write (--import-check). */
async function write(config: Config, plan: FixPlan, python: string | null): Promise<void> {
  if (python === null) return writeFixPlan(config.root, plan);
  const report = await withImportCheck({ python, root: config.root, src: config.src }, plan, (file) => plan.files.find((f) => f.file === file)?.module ?? null, () => writeFixPlan(config.root, plan));
  if (plan.details) plan.details.importCheck = report;
}

export function registerFix(program: Command, run: (p: Promise<CommandResult>) => Promise<void>): void {
  const cmd = program
    .command('fix')
    .description('rewrite every fixable legacy import to its canonical path, in place')
    .argument('[paths...]', 'files or folders to fix (default: the whole project)')
    .option('--diff', 'print a unified diff and write nothing');
  formatOption(cmd, FIX_FORMATS, 'text', 'output format: the text summary, or one JSON document on stdout');
  filterOptions(
    cmd
      .option('--rename-uses', 'for a renamed symbol, rename its uses in the file instead of importing it under the old name')
      .addOption(new Option('--style <style>', 'how rewritten from-imports spell the module: absolute, relative, or keep the legacy form').choices([...STYLES]))
      .option('--strings', 'also rewrite string literals that are exactly a legacy dotted path')
      .option('--allow-divergent', 'rewrite moves verify calls divergent or dynamic too (changes behaviour!)')
      .option('--import-check', 'after writing, import each rewritten module in a fresh python3 and put back the files of those that fail (runs the project\'s import-time code)'),
  )
    .option('--show-files', 'print the files fix would read, and exit')
    .action((paths: string[], o, c: Command) => run(fixCommand({ ...o, paths, ...globalOptions(c) })));
}
