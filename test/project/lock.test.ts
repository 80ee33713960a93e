// The project lock: one writer at a time, a clear message naming the holder, and a lock left by a
// canon that is gone (dead pid, a pid reused by another process, a damaged file) taken over.

import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { selfId } from '../../src/core/process.js';
import { scratchDir, SCRATCH_DIR } from '../../src/fs/temp.js';
import { LOCK_FILE, LockedError, lockProject, type LockHolder } from '../../src/project/lock.js';
import { makeProject } from '../helpers/project.js';

const sleeper = spawn('sleep', ['60'], { stdio: 'ignore' });
afterAll(() => {
  sleeper.kill('SIGKILL');
});

function startOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
}

function plant(dir: string, h: Partial<LockHolder>): void {
  scratchDir(dir);
  const holder: LockHolder = { pid: 1, start: null, boot: null, host: hostname(), command: 'fix', startedAt: new Date(Date.now() - 90_000).toISOString(), ...h };
  writeFileSync(join(dir, LOCK_FILE), JSON.stringify(holder));
}

describe('the project lock', () => {
  test('held: a second writer is refused with the holder named; released: the lock is gone', () => {
    const dir = makeProject({});
    const lock = lockProject(dir, 'migrate');
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8'))).toMatchObject({ pid: process.pid, command: 'migrate', host: hostname() });
    let err: unknown;
    try {
      lockProject(dir, 'fix');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(LockedError);
    const e = err as LockedError;
    expect(e.message).toMatch(new RegExp(`^another canon is writing in this project: \`canon migrate\` \\(pid ${process.pid}, started \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC, \\d+ s ago\\)$`));
    expect(e.details).toEqual(['wait for it to finish, or stop it, then run this command again', `once that process has ended, the next canon takes the lock over by itself (${LOCK_FILE})`]);
    lock.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    lockProject(dir, 'fix').release();
  });

  test('a live holder of another run of the same command is told how to resume', () => {
    const dir = makeProject({});
    plant(dir, { pid: sleeper.pid!, start: startOf(sleeper.pid!), command: 'migrate' });
    expect(() => lockProject(dir, 'migrate')).toThrow(/`canon migrate` \(pid \d+, started .*, 90 s ago\)/);
    try {
      lockProject(dir, 'migrate');
    } catch (e) {
      expect((e as LockedError).details[0]).toBe('wait for it to finish, or stop it (Ctrl-C) and run `canon migrate --resume`');
    }
  });

  test('a dead holder, a pid now used by another process, a damaged lock: taken over', () => {
    const dead = makeProject({});
    plant(dead, { pid: 2 ** 22 + 7 });
    lockProject(dead, 'fix').release();

    const reused = makeProject({});
    plant(reused, { pid: sleeper.pid!, start: startOf(sleeper.pid!) + 1 });
    const lock = lockProject(reused, 'fix');
    expect(JSON.parse(readFileSync(join(reused, LOCK_FILE), 'utf8')).pid).toBe(process.pid);
    lock.release();

    const damaged = makeProject({});
    scratchDir(damaged);
    writeFileSync(join(damaged, LOCK_FILE), '{"pi');
    lockProject(damaged, 'fix').release();

    // Another boot: every process of it is gone.
    const rebooted = makeProject({});
    plant(rebooted, { pid: sleeper.pid!, start: startOf(sleeper.pid!), boot: 'another-boot' });
    lockProject(rebooted, 'fix').release();
    expect(selfId().boot).not.toBeNull();
  });

  test('a holder on another host cannot be checked: it counts as running, and the message says what to do', () => {
    const dir = makeProject({});
    plant(dir, { pid: 2 ** 22 + 7, host: 'build-box' });
    expect(() => lockProject(dir, 'shim')).toThrow(/`canon fix` \(pid \d+ on build-box,/);
    try {
      lockProject(dir, 'shim');
    } catch (e) {
      expect((e as LockedError).details[1]).toBe(`canon cannot tell from here whether it still runs; if it does not, delete ${LOCK_FILE}`);
    }
  });

  test('releasing removes only its own lock; taking the lock removes what dead canon processes left', () => {
    const dir = makeProject({});
    const scratch = scratchDir(dir);
    writeFileSync(join(scratch, `${2 ** 22 + 7}_5-0.a.py.tmp`), 'half');
    const lock = lockProject(dir, 'fix');
    expect(lock.removedTemporaries).toBe(1);
    expect(existsSync(join(scratch, `${2 ** 22 + 7}_5-0.a.py.tmp`))).toBe(false);
    // Someone took it over meanwhile (a lock thought stale): this release leaves theirs.
    plant(dir, { pid: sleeper.pid!, command: 'migrate' });
    lock.release();
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')).command).toBe('migrate');
    expect(readFileSync(join(dir, SCRATCH_DIR, '.gitignore'), 'utf8')).toContain('*');
  });
});
