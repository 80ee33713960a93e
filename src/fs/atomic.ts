// Atomic file writes: a temporary file beside the target, fsync'd, then renamed over it, keeping
// the target's mode. A crash leaves either the old bytes or the new ones, never a mix.

import { closeSync, fsyncSync, openSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

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
    throw e;
  } finally {
    try {
      closeSync(fd);
    } catch {
      // already closed on the error path
    }
  }
  renameSync(tmp, path);
}
