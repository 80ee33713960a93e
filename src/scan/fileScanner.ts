// Reads and analyzes a list of files: the unit of work a scan worker (or the main thread) runs.

import { sep } from 'node:path';
import type { Move } from '../config/types.js';
import type { RawFinding } from '../core/finding.js';
import { MoveTable } from '../core/moveTable.js';
import { ListedModuleIndex } from '../python/listedModuleIndex.js';
import type { ModuleIndex } from '../python/moduleIndex.js';
import { lexPython, type FullLexResult } from '../python/lexer.js';
import { stampOf, type FileStamp } from './cache.js';
import { analysisLexOptions, analyzeFile, type AnalyzeContext } from './analyze.js';
import { insideLegacy, Prefilter } from './prefilter.js';

/** Everything a worker needs, as structured-clone-able data. */
export interface ScanJob {
  root: string;
  moves: Move[];
  /** The project's import roots (`src`). */
  src: string[];
  /**
   * For worker threads, what the module index answers from: the project's files (sorted) and import
   * roots (null in the thread that has the index: see FileScanner). A worker asks its own index,
   * built from these as questions come: cheaper than sending a whole index across.
   */
  modules: { files: string[]; src: string[] } | null;
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
  /** Scanned with `lexHere` false, the file must be lexed (by another thread): nothing else is set. */
  deferred?: boolean;
}

/** A file as the scan read and lexed it (latin1-held text, lexed with strings). */
export interface ScannedSource {
  text: string;
  lex: FullLexResult;
}

/** The findings of the ~95% of files the prefilter passes over: one array for all (never written to). */
const NO_FINDINGS: RawFinding[] = Object.freeze([]) as unknown as RawFinding[];

export class FileScanner {
  private readonly ctx: AnalyzeContext;
  private readonly prefilter: Prefilter;
  private readonly index: ModuleIndex;
  private readonly prefix: string;

  /** `index`: the index itself, in the thread that has it; else it is built from `job.modules`. */
  constructor(
    private readonly job: ScanJob,
    private readonly keepSources = false,
    given?: ModuleIndex,
  ) {
    const table = new MoveTable(job.moves);
    // Answered question by question: a worker mostly lexes, and asks about few modules.
    const index = given ?? new ListedModuleIndex(job.modules!.files, job.modules!.src);
    this.ctx = { table, index };
    this.prefilter = new Prefilter(table.needles(), insideLegacy(job.moves.map((m) => m.fromModule), job.src));
    this.index = index;
    this.prefix = job.root.endsWith(sep) ? job.root : job.root + sep;
  }

  /**
   * Reads, prefilters and (when it must be) lexes and analyzes one file. With `lexHere` false, a
   * file that must be lexed is only marked `deferred`: the caller hands it to another thread.
   */
  scan(file: string, lexHere = true): FileOutcome {
    const pre = this.prefilter;
    let stamp: FileStamp | undefined;
    try {
      // `file` is a normalized project-relative path: a concatenation is its full path (no join()).
      const stats = pre.readFile(this.prefix + file, this.job.stamps === true);
      if (stats) stamp = stampOf(stats);
    } catch (e) {
      return { file, bytes: 0, lexed: false, findings: [], error: (e as Error).message };
    }
    // A file that names no legacy module can still hold an unresolved import: look before lexing.
    if (!pre.mustLex(this.index, file)) {
      return { file, bytes: pre.size, lexed: false, findings: NO_FINDINGS, error: null, stamp };
    }
    if (!lexHere) return { file, bytes: pre.size, lexed: false, findings: NO_FINDINGS, error: null, deferred: true };
    const text = pre.text();
    const options = analysisLexOptions(this.ctx.table);
    const lex = pre.lex(text, options);
    const findings = analyzeFile(file, text, this.ctx, lex);
    // fix plans from the whole file's lexing (attribute uses, every string): lex it whole.
    const source = this.keepSources && findings.length > 0 ? { text, lex: lex.attrsUnknown === undefined ? lex : lexPython(text, options) } : undefined;
    return { file, bytes: text.length, lexed: true, findings, error: null, source, stamp };
  }
}
