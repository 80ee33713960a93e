// migrate's journal under `.canon/migrate/`: one JSON record per run, and `active.json` naming the
// files of the attempt in flight (a batch or a bisect half) with a copy of their bytes. Every write
// is durable (temporary file, fsync, rename, fsync of the folder), and active.json is complete
// before any project file is touched, so after any crash the attempt can be settled exactly.
//
//   runs/<run id>.json        RunRecord (see types.ts)
//   active.json               ActiveRecord, present only while an attempt is unsettled
//   backup/<attempt>/<i>      the bytes of file i of the attempt, before it was rewritten
//   conflicts/<attempt>/      files that changed under canon: before/<file> and yours/<file>
//   logs/<run id>/<n>.log     the output of each validation run
//
// An attempt is a small state machine; `phase` in active.json says where it is, and what the
// next start does with it if canon stops there (see Migration.settle in run.ts):
//
//   writing     backups durable; files being rewritten       -> restore
//   validating  every file rewritten; the command runs        -> restore
//   committing  validation passed; git add/commit under way   -> the commit landed (its trailer is
//                                                                 in history)? keep : unstage, restore
//   committed   the commit landed (its sha recorded)          -> keep: never restored
//   keeping     validation passed, --no-commit               -> keep
//
// "restore" puts back only canon's own bytes: a file that holds neither its bytes before the batch
// nor canon's rewrite was changed by someone else, and is left alone (a Conflict).

import { createHash } from 'node:crypto';
import { join, dirname } from 'node:path';
import { machineFault } from '../core/errors.js';
import { faultPoint } from '../core/fault.js';
import { writeFileAtomic, writeFileChecked } from '../fs/atomic.js';
import { io } from '../fs/io.js';
import { readStamped, replaceChecked, type ReplaceOutcome } from '../fs/replace.js';
import { scratchDir, tempFor } from '../fs/temp.js';
import type { Conflict } from './conflict.js';
import type { ActiveRecord, RunRecord } from './types.js';
import { makeDirs } from '../fs/confine.js';

export const CANON_DIR = '.canon';
export const JOURNAL_DIR = '.canon/migrate';

export function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function fsyncDir(dir: string): void {
  const fs = io();
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

const safeKey = (key: string): string => key.replace(/[^A-Za-z0-9._-]/g, '_');

export interface RestoreResult {
  /** Files put back to their bytes before the attempt. */
  restored: string[];
  /** Files that changed under canon, left as they are. */
  conflicts: Conflict[];
}

export class Journal {
  readonly dir: string;
  private scratchPath: string | null = null;

  constructor(readonly root: string) {
    this.dir = join(root, JOURNAL_DIR);
  }

  private path(...parts: string[]): string {
    return join(this.dir, ...parts);
  }

  private get scratch(): string {
    this.scratchPath ??= scratchDir(this.root);
    return this.scratchPath;
  }

  private writeDurable(path: string, data: Buffer | string, point: string): void {
    faultPoint(`journal.${point}.before`);
    try {
      makeDirs(dirname(path));
      writeFileAtomic(path, typeof data === 'string' ? Buffer.from(data) : data, this.scratch);
      fsyncDir(dirname(path));
    } catch (e) {
      throw machineFault(e, `cannot write the migrate journal (${path})`, [`${path} is as it was`]);
    }
    faultPoint(`journal.${point}.after`);
  }

  runs(): RunRecord[] {
    const fs = io();
    const dir = this.path('runs');
    let names: string[];
    try {
      names = fs.readdirSync(dir);
    } catch {
      return [];
    }
    return names
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => JSON.parse(fs.readFileSync(join(dir, f), 'utf8')) as RunRecord);
  }

  saveRun(run: RunRecord): void {
    this.writeDurable(this.path('runs', `${run.id}.json`), JSON.stringify(run, null, 2) + '\n', 'run');
  }

  logFile(runId: string, seq: number, kind: string): { abs: string; rel: string } {
    const rel = `${JOURNAL_DIR}/logs/${runId}/${String(seq).padStart(3, '0')}-${kind}.log`;
    return { abs: join(this.root, rel), rel };
  }

  active(): ActiveRecord | null {
    let text: string;
    try {
      text = io().readFileSync(this.path('active.json'), 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
    return JSON.parse(text) as ActiveRecord;
  }

  /**
   * Record an attempt before touching its files: the backups first, each durable, then active.json.
   * `before[i]` are the current bytes of `rec.files[i]`.
   */
  begin(rec: Omit<ActiveRecord, 'files'> & { files: Omit<ActiveRecord['files'][number], 'backup'>[] }, before: Buffer[]): ActiveRecord {
    const fs = io();
    const dir = this.path('backup', safeKey(rec.key));
    guard('cannot clear an old backup of the migrate journal', () => fs.rmSync(dir, { recursive: true, force: true }));
    const files = rec.files.map((f, i) => {
      this.writeDurable(join(dir, String(i)), before[i], 'backup');
      return { ...f, backup: `${JOURNAL_DIR}/backup/${safeKey(rec.key)}/${i}` };
    });
    const active: ActiveRecord = { ...rec, files };
    this.writeDurable(this.path('active.json'), JSON.stringify(active, null, 2) + '\n', 'active');
    return active;
  }

  /** Move the attempt to its next phase (`commit`: the sha, with `committed`). */
  setPhase(active: ActiveRecord, phase: ActiveRecord['phase'], commit?: string): void {
    const next: ActiveRecord = { ...active, phase, ...(commit !== undefined ? { commit } : {}) };
    this.writeDurable(this.path('active.json'), JSON.stringify(next, null, 2) + '\n', `phase.${phase}`);
    active.phase = phase;
    if (commit !== undefined) active.commit = commit;
  }

  /** The attempt is settled (kept or restored): forget it. */
  finish(active: ActiveRecord): void {
    const fs = io();
    faultPoint('journal.finish.before');
    guard('cannot update the migrate journal (.canon/migrate/active.json)', () => {
      fs.rmSync(this.path('active.json'), { force: true });
      fsyncDir(this.dir);
    });
    faultPoint('journal.finish.after');
    // Left over, a backup is removed at the next start.
    guard('cannot remove a backup of the migrate journal', () => fs.rmSync(this.path('backup', safeKey(active.key)), { recursive: true, force: true }));
  }

  /** Backups no attempt in flight refers to (a crash between finish's two steps, or before active.json). */
  removeOrphanBackups(): void {
    const fs = io();
    const active = this.active();
    let names: string[];
    try {
      names = fs.readdirSync(this.path('backup'));
    } catch {
      return;
    }
    for (const n of names) if (!active || n !== safeKey(active.key)) fs.rmSync(this.path('backup', n), { recursive: true, force: true });
  }

  /**
   * Put every file of the attempt that holds canon's rewrite back to its bytes before the attempt.
   * A file that holds neither (someone else changed it) is left alone and kept, with its bytes
   * before the attempt, under conflicts/.
   */
  restore(active: ActiveRecord): RestoreResult {
    const out: RestoreResult = { restored: [], conflicts: [] };
    for (const f of active.files) {
      const abs = join(this.root, f.file);
      const now = readStamped(abs);
      const hash = now === null ? null : sha256(now.bytes);
      if (hash === f.before) continue; // never rewritten, or already put back
      const backupPath = join(this.root, f.backup);
      if (hash !== f.after) {
        out.conflicts.push(this.keepConflict(active, f.file, backupPath, f.before, now?.bytes ?? null));
        continue;
      }
      const backup = io().readFileSync(backupPath);
      if (sha256(backup) !== f.before) throw new Error(`journal backup ${f.backup} of ${f.file} is damaged; the file was left as it is`);
      faultPoint('journal.restore.before');
      const r = guard(`cannot put ${f.file} back`, () => putBack(backupPath, abs, now!.bytes, backup, this.scratch), [
        `${f.file} is as canon rewrote it; the journal still holds its bytes before, and the next canon migrate puts it back`,
      ]);
      if (r === 'changed') {
        out.conflicts.push(this.keepConflict(active, f.file, backupPath, f.before, readStamped(abs)?.bytes ?? null));
        continue;
      }
      guard(`cannot put ${f.file} back`, () => fsyncDir(dirname(abs)));
      faultPoint('journal.restore.after');
      out.restored.push(f.file);
    }
    return out;
  }

  /** Keep a changed file's two versions under conflicts/<attempt>/: before/<file> and yours/<file>. */
  private keepConflict(active: ActiveRecord, file: string, backupPath: string, beforeHash: string, yours: Buffer | null): Conflict {
    const fs = io();
    const base = `${JOURNAL_DIR}/conflicts/${safeKey(active.key)}`;
    const conflict: Conflict = { file, before: null, yours: null, deleted: yours === null };
    try {
      const backup = fs.readFileSync(backupPath);
      if (sha256(backup) === beforeHash) {
        const rel = `${base}/before/${file}`;
        const abs = join(this.root, rel);
        makeDirs(dirname(abs));
        fs.rmSync(abs, { force: true });
        // A second name for the backup (which finish removes) needs no space; a copy if links fail.
        try {
          fs.linkSync(backupPath, abs);
        } catch {
          writeFileAtomic(abs, backup, this.scratch);
        }
        conflict.before = rel;
      }
    } catch {
      // A full disk: the file itself is untouched; the message says what could not be kept.
    }
    if (yours !== null) {
      try {
        const rel = `${base}/yours/${file}`;
        makeDirs(dirname(join(this.root, rel)));
        writeFileAtomic(join(this.root, rel), yours, this.scratch);
        conflict.yours = rel;
      } catch {
        // as above
      }
    }
    return conflict;
  }
}

/** Run `fn`; a system error comes out as a MachineFault saying what canon was doing. */
function guard<T>(doing: string, fn: () => T, state: string[] = []): T {
  try {
    return fn();
  } catch (e) {
    throw machineFault(e, doing, state);
  }
}

/**
 * Put the backup back over `target` while it holds canon's rewrite (`rewrite`): by a hard link to
 * the backup when the file system allows (no new space needed, so it works on a full disk), else
 * by a copy.
 */
function putBack(backupPath: string, target: string, rewrite: Buffer, backup: Buffer, scratch: string): ReplaceOutcome {
  const fs = io();
  const link = tempFor(target, scratch);
  try {
    fs.linkSync(backupPath, link);
  } catch {
    return writeFileChecked(target, backup, rewrite, scratch);
  }
  return replaceChecked(link, target, rewrite, backup, scratch);
}
