// Two writers at once, and an edit racing canon's writes. canon is stopped at an exact point of its
// write phase (CANON_FAULT=stop:N:NAME: it sends itself SIGSTOP there), the test acts, then sends
// SIGCONT: no sleeps that may or may not land.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { copyExample, git, gitInit } from '../helpers/project.js';
import { canon, removeTree, stopped } from './sweep.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeTree));

function example(): string {
  const d = copyExample();
  gitInit(d);
  dirs.push(d);
  return d;
}

/** Start `canon fix` stopped at the point; returns its pid and the promise of its end. */
async function fixStoppedAt(dir: string, point: string): Promise<{ pid: number; done: ReturnType<typeof canon> }> {
  let pid = 0;
  const done = canon(['fix'], dir, { CANON_FAULT: `stop:${point}` }, (p) => (pid = p));
  expect(await stopped(pid)).toBe(true);
  return { pid, done };
}

/** The files `canon fix` rewrites in the example, in the order it writes them. */
async function fixOrder(dir: string): Promise<string[]> {
  const r = await canon(['fix', '--diff'], dir);
  return [...r.stdout.matchAll(/^--- a\/(\S+)$/gm)].map((m) => m[1]);
}

describe('two writers at once', () => {
  test('while canon fix writes, every other writer is refused with the holder named (exit 2); readers run; then all goes on', async () => {
    const dir = example();
    const { pid, done } = await fixStoppedAt(dir, '1:atomic.flushed');
    const holder = new RegExp(`^error: another canon is writing in this project: \`canon fix\` \\(pid ${pid}, started \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC, \\d+ s ago\\)\n`);
    for (const args of [['fix'], ['shim'], ['baseline'], ['migrate'], ['init', '--force']]) {
      const r = await canon(args, dir);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(holder);
      expect(r.stdout, args.join(' ')).toBe('');
    }
    // What only reads is not held up.
    expect((await canon(['scan'], dir)).code).toBe(1);
    expect((await canon(['fix', '--diff'], dir)).code).toBe(1);
    process.kill(pid, 'SIGCONT');
    const first = await done;
    expect(first.code).toBe(1);
    expect(first.stdout).toContain('9 files changed, 19 findings fixed.');
    // The lock is gone with it: the next writer runs, and finds nothing left to do.
    const again = await canon(['fix'], dir);
    expect(again.stderr).toBe('');
    expect(again.stdout).toMatch(/^0 files changed/);
  }, 120_000);

  test('a writer killed with the lock held does not block the next one', async () => {
    const dir = example();
    const { pid, done } = await fixStoppedAt(dir, '1:atomic.flushed');
    process.kill(pid, 'SIGKILL');
    await done;
    const r = await canon(['fix'], dir);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('9 files changed, 19 findings fixed.');
    expect(git(dir, 'status', '--porcelain', '--untracked-files=all').split('\n').filter((l) => l && !l.startsWith(' M '))).toEqual([]);
  }, 120_000);
});

describe('an edit racing the write phase', () => {
  test('an editor saves a target after its temporary file is written: the save is kept, the file reported, the others written', async () => {
    const dir = example();
    const order = await fixOrder(dir);
    const victim = order[4];
    const { pid, done } = await fixStoppedAt(dir, '1:atomic.flushed');
    const saved = readFileSync(join(dir, victim), 'utf8') + '# saved by the editor\n';
    writeFileSync(join(dir, victim), saved);
    process.kill(pid, 'SIGCONT');
    const r = await done;
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('8 files changed');
    expect(r.stdout).toContain(`${victim}: changed on disk since canon read it; not written (run canon fix again)`);
    expect(readFileSync(join(dir, victim), 'utf8')).toBe(saved);
    for (const f of order.filter((f) => f !== victim)) expect(readFileSync(join(dir, f), 'utf8'), f).not.toBe(git(dir, 'show', `HEAD:${f}`));
  }, 120_000);

  test('an editor saves in place right after the last check, before the rename: caught, the save put back', async () => {
    const dir = example();
    const order = await fixOrder(dir);
    // The 3rd file: checked, about to be linked and renamed.
    const { pid, done } = await fixStoppedAt(dir, '3:replace.checked');
    const victim = order[2];
    const saved = readFileSync(join(dir, victim), 'utf8') + '# saved in place\n';
    writeFileSync(join(dir, victim), saved);
    process.kill(pid, 'SIGCONT');
    const r = await done;
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`${victim}: changed on disk since canon read it; not written (run canon fix again)`);
    expect(readFileSync(join(dir, victim), 'utf8')).toBe(saved);
    // Nothing else was lost or left: two files before it and six after it rewritten, no temporary.
    expect(r.stdout).toContain('8 files changed');
    expect(git(dir, 'status', '--porcelain', '--untracked-files=all').split('\n').filter((l) => l && !l.startsWith(' M '))).toEqual([]);
  }, 120_000);
});
