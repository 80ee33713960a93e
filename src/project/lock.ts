// The project lock: one canon at a time writes in a project (fix, shim, migrate, baseline, init),
// so two runs never rewrite the same files or one plans from another's half-done batch. Readers
// (scan, check, verify, report, ...) take no lock.
//
// The lock is `.canon/tmp/lock`, a small JSON record of its holder (pid, start time and boot as
// core/process.ts reads them, host, command, when it started), created complete or not at all (a
// file of its own, then a hard link to the lock's name, which fails when the lock exists). A lock
// whose holder is no longer running (a killed canon; a pid since reused by another process shows a
// different start time) is taken over: moved aside atomically, checked to be the one judged stale,
// removed. A holder on another host cannot be checked and counts as running. With the lock taken,
// the temporary files dead canon processes left are removed (see fs/temp.ts).

import { hostname } from 'node:os';
import { join } from 'node:path';
import { machineFault, UsageError } from '../core/errors.js';
import { isRunning, selfId, selfToken } from '../core/process.js';
import { io } from '../fs/io.js';
import { removeStaleTemporaries, scratchDir, SCRATCH_DIR } from '../fs/temp.js';

export const LOCK_FILE = `${SCRATCH_DIR}/lock`;

export interface LockHolder {
  pid: number;
  start: number | null;
  boot: string | null;
  host: string;
  /** The command line's command: `fix`, `migrate`, ... */
  command: string;
  /** ISO time. */
  startedAt: string;
}

/** Another canon holds the lock: exit 2 with the holder named. */
export class LockedError extends UsageError {
  constructor(
    readonly holder: LockHolder | null,
    message: string,
    details: string[],
  ) {
    super(message, details);
  }
}

export interface ProjectLock {
  readonly holder: LockHolder;
  /** Temporary files of dead canon processes removed when the lock was taken. */
  readonly removedTemporaries: number;
  release(): void;
}

function readHolder(path: string): { text: string; holder: LockHolder | null } | null {
  let text: string;
  try {
    text = io().readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  try {
    const h = JSON.parse(text) as LockHolder;
    return { text, holder: typeof h.pid === 'number' && typeof h.command === 'string' ? h : null };
  } catch {
    return { text, holder: null };
  }
}

function running(h: LockHolder): boolean {
  if (h.host !== hostname()) return true;
  return isRunning({ pid: h.pid, start: h.start ?? null, boot: h.boot ?? null });
}

function ago(iso: string, now: number): string {
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (!Number.isFinite(s)) return 'at an unknown time';
  if (s < 120) return `${s} s ago`;
  if (s < 7200) return `${Math.round(s / 60)} min ago`;
  return `${Math.round(s / 3600)} h ago`;
}

function lockedError(h: LockHolder, command: string): LockedError {
  const when = h.startedAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
  const where = h.host !== hostname() ? ` on ${h.host}` : '';
  const details = [
    command === 'migrate' && h.command === 'migrate'
      ? 'wait for it to finish, or stop it (Ctrl-C) and run `canon migrate --resume`'
      : 'wait for it to finish, or stop it, then run this command again',
    where
      ? `canon cannot tell from here whether it still runs; if it does not, delete ${LOCK_FILE}`
      : `once that process has ended, the next canon takes the lock over by itself (${LOCK_FILE})`,
  ];
  return new LockedError(h, `another canon is writing in this project: \`canon ${h.command}\` (pid ${h.pid}${where}, started ${when}, ${ago(h.startedAt, Date.now())})`, details);
}

/**
 * Take the project lock for `command`, or throw LockedError naming the canon that holds it. Then
 * remove the temporary files of canon processes that are no longer running.
 */
export function lockProject(root: string, command: string): ProjectLock {
  try {
    return take(root, command);
  } catch (e) {
    throw machineFault(e, `cannot take the project lock ${join(root, LOCK_FILE)}`, [], join(root, LOCK_FILE));
  }
}

function take(root: string, command: string): ProjectLock {
  const fs = io();
  const dir = scratchDir(root);
  const path = join(root, LOCK_FILE);
  const id = selfId();
  const holder: LockHolder = { pid: id.pid, start: id.start, boot: id.boot, host: hostname(), command, startedAt: new Date().toISOString() };
  const text = JSON.stringify(holder) + '\n';
  const token = selfToken();
  const mine = join(dir, `${token}.lock`);
  try {
    const fd = fs.openSync(mine, 'w');
    try {
      fs.writeSync(fd, text);
    } finally {
      fs.closeSync(fd);
    }
    for (let attempt = 0; ; attempt++) {
      try {
        fs.linkSync(mine, path);
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      const found = readHolder(path);
      if (found === null) continue; // released meanwhile
      if (found.holder !== null && running(found.holder)) throw lockedError(found.holder, command);
      if (attempt >= 5) {
        throw new LockedError(found.holder, `cannot take the project lock ${LOCK_FILE}: other canon processes keep taking it`, ['run the command again']);
      }
      // Left by a canon that is gone (or damaged): take it over, making sure it is the one judged.
      const aside = join(dir, `${token}.stale`);
      try {
        fs.renameSync(path, aside);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw e;
      }
      const moved = readHolder(aside);
      if (moved !== null && moved.text !== found.text) {
        // Another canon took it over first and holds it now: give it back.
        try {
          fs.linkSync(aside, path);
        } catch {
          // a third one holds it; it is theirs
        }
      }
      fs.rmSync(aside, { force: true });
    }
  } finally {
    fs.rmSync(mine, { force: true });
  }
  let released = false;
  const release = (): void => {
    if (released) return;
    released = true;
    process.off('exit', release);
    try {
      if (readHolder(path)?.text === text) io().unlinkSync(path);
    } catch {
      // The lock cannot be read or removed: the next canon finds this process gone and takes it over.
    }
  };
  // A canon that exits without releasing (process.exit on a second Ctrl-C) still leaves no lock.
  process.on('exit', release);
  let removed = 0;
  try {
    removed = removeStaleTemporaries(root);
  } catch {
    // Cleaning is a courtesy: a later run tries again.
  }
  return { holder, removedTemporaries: removed, release };
}

/** Run `fn` holding the project lock. */
export async function withProjectLock<T>(root: string, command: string, fn: () => Promise<T>): Promise<T> {
  const lock = lockProject(root, command);
  try {
    return await fn();
  } finally {
    lock.release();
  }
}
