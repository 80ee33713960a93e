import { plural } from '../core/text.js';
import type { Command } from 'commander';
// canon baseline: record the project's violations so `canon check --baseline` fails only on new
// ones. Over an existing baseline it only tightens: fixed violations leave, new ones are not added.
import { globalOptions, jobsOption, type GlobalOptions } from './options.js';
import { showFiles } from './showFiles.js';

import { dirname, relative, resolve } from 'node:path';
import { baselineOf, BaselineError, DEFAULT_BASELINE, readBaseline, recordedCount, serializeBaseline, type Baseline } from '../check/baseline.js';
import { tightenBaseline } from '../check/compare.js';
import { isIgnored } from '../check/git.js';
import { EXIT_CLEAN, EXIT_FINDINGS, UsageError } from '../core/errors.js';
import type { Finding } from '../core/finding.js';
import { isViolation } from '../core/summary.js';
import { writeFileChecked } from '../fs/atomic.js';
import { CANON_DIR, confinedPath, makeDirs } from '../fs/confine.js';
import { NotRegularFileError, readRegularFile } from '../fs/input.js';
import { scratchDir } from '../fs/temp.js';
import { lockProject } from '../project/lock.js';
import { findingMessage } from '../report/text.js';
import { runScan } from '../scan/runScan.js';
import { loadProjectConfig, type CommonOptions } from './context.js';
import type { CommandResult } from './scan.js';

export interface BaselineCommandOptions extends CommonOptions, GlobalOptions {
  showFiles?: boolean;
  baseline?: string;
  /** Record the current violations from scratch, new ones included. */
  reset?: boolean;
  strings?: boolean;
  jobs?: number;
}

export async function baselineCommand(opts: BaselineCommandOptions): Promise<CommandResult> {
  const cwd = opts.cwd ?? process.cwd();
  const config = loadProjectConfig(opts);
  if (opts.showFiles) return showFiles(config, undefined, cwd);
  const lock = lockProject(config.root, 'baseline');
  try {
    return await recordBaseline(opts, cwd, config);
  } finally {
    lock.release();
  }
}

async function recordBaseline(opts: BaselineCommandOptions, cwd: string, config: ReturnType<typeof loadProjectConfig>): Promise<CommandResult> {
  // The default is canon's own file; a path the user names is taken as given (outside the root too).
  const file = opts.baseline ? resolve(cwd, opts.baseline) : confinedPath(config.root, DEFAULT_BASELINE, { key: '', under: CANON_DIR });
  const shown = relative(cwd, file).split('\\').join('/') || file;

  let old: Baseline | null = null;
  if (!opts.reset) {
    try {
      old = readBaseline(file);
    } catch (e) {
      if (e instanceof BaselineError) throw new UsageError(`${shown}: ${e.message} (\`canon baseline --reset\` re-creates it)`, e.details);
      throw e;
    }
    if (old && opts.strings && !old.strings) {
      throw new UsageError('--strings: this baseline was recorded without --strings; re-record it with `canon baseline --reset --strings`');
    }
  }
  const strings = opts.strings === true || old?.strings === true;

  const scan = await runScan(config, { jobs: opts.jobs });
  const violations = scan.findings.filter((f) => isViolation(f, strings));
  const { baseline, leftOut } = old ? tightenBaseline(old, violations) : { baseline: baselineOf(violations, strings), leftOut: [] as Finding[] };

  const text = serializeBaseline(baseline);
  let before: Buffer | null = null;
  try {
    before = readRegularFile(file);
  } catch (e) {
    if (e instanceof NotRegularFileError) throw e;
    // no file yet
  }
  const total = recordedCount(baseline);
  const contents = `${plural(total, 'violation')} in ${plural(baseline.files.size, 'file')}`;
  let out: string[] = [];
  if (before !== null && before.equals(Buffer.from(text, 'utf8'))) out.push(`${shown} is up to date: ${contents}.`);
  else {
    makeDirs(dirname(file));
    if (writeFileChecked(file, Buffer.from(text, 'utf8'), before, scratchDir(config.root)) === 'changed') {
      throw new UsageError(`${shown} changed while canon was recording the baseline; it was left as it is`, ['run `canon baseline` again']);
    }
    if (old) {
      const removed = recordedCount(old) - total;
      if (removed > 0) out.push(`Tightened ${shown}: ${plural(removed, 'fixed violation')} removed; ${contents} remain.`);
      else out.push(`Updated ${shown} (fingerprints or layout): ${contents}.`);
    } else out.push(`Wrote ${shown}: ${contents}.`);
  }
  const lineOf = (f: Finding): string => `${relative(cwd, resolve(config.root, f.file)).split('\\').join('/')}:${f.line}:${f.column}: ${f.code} ${findingMessage(f)}`;
  if (leftOut.length > 0) {
    out.push('', `${plural(leftOut.length, 'new violation')} not added (fix ${leftOut.length === 1 ? 'it' : 'them'}, or record ${leftOut.length === 1 ? 'it' : 'them'} with \`canon baseline --reset\`):`);
    for (const f of leftOut) out.push(`  ${lineOf(f)}`);
  }
  // --quiet: the new violations left out, one line each, and nothing else.
  if (opts.quiet) out = leftOut.map(lineOf);
  let stderr = scan.errors.map((e) => `warning: cannot read ${e.file}: ${e.message}\n`).join('');
  if (await isIgnored(file, cwd)) stderr += `warning: git ignores ${shown}; commit it anyway (git add -f ${shown}) or un-ignore it, so CI sees it\n`;
  return { stdout: out.length ? out.join('\n') + '\n' : '', stderr, exitCode: leftOut.length > 0 ? EXIT_FINDINGS : EXIT_CLEAN };
}


export function registerBaseline(program: Command, run: (p: Promise<CommandResult>) => Promise<void>): void {
  const cmd = program
    .command('baseline')
    .description('record current violations for `canon check --baseline`; over an existing baseline, only tighten it')
    .option('--baseline <path>', `baseline file (default: ${DEFAULT_BASELINE} in the project root)`)
    .option('--reset', 'record the current violations from scratch, adding new ones (the baseline may grow)')
    .option('--strings', 'count string references as violations (check then counts them too)');
  jobsOption(cmd)
    .option('--show-files', 'print the files the baseline would be recorded from, and exit')
    .action((o, c: Command) => run(baselineCommand({ ...o, ...globalOptions(c) })));
}
