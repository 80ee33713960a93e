// migrate's journal under `.canon/migrate/`: one JSON record per run, and `active.json` naming the
// files of the batch in flight with a copy of their bytes. Every write is durable (temporary file,
// fsync, rename, fsync of the folder), and active.json is complete before any project file is
// touched, so after any crash the project can be put back exactly.
//
//   runs/<run id>.json        RunRecord (see types.ts)
//   active.json               ActiveRecord, present only while a batch's files differ from its backups
//   backup/<attempt>/<i>      the bytes of file i of the attempt, before it was rewritten
//   logs/<run id>/<n>.log     the output of each validation run
//   lock                      the pid of the canon migrate holding the journal

import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { writeFileAtomic } from '../fs/atomic.js';
import type { ActiveRecord, RunRecord } from './types.js';

export const CANON_DIR = '.canon';
export const JOURNAL_DIR = '.canon/migrate';

export function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function writeDurable(path: string, data: Buffer | string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileAtomic(path, typeof data === 'string' ? Buffer.from(data) : data);
  fsyncDir(dirname(path));
}

export class LockedError extends Error {}

export class Journal {
  readonly dir: string;

  constructor(readonly root: string) {
    this.dir = join(root, JOURNAL_DIR);
  }

  private path(...parts: string[]): string {
    return join(this.dir, ...parts);
  }

  /** Take the journal for this process; throws LockedError when a live canon holds it. */
  lock(): void {
    mkdirSync(this.dir, { recursive: true });
    const file = this.path('lock');
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        writeFileSync(file, String(process.pid), { flag: 'wx' });
        return;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      const pid = Number(readFileSync(file, 'utf8').trim());
      if (pid > 0 && pid !== process.pid && alive(pid)) throw new LockedError(`another canon migrate (pid ${pid}) is running in this project`);
      // Left by a canon that died: take it over.
      unlinkSync(file);
    }
    throw new LockedError('cannot take .canon/migrate/lock');
  }

  unlock(): void {
    rmSync(this.path('lock'), { force: true });
  }

  runs(): RunRecord[] {
    const dir = this.path('runs');
    if (!existsSync(dir)) return [];
    return readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as RunRecord);
  }

  saveRun(run: RunRecord): void {
    writeDurable(this.path('runs', `${run.id}.json`), JSON.stringify(run, null, 2) + '\n');
  }

  logFile(runId: string, seq: number, kind: string): { abs: string; rel: string } {
    const rel = `${JOURNAL_DIR}/logs/${runId}/${String(seq).padStart(3, '0')}-${kind}.log`;
    return { abs: join(this.root, rel), rel };
  }

  active(): ActiveRecord | null {
    const file = this.path('active.json');
    if (!existsSync(file)) return null;
    return JSON.parse(readFileSync(file, 'utf8')) as ActiveRecord;
  }

  /**
   * Record an attempt before touching its files: the backups first, each fsync'd, then active.json.
   * `before[i]` are the current bytes of `rec.files[i]`.
   */
  begin(rec: Omit<ActiveRecord, 'files'> & { files: Omit<ActiveRecord['files'][number], 'backup'>[] }, before: Buffer[]): ActiveRecord {
    const dir = this.path('backup', rec.key.replace(/[^A-Za-z0-9._-]/g, '_'));
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const files = rec.files.map((f, i) => {
      const backup = join(dir, String(i));
      writeDurable(backup, before[i]);
      return { ...f, backup: `${JOURNAL_DIR}/backup/${basename(dir)}/${i}` };
    });
    const active: ActiveRecord = { ...rec, files };
    writeDurable(this.path('active.json'), JSON.stringify(active, null, 2) + '\n');
    return active;
  }

  setPhase(active: ActiveRecord, phase: ActiveRecord['phase']): void {
    active.phase = phase;
    writeDurable(this.path('active.json'), JSON.stringify(active, null, 2) + '\n');
  }

  /** The attempt is settled (kept or restored): forget it. */
  finish(active: ActiveRecord): void {
    rmSync(this.path('active.json'), { force: true });
    fsyncDir(this.dir);
    const first = active.files[0];
    if (first) rmSync(join(this.root, dirname(first.backup)), { recursive: true, force: true });
  }

  /**
   * Put every file of the attempt back to its recorded bytes and remove temporary files a killed
   * write may have left beside them. Returns the files whose bytes had to change.
   */
  restore(active: ActiveRecord): string[] {
    const changed: string[] = [];
    for (const f of active.files) {
      const abs = join(this.root, f.file);
      const backup = readFileSync(join(this.root, f.backup));
      if (sha256(backup) !== f.before) throw new Error(`journal backup ${f.backup} of ${f.file} is damaged; the file was left as it is`);
      let current: Buffer | null = null;
      try {
        current = readFileSync(abs);
      } catch {
        // Missing: written back below.
      }
      if (current === null || sha256(current) !== f.before) {
        writeFileAtomic(abs, backup);
        changed.push(f.file);
      }
      removeTemporaries(abs, active.pid);
    }
    return changed;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** writeFileAtomic's `.<name>.canon-<pid>-<n>.tmp`, left behind when the process died mid-write. */
function removeTemporaries(abs: string, pid: number): void {
  const prefix = `.${basename(abs)}.canon-${pid}-`;
  let names: string[] = [];
  try {
    names = readdirSync(dirname(abs));
  } catch {
    return;
  }
  for (const n of names) if (n.startsWith(prefix) && n.endsWith('.tmp')) rmSync(join(dirname(abs), n), { force: true });
}
