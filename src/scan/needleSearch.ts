// The byte search under the scan's prefilter: a file is read straight into WebAssembly memory and
// searched there for the needles (legacy module names) and every `import` word, 16 bytes at a time
// (wasm/needles.wat). Nothing is decoded for the ~95% of files that turn out not to need lexing:
// only a file that must be lexed becomes a string. Positions are byte offsets, which equal the
// indices of the latin1-held text the lexer reads.

import { closeSync, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { NEEDLES_WASM } from './wasm/needlesWasm.js';

/** What `search` answers when a needle occurs somewhere in the bytes. */
export const NEEDLE_FOUND = -1;
/** ... when there are more `import` words than the positions table holds (look closer). */
export const TOO_MANY_SITES = -2;

interface Exports {
  memory: WebAssembly.Memory;
  search(data: number, len: number, fp: number, entries: number, entriesEnd: number, out: number, cap: number, scratch: number, all: number): number;
  structure(data: number, len: number, base: number, sites: number, nsites: number, out: number): number;
}

let compiled: WebAssembly.Module | null = null;

/** Positions of `import` words kept per file; a file with more is lexed. */
const SITES = 16384;
const PAGE = 65536;
/** The search reads up to 18 bytes past a file's end (whatever they hold); the structural pass, 16 (zeroed). */
const SLACK = 32;
/** i32s the structural pass writes per site. */
const SPAN = 6;

export class NeedleSearch {
  private readonly exports: Exports;
  private readonly fp = 0;
  private readonly entries = 96;
  private readonly entriesEnd: number;
  private readonly out: number;
  private readonly classes: number;
  private readonly scratch: number;
  private readonly data: number;
  private u8!: Uint8Array;
  private buf!: Buffer;
  private i32!: Int32Array;
  private length = 0;
  /** Bumped whenever the current bytes change (a result computed from older bytes can tell). */
  generation = 0;
  /** Bumped whenever the bytes or the sites change: the structural pass's result is then stale. */
  private epoch = 0;
  /** The epoch, site count and base the structural pass last ran for (its classes still hold), and its answer. */
  private structured = { epoch: -1, n: 0, base: 0, answer: 0 };

  /**
   * `needles`: byte strings held as latin1 text (a non-ASCII one as its UTF-8 bytes). With
   * `words`, a needle counts only as a whole identifier: no identifier character (ASCII letter,
   * digit, `_`, or any byte of 0x80 and up) right before or after it.
   */
  constructor(needles: readonly string[], { words = false }: { words?: boolean } = {}) {
    compiled ??= new WebAssembly.Module(Buffer.from(NEEDLES_WASM, 'base64'));
    this.exports = new WebAssembly.Instance(compiled).exports as unknown as Exports;
    // A needle that is the word itself makes every `import` a needle hit: the file is lexed.
    const unique = [...new Set(needles)].filter((n) => n.length > 0);
    const all: [string, number][] = unique.map((n) => [n, words ? 2 : 0]);
    if (!unique.includes('import')) all.push(['import', 1]);
    this.entriesEnd = this.entries + 16 * all.length;
    const bytesAt = this.entriesEnd;
    this.out = align(bytesAt + all.reduce((s, [n]) => s + n.length, 0), 16);
    this.classes = this.out + 4 * SITES;
    this.scratch = this.classes + 4 * SPAN * SITES;
    this.data = this.scratch + 16;
    this.ensure(this.data + (64 << 10));
    const dv = new DataView(this.exports.memory.buffer);
    const tables = this.u8.subarray(this.fp, this.fp + 96);
    let at = bytesAt;
    all.forEach(([n, kind], j) => {
      // The `import` word gets a bucket of its own: it is in every file, so its candidates should
      // not make other needles' comparisons.
      const bit = kind === 1 ? 0x80 : 1 << (j % 7);
      for (let k = 0; k < 3; k++) {
        const lo = tables.subarray(32 * k, 32 * k + 16);
        const hi = tables.subarray(32 * k + 16, 32 * k + 32);
        if (k < n.length) {
          lo[n.charCodeAt(k) & 15]! |= bit;
          hi[n.charCodeAt(k) >> 4]! |= bit;
        } else {
          for (let x = 0; x < 16; x++) {
            lo[x]! |= bit;
            hi[x]! |= bit;
          }
        }
      }
      const e = this.entries + 16 * j;
      dv.setInt32(e, n.length, true);
      dv.setInt32(e + 4, at, true);
      dv.setInt32(e + 8, bit, true);
      dv.setInt32(e + 12, kind, true);
      this.buf.write(n, at, 'latin1');
      at += n.length;
    });
  }

  /**
   * Reads a file into the search's memory (it becomes the current bytes); with `stamped`, returns
   * its fstat taken before the read. Throws as `openSync` does.
   */
  readFile(path: string, stamped: boolean): Stats | undefined {
    const fd = openSync(path, 'r');
    // Before reading: when the read fails part way, the memory no longer holds the bytes that
    // earlier results (the structural pass, attrsOf) were computed from.
    this.generation++;
    this.epoch++;
    try {
      const stats = stamped ? fstatSync(fd) : undefined;
      let n = 0;
      for (;;) {
        const room = this.u8.length - SLACK - this.data - n;
        const r = readSync(fd, this.u8, this.data + n, room, null);
        n += r;
        // A short read of a regular file is its end: no extra read() to see 0.
        if (r === 0 || r < room) break;
        this.ensure(2 * this.u8.length);
      }
      this.length = n;
      return stats;
    } finally {
      closeSync(fd);
    }
  }

  /** Makes `bytes` the current bytes (copied in). */
  load(bytes: Uint8Array): void {
    this.ensure(this.data + bytes.length + SLACK);
    this.u8.set(bytes, this.data);
    this.length = bytes.length;
    this.generation++;
    this.epoch++;
  }

  /** The current bytes' length. */
  get size(): number {
    return this.length;
  }

  /**
   * Searches the current bytes: NEEDLE_FOUND when a needle occurs, TOO_MANY_SITES, or the number
   * of `import` words, whose offsets `site(k)` then gives in increasing order.
   */
  search(): number {
    this.epoch++;
    return this.exports.search(this.data, this.length, this.fp, this.entries, this.entriesEnd, this.out, SITES, this.scratch, 0);
  }

  site(k: number): number {
    return this.i32[(this.out >> 2) + k]!;
  }

  /**
   * Searches the current bytes for needles and `import` words alike: the number of sites, or
   * TOO_MANY_SITES. `site(k)` is then position * 2 + 1 for a needle, position * 2 for a word, in
   * increasing order of position.
   */
  searchSites(): number {
    this.epoch++;
    return this.exports.search(this.data, this.length, this.fp, this.entries, this.entriesEnd, this.out, SITES, this.scratch, 1);
  }

  /**
   * The structural pass over the current bytes (wasm/needles.wat, `structure`) for the first `n`
   * sites of `searchSites`: 0, or 1 when the file's brackets do not balance. `base`: 3 after a
   * UTF-8 byte-order mark, else 0. Then `siteClass(k)` and `siteSpan(k, i)` tell where site k is.
   * Asked again for the same bytes, sites, `n` and `base`, it answers without a second pass (the
   * prefilter runs it to judge a file's needles, the structural lexing then reads the classes).
   */
  structure(n: number, base: number): number {
    const last = this.structured;
    if (last.epoch === this.epoch && last.n === n && last.base === base) return last.answer;
    const end = this.data + this.length;
    this.u8.fill(0, end, end + SLACK);
    const answer = this.exports.structure(this.data, this.length, base, this.out, n, this.classes);
    this.structured = { epoch: this.epoch, n, base, answer };
    return answer;
  }

  /** Makes these (position * 2 + flag, non-decreasing) the sites, as if searchSites had found them. */
  useSites(sites: readonly number[]): void {
    if (sites.length > SITES) throw new Error(`at most ${SITES} sites`);
    this.epoch++;
    for (let k = 0; k < sites.length; k++) this.i32[(this.out >> 2) + k] = sites[k]!;
  }

  /** 0 code outside brackets, 1 code in brackets, 2 comment, 3 string literal, 4 f-string. */
  siteClass(k: number): number {
    return this.i32[(this.classes >> 2) + SPAN * k]!;
  }

  /** For a site in a string literal: 1 its start (prefix included), 2 content start, 3 content end, 4 end, 5 kind (1 plain, 3 bytes, +8 unterminated). */
  siteSpan(k: number, i: number): number {
    return this.i32[(this.classes >> 2) + SPAN * k + i]!;
  }

  /** The current bytes, as a view valid until the next read or load. */
  bytes(): Buffer {
    return this.buf.subarray(this.data, this.data + this.length);
  }

  /** Bytes `start` to `end` of the current bytes as latin1-held text. */
  latin1(start: number, end: number): string {
    return this.buf.toString('latin1', this.data + start, this.data + end);
  }

  /** The current bytes as latin1-held text (one char per byte), what the lexer reads. */
  text(): string {
    return this.buf.toString('latin1', this.data, this.data + this.length);
  }

  /** Grows the memory to at least `bytes` (page-rounded), and renews the views. */
  private ensure(bytes: number): void {
    const memory = this.exports.memory;
    const have = memory.buffer.byteLength;
    if (bytes > have) memory.grow(Math.ceil((bytes - have) / PAGE));
    if (this.u8 === undefined || this.u8.buffer !== memory.buffer) {
      this.u8 = new Uint8Array(memory.buffer);
      this.buf = Buffer.from(memory.buffer);
      this.i32 = new Int32Array(memory.buffer);
    }
  }
}

function align(n: number, to: number): number {
  return Math.ceil(n / to) * to;
}
