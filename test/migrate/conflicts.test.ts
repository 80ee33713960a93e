// canon replaces only bytes it wrote itself: a batch file saved while the batch validates, or edited
// after a crash, is left as it is, named, both versions kept under .canon/, and the run stops
// (resumable). And once a batch's commit has landed, nothing that fails after it reverts its files.

import { chmodSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { migrateCommand, type MigrateCommandOptions } from '../../src/commands/migrate.js';
import { MachineFault } from '../../src/core/errors.js';
import { systemError } from '../../src/core/fault.js';
import { realFileSystem, useFileSystem } from '../../src/fs/io.js';
import { ConflictError } from '../../src/migrate/conflict.js';
import { Journal } from '../../src/migrate/journal.js';
import { git } from '../helpers/project.js';
import { collect, FILES, fixer, fixtureRepo, read, subjects, UNITTEST } from './fixture.js';
import { expectFinished, harness } from './processes.js';

let restoreFs: (() => void) | null = null;
afterEach(() => {
  restoreFs?.();
  restoreFs = null;
});

async function migrate(root: string, opts: MigrateCommandOptions = {}) {
  return migrateCommand({ cwd: root, ...opts }, { fixer: fixer(root), sink: collect(), signals: false });
}

const rewritten = (f: string): string => FILES[f].replace('pkg.old', 'pkg.new');
const status = (root: string): string => git(root, 'status', '--porcelain', '--untracked-files=no');
const lastRun = (root: string) => new Journal(root).runs().at(-1)!;

/** The conflict's two kept versions, read back. */
function kept(root: string, detail: string): { before: string; yours: string } {
  const m = /\(before the batch: (\S+); yours: (\S+)\)$/.exec(detail);
  expect(m, detail).not.toBeNull();
  return { before: read(root, m![1]), yours: read(root, m![2]) };
}

describe('a batch file changed under canon migrate', () => {
  test('saved while a failing batch validates: left as saved, both versions kept, the run stops; --resume --allow-dirty goes on without it', async () => {
    // The "user" saves d.py during batch 2's first validation (which fails: e.py's rewrite breaks a test).
    const root = fixtureRepo({
      'tools/validate.sh': `if grep -q pkg.new pkg/svc/c.py && [ ! -f .canon/saved ]; then touch .canon/saved; printf '# my edit\\n' >> pkg/svc/d.py; fi\nexec ${UNITTEST}\n`,
    });
    const err = await migrate(root, { validate: 'sh tools/validate.sh' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConflictError);
    const e = err as ConflictError;
    expect(e.message).toBe('canon migrate stopped: 1 file of batch 2 changed while canon was working on it, and canon left it as it is:');
    expect(e.details[0]).toMatch(/^pkg\/svc\/d\.py \(before the batch: \.canon\/migrate\/conflicts\/[^/]+\/before\/pkg\/svc\/d\.py; yours: \.canon\/migrate\/conflicts\/[^/]+\/yours\/pkg\/svc\/d\.py\)$/);
    expect(e.details.slice(1)).toEqual([
      "the batch's other files are as they were before it;",
      'keep your changes (commit or stash them), then run `canon migrate --resume` (add --allow-dirty to leave uncommitted files out)',
    ]);
    const saved = rewritten('pkg/svc/d.py') + '# my edit\n';
    expect(read(root, 'pkg/svc/d.py')).toBe(saved);
    expect(kept(root, e.details[0])).toEqual({ before: FILES['pkg/svc/d.py'], yours: saved });
    // The batch's other files are canon's bytes put back; batch 1 stays committed.
    for (const f of ['pkg/svc/c.py', 'pkg/svc/e.py']) expect(read(root, f)).toBe(FILES[f]);
    expect(subjects(root)).toEqual(['canon: batch 1/3 [critical] core: 2 files, 2 imports']);
    expect(status(root)).toBe(' M pkg/svc/d.py\n');
    expect(existsSync(join(root, '.canon/migrate/active.json'))).toBe(false);
    expect(lastRun(root)).toMatchObject({ status: 'interrupted', error: e.message });

    // The user keeps the edit uncommitted: migrate goes on and never touches d.py.
    const r = await migrate(root, { resume: true, allowDirty: true });
    expect(r.exitCode).toBe(1);
    expect(read(root, 'pkg/svc/d.py')).toBe(saved);
    expect(status(root)).toBe(' M pkg/svc/d.py\n');
    const run = lastRun(root);
    expect(run.status).toBe('done');
    expect(run.batches.find((b) => b.n === 2)!.skipped).toEqual([{ file: 'pkg/svc/d.py', reason: 'uncommitted changes (--allow-dirty leaves it alone)' }]);
    expect(read(root, 'pkg/svc/c.py')).toBe(rewritten('pkg/svc/c.py'));
  });

  test('saved while a passing batch validates: not committed as canon\'s, the batch stops, its other file put back', async () => {
    const root = fixtureRepo({
      'tools/validate.sh': `if grep -q pkg.new pkg/core/a.py && [ ! -f .canon/saved ]; then touch .canon/saved; printf '# mine\\n' >> pkg/core/b.py; fi\nexec ${UNITTEST}\n`,
    });
    const err = await migrate(root, { validate: 'sh tools/validate.sh' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConflictError);
    expect((err as ConflictError).details[0]).toMatch(/^pkg\/core\/b\.py \(before the batch: /);
    expect(read(root, 'pkg/core/b.py')).toBe(rewritten('pkg/core/b.py') + '# mine\n');
    expect(read(root, 'pkg/core/a.py')).toBe(FILES['pkg/core/a.py']);
    expect(subjects(root)).toEqual([]);
    expect(status(root)).toBe(' M pkg/core/b.py\n');
  });

  test('edited after a kill -9 during validation: --resume leaves the edit, names it, keeps both versions; then finishes without it', async () => {
    const root = fixtureRepo();
    // The second attempt's validation (batch 2, after batch 1 committed).
    const killed = await harness(root, {}, { CANON_FAULT: 'kill:2:journal.phase.validating.after' });
    expect(killed.signal).toBe('SIGKILL');
    expect(read(root, 'pkg/svc/c.py')).toBe(rewritten('pkg/svc/c.py'));
    const edit = rewritten('pkg/svc/c.py') + 'EXTRA = 1\n';
    writeFileSync(join(root, 'pkg/svc/c.py'), edit);

    const resumed = await harness(root, { resume: true });
    expect(resumed.code).toBe(2);
    expect(resumed.events[0]).toMatchObject({ type: 'recovered', committed: false, files: ['pkg/svc/c.py', 'pkg/svc/d.py', 'pkg/svc/e.py'], conflicts: ['pkg/svc/c.py'] });
    expect(resumed.stderr).toContain('error: canon migrate stopped: 1 file of batch 2 changed while canon was working on it, and canon left it as it is:\npkg/svc/c.py (before the batch: ');
    expect(read(root, 'pkg/svc/c.py')).toBe(edit);
    const detail = resumed.stderr.split('\n')[1];
    expect(kept(root, detail)).toEqual({ before: FILES['pkg/svc/c.py'], yours: edit });
    for (const f of ['pkg/svc/d.py', 'pkg/svc/e.py']) expect(read(root, f)).toBe(FILES[f]);
    expect(existsSync(join(root, '.canon/migrate/active.json'))).toBe(false);

    const again = await harness(root, { resume: true, allowDirty: true });
    expect(again.stderr).toBe('');
    expect(again.code).toBe(1);
    expect(read(root, 'pkg/svc/c.py')).toBe(edit);
    expect(status(root)).toBe(' M pkg/svc/c.py\n');
  }, 60_000);
});

describe('an error after a commit', () => {
  test('a full disk when the journal records the landed commit: the files stay committed, --resume goes on', async () => {
    const root = fixtureRepo();
    // ENOSPC exactly when active.json is to say `committed` (batch 1's commit has landed).
    restoreFs = useFileSystem({
      ...realFileSystem,
      writeSync: ((fd: number, data: unknown, ...rest: unknown[]) => {
        if (Buffer.isBuffer(data) && data.includes('"phase": "committed"')) throw systemError('ENOSPC', 'write');
        return (realFileSystem.writeSync as (...a: unknown[]) => number)(fd, data, ...rest);
      }) as typeof realFileSystem.writeSync,
    });
    const err = await migrate(root).catch((e: unknown) => e);
    restoreFs();
    restoreFs = null;
    expect(err).toBeInstanceOf(MachineFault);
    expect((err as MachineFault).message).toMatch(/^cannot write .*\/\.canon\/migrate\/active\.json: no space left on the device \(ENOSPC\)$/);
    // History says migrated, and so does the tree: nothing reverted, nothing uncommitted.
    expect(subjects(root)).toEqual(['canon: batch 1/3 [critical] core: 2 files, 2 imports']);
    for (const f of ['pkg/core/a.py', 'pkg/core/b.py']) {
      expect(read(root, f)).toBe(rewritten(f));
      expect(git(root, 'show', `HEAD:${f}`)).toBe(rewritten(f));
    }
    expect(status(root)).toBe('');
    expect(lastRun(root).batches[0].changes.map((c) => c.file)).toEqual(['pkg/core/a.py', 'pkg/core/b.py']);

    const r = await migrate(root, { resume: true });
    expect(r.exitCode).toBe(1);
    await expectFinished(root);
  });
});

describe('Ctrl-C to the process group while git commits', () => {
  test('exit 130, the batch rolled back and unstaged; --resume finishes', async () => {
    const root = fixtureRepo();
    // The hook runs inside `git commit`, in canon's process group: it plays the terminal's Ctrl-C.
    const hook = join(root, '.git/hooks/pre-commit');
    writeFileSync(hook, '#!/bin/sh\nkill -INT 0\nsleep 5\n');
    chmodSync(hook, 0o755);
    const out = await harness(root, {}, {}, undefined, true);
    expect(out.stderr).toBe('');
    expect(out.code).toBe(130);
    expect(out.events.find((e) => e.type === 'interrupted')).toMatchObject({ signal: 'SIGINT', rolledBack: ['pkg/core/a.py', 'pkg/core/b.py'] });
    expect(subjects(root)).toEqual([]);
    for (const f of ['pkg/core/a.py', 'pkg/core/b.py']) expect(read(root, f)).toBe(FILES[f]);
    // Nothing left staged, no index lock.
    expect(git(root, 'status', '--porcelain', '--untracked-files=no')).toBe('');
    expect(existsSync(join(root, '.git/index.lock'))).toBe(false);

    rmSync(hook);
    const again = await harness(root, { resume: true });
    expect(again.stderr).toBe('');
    expect(again.code).toBe(1);
    await expectFinished(root);
    expect(existsSync(join(root, '.canon/migrate/conflicts'))).toBe(false);
  }, 60_000);
});

