// Sharing one scan between threads without round trips: every thread claims the next batch of files
// by bumping one counter in shared memory, so no thread ever waits for another to hand it work.
// Each thread returns only the files worth reporting (findings or read errors), by position, plus
// its totals.
//
// With workers, the threads also split the kinds of work. Lexing is what a cold thread does slowly:
// V8 runs the lexer 2-3x slower until it has optimized it (~100 ms of lexing, and compiling it
// costs CPU the scan needs), so one warm lexer does better than two cold ones. The main thread (the
// "reader") only reads and prefilters; a file it finds must be lexed goes on a queue in shared
// memory, which the workers (the "lexers") serve before claiming files of their own. When the
// reader runs out of files it helps with what is left on the queue.

import { FileScanner, type FileOutcome, type ScanJob } from './fileScanner.js';

export interface ShareMessage {
  job: ScanJob;
  files: string[];
  /** An Int32Array's buffer: [0] is the position of the next unclaimed file. */
  cursor: SharedArrayBuffer;
  batch: number;
  /** With workers: the lexing queue (LexQueue's buffer). */
  queue?: SharedArrayBuffer;
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

/** How a thread takes part: alone, as the reader (the main thread, with workers), or as a lexer. */
export type ShareRole = 'alone' | 'reader' | 'lexer';

// The queue's Int32Array: a sequence number bumped at every push and at the end (what waiting
// lexers watch), the number pushed, 1 once the reader has no more files to push, the next entry
// to take, then the entries (file positions; each file is pushed at most once).
const SEQ = 0;
const TAIL = 1;
const DONE = 2;
const HEAD = 3;
const ITEMS = 4;

export function lexQueue(files: number): SharedArrayBuffer {
  return new SharedArrayBuffer(4 * (ITEMS + files));
}

export function scanShare(msg: ShareMessage, scanner = new FileScanner(msg.job), role: ShareRole = 'alone'): ShareResult {
  const cursor = new Int32Array(msg.cursor);
  const queue = msg.queue ? new Int32Array(msg.queue) : null;
  const { files, batch } = msg;
  const out: ShareResult = { notable: [], bytes: 0, lexed: 0, plain: [] };
  const lexHere = role !== 'reader' || queue === null;

  const note = (i: number, o: FileOutcome, counted: boolean): void => {
    if (!counted) out.bytes += o.bytes;
    if (o.lexed) out.lexed++;
    if (o.findings.length > 0 || o.error !== null) out.notable.push([i, o]);
    else if (o.stamp) out.plain.push(i, o.stamp.size, o.stamp.mtimeMs, o.stamp.ctimeMs, o.stamp.ino, o.bytes, o.lexed ? 1 : 0);
  };
  /** Lexes queued files until the queue is empty; false when it was empty to begin with. */
  const serve = (): boolean => {
    let any = false;
    for (let h = take(queue); h >= 0; h = take(queue)) {
      // The reader counted its bytes already.
      note(h, scanner.scan(files[h]!), true);
      any = true;
    }
    return any;
  };

  let claimed = false;
  for (;;) {
    if (role === 'lexer' && serve()) continue;
    const first = claimed ? files.length : Atomics.add(cursor, 0, batch);
    if (first >= files.length) {
      claimed = true;
      if (role === 'alone' || queue === null) return out;
      if (role === 'reader') {
        Atomics.store(queue, DONE, 1);
        Atomics.add(queue, SEQ, 1);
        Atomics.notify(queue, SEQ);
        serve();
        return out;
      }
      // A lexer with nothing to claim waits for the reader's next push, or its end.
      const seq = Atomics.load(queue, SEQ);
      if (serve()) continue;
      if (Atomics.load(queue, DONE) === 1) {
        if (serve()) continue;
        return out;
      }
      Atomics.wait(queue, SEQ, seq, 100);
      continue;
    }
    const last = Math.min(first + batch, files.length);
    for (let i = first; i < last; i++) {
      const o = scanner.scan(files[i]!, lexHere);
      if (o.deferred) {
        out.bytes += o.bytes;
        push(queue!, i);
      } else note(i, o, false);
    }
  }
}

function push(queue: Int32Array, position: number): void {
  const tail = Atomics.load(queue, TAIL);
  queue[ITEMS + tail] = position;
  Atomics.store(queue, TAIL, tail + 1);
  Atomics.add(queue, SEQ, 1);
  Atomics.notify(queue, SEQ, 1);
}

/** The next queued position, claimed; -1 when none is waiting. */
function take(queue: Int32Array | null): number {
  if (queue === null) return -1;
  for (;;) {
    const head = Atomics.load(queue, HEAD);
    if (head >= Atomics.load(queue, TAIL)) return -1;
    if (Atomics.compareExchange(queue, HEAD, head, head + 1) === head) return queue[ITEMS + head]!;
  }
}
