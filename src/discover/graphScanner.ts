// Reads and scans files into import-graph counts: the unit of work of a discover worker and of the
// main thread. Counts are merged per reply, so what crosses the thread boundary is one entry per
// distinct key, not one per statement. A scanner may start before the module index exists: the
// relative imports it meets meanwhile wait, and are counted once it learns each file's module.

import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import type { ModuleIndex } from '../python/moduleIndex.js';
import type { ImportStmt } from '../python/records.js';
import { importKeys, type SelfModule } from './importKeys.js';
import { scanImports } from './importScan.js';
import { collectUses, emptyUses, type RawUses } from './attributeUses.js';

/** A batch of files, named by their positions in the project's file list. */
export interface GraphBatch {
  first: number;
  files: string[];
}

/**
 * Counts since the last reply. `keys[i]` is imported `imports[i]` times by the files `files[i]`,
 * `counts[i][j]` times by the file `files[i][j]`.
 */
export interface GraphCounts {
  keys: string[];
  imports: number[];
  /** Positions in the file list; a file may be listed twice (a deferred import): merge dedupes. */
  files: number[][];
  counts: number[][];
  /** Uses through module imports, made keys once the index exists (attributeUses.ts). */
  uses: RawUses;
  bytes: number;
  errors: { file: number; message: string }[];
}

interface Deferred {
  fileNo: number;
  stmts: ImportStmt[];
}

/**
 * The module of each file of the list, by position (what `ModuleIndex.ofFile` answers): all a
 * scanner needs of the index, and cheap to send to a thread.
 */
export interface Selves {
  names: (string | null)[];
  packages: Uint8Array;
}

export function selvesOf(files: readonly string[], index: ModuleIndex): Selves {
  const names: (string | null)[] = [];
  const packages = new Uint8Array(files.length);
  files.forEach((f, i) => {
    const e = index.ofFile(f);
    names.push(e ? e.name : null);
    if (e?.isPackage) packages[i] = 1;
  });
  return { names, packages };
}

export class GraphScanner {
  private selves: Selves | null = null;
  private deferred: Deferred[] = [];
  private out = GraphScanner.empty();
  private slot = new Map<string, number>();
  /** Reused across files: most fit, so reading allocates nothing but the text. */
  private buf = Buffer.allocUnsafeSlow(1 << 20);

  private readonly tops: ReadonlySet<string>;

  /** `tops`: the project's top-level names, or a superset (attributeUses.ts topLevelNames). */
  constructor(
    private readonly root: string,
    tops: readonly string[],
  ) {
    this.tops = new Set(tops);
  }

  private static empty(): GraphCounts {
    return { keys: [], imports: [], files: [], counts: [], uses: emptyUses(), bytes: 0, errors: [] };
  }

  /** The files' modules are known: count the relative imports that waited for them. */
  setSelves(selves: Selves): void {
    this.selves = selves;
    for (const d of this.deferred) {
      const self = this.selfOf(d.fileNo);
      for (const st of d.stmts) importKeys(st, self, (k) => this.emit(k, d.fileNo));
    }
    this.deferred = [];
  }

  private selfOf(fileNo: number): SelfModule | undefined {
    const name = this.selves!.names[fileNo];
    return name === null ? undefined : { name, isPackage: this.selves!.packages[fileNo] === 1 };
  }

  /** The counts gathered since the last call. */
  take(): GraphCounts {
    const out = this.out;
    this.out = GraphScanner.empty();
    this.slot = new Map();
    return out;
  }

  /** The file's bytes as a latin1 string (python/source.ts). */
  read(file: string): string {
    const fd = openSync(join(this.root, file), 'r');
    try {
      const size = fstatSync(fd).size;
      if (size > this.buf.length) this.buf = Buffer.allocUnsafeSlow(Math.max(size, this.buf.length * 2));
      let n = 0;
      while (n < size) {
        const got = readSync(fd, this.buf, n, size - n, null);
        if (got === 0) break; // shrank since fstat
        n += got;
      }
      return this.buf.toString('latin1', 0, n);
    } finally {
      closeSync(fd);
    }
  }

  scan(batch: GraphBatch): void {
    batch.files.forEach((file, i) => {
      const fileNo = batch.first + i;
      let text: string;
      try {
        text = this.read(file);
      } catch (e) {
        this.out.errors.push({ file: fileNo, message: (e as Error).message });
        return;
      }
      this.out.bytes += text.length;
      const stmts = scanImports(text);
      if (stmts.length === 0) return;
      collectUses(text, stmts, this.tops, fileNo, this.out.uses);
      if (this.selves !== null) {
        const self = this.selfOf(fileNo);
        for (const st of stmts) importKeys(st, self, (k) => this.emit(k, fileNo));
        return;
      }
      const waiting: ImportStmt[] = [];
      for (const st of stmts) {
        if (st.level > 0) waiting.push(st);
        else importKeys(st, undefined, (k) => this.emit(k, fileNo));
      }
      if (waiting.length > 0) this.deferred.push({ fileNo, stmts: waiting });
    });
  }

  private emit(key: string, fileNo: number): void {
    const out = this.out;
    let k = this.slot.get(key);
    if (k === undefined) {
      k = out.keys.length;
      this.slot.set(key, k);
      out.keys.push(key);
      out.imports.push(0);
      out.files.push([]);
      out.counts.push([]);
    }
    out.imports[k]++;
    const f = out.files[k];
    const n = out.counts[k];
    if (f[f.length - 1] === fileNo) n[n.length - 1]++;
    else (f.push(fileNo), n.push(1));
  }
}
