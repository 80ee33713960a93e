// The scan cache: what a file held the last time canon scanned it, reused while the file is
// provably the same. A file's entry counts only when its size, modification and change times and
// inode are all those recorded, and when it was recorded under the same key: the same canon build,
// the same moves and import roots, and the same project file list (which decides the module index,
// and so every unresolved import and relative import). Files changed within two seconds of being
// scanned are not recorded at all, since a second change within the file system's timestamp
// granularity could otherwise hide. Anything unreadable or out of date is simply scanned again.
//
// The cache lives in `.canon/cache/` under the project root, with a `.gitignore` of its own.

import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Move } from '../config/types.js';
import type { RawFinding } from '../core/finding.js';
import { CANON_DIR, confinedPath, makeDirs, OutsideRootError } from '../fs/confine.js';

import { CACHE_DIR, SCAN_CACHE_FILE as CACHE_FILE } from './cachePath.js';

export { CACHE_DIR };

/**
 * The cache folder of the project at `root`, or null when `.canon` (or the cache folder) is a
 * symbolic link: then there is no cache, neither read nor written, so nothing lands elsewhere.
 */
export function cacheDir(root: string): string | null {
  try {
    return confinedPath(root, CACHE_DIR, { key: '', under: CANON_DIR });
  } catch (e) {
    if (e instanceof OutsideRootError) return null;
    throw e;
  }
}
const RACY_MS = 2000;

/** How a file looked when it was scanned. */
export interface FileStamp {
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
}

export interface CachedOutcome {
  bytes: number;
  lexed: boolean;
  findings: RawFinding[];
}

/** Numbers per file in `stamps`: size, mtimeMs, ctimeMs, inode, bytes, lexed (0/1). */
const W = 6;

/**
 * On disk, one array of names and one flat array of numbers (W a file), with the findings of the
 * few files that have some by position: JSON.parse makes two arrays, not an object per file,
 * which is most of what a warm scan of a large project would otherwise spend before its stats.
 */
interface CacheFile {
  key: string;
  files: string[];
  stamps: number[];
  findings: Record<string, RawFinding[]>;
}

/** The key entries are valid under. `build` identifies canon's code (see bundle.ts). */
export function scanCacheKey(build: string, moves: readonly Move[], src: readonly string[], projectFiles: readonly string[]): string {
  const h = createHash('sha256');
  h.update(JSON.stringify({ build, moves: moves.map((m) => [m.kind, m.fromModule, m.id, JSON.stringify(m)]), src }));
  h.update('\0');
  h.update(projectFiles.join('\n'));
  return h.digest('hex');
}

export function stampOf(st: { size: number; mtimeMs: number; ctimeMs: number; ino: number }): FileStamp {
  return { size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs, ino: st.ino };
}

const NONE: RawFinding[] = Object.freeze([]) as unknown as RawFinding[];

export class ScanCache {
  private dirty = false;
  /** file -> its position in `names` / `stamps` (a removed file keeps its slot, marked by a NaN size). */
  private readonly at = new Map<string, number>();
  private live = 0;

  private constructor(
    private readonly dir: string | null,
    private readonly key: string,
    private names: string[],
    private stamps: number[],
    private findings: Map<number, RawFinding[]>,
  ) {
    for (let i = 0; i < names.length; i++) this.at.set(names[i]!, i);
    this.live = names.length;
  }

  /** The cache of the project at `root` for `key`; empty when there is none, or it is unreadable or for another key. */
  static load(root: string, key: string): ScanCache {
    const dir = cacheDir(root);
    if (dir === null) return new ScanCache(dir, key, [], [], new Map());
    try {
      const data = JSON.parse(readFileSync(join(dir, CACHE_FILE), 'utf8')) as CacheFile;
      if (data && data.key === key && Array.isArray(data.files) && Array.isArray(data.stamps) && data.stamps.length === W * data.files.length &&
        data.findings && typeof data.findings === 'object') {
        const findings = new Map<number, RawFinding[]>();
        for (const [k, v] of Object.entries(data.findings)) if (Array.isArray(v)) findings.set(Number(k), v);
        return new ScanCache(dir, key, data.files, data.stamps, findings);
      }
    } catch {
      // no cache yet, or not one canon can use: scan everything
    }
    return new ScanCache(dir, key, [], [], new Map());
  }

  get size(): number {
    return this.live;
  }

  has(file: string): boolean {
    return this.at.has(file);
  }

  /** The outcome recorded for `file` when `abs` still has the stamp it had then; null otherwise. */
  lookup(file: string, abs: string): CachedOutcome | null {
    const i = this.at.get(file);
    if (i === undefined) return null;
    const st = statSync(abs, { throwIfNoEntry: false });
    const o = W * i;
    const s = this.stamps;
    if (st === undefined || st.size !== s[o] || st.mtimeMs !== s[o + 1] || st.ctimeMs !== s[o + 2] || st.ino !== s[o + 3]) return null;
    return { bytes: s[o + 4]!, lexed: s[o + 5] === 1, findings: this.findings.get(i) ?? NONE };
  }

  /** Record a file just scanned (unless it changed too recently to be trusted later). */
  record(file: string, stamp: FileStamp, outcome: CachedOutcome, now: number = Date.now()): void {
    if (isRacy(stamp, now)) {
      if (this.at.has(file)) this.forget(file);
      return;
    }
    let i = this.at.get(file);
    if (i === undefined) {
      i = this.names.length;
      this.names.push(file);
      for (let k = 0; k < W; k++) this.stamps.push(0);
      this.at.set(file, i);
      this.live++;
    }
    const o = W * i;
    const s = this.stamps;
    s[o] = stamp.size;
    s[o + 1] = stamp.mtimeMs;
    s[o + 2] = stamp.ctimeMs;
    s[o + 3] = stamp.ino;
    s[o + 4] = outcome.bytes;
    s[o + 5] = outcome.lexed ? 1 : 0;
    if (outcome.findings.length > 0) this.findings.set(i, outcome.findings);
    else this.findings.delete(i);
    this.dirty = true;
  }

  private forget(file: string): void {
    const i = this.at.get(file)!;
    this.at.delete(file);
    this.findings.delete(i);
    this.live--;
    this.dirty = true;
  }

  /** Write the cache if it changed; a cache that cannot be written is not an error (the next run scans again). */
  save(): void {
    if (!this.dirty || this.dir === null) return;
    // Written compact: the files still known, in their order.
    const files: string[] = [];
    const stamps: number[] = [];
    const findings: Record<string, RawFinding[]> = {};
    for (let i = 0; i < this.names.length; i++) {
      const name = this.names[i]!;
      if (this.at.get(name) !== i) continue;
      const f = this.findings.get(i);
      if (f !== undefined) findings[files.length] = f;
      files.push(name);
      for (let k = 0; k < W; k++) stamps.push(this.stamps[W * i + k]!);
    }
    const data: CacheFile = { key: this.key, files, stamps, findings };
    if (writeCacheFile(this.dir, CACHE_FILE, data)) this.dirty = false;
  }
}

/** A file under `.canon/cache/` (`dir`), written atomically; false when it cannot be (read-only tree, full disk). */
export function writeCacheFile(dir: string, name: string, data: unknown): boolean {
  try {
    makeDirs(dir);
    writeFileSync(join(dir, '.gitignore'), '# canon caches: safe to delete\n*\n');
    const tmp = join(dir, `.${name}.${process.pid}.tmp`);
    writeFileSync(tmp, JSON.stringify(data));
    renameSync(tmp, join(dir, name));
    return true;
  } catch {
    return false;
  }
}

/** True when a stamp is too recent to be trusted later (a change within the timestamps' granularity could hide). */
export function isRacy(stamp: FileStamp, now: number): boolean {
  return stamp.mtimeMs > now - RACY_MS || stamp.ctimeMs > now - RACY_MS;
}
