// Who a process is: its pid and, where the system says (Linux's /proc), when it started and in which
// boot. A pid that a dead canon left in a lock or in a temporary file's name may since have been
// given to another process; its start time tells them apart.

import { readFileSync } from 'node:fs';

export interface ProcessId {
  pid: number;
  /** Start time in clock ticks after boot (/proc/<pid>/stat, field 22); null where unknown. */
  start: number | null;
  /** /proc/sys/kernel/random/boot_id; null where unknown. */
  boot: string | null;
}

function startOf(pid: number | 'self'): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    // `pid (comm) state ppid ...`: comm may hold spaces and parentheses; starttime is field 22.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields[0] === 'Z' || fields[0] === 'X') return -1;
    const n = Number(fields[19]);
    return Number.isFinite(n) ? n : null;
  } catch {
    return null;
  }
}

function bootId(): string | null {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'latin1').trim() || null;
  } catch {
    return null;
  }
}

let self: ProcessId | null = null;

export function selfId(): ProcessId {
  self ??= { pid: process.pid, start: startOf('self'), boot: bootId() };
  return self;
}

/**
 * Is the process `id` still running? A pid that does not exist, a zombie, a process started at
 * another time (the pid was reused) or in another boot is not. Without /proc only the pid is checked.
 */
export function isRunning(id: ProcessId): boolean {
  if (!Number.isInteger(id.pid) || id.pid <= 0) return false;
  if (id.pid === process.pid) return id.start === null || id.start === selfId().start;
  try {
    process.kill(id.pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (id.boot !== null) {
    const boot = bootId();
    if (boot !== null && boot !== id.boot) return false;
  }
  const start = startOf(id.pid);
  if (start === -1) return false;
  if (id.start !== null && start !== null) return start === id.start;
  return true;
}

/** `<pid>_<start>`: how canon's temporary files say whose they are. */
export function selfToken(): string {
  const id = selfId();
  return `${id.pid}_${id.start ?? 0}`;
}

/** Is the process a token names still running (same boot assumed: a reboot empties no folder, but kills every canon). */
export function tokenRunning(token: string): boolean {
  const m = /^(\d+)_(\d+)$/.exec(token);
  if (!m) return false;
  const start = Number(m[2]);
  return isRunning({ pid: Number(m[1]), start: start === 0 ? null : start, boot: null });
}
