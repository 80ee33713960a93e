// Interruptions: SIGINT while validation runs, SIGKILL in the middle of writing a batch and right
// after a commit, each followed by `--resume`. canon runs in a process of its own (harness.ts);
// afterwards no file is corrupt, every committed batch is intact and no finding is lost.

import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadProjectConfig } from '../../src/commands/context.js';
import { runScan } from '../../src/scan/runScan.js';
import { git, REPO } from '../helpers/project.js';
import { alive, CONSUMERS, FILES, fixtureRepo, read, subjects, UNITTEST } from './fixture.js';

const VITE_NODE = join(REPO, 'node_modules/vite-node/vite-node.mjs');
const HARNESS = join(REPO, 'test/migrate/harness.ts');

interface Outcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  events: { type: string; [k: string]: unknown }[];
  stderr: string;
}

function harness(root: string, opts: object, env: Record<string, string> = {}, onStart?: (pid: number) => void): Promise<Outcome> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [VITE_NODE, HARNESS, root, JSON.stringify(opts)], { cwd: REPO, env: { ...process.env, ...env } });
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

const waitFor = async (cond: () => boolean, ms = 30_000): Promise<void> => {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
};

/** The state every interruption test must end in, once resumed to the end. */
async function expectFinished(root: string): Promise<void> {
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

function temporaries(root: string): string[] {
  const out: string[] = [];
  for (const dir of ['pkg/core', 'pkg/svc']) for (const n of readdirSync(join(root, dir))) if (n.endsWith('.tmp')) out.push(`${dir}/${n}`);
  return out;
}

describe('canon migrate interrupted', () => {
  test('SIGINT during validation: the batch is rolled back, the validation process group killed; --resume finishes', async () => {
    // The first validation with batch 2 applied hangs in a background sleep until interrupted.
    const root = fixtureRepo({
      'tools/validate.sh': `if grep -q pkg.new pkg/svc/c.py && [ ! -f .canon/hung ]; then touch .canon/hung; sleep 60 & echo $! > .canon/sleep.pid; wait; fi\nexec ${UNITTEST}\n`,
    });
    let pid = 0;
    const first = harness(root, { validate: 'sh tools/validate.sh' }, {}, (p) => (pid = p));
    await waitFor(() => existsSync(join(root, '.canon/sleep.pid')) && read(root, '.canon/sleep.pid').trim() !== '');
    const sleeper = Number(read(root, '.canon/sleep.pid'));
    process.kill(pid, 'SIGINT');
    const out = await first;
    expect(out.code).toBe(130);
    const interrupted = out.events.find((e) => e.type === 'interrupted');
    expect(interrupted).toMatchObject({ signal: 'SIGINT', rolledBack: ['pkg/svc/c.py', 'pkg/svc/d.py', 'pkg/svc/e.py'] });
    await waitFor(() => !alive(sleeper), 5000);
    expect(subjects(root)).toEqual(['canon: batch 1/3 [critical] core: 2 files, 2 imports']);
    for (const f of ['pkg/svc/c.py', 'pkg/svc/d.py', 'pkg/svc/e.py']) expect(read(root, f)).toBe(FILES[f]);
    expect(git(root, 'status', '--porcelain', '--untracked-files=no')).toBe('');

    const again = await harness(root, { resume: true });
    expect(again.stderr).toBe('');
    expect(again.code).toBe(1);
    expect(again.events[0]).toMatchObject({ type: 'start', resumed: true, batches: 3 });
    // The baseline is not run again; batch 1 is not redone.
    expect(again.events.filter((e) => e.type === 'baseline-start')).toEqual([]);
    expect(again.events.filter((e) => e.type === 'batch-start').map((e) => e.n)).toEqual([2, 3]);
    await expectFinished(root);
  }, 60_000);

  test('SIGKILL after writing 2 of 3 files of a batch: the next start restores them; --resume finishes', async () => {
    const root = fixtureRepo();
    const killed = await harness(root, {}, { CANON_TEST_CRASH_AFTER: 'write:2@2' });
    expect(killed.signal).toBe('SIGKILL');
    // Killed mid-batch: two files rewritten, the third not, the journal holding all three.
    expect(read(root, 'pkg/svc/c.py')).toContain('pkg.new');
    expect(read(root, 'pkg/svc/d.py')).toContain('pkg.new');
    expect(read(root, 'pkg/svc/e.py')).toBe(FILES['pkg/svc/e.py']);
    const active = JSON.parse(read(root, '.canon/migrate/active.json'));
    expect(active.files.map((f: { file: string }) => f.file)).toEqual(['pkg/svc/c.py', 'pkg/svc/d.py', 'pkg/svc/e.py']);

    const resumed = await harness(root, { resume: true });
    expect(resumed.stderr).toBe('');
    expect(resumed.events[0]).toMatchObject({ type: 'recovered', committed: false, files: ['pkg/svc/c.py', 'pkg/svc/d.py', 'pkg/svc/e.py'] });
    expect(resumed.code).toBe(1);
    await expectFinished(root);
  }, 60_000);

  test('SIGKILL right after a commit, before the journal records it: --resume recognises the commit', async () => {
    const root = fixtureRepo();
    const killed = await harness(root, {}, { CANON_TEST_CRASH_AFTER: 'commit:1' });
    expect(killed.signal).toBe('SIGKILL');
    expect(subjects(root)).toEqual(['canon: batch 1/3 [critical] core: 2 files, 2 imports']);
    const resumed = await harness(root, { resume: true });
    expect(resumed.events[0]).toMatchObject({ type: 'recovered', committed: true });
    expect(resumed.events.filter((e) => e.type === 'batch-start').map((e) => e.n)).toEqual([2, 3]);
    await expectFinished(root);
  }, 60_000);
});
