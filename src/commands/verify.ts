import type { Command } from 'commander';
// canon verify: for each move, does the legacy path lead to the same object as the canonical path?
import { collect, formatOf, formatOption, globalOptions, type GlobalOptions } from './options.js';

import { EXIT_CLEAN, EXIT_FINDINGS } from '../core/errors.js';
import type { MoveVerdict } from '../core/verify.js';
import { meetingPoint, verifyMoves } from '../core/verify.js';
import { describeTarget, isOpaque, type Resolution } from '../python/resolve.js';
import { colorsFor, type Colors } from '../report/colors.js';
import { loadProject } from '../scan/runScan.js';
import { checkFilters, checkFormat, loadProjectConfig, type CommonOptions } from './context.js';
import type { CommandResult } from './scan.js';
import { plural } from '../core/text.js';
import { canonicalPath } from '../core/moveTable.js';

export interface VerifyCommandOptions extends CommonOptions, GlobalOptions {
  format?: string;
  /** ruff's name for --format. */
  outputFormat?: string;
  move?: string[];
}

function chain(r: Resolution): string {
  const steps = r.chain.join(' -> ');
  return r.ok ? `${steps} => ${describeTarget(r.target)}` : `${steps} => ${r.verdict}`;
}

/** `quiet`: only the moves that are not `same`, and no summary. */
export function verifyText(verdicts: MoveVerdict[], c: Colors, quiet = false): string {
  const out: string[] = [];
  const paint = { same: c.green, divergent: c.red, unresolved: c.red, dynamic: c.yellow };
  for (const v of verdicts) {
    if (quiet && v.verdict === 'same') continue;
    out.push(`${paint[v.verdict](v.verdict.padEnd(10))} ${v.move.id} -> ${canonicalPath(v.move)}`);
    out.push(`           legacy:    ${chain(v.legacy)}`);
    out.push(`           canonical: ${chain(v.canonical)}`);
    const meet = meetingPoint(v);
    if (meet !== null) {
      const one = v.legacy.ok && isOpaque(v.legacy.target) ? ' (bound once, so one object, whatever it holds)' : '';
      out.push(`           ${c.dim('meet:')}      ${meet}${one}`);
    }
    if (v.reason) out.push(`           ${c.dim('why:')} ${v.reason}`);
  }
  if (quiet) return out.length ? out.join('\n') + '\n' : '';
  const count = (k: string): number => verdicts.filter((v) => v.verdict === k).length;
  const parts = ['same', 'divergent', 'unresolved', 'dynamic'].filter((k) => count(k) > 0).map((k) => `${count(k)} ${k}`);
  out.push('', `${plural(verdicts.length, 'move')}: ${parts.join(', ') || 'none'}.`);
  return out.join('\n') + '\n';
}

export function verifyJson(verdicts: MoveVerdict[]): string {
  const res = (r: Resolution) =>
    r.ok ? { ok: true, chain: r.chain, target: r.target } : { ok: false, chain: r.chain, verdict: r.verdict, reason: r.reason };
  const moves = verdicts.map((v) => ({
    move: v.move.id, kind: v.move.kind, canonical: canonicalPath(v.move), verdict: v.verdict, reason: v.reason,
    meet: meetingPoint(v),
    legacyChain: res(v.legacy), canonicalChain: res(v.canonical),
  }));
  return JSON.stringify({ version: 1, moves }, null, 2) + '\n';
}

export async function verifyCommand(opts: VerifyCommandOptions): Promise<CommandResult> {
  const config = loadProjectConfig(opts);
  const format = checkFormat(formatOf(opts), ['text', 'json'] as const, 'text');
  const { moves } = checkFilters(config, { move: opts.move });
  const { resolver } = await loadProject(config);
  const chosen = moves.length ? config.moves.filter((m) => moves.includes(m.id)) : config.moves;
  const verdicts = verifyMoves(chosen, resolver);
  const bad = verdicts.some((v) => v.verdict === 'divergent' || v.verdict === 'unresolved');
  const stdout = format === 'json' ? verifyJson(verdicts) : verifyText(verdicts, colorsFor(), opts.quiet);
  return { stdout, stderr: '', exitCode: bad ? EXIT_FINDINGS : EXIT_CLEAN };
}

export function registerVerify(program: Command, run: (p: Promise<CommandResult>) => Promise<void>): void {
  const cmd = program
    .command('verify')
    .description('check that each legacy path leads to the same object as its canonical path');
  formatOption(cmd, ['text', 'json'], 'text')
    .option('--move <from>', 'only this move (repeatable)', collect)
    .action((o, c: Command) => run(verifyCommand({ ...o, ...globalOptions(c) })));
}
