// discover's entry point for commands and other callers (`canon discover`, `canon init --discover`):
// list the project, scan every file's imports on worker threads, resolve each distinct import path
// once, and return what consolidation work the import graph shows. Prints nothing.

import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Config, Move } from '../config/types.js';
import { listPythonFiles, makeGlobMatcher } from '../project/files.js';
import { DiskModules } from '../python/diskModules.js';
import { ModuleIndex } from '../python/moduleIndex.js';
import { fileHost } from '../scan/runScan.js';
import { topLevelNames } from './attributeUses.js';
import { discoverFindings } from './findings.js';
import { buildGraph, prefetchBindings, startPool } from './graph.js';
import { PrefetchedResolver } from './prefetch.js';
import { threadsFor } from './threads.js';
import type { DiscoverResult } from './model.js';

export type { DiscoverResult } from './model.js';

/** Where the project is and which files are its source: a Config's fields, or defaults without one. */
export interface DiscoverProject {
  /** Absolute path. */
  root: string;
  src: string[];
  include: string[];
  exclude: string[];
  /** Moves already configured (suggestions with the same `from` are marked `configured`). */
  moves?: readonly Move[];
}

export interface DiscoverOptions {
  /** Threads in all, the main thread included: 0 or absent = decide from the amount of work. */
  jobs?: number;
  /** A definition counts towards a breach only when at least this many files import it (default 2). */
  minFiles?: number;
  /** Hears what discover is doing, for a progress line: a step, and how far it is (done of `of`, when counted). */
  onProgress?: (step: string, done?: number, of?: number) => void;
}

/** The project as discover sees it without a config: the folder itself, `src` too if it exists. */
export function defaultProject(root: string): DiscoverProject {
  const src = existsSync(join(root, 'src')) && statSync(join(root, 'src')).isDirectory() ? ['.', 'src'] : ['.'];
  return { root, src, include: ['**/*.py'], exclude: [], moves: [] };
}

export function projectOf(config: Config): DiscoverProject {
  return { root: config.root, src: config.src, include: config.include, exclude: config.exclude, moves: config.moves };
}

/** Every Python file of the project (its modules), and those discover reads (`exclude` left out). */
async function listingOf(project: DiscoverProject): Promise<{ listing: { files: string[] }; files: string[] }> {
  // listPythonFiles reads only root, include and exclude. Excluded files still exist as modules
  // (exclude narrows what is scanned, not what resolves), so list without it and filter after.
  const listing = await listPythonFiles({ root: project.root, include: project.include, exclude: [] } as unknown as Config);
  const excluded = makeGlobMatcher(project.exclude);
  return { listing, files: listing.files.filter((f) => !excluded(f)) };
}

/** The files discover reads (root-relative, sorted): for --show-files. */
export async function discoverFiles(project: DiscoverProject): Promise<string[]> {
  return (await listingOf(project)).files;
}

export async function discover(project: DiscoverProject, opts: DiscoverOptions = {}): Promise<DiscoverResult> {
  const t0 = performance.now();
  const jobs = opts.jobs ?? 0;
  // Threads load their code while the project is listed; for a small project they are let go.
  const early = threadsFor(Number.MAX_SAFE_INTEGER, jobs) - 1;
  let pool = startPool(early);
  try {
    opts.onProgress?.('listing files');
    const { listing, files } = await listingOf(project);
    if (threadsFor(files.length, jobs) < 2 && pool.size > 0) {
      pool.stop();
      pool = startPool(0);
    }
    const tops = topLevelNames(listing.files, project.src);
    const say = opts.onProgress;
    say?.('reading files', 0, files.length);
    const { graph, index } = await buildGraph(project.root, files, () => ModuleIndex.fromFiles(listing.files, project.src), pool, tops, say && ((d, of) => say('reading files', d, of)));
    const host = fileHost(project.root);
    say?.('parsing modules');
    const parsed = pool.size > 0 ? await prefetchBindings(project.root, graph, index, pool, say && ((d, of) => say('parsing modules', d, of))) : new Map();
    say?.('resolving import paths');
    pool.stop();
    const resolver = new PrefetchedResolver(index, host, parsed);
    const disk = new DiskModules(project.root, project.src);
    const found = discoverFindings(graph, resolver, { moves: project.moves, minFiles: opts.minFiles, read: (f) => host.read(f), onDisk: (m) => disk.exists(m) });
    return { ...found, errors: graph.errors, stats: { bytes: graph.bytes, threads: graph.threads, durationMs: performance.now() - t0 } };
  } finally {
    pool.stop();
  }
}
