// FOR TESTS ONLY: deterministic faults at named points of canon's writes, from the environment, so
// the fault tests need no sleeps they hope land. Unset (always, outside the tests) this does
// nothing but one comparison per point.
//
//   CANON_FAULT=kill:N          SIGKILL this process at the N-th fault point it reaches
//   CANON_FAULT=kill:N:NAMES    ... counting only points named NAME or `NAME.*`, for each NAME of a
//                               comma-separated list
//   CANON_FAULT=stop:N[:NAME]   SIGSTOP instead: the test edits files, then sends SIGCONT or SIGKILL
//   CANON_FAULT=trace:FILE      append `N NAME` for every point reached to FILE (how a sweep learns them)
//   CANON_FAULT=enospc:N        the N-th write call through fs/io.ts fails with ENOSPC (also eacces, eio)
//
// Points are named where they are reached: `atomic.temp` (a temporary file written), `replace.checked`
// (a target's bytes checked, just before its rename), `replace.renamed`, `journal.*`, `git.*`, ...

import { appendFileSync } from 'node:fs';
import { io, realFileSystem, useFileSystem, type FileSystem } from '../fs/io.js';

interface Spec {
  action: 'kill' | 'stop' | 'trace';
  n: number;
  names: string[] | null;
  file: string | null;
}

function parse(text: string | undefined): Spec | null {
  if (!text) return null;
  const trace = /^trace:(.+)$/.exec(text);
  if (trace) return { action: 'trace', n: 0, names: null, file: trace[1] };
  const m = /^(kill|stop):(\d+)(?::(.+))?$/.exec(text);
  if (m) return { action: m[1] as 'kill' | 'stop', n: Number(m[2]), names: m[3]?.split(',') ?? null, file: null };
  return null;
}

const spec = parse(process.env.CANON_FAULT);
let reached = 0;

/** A point where a fault may be injected; `name` says what has just happened or is about to. */
export function faultPoint(name: string): void {
  if (spec === null) return;
  if (spec.names !== null && !spec.names.some((n) => name === n || name.startsWith(`${n}.`))) return;
  reached++;
  if (spec.action === 'trace') {
    appendFileSync(spec.file!, `${reached} ${name}\n`);
    return;
  }
  if (reached !== spec.n) return;
  process.kill(process.pid, spec.action === 'kill' ? 'SIGKILL' : 'SIGSTOP');
}

/** The write calls a full disk can fail. */
const WRITE_CALLS = ['writeSync', 'fsyncSync', 'renameSync', 'linkSync', 'mkdirSync', 'appendFileSync'] as const;

const MESSAGES: Record<string, [errno: number, text: string]> = {
  ENOSPC: [-28, 'no space left on device'],
  EACCES: [-13, 'permission denied'],
  EIO: [-5, 'i/o error'],
};

/** An error shaped like the one Node throws for `code` in `syscall`. */
export function systemError(code: string, syscall: string, path?: string): NodeJS.ErrnoException {
  const [errno, text] = MESSAGES[code] ?? [-1, code.toLowerCase()];
  const e: NodeJS.ErrnoException = new Error(`${code}: ${text}, ${syscall}${path ? ` '${path}'` : ''}`);
  e.code = code;
  e.errno = errno;
  e.syscall = syscall;
  if (path) e.path = path;
  return e;
}

type PathArg = Parameters<FileSystem['openSync']>[0];

/**
 * `base` with its N-th write call (1-based: a write, fsync, rename, link, mkdir, append, or an open
 * that creates or truncates) failing with `code`, and every later one too when `sticky` (a disk that
 * stays full). `calls` counts the write calls made so far.
 */
export function failingWrites(base: FileSystem, n: number, code = 'ENOSPC', sticky = true): FileSystem & { calls: number } {
  const layer = { ...base, calls: 0 } as FileSystem & { calls: number };
  const fail = (syscall: string, path?: unknown): void => {
    layer.calls++;
    if (layer.calls === n || (sticky && layer.calls > n)) throw systemError(code, syscall, typeof path === 'string' ? path : undefined);
  };
  for (const call of WRITE_CALLS) {
    const real = base[call] as (...a: unknown[]) => unknown;
    (layer as unknown as Record<string, unknown>)[call] = (...args: unknown[]) => {
      fail(call.replace(/Sync$/, ''), args[0]);
      return real.apply(base, args);
    };
  }
  layer.openSync = ((path: PathArg, flags?: unknown, mode?: unknown) => {
    if (typeof flags === 'string' && /[wax+]/.test(flags)) fail('open', path);
    return (base.openSync as (...a: unknown[]) => number)(path, flags, mode);
  }) as FileSystem['openSync'];
  return layer;
}

// CANON_FAULT=enospc:N (eacces:N, eio:N): the CLI's own writes see the failing layer from the start.
const disk = /^(enospc|eacces|eio):(\d+)$/.exec(process.env.CANON_FAULT ?? '');
if (disk && io() === realFileSystem) useFileSystem(failingWrites(realFileSystem, Number(disk[2]), disk[1].toUpperCase()));
