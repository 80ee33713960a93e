// Atomic file writes: a temporary file on the target's file system (see temp.ts), flushed, then
// renamed over the target, keeping its mode. A crash leaves either the old bytes or the new ones,
// never a mix. Files canon alone writes (its journal, reports) are replaced as they are; files the
// user may edit are replaced only while they hold the bytes canon read (see replace.ts).
// A system error (full disk, no permission) comes out as a MachineFault saying what was written.

import { spawnSync } from 'node:child_process';
import { dirname } from 'node:path';
import { machineFault } from '../core/errors.js';
import { faultPoint } from '../core/fault.js';
import { io } from './io.js';
import { readStamped, replaceChecked, unlinkQuietly, type ReplaceOutcome } from './replace.js';
import { tempFor } from './temp.js';

function writeAll(fd: number, data: Buffer): void {
  const fs = io();
  let off = 0;
  while (off < data.length) off += fs.writeSync(fd, data, off, data.length - off);
}

/** A temporary file for `target` holding `data` with `mode` (null: a new file's default), fsync'd unless `flush` is false. */
function writeTemp(target: string, data: Buffer, mode: number | null, scratch: string | null, flush: boolean): { tmp: string; fd: number } {
  const fs = io();
  const tmp = tempFor(target, scratch);
  const fd = fs.openSync(tmp, 'wx', 0o666);
  try {
    if (mode !== null) fs.fchmodSync(fd, mode & 0o7777);
    writeAll(fd, data);
    if (flush) fs.fsyncSync(fd);
  } catch (e) {
    fs.closeSync(fd);
    unlinkQuietly(tmp);
    throw e;
  }
  faultPoint('atomic.temp');
  return { tmp, fd };
}

function modeOf(path: string): number | null {
  try {
    return io().statSync(path).mode;
  } catch {
    return null;
  }
}

/**
 * Write a file only canon writes (its journal, a report, the baseline it owns) atomically and
 * durably, keeping the mode of the file it replaces.
 */
export function writeFileAtomic(path: string, data: Buffer, scratch: string | null = null): void {
  const fs = io();
  let tmp: string | null = null;
  try {
    const t = writeTemp(path, data, modeOf(path), scratch, true);
    tmp = t.tmp;
    fs.closeSync(t.fd);
    fs.renameSync(tmp, path);
    tmp = null;
    faultPoint('atomic.renamed');
  } catch (e) {
    if (tmp !== null) unlinkQuietly(tmp);
    throw machineFault(e, `cannot write ${path}`, [], path);
  }
}

/**
 * Replace `path` with `data` atomically and durably, only if it holds `expected` (null: it must not
 * exist). `changed` when it did not: the file is left as it is.
 */
export function writeFileChecked(path: string, data: Buffer, expected: Buffer | null, scratch: string | null): ReplaceOutcome {
  const fs = io();
  let tmp: string | null = null;
  try {
    const now = readStamped(path);
    if (expected === null ? now !== null : now === null || !now.bytes.equals(expected)) return 'changed';
    // replaceChecked gives it the target's mode as it is then.
    const t = writeTemp(path, data, null, scratch, true);
    tmp = t.tmp;
    fs.closeSync(t.fd);
    const r = replaceChecked(tmp, path, expected, data, scratch);
    tmp = null;
    return r;
  } catch (e) {
    if (tmp !== null) unlinkQuietly(tmp);
    throw machineFault(e, `cannot write ${path}`, [], path);
  }
}

export interface CheckedFile {
  path: string;
  data: Buffer;
  /** What the file must hold for canon to replace it (null: it must not exist). */
  expected: Buffer | null;
}

export interface CheckedOutcome {
  /** Paths replaced, in order. */
  written: string[];
  /** Paths left alone because they no longer held what was expected. */
  changed: string[];
}

/**
 * Write many files atomically and durably at a lower cost than one fsync each, each only while it
 * holds its `expected` bytes. Every new text goes to its temporary file first; one `sync -f`
 * flushes the file system that holds them (each is fsync'd instead when that is not available or
 * they span file systems); only then is each target checked once more and renamed into place, one
 * after the other (see replace.ts). A failure before the renames removes the temporary files: no
 * target has changed. A failure during them leaves every file whole, and says how many were written.
 * `show` renders a path for messages.
 */
export function writeFilesChecked(files: readonly CheckedFile[], scratch: string | null, show: (path: string) => string = (p) => p): CheckedOutcome {
  const fs = io();
  const out: CheckedOutcome = { written: [], changed: [] };
  const temps: { file: CheckedFile; tmp: string; fd: number }[] = [];
  let at = '';
  try {
    // A file already gone (or, for a new one, already there) is left out at once; the bytes of the
    // others are compared just before each rename.
    const todo = files.filter((f) => {
      at = f.path;
      const gone = modeOf(f.path) === null;
      if (gone !== (f.expected === null)) out.changed.push(f.path);
      return gone === (f.expected === null);
    });
    for (const f of todo) {
      at = f.path;
      // No mode yet: replaceChecked gives it the target's mode as it is just before the rename.
      temps.push({ file: f, ...writeTemp(f.path, f.data, null, scratch, false) });
    }
    at = '';
    const oneFs = scratch !== null && temps.every((t) => dirname(t.tmp) === scratch);
    const flushed = temps.length > 1 && oneFs && syncFileSystem(scratch!);
    for (const t of temps) {
      at = t.file.path;
      if (!flushed) fs.fsyncSync(t.fd);
      fs.closeSync(t.fd);
      t.fd = -1;
    }
    faultPoint('atomic.flushed');
  } catch (e) {
    for (const t of temps) {
      if (t.fd >= 0) fs.closeSync(t.fd);
      unlinkQuietly(t.tmp);
    }
    throw machineFault(e, at ? `cannot write ${show(at)}` : 'cannot write the rewritten files', ['no file was changed'], at || null);
  }
  let i = 0;
  try {
    for (; i < temps.length; i++) {
      const t = temps[i];
      const r = replaceChecked(t.tmp, t.file.path, t.file.expected, t.file.data, scratch);
      (r === 'replaced' ? out.written : out.changed).push(t.file.path);
    }
  } catch (e) {
    for (const t of temps.slice(i)) unlinkQuietly(t.tmp);
    const left = temps.length - i;
    throw machineFault(e, `cannot write ${show(temps[i].file.path)}`, [
      out.written.length === 0
        ? 'no file was changed'
        : `${out.written.length} of ${temps.length} files were written before the error; the other ${left === 1 ? 'one was' : `${left} were`} left as they were`,
    ], temps[i].file.path);
  }
  return out;
}

/** `sync -f DIR`: flush the whole file system holding DIR in one call; false when unavailable. */
function syncFileSystem(dir: string): boolean {
  const r = spawnSync('sync', ['-f', dir], { stdio: 'ignore' });
  return r.status === 0;
}
