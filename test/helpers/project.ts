// Test helpers shared by every layer: temporary project trees (optionally git repositories) and
// running the built CLI exactly as a user would, with NO_COLOR.

import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const CLI = join(REPO, 'dist/bin/canon.js');
export const EXAMPLE = join(REPO, 'examples/websocket-consolidation');

/** Write `files` (path -> text or bytes) under a new temporary folder; returns its path. */
export function makeProject(files: Record<string, string | Buffer>, opts: { git?: boolean } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'canon-test-'));
  for (const [rel, content] of Object.entries(files)) {
    const p = join(dir, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, content);
  }
  if (opts.git) gitInit(dir);
  return dir;
}

/** A copy of the bundled example project in a temporary folder. */
export function copyExample(opts: { git?: boolean } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'canon-example-'));
  cpSync(EXAMPLE, dir, { recursive: true, filter: (src) => !src.includes('__pycache__') && !src.includes('/.canon') });
  if (opts.git) gitInit(dir);
  return dir;
}

export function git(dir: string, ...args: string[]): string {
  const r = spawnSync('git', args, { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

export function gitInit(dir: string): void {
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'config', 'user.email', 'test@example.invalid');
  git(dir, 'config', 'user.name', 'canon test');
  git(dir, 'config', 'commit.gpgsign', 'false');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'initial', '--allow-empty');
}

export interface CliResult {
  stdout: string;
  stderr: string;
  code: number;
}

/** Run the built canon binary (build first: `npm test` does). */
export function runCli(args: string[], opts: { cwd: string; env?: Record<string, string>; input?: string; timeout?: number }): CliResult {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ...opts.env };
  delete env.FORCE_COLOR;
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: opts.cwd,
    encoding: 'utf8',
    input: opts.input,
    timeout: opts.timeout ?? 120_000,
    env,
  });
  return { stdout: r.stdout, stderr: r.stderr, code: r.status ?? -1 };
}

/** runCli without blocking the test worker: tests of many small cases run a few at a time. */
export function runCliAsync(args: string[], opts: { cwd: string; env?: Record<string, string> }): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ...opts.env };
  delete env.FORCE_COLOR;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: opts.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ stdout, stderr, code: code ?? -1 }));
  });
}
