// history's entry point for commands and the HTML report: the findings of every commit in a range,
// read from git objects without checking anything out. The config (moves, areas, file selection)
// is today's; each commit brings its own files and module index. One `git cat-file --batch`
// process serves every tree and blob; a commit costs what it changed, since trees are compared
// folder by folder and each file's result is kept per (path, blob) and reused while the module
// index answers the same. Prints nothing.

import { relative, sep } from 'node:path';
import type { Config } from '../config/types.js';
import { PRIORITIES, type Priority } from '../config/types.js';
import { UsageError } from '../core/errors.js';
import { zeroByKind, type FindingKind } from '../core/finding.js';
import { MoveTable } from '../core/moveTable.js';
import { makeAreaMatcher, OTHER_AREA, type AreaAssignment } from '../project/areas.js';
import { makeGlobMatcher } from '../project/files.js';
import { makeIgnoreMatcher } from '../project/perFileIgnores.js';
import { ignoredPaths } from '../project/ignored.js';
import { DiskModules } from '../python/diskModules.js';
import { analyzeFile } from '../scan/analyze.js';
import { insideLegacy, Prefilter } from '../scan/prefilter.js';
import { CatFile } from './catFile.js';
import { fileResult, RecordingIndex, stillValid, type FileResult } from './fileResults.js';
import { GitError, listCommits, locateRepo, type CommitSelection } from './git.js';
import { ModuleSet } from './moduleSet.js';
import type { HistoryPoint, HistoryStats } from './model.js';
import { TreeReader } from './trees.js';

export type { HistoryPoint, HistoryStats } from './model.js';

export interface HistoryOptions extends CommitSelection {
  /** Count string references as violations (as `canon scan --strings`). */
  strings?: boolean;
  /** Filled in when given: how much work was done. */
  stats?: HistoryStats;
  /** Hears each commit as it is reached (for a progress line): its position (1-based) of all, and the commit. */
  onCommit?: (n: number, of: number, commit: { commit: string; subject: string }) => void;
}

/** The violations, by area, priority and move, at each selected commit, oldest first. */
export async function collectHistory(config: Config, opts: HistoryOptions = {}): Promise<HistoryPoint[]> {
  const t0 = performance.now();
  const repo = await locateRepo(config.root);
  if (repo === null) throw new UsageError(`canon history reads git history, but ${config.root} is not in a git work tree`);
  let commits;
  try {
    commits = await listCommits(repo.top, opts);
  } catch (e) {
    if (e instanceof GitError) throw new UsageError(`cannot list the commits: ${e.message}`);
    throw e;
  }
  const generated = await generatedModules(config);
  const cat = new CatFile(repo.top);
  try {
    const walker = new Walker(config, cat, new TreeReader(cat, repo.hashBytes), opts.strings === true, generated);
    const points: HistoryPoint[] = [];
    let prev: string | null = null;
    for (const c of commits) {
      opts.onCommit?.(points.length + 1, commits.length, c);
      const tree = await walker.trees.treeAt(c.commit, repo.prefix);
      const before = walker.analyzed;
      await walker.advance(prev, tree);
      prev = tree;
      walker.reused += walker.files - (walker.analyzed - before);
      points.push({ ...c, ...walker.totals() });
    }
    if (opts.stats) Object.assign(opts.stats, { commits: commits.length, analyzed: walker.analyzed, reused: walker.reused, durationMs: performance.now() - t0 });
    return points;
  } finally {
    await cat.close();
  }
}

/**
 * Modules that are on disk now but that git ignores (generated code, built extensions): they never
 * appear in a commit, yet exist wherever the project is built, so an import of one is not counted
 * as unresolved at any commit (as `canon scan` does not report it today). A module only on disk but
 * not ignored is new work not yet committed: it does not count.
 */
async function generatedModules(config: Config): Promise<(module: string) => boolean> {
  const ignored = await ignoredPaths(config.root);
  const disk = new DiskModules(config.root, config.src);
  return (module) => {
    const at = disk.locate(module);
    return at !== null && ignored(relative(config.root, at).split(sep).join('/'));
  };
}

/** Blob reads kept in flight through cat-file. */
const IN_FLIGHT = 64;

interface Tracked {
  blob: string;
  result: FileResult;
  area: AreaAssignment;
}

/** The state of the walk: the files of the current commit, their results, and running totals. */
class Walker {
  /** Every selected (include) file of the current commit -> blob; the module index is built from these. */
  private readonly blobs = new Map<string, string>();
  /** The scanned ones (include minus exclude) with their results. */
  private readonly tracked = new Map<string, Tracked>();
  /** (blob, path) -> result, across commits. */
  private readonly cache = new Map<string, FileResult>();
  private index: RecordingIndex | null = null;
  private readonly modules: ModuleSet;
  private readonly prefilter: Prefilter;
  private readonly table: MoveTable;
  private readonly include: (f: string) => boolean;
  private readonly exclude: (f: string) => boolean;
  private readonly areaOf: (f: string) => AreaAssignment;
  private readonly ignored: (file: string, code: string) => boolean;
  // Running totals over `tracked`.
  private readonly kinds: Record<FindingKind, number> = zeroByKind();
  private suppressed = 0;
  private readonly areas = new Map<string, number>();
  private readonly moves = new Map<string, number>();
  analyzed = 0;
  reused = 0;

  constructor(
    private readonly config: Config,
    private readonly cat: CatFile,
    readonly trees: TreeReader,
    private readonly strings: boolean,
    private readonly generated: (module: string) => boolean,
  ) {
    this.modules = new ModuleSet(config.src);
    this.table = new MoveTable(config.moves);
    this.prefilter = new Prefilter(this.table.needles(), insideLegacy(config.moves.map((m) => m.fromModule), config.src));
    this.include = makeGlobMatcher(config.include);
    this.exclude = makeGlobMatcher(config.exclude);
    this.areaOf = makeAreaMatcher(config.areas);
    this.ignored = makeIgnoreMatcher(config.perFileIgnores);
  }

  /** Move from the tree `from` to the tree `to` (null: no project folder at that commit). */
  async advance(from: string | null, to: string | null): Promise<void> {
    const changes = await this.trees.diff(from, to, this.include);
    let pathsChanged = this.index === null;
    const touched = new Set<string>();
    for (const ch of changes) {
      if (ch.after === null) this.blobs.delete(ch.path);
      else this.blobs.set(ch.path, ch.after);
      if (ch.before === null || ch.after === null) pathsChanged = true;
      if (!this.exclude(ch.path)) touched.add(ch.path);
    }
    if (pathsChanged) {
      const { index, changed } = this.modules.build(this.blobs.keys());
      const sameTops = this.index !== null && index.topKey === this.index.topKey;
      this.index = index;
      // A result stands when the new index answers its questions as the old one did.
      for (const [path, t] of this.tracked) {
        const self = this.modules.moduleOf(path);
        const stale = !sameTops || (self !== null && changed.has(self)) || t.result.asked.some((n) => changed.has(n));
        if (stale) touched.add(path);
      }
    }
    // A window of reads in flight keeps git busy without holding thousands of requests open.
    const list = [...touched];
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < list.length) await this.update(list[next++]);
    };
    await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, list.length) }, lane));
  }

  /** Bring `path`'s result up to date with its blob at the current commit (or its absence). */
  private async update(path: string): Promise<void> {
    const blob = this.blobs.get(path) ?? null;
    const old = this.tracked.get(path);
    if (old) {
      this.add(old, -1);
      this.tracked.delete(path);
    }
    if (blob === null) return;
    const key = `${blob}\0${path}`;
    const index = this.index!;
    let result = this.cache.get(key);
    if (result === undefined || !stillValid(result, index, path)) {
      const o = await this.cat.read(blob);
      // Another update may have moved on meanwhile: the module index is the same for the whole commit.
      result = this.analyze(path, o === null ? Buffer.alloc(0) : o.data);
      this.cache.set(key, result);
    }
    const t: Tracked = { blob, result, area: old?.area ?? this.areaOf(path) };
    this.tracked.set(path, t);
    this.add(t, 1);
  }

  /** As scan's FileScanner decides: lex only a file that may name a legacy path or an unresolved module. */
  private analyze(path: string, data: Buffer): FileResult {
    this.analyzed++;
    const index = this.index!;
    const notes = new Map<string, string>();
    index.notes = notes;
    try {
      this.prefilter.load(data);
      const skip = !this.prefilter.mustLex(index, path);
      const findings = skip ? [] : analyzeFile(path, this.prefilter.text(), { table: this.table, index });
      const kept = findings
        .filter((f) => f.kind !== 'unresolved' || f.legacy === null || !this.generated(f.legacy))
        .map((f) => (!f.suppressed && this.ignored(path, f.code) ? { ...f, suppressed: true } : f));
      return fileResult(kept, index, path, notes);
    } finally {
      index.notes = null;
    }
  }

  private add(t: Tracked, sign: 1 | -1): void {
    const r = t.result;
    for (const k of Object.keys(r.byKind) as FindingKind[]) this.kinds[k] += sign * r.byKind[k];
    this.suppressed += sign * r.suppressed;
    const v = r.byKind['legacy-import'] + r.byKind.unresolved + (this.strings ? r.byKind['string-reference'] : 0);
    if (v !== 0) this.areas.set(t.area.name, (this.areas.get(t.area.name) ?? 0) + sign * v);
    for (const [m, n] of r.moves) this.moves.set(m, (this.moves.get(m) ?? 0) + sign * n);
    if (this.strings) for (const [m, n] of r.stringMoves) this.moves.set(m, (this.moves.get(m) ?? 0) + sign * n);
  }

  get files(): number {
    return this.tracked.size;
  }

  totals(): Omit<HistoryPoint, 'commit' | 'date' | 'author' | 'subject'> {
    const byArea: Record<string, number> = {};
    const byPriority = Object.fromEntries(PRIORITIES.map((p) => [p, 0])) as Record<Priority, number>;
    const areas = [...this.config.areas.map((a) => ({ name: a.name, priority: a.priority })), { name: OTHER_AREA, priority: 'low' as Priority }];
    for (const a of areas) {
      const n = this.areas.get(a.name) ?? 0;
      byArea[a.name] = n;
      byPriority[a.priority] += n;
    }
    const byMove: Record<string, number> = {};
    for (const m of this.config.moves) byMove[m.id] = this.moves.get(m.id) ?? 0;
    const byKind = { ...this.kinds };
    const violations = byKind['legacy-import'] + byKind.unresolved + (this.strings ? byKind['string-reference'] : 0);
    return { files: this.tracked.size, violations, byKind, suppressed: this.suppressed, byArea, byPriority, byMove };
  }
}
