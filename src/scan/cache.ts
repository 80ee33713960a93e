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
import { CANON_DIR, confinedPath, OutsideRootError } from '../fs/confine.js';

export const CACHE_DIR = '.canon/cache';

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
const CACHE_FILE = 'scan-v1.json';
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

type Row = [size: number, mtimeMs: number, ctimeMs: number, ino: number, bytes: number, lexed: 0 | 1, findings: RawFinding[]];

interface CacheFile {
  key: string;
  files: Record<string, Row>;
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

export class ScanCache {
  private dirty = false;

  private constructor(
    private readonly dir: string | null,
    private readonly key: string,
    private readonly rows: Map<string, Row>,
  ) {}

  /** The cache of the project at `root` for `key`; empty when there is none, or it is unreadable or for another key. */
  static load(root: string, key: string): ScanCache {
    const dir = cacheDir(root);
    const rows = new Map<string, Row>();
    if (dir === null) return new ScanCache(dir, key, rows);
    try {
      const data = JSON.parse(readFileSync(join(dir, CACHE_FILE), 'utf8')) as CacheFile;
      if (data && data.key === key && data.files && typeof data.files === 'object') {
        for (const [file, row] of Object.entries(data.files)) if (Array.isArray(row) && row.length === 7) rows.set(file, row);
      }
    } catch {
      // no cache yet, or not one canon can use: scan everything
    }
    return new ScanCache(dir, key, rows);
  }

  get size(): number {
    return this.rows.size;
  }

  has(file: string): boolean {
    return this.rows.has(file);
  }

  /** The outcome recorded for `file` when `abs` still has the stamp it had then; null otherwise. */
  lookup(file: string, abs: string): CachedOutcome | null {
    const row = this.rows.get(file);
    if (!row) return null;
    let st;
    try {
      st = statSync(abs);
    } catch {
      return null;
    }
    if (st.size !== row[0] || st.mtimeMs !== row[1] || st.ctimeMs !== row[2] || st.ino !== row[3]) return null;
    return { bytes: row[4], lexed: row[5] === 1, findings: row[6] };
  }

  /** Record a file just scanned (unless it changed too recently to be trusted later). */
  record(file: string, stamp: FileStamp, outcome: CachedOutcome, now: number = Date.now()): void {
    if (isRacy(stamp, now)) {
      if (this.rows.delete(file)) this.dirty = true;
      return;
    }
    this.rows.set(file, [stamp.size, stamp.mtimeMs, stamp.ctimeMs, stamp.ino, outcome.bytes, outcome.lexed ? 1 : 0, outcome.findings]);
    this.dirty = true;
  }

  /** Forget files that are no longer part of the project. */
  keepOnly(files: ReadonlySet<string>): void {
    for (const f of this.rows.keys()) {
      if (!files.has(f)) {
        this.rows.delete(f);
        this.dirty = true;
      }
    }
  }

  /** Write the cache if it changed; a cache that cannot be written is not an error (the next run scans again). */
  save(): void {
    if (!this.dirty || this.dir === null) return;
    const data: CacheFile = { key: this.key, files: Object.fromEntries(this.rows) };
    if (writeCacheFile(this.dir, CACHE_FILE, data)) this.dirty = false;
  }
}

/** A file under `.canon/cache/` (`dir`), written atomically; false when it cannot be (read-only tree, full disk). */
export function writeCacheFile(dir: string, name: string, data: unknown): boolean {
  try {
    mkdirSync(dir, { recursive: true });
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
