import type { Command } from 'commander';
// canon init: a starter canon.toml (or [tool.canon] in pyproject.toml) proposed from the tree.
import { globalConfig } from './options.js';

import { dirname, relative } from 'node:path';
import { EXIT_CLEAN } from '../core/errors.js';
import { initTarget, runInit } from '../init/run.js';
import { lockProject } from '../project/lock.js';
import type { CommandResult } from './scan.js';

export interface InitCommandOptions {
  /** The file to write (the global --config). */
  config?: string;
  cwd?: string;
  force?: boolean;
  discover?: boolean;
  dryRun?: boolean;
}

export async function initCommand(opts: InitCommandOptions): Promise<CommandResult> {
  const cwd = opts.cwd ?? process.cwd();
  // The project is the folder that will hold the config: no other canon writes there meanwhile.
  const lock = opts.dryRun ? null : lockProject(dirname(initTarget(cwd, opts.config).file), 'init');
  let r: Awaited<ReturnType<typeof runInit>>;
  try {
    r = await runInit({ cwd, target: opts.config, force: opts.force, discover: opts.discover, dryRun: opts.dryRun });
  } finally {
    lock?.release();
  }
  const notes = r.notes.map((n) => `note: ${n}\n`).join('');
  if (opts.dryRun) return { stdout: r.section, stderr: notes, exitCode: EXIT_CLEAN };

  const shown = relative(cwd, r.file).split('\\').join('/') || r.file;
  const head =
    r.style === 'canon.toml'
      ? `${r.replaced ? 'Replaced' : 'Wrote'} ${shown}:`
      : `${r.replaced ? 'Replaced [tool.canon] in' : 'Added [tool.canon] to'} ${shown}:`;
  const p = r.proposal;
  const out = [head, `  import roots: ${p.src.join(', ')}`];
  if (p.exclude.length > 0) out.push(`  exclude:      ${p.exclude.join(', ')}`);
  out.push(`  areas:        ${p.areas.length > 0 ? p.areas.map((a) => `${a.name} (${a.priority})`).join(', ') : 'none (every file is in "other")'}`);
  if (r.moves === null) {
    out.push('  moves:        none yet');
    out.push('Next: add a [[move]] for each legacy import path (`from` legacy, `to` canonical), then run `canon verify` and `canon scan`.');
  } else {
    out.push(`  moves:        ${r.moves.length} proposed from the import graph`);
    out.push('Next: review the moves (keep the ones you mean), then run `canon verify` and `canon scan`.');
  }
  return { stdout: out.join('\n') + '\n', stderr: notes, exitCode: EXIT_CLEAN };
}

export function registerInit(program: Command, run: (p: Promise<CommandResult>) => Promise<void>): void {
  program
    .command('init')
    .description('write a starter canon.toml (or [tool.canon] in an existing pyproject.toml) proposed from the tree')
    .option('--force', 'replace an existing canon.toml or [tool.canon] table')
    .option('--discover', 'also propose the moves (legacy path -> canonical path) found in the code')
    .option('--dry-run', 'print the configuration instead of writing it')
    .action((o, cmd: Command) => run(initCommand({ ...o, config: globalConfig(cmd) })));
}
