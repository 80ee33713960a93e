// --output-file PATH (ruff's): what a command prints on stdout goes to PATH instead. The path is
// checked, and its folder created, before the command runs, so that a mistake costs no work; the
// text is written atomically once the command is done.

import { closeSync, mkdirSync, openSync, statSync, unlinkSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { UsageError } from '../core/errors.js';
import { writeFileAtomic } from '../fs/atomic.js';
import { makeDirs } from '../fs/confine.js';

function reason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'ENOTDIR':
      return 'a part of the path is a file, not a folder';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'read-only file system';
    case 'ENOSPC':
      return 'no space left on the device';
    case 'EISDIR':
      return 'is a folder';
    case 'EEXIST':
      return 'a part of the path is a file, not a folder';
    default:
      return e instanceof Error ? e.message : String(e);
  }
}

/** The absolute path to write, once its folder exists and can be written to; a UsageError if not. */
export function prepareOutputFile(path: string, cwd: string): string {
  if (path.trim() === '') throw new UsageError('--output-file: expected a file path, got ""');
  const abs = resolve(cwd, path);
  try {
    if (statSync(abs).isDirectory()) throw new UsageError(`--output-file ${path}: is a folder; name a file`);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    // Not there yet: it will be created.
  }
  const dir = dirname(abs);
  try {
    makeDirs(dir);
    if (!statSync(dir).isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
    // A file is created there and removed, as the atomic write will: the only test that holds
    // everywhere (permissions, read-only mounts, /proc, the superuser).
    const probe = join(dir, `.${basename(abs)}.canon-probe-${process.pid}`);
    closeSync(openSync(probe, 'wx'));
    unlinkSync(probe);
  } catch (e) {
    throw new UsageError(`--output-file ${path}: cannot write there: ${reason(e)}`);
  }
  return abs;
}

/** Write the command's stdout to the prepared path; a UsageError naming why it could not be written. */
export function writeOutputFile(abs: string, shown: string, text: string): void {
  try {
    writeFileAtomic(abs, Buffer.from(text, 'utf8'));
  } catch (e) {
    throw new UsageError(`--output-file ${shown}: cannot write it: ${reason(e)}`);
  }
}
