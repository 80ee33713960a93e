// A full disk: canon's writes go through one narrow layer (src/fs/io.ts), and these tests put a
// layer in front of it that fails the N-th write call (a write, fsync, rename, link, mkdir, or an
// open that creates) with ENOSPC, and every one after it, swept over N, for fix, shim, migrate and
// the journal. Each time: a MachineFault (exit 2 at the CLI, no stack trace), every file whole (its
// old bytes or its new ones), nothing committed reverted, no temporary file left; and the next run,
// with space again, finishes the job.

import { cpSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { fixCommand } from '../../src/commands/fix.js';
import { loadProjectConfig } from '../../src/commands/context.js';
import { migrateCommand } from '../../src/commands/migrate.js';
import { shimCommand } from '../../src/commands/shim.js';
import { MachineFault, UsageError } from '../../src/core/errors.js';
import { failingWrites } from '../../src/core/fault.js';
import { writeFileChecked } from '../../src/fs/atomic.js';
import { planFix } from '../../src/fix/plan.js';
import { writeFixPlan } from '../../src/fix/write.js';
import { realFileSystem, useFileSystem } from '../../src/fs/io.js';
import { scratchDir, SCRATCH_DIR } from '../../src/fs/temp.js';
import { Journal, sha256 } from '../../src/migrate/journal.js';
import { lockProject } from '../../src/project/lock.js';
import { planShims } from '../../src/shim/plan.js';
import { writeShims } from '../../src/shim/write.js';
import { copyExample, git, makeProject, runCli } from '../helpers/project.js';
import { collect, CONSUMERS, FILES, fixer, fixtureRepo, UNITTEST } from '../migrate/fixture.js';
import { checkMigrated, rewrite, VALIDATE } from './migrateState.js';
import { FULL, ONLY, removeTree, report } from './sweep.js';

let restoreFs: (() => void) | null = null;
afterEach(() => {
  restoreFs?.();
  restoreFs = null;
});

/** Run `fn` with the N-th write call (and all after it) failing; returns what it threw, and how many write calls it made. */
async function withFullDisk(n: number, fn: () => Promise<unknown> | unknown): Promise<{ fault: unknown; calls: number }> {
  const layer = failingWrites(realFileSystem, n);
  restoreFs = useFileSystem(layer);
  let fault: unknown = null;
  try {
    await fn();
  } catch (e) {
    fault = e;
  } finally {
    restoreFs();
    restoreFs = null;
  }
  return { fault, calls: layer.calls };
}

const copy = (dir: string): string => {
  const d = mkdtempSync(join(tmpdir(), 'canon-disk-'));
  cpSync(dir, d, { recursive: true });
  return d;
};
const scratchLeft = (dir: string): string[] => {
  try {
    return readdirSync(join(dir, SCRATCH_DIR)).filter((n) => n !== '.gitignore');
  } catch {
    return [];
  }
};
/** Which N to sweep: every one with FULL, else every one up to `first` and then every `stride`-th. */
const sweepN = (n: number, stride: number, first = 12): boolean => (ONLY ? ONLY.includes(n) : FULL || n <= first || n % stride === 0);

function expectFault(fault: unknown, label: string): void {
  expect(fault, label).toBeInstanceOf(MachineFault);
  const f = fault as MachineFault;
  expect(f.code, label).toBe('ENOSPC');
  expect(f.message, label).toMatch(/: no space left on the device \(ENOSPC\)$/);
  expect(f.details.at(-1), label).toBe('free some space and run the command again');
}

describe('a full disk', () => {
  test('fix: at every write call, the files whole and a MachineFault; the next run finishes', async () => {
    const t0 = performance.now();
    const base = copyExample();
    const plan = await planFix(loadProjectConfig({ cwd: base }), {});
    const targets = plan.files.filter((f) => !f.before.equals(f.after));
    expect(targets.length).toBe(9);
    let faults = 0;
    for (let n = 1; ; n++) {
      const dir = copy(base);
      // What `canon fix` does once it has planned: take the lock, write the plan, let the lock go.
      const { fault } = await withFullDisk(n, async () => {
        const lock = lockProject(dir, 'fix');
        try {
          await writeFixPlan(dir, { ...plan, files: [...plan.files], errors: [...plan.errors] });
        } finally {
          lock.release();
        }
      });
      const now = targets.map((f) => readFileSync(join(dir, f.file)));
      targets.forEach((f, i) => expect(now[i].equals(f.before) || now[i].equals(f.after), `N=${n}: ${f.file}`).toBe(true));
      expect(scratchLeft(dir), `N=${n}`).toEqual([]);
      if (fault === null) {
        targets.forEach((f, i) => expect(now[i].equals(f.after)).toBe(true));
        removeTree(dir);
        break;
      }
      faults++;
      expectFault(fault, `N=${n}`);
      if (sweepN(n, 5)) {
        const r = await fixCommand({ cwd: dir });
        expect(r.exitCode, `N=${n}`).toBe(1);
        targets.forEach((f) => expect(readFileSync(join(dir, f.file)).equals(f.after), `N=${n}: ${f.file} after the next run`).toBe(true));
      }
      removeTree(dir);
    }
    expect(faults).toBeGreaterThan(30);
    report(`fix on a full disk (9 files of the example; every N, the next run after ${FULL ? 'each' : 'some'})`, faults, t0, false);
  }, 600_000);

  test('shim: at every write call, each shim file whole; the next run finishes', async () => {
    const t0 = performance.now();
    const base = copyExample();
    const plan = await planShims(loadProjectConfig({ cwd: base }));
    const changing = plan.files.filter((f) => f.action !== 'unchanged');
    expect(changing.length).toBeGreaterThanOrEqual(4);
    const done = copy(base);
    await shimCommand({ cwd: done });
    let faults = 0;
    for (let n = 1; ; n++) {
      const dir = copy(base);
      const { fault } = await withFullDisk(n, () => writeShims(dir, plan));
      for (const f of changing) {
        let now: Buffer | null = null;
        try {
          now = readFileSync(join(dir, f.file));
        } catch {
          now = null;
        }
        const ok = (x: Buffer | null): boolean => (x === null ? now === null : now !== null && now.equals(x));
        expect(ok(f.before) || ok(f.after), `N=${n}: ${f.file}`).toBe(true);
      }
      expect(scratchLeft(dir), `N=${n}`).toEqual([]);
      if (fault === null) {
        removeTree(dir);
        break;
      }
      faults++;
      expectFault(fault, `N=${n}`);
      expect((fault as MachineFault).details.some((d) => /of \d+ shim files were written before the error|^no shim file was written$/.test(d))).toBe(true);
      if (sweepN(n, 3)) {
        await shimCommand({ cwd: dir });
        for (const f of changing) expect(readFileSync(join(dir, f.file)).equals(readFileSync(join(done, f.file))), `N=${n}: ${f.file}`).toBe(true);
      }
      removeTree(dir);
    }
    expect(faults).toBeGreaterThan(8);
    report(`shim on a full disk (${changing.length} shim files of the example; every N, the next run after ${FULL ? 'each' : 'some'})`, faults, t0, false);
  }, 600_000);

  test('migrate: at every write call, nothing committed reverted; --resume (with space) finishes as the journal says', async () => {
    const t0 = performance.now();
    const base = fixtureRepo({ 'canon.toml': FILES['canon.toml'].replace(UNITTEST, VALIDATE) });
    const migrate = (dir: string, resume: boolean) => migrateCommand({ cwd: dir, resume }, { fixer: fixer(dir), sink: collect(), signals: false });
    // How many write calls a whole run makes.
    const probe = copy(base);
    const { calls: total } = await withFullDisk(1e9, () => migrate(probe, false));
    removeTree(probe);
    expect(total).toBeGreaterThan(100);
    let faults = 0;
    const bad: string[] = [];
    for (let n = 1; n <= total; n++) {
      if (!sweepN(n, Math.ceil(total / 7), 3)) continue;
      const dir = copy(base);
      const { fault } = await withFullDisk(n, () => migrate(dir, false));
      faults++;
      // The report is written after the run and only warns when it cannot be: the run itself may have finished.
      if (fault !== null) {
        if (!(fault instanceof UsageError)) bad.push(`N=${n}: ${fault instanceof Error ? fault.stack : String(fault)}`);
        else if (fault instanceof MachineFault ? fault.code !== 'ENOSPC' : !/ENOSPC|no space/.test(fault.message)) bad.push(`N=${n}: ${fault.message}`);
      }
      for (const f of CONSUMERS) {
        const tree = readFileSync(join(dir, f), 'utf8');
        // This run's fixer is the fixture's text replacement (test/migrate/fixture.ts), which
        // writes e.py's alias form as it is (`import pkg.new as legacy`) while bisect tries it.
        if (tree !== FILES[f] && tree !== rewrite(f) && tree !== FILES[f].replace('pkg.old', 'pkg.new')) bad.push(`N=${n}: ${f} is neither`);
        if (git(dir, 'show', `HEAD:${f}`) === rewrite(f) && tree !== rewrite(f)) bad.push(`N=${n}: committed ${f} reverted`);
      }
      // With space again: resume, or start anew when the fault came before any run was recorded.
      let r = await migrate(dir, true).catch((e: unknown) => e);
      if (r instanceof UsageError && r.message.startsWith('nothing to resume')) r = await migrate(dir, false).catch((e: unknown) => e);
      if (r instanceof Error) bad.push(`N=${n}: resume: ${r.message}`);
      bad.push(...checkMigrated(dir, `N=${n}`, null));
      removeTree(dir);
      if (bad.length > 20) break;
    }
    expect(bad).toEqual([]);
    report(`migrate on a full disk (${total} write calls per run)`, faults, t0);
  }, FULL ? 6 * 3600_000 : 600_000);

  test('the journal: at every write call of an attempt, active.json is whole or absent and settles the files back', () => {
    const t0 = performance.now();
    let faults = 0;
    for (let n = 1; ; n++) {
      const dir = makeProject({ 'a.py': 'a = 1\n', 'b.py': 'b = 1\n' });
      const journal = new Journal(dir);
      const before = [Buffer.from('a = 1\n'), Buffer.from('b = 1\n')];
      const after = [Buffer.from('a = 2\n'), Buffer.from('b = 2\n')];
      const layer = failingWrites(realFileSystem, n);
      restoreFs = useFileSystem(layer);
      let fault: unknown = null;
      try {
        const active = journal.begin(
          { version: 1, runId: 'r', batch: 1, key: 'r/1/k', pid: process.pid, phase: 'writing', files: ['a.py', 'b.py'].map((file, i) => ({ file, before: sha256(before[i]), after: sha256(after[i]), imports: 1, moves: [], details: [] })) },
          before,
        );
        const scratch = scratchDir(dir);
        for (const [i, f] of ['a.py', 'b.py'].entries()) writeFileChecked(join(dir, f), after[i], before[i], scratch);
        journal.setPhase(active, 'validating');
        const r = journal.restore(active);
        expect(r.conflicts).toEqual([]);
        journal.finish(active);
      } catch (e) {
        fault = e;
      }
      restoreFs();
      restoreFs = null;
      const now = ['a.py', 'b.py'].map((f) => readFileSync(join(dir, f)));
      now.forEach((b, i) => expect(b.equals(before[i]) || b.equals(after[i]), `N=${n}`).toBe(true));
      // Whatever the fault, the journal on disk is whole (it parses) or absent, and settles the files back.
      const active = journal.active();
      if (active) {
        expect(journal.restore(active).conflicts).toEqual([]);
        journal.finish(active);
      }
      ['a.py', 'b.py'].forEach((f, i) => expect(readFileSync(join(dir, f)).equals(before[i]), `N=${n}: ${f} settled`).toBe(true));
      if (fault === null) {
        expect(layer.calls).toBeLessThan(n);
        break;
      }
      faults++;
      expect(fault, `N=${n}`).toBeInstanceOf(MachineFault);
      removeTree(dir);
    }
    expect(faults).toBeGreaterThan(20);
    report('journal on a full disk (one attempt of 2 files, every N)', faults, t0, false);
  });

  test('at the command line: ENOSPC in fix is one line of error and exit 2, no stack trace', () => {
    const dir = copyExample();
    const r = runCli(['fix'], { cwd: dir, env: { CANON_FAULT: 'enospc:12' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: cannot write \S+\.py: no space left on the device \(ENOSPC\); free some space, then run `canon fix` again\n {2}no file was changed\n$/);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
    removeTree(dir);
  });
});

