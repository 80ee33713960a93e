// Reads and analyzes a list of files: the unit of work a scan worker (or the main thread) runs.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Move } from '../config/types.js';
import type { RawFinding } from '../core/finding.js';
import { MoveTable } from '../core/moveTable.js';
import { ModuleIndex, type ModuleIndexData } from '../python/moduleIndex.js';
import { analyzeFile, type AnalyzeContext } from './analyze.js';
import { Prefilter } from './prefilter.js';

/** Everything a worker needs, as structured-clone-able data. */
export interface ScanJob {
  root: string;
  moves: Move[];
  index: ModuleIndexData;
}

export interface FileOutcome {
  file: string;
  bytes: number;
  lexed: boolean;
  findings: RawFinding[];
  /** Set when the file could not be read. */
  error: string | null;
}

export class FileScanner {
  private readonly ctx: AnalyzeContext;
  private readonly prefilter: Prefilter;

  constructor(private readonly job: ScanJob) {
    const table = new MoveTable(job.moves);
    const index = new ModuleIndex(job.index);
    this.ctx = { table, index };
    this.prefilter = new Prefilter([...table.needles(), ...index.topLevels, 'from .']);
  }

  scan(file: string): FileOutcome {
    let buf: Buffer;
    try {
      buf = readFileSync(join(this.job.root, file));
    } catch (e) {
      return { file, bytes: 0, lexed: false, findings: [], error: (e as Error).message };
    }
    if (!this.prefilter.mayMatch(buf)) return { file, bytes: buf.length, lexed: false, findings: [], error: null };
    const findings = analyzeFile(file, buf.toString('latin1'), this.ctx);
    return { file, bytes: buf.length, lexed: true, findings, error: null };
  }
}
