// Atomic file writes: a temporary file beside the target, fsync'd, then renamed over it, keeping
// the target's mode. A crash leaves either the old bytes or the new ones, never a mix.

import { spawnSync } from 'node:child_process';
import { closeSync, fsyncSync, openSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { rename } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { withPath } from '../core/faults.js';

let counter = 0;

export function writeFileAtomic(path: string, data: Buffer): void {
  let mode = 0o644;
  try {
    mode = statSync(path).mode & 0o7777;
  } catch {
    // A new file gets the default mode.
  }
  const tmp = join(dirname(path), `.${basename(path)}.canon-${process.pid}-${counter++}.tmp`);
  const fd = openSync(tmp, 'w', mode);
  try {
    let off = 0;
    while (off < data.length) off += writeSync(fd, data, off, data.length - off);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    try {
      unlinkSync(tmp);
    } catch {
      // nothing to clean
    }
    throw withPath(e, path);
  } finally {
    try {
      closeSync(fd);
    } catch {
      // already closed on the error path
    }
  }
  renameSync(tmp, path);
}

/**
 * Write many files atomically and durably at a lower cost than one fsync each: every new text goes
 * to its temporary file first, one `sync -f` flushes the file system that holds them (each file is
 * fsync'd instead when that is not available or the files span file systems), and only then are
 * they renamed into place, several at a time. A failure before the renames removes the temporary
 * files and throws: no target has changed.
 */
export async function writeFilesAtomic(files: readonly { path: string; data: Buffer }[]): Promise<void> {
  const temps: { tmp: string; path: string; fd: number }[] = [];
  const devices = new Set<number>();
  // The file being written, named in an error raised on its descriptor (core/faults.ts).
  let at = '';
  try {
    for (const f of files) {
      at = f.path;
      let mode = 0o644;
      try {
        const st = statSync(f.path);
        mode = st.mode & 0o7777;
        devices.add(st.dev);
      } catch {
        devices.add(-1);
      }
      const tmp = join(dirname(f.path), `.${basename(f.path)}.canon-${process.pid}-${counter++}.tmp`);
      const fd = openSync(tmp, 'w', mode);
      temps.push({ tmp, path: f.path, fd });
      let off = 0;
      while (off < f.data.length) off += writeSync(fd, f.data, off, f.data.length - off);
    }
    const flushed = devices.size === 1 && !devices.has(-1) && temps.length > 1 && syncFileSystem(dirname(temps[0].tmp));
    for (const t of temps) {
      if (!flushed) fsyncSync(t.fd);
      closeSync(t.fd);
      t.fd = -1;
    }
  } catch (e) {
    for (const t of temps) {
      try {
        if (t.fd >= 0) closeSync(t.fd);
        unlinkSync(t.tmp);
      } catch {
        // best effort: the temporary file may not exist
      }
    }
    throw withPath(e, at);
  }
  // Renames overlap on the thread pool: a rename over an existing file costs ~0.1 ms of file-system
  // work, most of which runs in parallel.
  await Promise.all(temps.map((t) => rename(t.tmp, t.path)));
}

/** `sync -f DIR`: flush the whole file system holding DIR in one call; false when unavailable. */
function syncFileSystem(dir: string): boolean {
  const r = spawnSync('sync', ['-f', dir], { stdio: 'ignore' });
  return r.status === 0;
}
