// The scan engine: lists the project's files, verifies the moves, analyzes every file (on worker
// threads when there is enough work), then attaches areas and fixability. Prints nothing.

import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, sep } from 'node:path';
import type { Worker } from 'node:worker_threads';
import type { Config, Priority } from '../config/types.js';
import type { Finding } from '../core/finding.js';
import { MoveTable } from '../core/moveTable.js';
import { verifyMoves, type MoveVerdict } from '../core/verify.js';
import { ImportOrder, orderRefusals } from '../fix/importOrder.js';
import { listPythonFiles, makeGlobMatcher, narrowFiles, type FileListing, type PathProblem } from '../project/files.js';
import { makeAreaMatcher } from '../project/areas.js';
import { makeIgnoreMatcher } from '../project/perFileIgnores.js';
import { DiskModules } from '../python/diskModules.js';
import { ListedModuleIndex } from '../python/listedModuleIndex.js';
import type { ModuleIndex } from '../python/moduleIndex.js';
import { Resolver, type SourceHost } from '../python/resolve.js';
import { CAN_THREAD, sharesByDefault, startWorker, takeWorkerAhead } from './threads.js';
import { ScanCache, scanCacheKey } from './cache.js';
import { CACHE_DIR, SCAN_CACHE_FILE } from './cachePath.js';
import { verifyCached } from './verifyCache.js';
import { FileScanner, type FileOutcome, type ScanJob, type ScannedSource } from './fileScanner.js';
import { lexQueue, scanShare, type ShareMessage, type ShareResult } from './share.js';

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
  /** The project, when the caller has loaded it already. */
  project?: LoadedProject;
  /** Keep the text and lexing of every file with findings (ScanResult.sources); scans in this thread. */
  keepSources?: boolean;
  /**
   * Reuse and update the scan cache (cache.ts) for this build of canon (an id of its code); no
   * cache when unset. The command line sets it when it runs as the bundle.
   */
  cache?: string;
}

export interface ScanStats {
  filesScanned: number;
  /** Of those, taken from the scan cache unread. */
  filesCached?: number;
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
  /** With `keepSources`: file -> its text and lexing, for the files with findings. */
  sources: Map<string, ScannedSource>;
  /** The import-order rule, with what it read (fix asks it again). */
  order: ImportOrder;
}

/**
 * Below this many files, a second thread costs more than it saves (starting one costs ~60 ms), and
 * only on machines with SHARE_MIN_CORES (threads.ts) is one started by default at all.
 */
const PARALLEL_THRESHOLD = 2000;
/**
 * Scans narrowed by path arguments to fewer files than this leave the scan cache alone: reading a
 * few files costs less than loading, checking and saving the cache (keyed on the whole file list).
 * A pre-commit run (`check --changed-since`, or files as arguments) is such a scan.
 */
const CACHE_MIN_FILES = 200;
/** Files claimed at a time from the shared cursor. */
const BATCH = 32;

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
export interface LoadedProject {
  index: ModuleIndex;
  resolver: Resolver;
  /** Every Python file of the project (`exclude` not applied), sorted. */
  files: string[];
  /** Untracked files git does not ignore (see gitListing); null outside a git work tree. */
  untracked: string[] | null;
}

export async function loadProject(config: Config): Promise<LoadedProject> {
  // Excluded files still exist as modules: exclude narrows what is scanned, not what resolves.
  const all = await listPythonFiles({ ...config, exclude: [] });
  // Answered from the listing as questions come: a narrow run asks about a few modules only.
  const index = new ListedModuleIndex(all.files, config.src);
  return { index, resolver: new Resolver(index, fileHost(config.root)), files: all.files, untracked: all.untracked };
}

/** The files a scan reads: the project's files minus `exclude`, narrowed by path arguments. */
function scanList(config: Config, all: string[], paths: string[] | undefined, cwd: string | undefined): FileListing {
  const excluded = makeGlobMatcher(config.exclude);
  return narrowFiles(config, config.exclude.length === 0 ? all : all.filter((f) => !excluded(f)), paths, cwd);
}

export async function runScan(config: Config, opts: ScanOptions = {}): Promise<ScanResult> {
  const t0 = performance.now();
  // Start a worker now, so that loading its code overlaps listing the project; dropped if the
  // scan turns out too small to share. Path arguments (a pre-commit hook's few files) skip it.
  // Not when the scan cache is there: most files will come from it (one is started below when
  // thousands need reading after all).
  const wanted = CAN_THREAD && (opts.jobs ?? 0) !== 1 && !opts.paths?.length && (sharesByDefault() || (opts.jobs ?? 0) > 1) &&
    !(opts.cache && existsSync(join(config.root, CACHE_DIR, SCAN_CACHE_FILE)));
  const aheadWorker = takeWorkerAhead();
  const early = aheadWorker ? [aheadWorker] : wanted ? [startWorker()] : [];
  const { index, resolver, files: all } = opts.project ?? (await loadProject(config));
  const listing = scanList(config, all, opts.paths, opts.cwd);
  const job: ScanJob = { root: config.root, moves: config.moves, src: config.src, modules: null };

  const files = listing.files;
  // Files the cache vouches for are not read; `positions` maps the others back into `files`.
  const narrow = opts.paths !== undefined && opts.paths.length > 0 && files.length < CACHE_MIN_FILES;
  const cache = opts.cache && !narrow ? ScanCache.load(config.root, scanCacheKey(opts.cache, config.moves, config.src, all)) : null;
  // Files the cache vouches for: those with findings kept, the rest only counted.
  const fromCache: [number, FileOutcome][] = [];
  let cachedFiles = 0;
  let cachedBytes = 0;
  let cachedLexed = 0;
  let toScan = files;
  let positions: number[] | null = null;
  if (cache && cache.size > 0) {
    toScan = [];
    positions = [];
    const base = config.root + sep;
    for (let i = 0; i < files.length; i++) {
      const f = files[i]!;
      const hit = cache.lookup(f, base + f);
      if (hit === null) {
        positions.push(i);
        toScan.push(f);
        continue;
      }
      cachedFiles++;
      cachedBytes += hit.bytes;
      if (hit.lexed) cachedLexed++;
      if (hit.findings.length > 0) fromCache.push([i, { file: f, bytes: hit.bytes, lexed: hit.lexed, findings: hit.findings, error: null }]);
    }
  }
  job.stamps = cache !== null;
  const threads = !CAN_THREAD || opts.keepSources ? 1 : opts.jobs && opts.jobs > 0 ? opts.jobs : toScan.length >= PARALLEL_THRESHOLD && sharesByDefault() ? Math.min(availableParallelism(), 8) : 1;
  // Workers build their index from the file list (while this thread builds or asks its own).
  const share: ShareMessage = { job, files: toScan, cursor: new SharedArrayBuffer(4), batch: BATCH, queue: threads > 1 ? lexQueue(toScan.length) : undefined };
  const remote: ShareMessage = threads > 1 ? { ...share, job: { ...job, modules: { files: all, src: config.src } } } : share;
  // Workers get their share first, so they scan while this thread verifies the moves.
  const workers = early.splice(0, threads - 1);
  for (const w of early) void w.terminate();
  while (workers.length < threads - 1) workers.push(startWorker());
  let verdicts: MoveVerdict[];
  let parts: ShareResult[];
  try {
    const answers = workers.map((w) => answerOf(w, remote));
    // With the scan cache's build id, verdicts are reused while nothing they stand on changed.
    verdicts = opts.cache ? verifyCached(config, index, fileHost(config.root), opts.cache) : verifyMoves(config.moves, resolver);
    parts = [scanShare(share, new FileScanner(job, opts.keepSources, index), 'reader'), ...(await Promise.all(answers))];
  } finally {
    // Also when this thread fails: a worker left running (or waiting for its queue) would keep the
    // process alive.
    for (const w of workers) void w.terminate();
  }

  let lexed = 0;
  let bytes = 0;
  const notable: [number, FileOutcome][] = [];
  for (const p of parts) {
    lexed += p.lexed;
    bytes += p.bytes;
    for (const [j, o] of p.notable) notable.push([positions ? positions[j]! : j, o]);
  }
  if (cache) {
    const now = Date.now();
    for (const p of parts) {
      for (const [, o] of p.notable) if (o.stamp && o.error === null) cache.record(o.file, o.stamp, o, now);
      const q = p.plain;
      for (let k = 0; k < q.length; k += 7) {
        cache.record(toScan[q[k]!]!, { size: q[k + 1]!, mtimeMs: q[k + 2]!, ctimeMs: q[k + 3]!, ino: q[k + 4]! }, { bytes: q[k + 5]!, lexed: q[k + 6] === 1, findings: [] }, now);
      }
    }
    bytes += cachedBytes;
    lexed += cachedLexed;
    notable.push(...fromCache);
    // No keepOnly(all) here: the key holds the project's file list, so a cache loaded under it
    // names no file outside the list, and a scan records only files of the list.
    cache.save();
  }
  notable.sort((a, b) => a[0] - b[0]);

  const byMove = new Map(verdicts.map((v) => [v.move.id, v]));
  const areaOf = makeAreaMatcher(config.areas);
  // Applied here, after the cache: a change to per-file-ignores needs no file read again.
  const ignored = makeIgnoreMatcher(config.perFileIgnores);
  const findings: Finding[] = [];
  const errors: { file: string; message: string }[] = [];
  const sources = new Map<string, ScannedSource>();
  // The listing holds no file git ignores; Python imports them all the same (generated code, built
  // extensions): an unresolved import is confirmed on disk before it is reported. Not cached, so a
  // module generated since the last run counts at once.
  let disk: DiskModules | null = null;
  const onDisk = (module: string): boolean => (disk ??= new DiskModules(config.root, config.src)).exists(module);
  for (const [, o] of notable) {
    if (o.error) errors.push({ file: o.file, message: o.error });
    if (o.source) sources.set(o.file, o.source);
    if (o.findings.length === 0) continue;
    const area = areaOf(o.file);
    for (const raw of o.findings) {
      if (raw.kind === 'unresolved' && raw.legacy !== null && onDisk(raw.legacy)) continue;
      const verdict = raw.move ? byMove.get(raw.move) : undefined;
      let reason = raw.blocker;
      if (reason === null && verdict && verdict.verdict !== 'same') reason = `${verdict.verdict}: ${verdict.reason}`;
      // Field by field, not by spreading: this runs once per finding, before V8 has optimized it.
      findings.push({
        file: raw.file, line: raw.line, column: raw.column, endLine: raw.endLine, endColumn: raw.endColumn,
        start: raw.start, end: raw.end, code: raw.code, kind: raw.kind, form: raw.form, legacy: raw.legacy,
        canonical: raw.canonical, move: raw.move, area: area.name, priority: area.priority,
        fixable: raw.kind !== 'unresolved' && reason === null, reason, statement: raw.statement,
        suppressed: raw.suppressed || ignored(raw.file, raw.code),
      });
    }
  }
  const order = new ImportOrder(index, fileHost(config.root));
  markOrderRefusals(findings, order, config);
  const selected = findings.filter(
    (f) =>
      (!opts.areas?.length || opts.areas.includes(f.area)) &&
      (!opts.priorities?.length || opts.priorities.includes(f.priority)) &&
      (!opts.moves?.length || (f.move !== null && opts.moves.includes(f.move))),
  );
  return {
    findings: selected,
    verdicts,
    stats: { filesScanned: files.length, filesCached: cachedFiles, filesLexed: lexed, bytes, durationMs: performance.now() - t0, threads },
    problems: listing.problems,
    errors,
    index,
    resolver,
    sources,
    order,
  };
}

/**
 * fix's import-order refusals that need only the module graph (the file's own module, a package
 * still initializing, a cycle): scan marks those findings unfixable with fix's reason.
 */
function markOrderRefusals(findings: Finding[], order: ImportOrder, config: Config): void {
  if (!findings.some((f) => f.fixable && f.kind === 'legacy-import' && !f.suppressed)) return;
  for (const [f, why] of orderRefusals(findings, order, new MoveTable(config.moves))) {
    f.fixable = false;
    f.reason = why;
  }
}

/** Give a worker its share of the scan; resolves with what it found. */
function answerOf(w: Worker, share: ShareMessage): Promise<ShareResult> {
  return new Promise((resolve, reject) => {
    w.once('message', resolve);
    w.once('error', reject);
    w.once('exit', (code) => reject(new Error(`scan worker stopped (exit code ${code})`)));
    w.postMessage(share);
  });
}
