// The scan engine: lists the project's files, verifies the moves, analyzes every file (on worker
// threads when there is enough work), then attaches areas and fixability. Prints nothing.

import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Config, Priority } from '../config/types.js';
import type { Finding } from '../core/finding.js';
import { verifyMoves, type MoveVerdict } from '../core/verify.js';
import { listPythonFiles, makeGlobMatcher, narrowFiles, type FileListing, type PathProblem } from '../project/files.js';
import { makeAreaMatcher } from '../project/areas.js';
import { ModuleIndex } from '../python/moduleIndex.js';
import { Resolver, type SourceHost } from '../python/resolve.js';
import { FileScanner, type FileOutcome, type ScanJob } from './fileScanner.js';

export interface ScanOptions {
  /** CLI path arguments narrowing the files scanned. */
  paths?: string[];
  cwd?: string;
  /** Filters on the findings reported (not on what is scanned). */
  areas?: string[];
  priorities?: Priority[];
  moves?: string[];
  /** Threads: 0 = decide from the amount of work. */
  jobs?: number;
}

export interface ScanStats {
  filesScanned: number;
  filesLexed: number;
  bytes: number;
  durationMs: number;
  threads: number;
}

export interface ScanResult {
  findings: Finding[];
  verdicts: MoveVerdict[];
  stats: ScanStats;
  problems: PathProblem[];
  /** Files that could not be read. */
  errors: { file: string; message: string }[];
  index: ModuleIndex;
  resolver: Resolver;
}

/** Below this many files, starting threads costs more than it saves. */
const PARALLEL_THRESHOLD = 400;
const BATCH = 128;

export function fileHost(root: string): SourceHost {
  return {
    read(file: string): string | null {
      try {
        return readFileSync(join(root, file)).toString('latin1');
      } catch {
        return null;
      }
    },
  };
}

/** The module index and resolver for a project: what verify (and later fix and shim) stand on. */
export async function loadProject(config: Config): Promise<{ index: ModuleIndex; resolver: Resolver; files: string[] }> {
  // Excluded files still exist as modules: exclude narrows what is scanned, not what resolves.
  const all = await listPythonFiles({ ...config, exclude: [] });
  const index = ModuleIndex.fromFiles(all.files, config.src);
  return { index, resolver: new Resolver(index, fileHost(config.root)), files: all.files };
}

/** The files a scan reads: the project's files minus `exclude`, narrowed by path arguments. */
function scanList(config: Config, all: string[], paths: string[] | undefined, cwd: string | undefined): FileListing {
  const excluded = makeGlobMatcher(config.exclude);
  return narrowFiles(config, all.filter((f) => !excluded(f)), paths, cwd);
}

export async function runScan(config: Config, opts: ScanOptions = {}): Promise<ScanResult> {
  const t0 = performance.now();
  // Start a worker now, so that loading its code overlaps listing the project; dropped if the
  // scan turns out too small to share. Path arguments (a pre-commit hook's few files) skip it.
  const early = CAN_THREAD && opts.jobs !== 1 && !opts.paths?.length && availableParallelism() > 1 ? [startWorker()] : [];
  const { index, resolver, files: all } = await loadProject(config);
  const listing = scanList(config, all, opts.paths, opts.cwd);
  const verdicts = verifyMoves(config.moves, resolver);
  const job: ScanJob = { root: config.root, moves: config.moves, index: index.toData() };

  const files = listing.files;
  const threads = !CAN_THREAD ? 1 : opts.jobs && opts.jobs > 0 ? opts.jobs : files.length >= PARALLEL_THRESHOLD ? Math.min(availableParallelism(), 8) : 1;
  if (threads <= 1) for (const w of early.splice(0)) void w.terminate();
  const outcomes = threads > 1 ? await scanInWorkers(job, files, threads, early) : scanHere(job, files);

  const byMove = new Map(verdicts.map((v) => [v.move.id, v]));
  const areaOf = makeAreaMatcher(config.areas);
  const findings: Finding[] = [];
  const errors: { file: string; message: string }[] = [];
  let lexed = 0;
  let bytes = 0;
  for (const o of outcomes) {
    bytes += o.bytes;
    if (o.lexed) lexed++;
    if (o.error) errors.push({ file: o.file, message: o.error });
    if (o.findings.length === 0) continue;
    const area = areaOf(o.file);
    for (const raw of o.findings) {
      const { blocker, ...rest } = raw;
      const verdict = raw.move ? byMove.get(raw.move) : undefined;
      let reason = blocker;
      if (reason === null && verdict && verdict.verdict !== 'same') reason = `${verdict.verdict}: ${verdict.reason}`;
      findings.push({ ...rest, area: area.name, priority: area.priority, fixable: raw.kind !== 'unresolved' && reason === null, reason });
    }
  }
  const selected = findings.filter(
    (f) =>
      (!opts.areas?.length || opts.areas.includes(f.area)) &&
      (!opts.priorities?.length || opts.priorities.includes(f.priority)) &&
      (!opts.moves?.length || (f.move !== null && opts.moves.includes(f.move))),
  );
  return {
    findings: selected,
    verdicts,
    stats: { filesScanned: files.length, filesLexed: lexed, bytes, durationMs: performance.now() - t0, threads },
    problems: listing.problems,
    errors,
    index,
    resolver,
  };
}

function scanHere(job: ScanJob, files: string[]): FileOutcome[] {
  const scanner = new FileScanner(job);
  return files.map((f) => scanner.scan(f));
}

/**
 * Hands out batches of files to `n - 1` workers and to this thread, each taking the next batch as it
 * finishes; results keep the files' order. The main thread scans too (between batches it yields so
 * workers' requests are served), which saves a worker's start-up on a two-core machine.
 */
const WORKER = new URL('./worker.js', import.meta.url);
/** Workers run the compiled worker.js; run from TypeScript sources (tests), canon scans in-thread. */
const CAN_THREAD = existsSync(fileURLToPath(WORKER));

function startWorker(): Worker {
  return new Worker(WORKER);
}

function scanInWorkers(job: ScanJob, files: string[], n: number, started: Worker[]): Promise<FileOutcome[]> {
  return new Promise((resolve, reject) => {
    const results: FileOutcome[][] = [];
    let next = 0;
    let batchNo = 0;
    let live = n;
    let failed = false;
    const workers: Worker[] = [];
    const done = (): void => {
      if (--live === 0 && !failed) resolve(results.flat());
    };
    const fail = (e: unknown): void => {
      if (failed) return;
      failed = true;
      for (const w of workers) void w.terminate();
      reject(e);
    };
    for (const w of started.slice(n - 1)) void w.terminate();
    for (let i = 0; i < n - 1; i++) {
      const w = started[i] ?? startWorker();
      w.postMessage({ job });
      workers.push(w);
      let current = -1;
      const feed = (): void => {
        if (next >= files.length || failed) {
          void w.terminate();
          done();
          return;
        }
        current = batchNo++;
        w.postMessage(files.slice(next, next + BATCH));
        next += BATCH;
      };
      w.on('message', (out: FileOutcome[]) => {
        results[current] = out;
        feed();
      });
      w.on('error', fail);
      feed();
    }
    const scanner = new FileScanner(job);
    const here = (): void => {
      if (next >= files.length || failed) {
        done();
        return;
      }
      const mine = batchNo++;
      const batch = files.slice(next, next + BATCH);
      next += BATCH;
      results[mine] = batch.map((f) => scanner.scan(f));
      setImmediate(here);
    };
    setImmediate(here);
  });
}
