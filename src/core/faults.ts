// The machine's faults (a full disk, no permission, a folder that is gone) as one line a user can
// act on: the file, what went wrong, what to do. The command boundary (cli.ts) prints them as
// `error: ...` with exit 2; an error that is not one of these stays loud, a bug in canon.

import { lstatSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, sep } from 'node:path';
import { NotRegularFileError } from '../fs/input.js';

/** What each error code means, in words. Codes missing here are not the machine's fault. */
const REASONS: Readonly<Record<string, string>> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large for the file system',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOENT: 'no such file or folder',
  ENOTDIR: 'not a folder',
  EISDIR: 'is a folder',
  ENAMETOOLONG: 'name too long',
  ELOOP: 'too many levels of symbolic links',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files in the system',
  EIO: 'input/output error',
  EBUSY: 'busy',
  ETXTBSY: 'busy (a running program)',
  ENXIO: 'no such device',
  ESTALE: 'stale file handle (a network file system)',
};

/** What to do about it, before "run canon ... again". */
const REMEDIES: Readonly<Record<string, string>> = {
  ENOSPC: 'free some space',
  EDQUOT: 'free some space',
  EFBIG: 'free some space or use another file system',
  EROFS: 'make it writable',
  EMFILE: 'raise the limit (ulimit -n)',
  ENFILE: 'close some programs',
  EIO: 'check the disk',
  ESTALE: 'remount it',
};

/** The file-system call, as the action that failed. */
const VERBS: Readonly<Record<string, string>> = {
  open: 'open',
  read: 'read',
  write: 'write',
  fsync: 'write',
  close: 'write',
  ftruncate: 'write',
  copyfile: 'write',
  mkdir: 'create the folder',
  rename: 'replace',
  unlink: 'delete',
  rmdir: 'delete',
  rm: 'delete',
  scandir: 'list the folder',
  opendir: 'list the folder',
  stat: 'look at',
  lstat: 'look at',
  fstat: 'look at',
  access: 'look at',
  realpath: 'resolve',
  readlink: 'resolve',
  chmod: 'change the mode of',
  utime: 'touch',
};

type Errno = NodeJS.ErrnoException & { dest?: string };

function errnoOf(e: unknown): Errno | null {
  if (!(e instanceof Error)) return null;
  const code = (e as Errno).code;
  return typeof code === 'string' && Object.hasOwn(REASONS, code) ? (e as Errno) : null;
}

/** `no space left on the device (ENOSPC)`, or null when `e` is not a file-system error canon knows. */
export function errnoReason(e: unknown): string | null {
  const err = errnoOf(e);
  return err ? `${REASONS[err.code!]} (${err.code})` : null;
}

/**
 * Give an error raised on a file descriptor (write, fsync: they carry no path) the file it was
 * writing, so the message can name it. Returns `e`.
 */
export function withPath(e: unknown, path: string): unknown {
  const err = errnoOf(e);
  if (err && err.path === undefined) err.path = path;
  return e;
}

/** writeFileAtomic's temporary file (`.<name>.canon-<pid>-<n>.tmp`, fs/atomic.ts) stands for its target. */
// A temporary beside its target: `.<name>.<pid>_<start>-<n>.canon-tmp` (fs/temp.ts), or the
// `.<name>.canon-<pid>-<n>.tmp` of canon before it.
const TEMP = /^\.(.+?)\.(?:canon-\d+-\d+\.tmp|\d+_\d+-\d+\.canon-tmp)$/;

function targetOf(path: string): { path: string; temp: boolean } {
  const m = TEMP.exec(basename(path));
  return m ? { path: join(dirname(path), m[1]!), temp: true } : { path, temp: false };
}

export interface FaultContext {
  /** The working directory, to shorten paths (null when it is gone). */
  cwd: string | null;
  /** The command that ran (`fix`), for "run `canon fix` again". */
  command: string | null;
  /** The file canon was writing, when the error names a temporary of its own under .canon/tmp/ (or none). */
  target?: string | null;
}

/**
 * The one line for a machine fault (without `error: `), or null when `e` is something else.
 * `cannot write app/x.py: no space left on the device (ENOSPC); free some space and run `canon fix` again`
 */
export function faultMessage(e: unknown, ctx: FaultContext): string | null {
  if (e instanceof NotRegularFileError) return `cannot read ${show(e.path, ctx.cwd)}: it is ${e.kind}, not a regular file; name a regular file`;
  const err = errnoOf(e);
  if (!err) return null;
  const code = err.code!;
  if (err.syscall === 'uv_cwd') {
    return 'the current folder no longer exists (it was deleted or moved); cd into the project and run canon again';
  }
  const again = ctx.command === 'migrate' ? 'run `canon migrate --resume`' : ctx.command ? `run \`canon ${ctx.command}\` again` : 'run canon again';
  const target = ctx.target ? { path: ctx.target, temp: true } : err.path === undefined ? null : targetOf(err.syscall === 'rename' && err.dest !== undefined ? err.dest : err.path);
  if (target === null) return `${REASONS[code]} (${code}); ${remedy(code, null, ctx)}${again}`;
  const verb = target.temp || err.syscall === 'rename' ? 'write' : (VERBS[err.syscall ?? ''] ?? 'use');
  const shown = show(target.path, ctx.cwd);
  const why = explain(code, err.syscall, target.path, ctx.cwd) ?? REASONS[code];
  return `cannot ${verb} ${shown}: ${why} (${code}); ${remedy(code, target.path, ctx)}${again}`;
}

function remedy(code: string, path: string | null, ctx: FaultContext): string {
  const fixed = REMEDIES[code];
  if (fixed) return `${fixed}, then `;
  if ((code === 'EACCES' || code === 'EPERM') && path !== null) return `check the permissions of ${show(dirname(path), ctx.cwd)}${sep}, then `;
  if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR' || code === 'ENAMETOOLONG' || code === 'ELOOP') return 'check the path, then ';
  return '';
}

/** A more precise reason where the path tells it: which part is a file, which link is broken. */
function explain(code: string, syscall: string | undefined, path: string, cwd: string | null): string | null {
  if (code === 'ENOTDIR') {
    for (let dir = dirname(path); dir !== dirname(dir); dir = dirname(dir)) {
      const st = statOrNull(dir);
      if (st && !st.isDirectory()) return `${show(dir, cwd)} is a file, not a folder`;
    }
    return null;
  }
  if (code === 'ENOENT' && (syscall === 'mkdir' || syscall === 'open')) {
    // The folder above exists (fs/confine.ts makeDirs made it) and yet there is no entry: a broken
    // link, or a file system that holds no files of ours (/proc).
    const parent = dirname(path);
    const link = lstatOrNull(parent);
    if (link?.isSymbolicLink() && !statOrNull(parent)) return `${show(parent, cwd)} is a broken symbolic link`;
    if (statOrNull(parent)?.isDirectory()) return `the file system does not allow creating ${syscall === 'mkdir' ? 'a folder' : 'a file'} there`;
  }
  return null;
}

/** Relative to the working directory when below it, else absolute. */
function show(path: string, cwd: string | null): string {
  if (cwd === null || !isAbsolute(path)) return path;
  const rel = relative(cwd, path);
  return rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}

function statOrNull(p: string): ReturnType<typeof statSync> | null {
  try {
    return statSync(p);
  } catch {
    return null;
  }
}

function lstatOrNull(p: string): ReturnType<typeof lstatSync> | null {
  try {
    return lstatSync(p);
  } catch {
    return null;
  }
}
