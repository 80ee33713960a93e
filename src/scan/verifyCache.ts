// Verify's verdicts kept between runs (`.canon/cache/verify-v1.json`), for the runs where verifying
// costs more than the scan itself: a pre-commit `check` reads three files, while verify loads the
// full parser and parses the moves' modules. The verdicts are reused only when nothing they stand
// on has changed: the same canon build, moves and import roots; every file verify read with the
// stamp it had (size, times, inode; a file it found missing still missing); and every question it
// asked the module index answered the same. Files changed within two seconds are not trusted.

import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config/types.js';
import { verifyMoves, type MoveVerdict } from '../core/verify.js';
import { describeEntry, ModuleIndex, type ModuleEntry, type ModuleIndexData } from '../python/moduleIndex.js';
import { Resolver, type SourceHost } from '../python/resolve.js';
import { cacheDir, isRacy, stampOf, writeCacheFile, type FileStamp } from './cache.js';

const CACHE_FILE = 'verify-v1.json';

type Stamp = [size: number, mtimeMs: number, ctimeMs: number, ino: number] | null;

interface CacheFile {
  key: string;
  /** Files read: root-relative path and stamp (null: it could not be read). */
  files: [string, Stamp][];
  /** Index questions: `get <name>`, `project <name>` or `tops`, and the answer as a string. */
  asked: [string, string][];
  /** The verdicts in the order of the moves, without the move itself. */
  verdicts: Omit<MoveVerdict, 'move'>[];
}

/** verifyMoves(config.moves) through the cache; `build` identifies canon's code (see bundle.ts). */
export function verifyCached(config: Config, index: ModuleIndex, host: SourceHost, build: string): MoveVerdict[] {
  const dir = cacheDir(config.root);
  const key = createHash('sha256').update(JSON.stringify({ build, moves: config.moves, src: config.src })).digest('hex');
  const cached = dir === null ? null : load(dir, key);
  if (cached !== null && stillHolds(cached, config.root, index)) {
    return cached.verdicts.map((v, i) => ({ move: config.moves[i]!, ...v }));
  }
  const asked = new AskedIndex(index);
  const files = new Map<string, Stamp>();
  const recording: SourceHost = {
    read(file: string): string | null {
      if (!files.has(file)) files.set(file, stampAt(join(config.root, file)));
      return host.read(file);
    },
  };
  const verdicts = verifyMoves(config.moves, new Resolver(asked, recording));
  const now = Date.now();
  const trusted = [...files.values()].every((s) => s === null || !isRacy({ size: s[0], mtimeMs: s[1], ctimeMs: s[2], ino: s[3] }, now));
  if (trusted && dir !== null) {
    const data: CacheFile = { key, files: [...files], asked: [...asked.answers], verdicts: verdicts.map(({ move: _, ...rest }) => rest) };
    writeCacheFile(dir, CACHE_FILE, data);
  }
  return verdicts;
}

function load(dir: string, key: string): CacheFile | null {
  try {
    const data = JSON.parse(readFileSync(join(dir, CACHE_FILE), 'utf8')) as CacheFile;
    return data && data.key === key && Array.isArray(data.files) && Array.isArray(data.asked) && Array.isArray(data.verdicts) ? data : null;
  } catch {
    return null;
  }
}

function stillHolds(c: CacheFile, root: string, index: ModuleIndex): boolean {
  for (const [file, stamp] of c.files) {
    if (JSON.stringify(stampAt(join(root, file))) !== JSON.stringify(stamp)) return false;
  }
  for (const [question, answer] of c.asked) {
    if (ask(index, question) !== answer) return false;
  }
  return true;
}

function stampAt(path: string): Stamp {
  const st = statSync(path, { throwIfNoEntry: false });
  if (st === undefined || !st.isFile()) return null;
  const s: FileStamp = stampOf(st);
  return [s.size, s.mtimeMs, s.ctimeMs, s.ino];
}

function ask(index: ModuleIndex, question: string): string {
  if (question === 'tops') return [...index.topLevels].sort().join(' ');
  const name = question.slice(question.indexOf(' ') + 1);
  return question.startsWith('get ') ? describeEntry(index.get(name)) : String(index.isProjectModule(name));
}


/** A module index that answers as `inner` does and notes each question with its answer. */
class AskedIndex extends ModuleIndex {
  readonly answers = new Map<string, string>();

  constructor(private readonly inner: ModuleIndex) {
    super({ modules: [] });
  }

  override get(name: string): ModuleEntry | undefined {
    const e = this.inner.get(name);
    this.answers.set(`get ${name}`, describeEntry(e));
    return e;
  }

  override has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  override isProjectModule(name: string): boolean {
    const p = this.inner.isProjectModule(name);
    this.answers.set(`project ${name}`, String(p));
    return p;
  }

  override ofFile(file: string): ModuleEntry | undefined {
    const e = this.inner.ofFile(file);
    if (e !== undefined) this.get(e.name);
    return e;
  }

  override get topLevels(): ReadonlySet<string> {
    const tops = this.inner.topLevels;
    this.answers.set('tops', [...tops].sort().join(' '));
    return tops;
  }

  override toData(): ModuleIndexData {
    const data = this.inner.toData();
    for (const m of data.modules) this.get(m.name);
    return data;
  }
}
