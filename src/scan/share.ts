// Sharing one scan between threads without round trips: every thread (the main one included)
// claims the next batch of files by bumping one counter in shared memory, so no thread ever waits
// for another to hand it work. Each thread returns only the files worth reporting (findings or
// read errors), by position, plus its totals.

import { FileScanner, type FileOutcome, type ScanJob } from './fileScanner.js';

export interface ShareMessage {
  job: ScanJob;
  files: string[];
  /** An Int32Array's buffer: [0] is the position of the next unclaimed file. */
  cursor: SharedArrayBuffer;
  batch: number;
}

export interface ShareResult {
  /** Outcomes with findings or errors, by position in `files`. */
  notable: [number, FileOutcome][];
  bytes: number;
  lexed: number;
  /**
   * With `job.stamps`, for every other file read: position, size, mtimeMs, ctimeMs, inode, bytes,
   * lexed (0/1), seven numbers each (for the scan cache, without an object per file).
   */
  plain: number[];
}

export function scanShare(msg: ShareMessage, scanner = new FileScanner(msg.job)): ShareResult {
  const cursor = new Int32Array(msg.cursor);
  const { files, batch } = msg;
  const out: ShareResult = { notable: [], bytes: 0, lexed: 0, plain: [] };
  for (;;) {
    const first = Atomics.add(cursor, 0, batch);
    if (first >= files.length) return out;
    const last = Math.min(first + batch, files.length);
    for (let i = first; i < last; i++) {
      const o = scanner.scan(files[i]);
      out.bytes += o.bytes;
      if (o.lexed) out.lexed++;
      if (o.findings.length > 0 || o.error !== null) out.notable.push([i, o]);
      else if (o.stamp) out.plain.push(i, o.stamp.size, o.stamp.mtimeMs, o.stamp.ctimeMs, o.stamp.ino, o.bytes, o.lexed ? 1 : 0);
    }
  }
}
