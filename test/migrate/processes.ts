// migrate in a process of its own (harness.ts, the test-double fixer), so tests can interrupt it or
// kill it, and the state every interruption test must end in once resumed.

import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { loadProjectConfig } from '../../src/commands/context.js';
import { runScan } from '../../src/scan/runScan.js';
import { git, REPO } from '../helpers/project.js';
import { CONSUMERS, FILES, read, subjects } from './fixture.js';

const VITE_NODE = join(REPO, 'node_modules/vite-node/vite-node.mjs');
const HARNESS = join(REPO, 'test/migrate/harness.ts');

export interface Outcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  events: { type: string; [k: string]: unknown }[];
  stderr: string;
}

export function harness(root: string, opts: object, env: Record<string, string> = {}, onStart?: (pid: number) => void, group = false): Promise<Outcome> {
  return new Promise((resolve) => {
    // group: in a process group of its own, as a terminal's foreground job is (a Ctrl-C reaches all of it).
    const child = spawn(process.execPath, [VITE_NODE, HARNESS, root, JSON.stringify(opts)], { cwd: REPO, env: { ...process.env, ...env }, detached: group });
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    if (child.pid !== undefined) onStart?.(child.pid);
    child.on('close', (code, signal) => {
      const events = out
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Outcome['events'][number]);
      resolve({ code, signal, events, stderr: err });
    });
  });
}

export const waitFor = async (cond: () => boolean, ms = 30_000): Promise<void> => {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
};

/** The state every interruption test must end in, once resumed to the end. */
export async function expectFinished(root: string): Promise<void> {
  expect(subjects(root)).toEqual([
    'canon: batch 1/3 [critical] core: 2 files, 2 imports',
    'canon: batch 2/3 [high] svc: 1 file, 1 import (bisect part 1)',
    'canon: batch 2/3 [high] svc: 1 file, 1 import (bisect part 2)',
    'canon: batch 3/3 [high] svc: 1 file, 1 import',
  ]);
  // Every committed file holds exactly the rewrite; the quarantined one its original bytes.
  for (const f of CONSUMERS) {
    const want = f === 'pkg/svc/e.py' ? FILES[f] : FILES[f].replace('pkg.old', 'pkg.new');
    expect(read(root, f)).toBe(want);
    expect(git(root, 'show', `HEAD:${f}`)).toBe(want);
  }
  expect(git(root, 'status', '--porcelain', '--untracked-files=no')).toBe('');
  expect(temporaries(root)).toEqual([]);
  // Nothing left in canon's scratch folder either: no temporary file, no lock.
  expect(readdirSync(join(root, '.canon/tmp')).filter((n) => n !== '.gitignore')).toEqual([]);
  expect(existsSync(join(root, '.canon/migrate/active.json'))).toBe(false);
  // No finding lost: what a fresh scan still reports is exactly the quarantined file's.
  const scan = await runScan(loadProjectConfig({ cwd: root }));
  const left = scan.findings.filter((f) => f.kind !== 'string-reference');
  expect([...new Set(left.map((f) => f.file))]).toEqual(['pkg/svc/e.py']);
  const runs = readdirSync(join(root, '.canon/migrate/runs'));
  expect(runs).toHaveLength(1);
  const run = JSON.parse(readFileSync(join(root, '.canon/migrate/runs', runs[0]), 'utf8'));
  expect(run.status).toBe('done');
  expect(run.batches.flatMap((b: { quarantined: { file: string }[] }) => b.quarantined.map((q) => q.file))).toEqual(['pkg/svc/e.py']);
  expect(run.batches.flatMap((b: { changes: { file: string }[] }) => b.changes.map((c) => c.file)).sort()).toEqual(CONSUMERS.filter((f) => f !== 'pkg/svc/e.py'));
}

export function temporaries(root: string): string[] {
  const out: string[] = [];
  for (const dir of ['pkg/core', 'pkg/svc']) for (const n of readdirSync(join(root, dir))) if (n.endsWith('.tmp')) out.push(`${dir}/${n}`);
  return out;
}
