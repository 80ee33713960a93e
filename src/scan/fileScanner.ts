// Reads and analyzes a list of files: the unit of work a scan worker (or the main thread) runs.

import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import type { Move } from '../config/types.js';
import type { RawFinding } from '../core/finding.js';
import { MoveTable } from '../core/moveTable.js';
import { ModuleIndex, type ModuleIndexData } from '../python/moduleIndex.js';
import { lexPython, type FullLexResult } from '../python/lexer.js';
import { stampOf, type FileStamp } from './cache.js';
import { analysisLexOptions, analyzeFile, type AnalyzeContext } from './analyze.js';
import { Prefilter } from './prefilter.js';

/** Everything a worker needs, as structured-clone-able data. */
export interface ScanJob {
  root: string;
  moves: Move[];
  /** The module index as data, for worker threads (null in this thread: see FileScanner). */
  index: ModuleIndexData | null;
  /** Note each file's stamp (for the scan cache). */
  stamps?: boolean;
}

export interface FileOutcome {
  file: string;
  bytes: number;
  lexed: boolean;
  findings: RawFinding[];
  /** Set when the file could not be read. */
  error: string | null;
  /** With `keepSources`, for a file with findings: its text and how it lexed, for fix to reuse. */
  source?: ScannedSource;
  /** With `job.stamps`: how the file looked when it was read (for the scan cache). */
  stamp?: FileStamp;
}

/** A file as the scan read and lexed it (latin1-held text, lexed with strings). */
export interface ScannedSource {
  text: string;
  lex: FullLexResult;
}

export class FileScanner {
  private readonly ctx: AnalyzeContext;
  private readonly prefilter: Prefilter;
  private readonly index: ModuleIndex;

  /** `index`: the index itself, in the thread that built it; else it is rebuilt from `job.index`. */
  constructor(
    private readonly job: ScanJob,
    private readonly keepSources = false,
    given?: ModuleIndex,
  ) {
    const table = new MoveTable(job.moves);
    const index = given ?? new ModuleIndex(job.index!);
    this.ctx = { table, index };
    this.prefilter = new Prefilter(table.needles());
    this.index = index;
  }

  scan(file: string): FileOutcome {
    let text: string;
    let stamp: FileStamp | undefined;
    try {
      const read = readLatin1(join(this.job.root, file), this.job.stamps === true);
      text = read.text;
      stamp = read.stamp;
    } catch (e) {
      return { file, bytes: 0, lexed: false, findings: [], error: (e as Error).message };
    }
    // A file that names no legacy module can still hold an unresolved import: look before lexing.
    if (!this.prefilter.mustLex(text, this.index, this.index.ofFile(file))) {
      return { file, bytes: text.length, lexed: false, findings: [], error: null, stamp };
    }
    const lex = lexPython(text, analysisLexOptions(this.ctx.table));
    const findings = analyzeFile(file, text, this.ctx, lex);
    const source = this.keepSources && findings.length > 0 ? { text, lex } : undefined;
    return { file, bytes: text.length, lexed: true, findings, error: null, source, stamp };
  }
}

// One buffer reused for every read: no allocation per file, and the latin1 string is made straight
// from it. Files larger than the buffer are read whole the ordinary way.
const shared = Buffer.allocUnsafe(4 << 20);

/** The file's bytes as a latin1 string; with `stamped`, how it looked (fstat before the read). */
function readLatin1(path: string, stamped: boolean): { text: string; stamp?: FileStamp } {
  const fd = openSync(path, 'r');
  let stamp: FileStamp | undefined;
  try {
    if (stamped) stamp = stampOf(fstatSync(fd));
    let n = 0;
    for (;;) {
      const r = readSync(fd, shared, n, shared.length - n, null);
      n += r;
      // A short read of a regular file is its end: no extra read() to see 0.
      if (r === 0 || n < shared.length) return { text: shared.toString('latin1', 0, n), stamp };
      if (n === shared.length) break;
    }
  } finally {
    closeSync(fd);
  }
  return { text: readFileSync(path).toString('latin1'), stamp };
}
