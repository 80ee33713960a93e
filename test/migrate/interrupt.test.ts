// Interruptions: SIGINT while validation runs, SIGKILL in the middle of writing a batch and right
// after a commit, each followed by `--resume`. canon runs in a process of its own (harness.ts);
// afterwards no file is corrupt, every committed batch is intact and no finding is lost.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { git } from '../helpers/project.js';
import { alive, FILES, fixtureRepo, read, subjects, UNITTEST } from './fixture.js';
import { expectFinished, harness, waitFor } from './processes.js';

describe('canon migrate interrupted', () => {
  test('SIGINT during validation: the batch is rolled back, the validation process group killed; --resume finishes', async () => {
    // The first validation with batch 2 applied hangs in a background sleep until interrupted.
    const root = fixtureRepo({
      'tools/validate.sh': `if grep -q pkg.new pkg/svc/c.py && [ ! -f .canon/hung ]; then touch .canon/hung; sleep 60 & echo $! > .canon/sleep.pid; wait; fi\nexec ${UNITTEST}\n`,
    });
    let pid = 0;
    const first = harness(root, { validate: 'sh tools/validate.sh' }, {}, (p) => (pid = p));
    await waitFor(() => existsSync(join(root, '.canon/sleep.pid')) && read(root, '.canon/sleep.pid').trim() !== '');
    const sleeper = Number(read(root, '.canon/sleep.pid'));
    process.kill(pid, 'SIGINT');
    const out = await first;
    expect(out.code).toBe(130);
    const interrupted = out.events.find((e) => e.type === 'interrupted');
    expect(interrupted).toMatchObject({ signal: 'SIGINT', rolledBack: ['pkg/svc/c.py', 'pkg/svc/d.py', 'pkg/svc/e.py'] });
    await waitFor(() => !alive(sleeper), 5000);
    expect(subjects(root)).toEqual(['canon: batch 1/3 [critical] core: 2 files, 2 imports']);
    for (const f of ['pkg/svc/c.py', 'pkg/svc/d.py', 'pkg/svc/e.py']) expect(read(root, f)).toBe(FILES[f]);
    expect(git(root, 'status', '--porcelain', '--untracked-files=no')).toBe('');

    const again = await harness(root, { resume: true });
    expect(again.stderr).toBe('');
    expect(again.code).toBe(1);
    expect(again.events[0]).toMatchObject({ type: 'start', resumed: true, batches: 3 });
    // The baseline is not run again; batch 1 is not redone.
    expect(again.events.filter((e) => e.type === 'baseline-start')).toEqual([]);
    expect(again.events.filter((e) => e.type === 'batch-start').map((e) => e.n)).toEqual([2, 3]);
    await expectFinished(root);
  }, 60_000);

  test('SIGKILL after writing 2 of 3 files of a batch: the next start restores them; --resume finishes', async () => {
    const root = fixtureRepo();
    const killed = await harness(root, {}, { CANON_FAULT: 'kill:4:migrate.written' });
    expect(killed.signal).toBe('SIGKILL');
    // Killed mid-batch: two files rewritten, the third not, the journal holding all three.
    expect(read(root, 'pkg/svc/c.py')).toContain('pkg.new');
    expect(read(root, 'pkg/svc/d.py')).toContain('pkg.new');
    expect(read(root, 'pkg/svc/e.py')).toBe(FILES['pkg/svc/e.py']);
    const active = JSON.parse(read(root, '.canon/migrate/active.json'));
    expect(active.files.map((f: { file: string }) => f.file)).toEqual(['pkg/svc/c.py', 'pkg/svc/d.py', 'pkg/svc/e.py']);

    const resumed = await harness(root, { resume: true });
    expect(resumed.stderr).toBe('');
    expect(resumed.events[0]).toMatchObject({ type: 'recovered', committed: false, files: ['pkg/svc/c.py', 'pkg/svc/d.py', 'pkg/svc/e.py'] });
    expect(resumed.code).toBe(1);
    await expectFinished(root);
  }, 60_000);

  test('SIGKILL right after a commit, before the journal records it: --resume recognises the commit', async () => {
    const root = fixtureRepo();
    const killed = await harness(root, {}, { CANON_FAULT: 'kill:1:git.commit.after' });
    expect(killed.signal).toBe('SIGKILL');
    expect(subjects(root)).toEqual(['canon: batch 1/3 [critical] core: 2 files, 2 imports']);
    const resumed = await harness(root, { resume: true });
    expect(resumed.events[0]).toMatchObject({ type: 'recovered', committed: true });
    expect(resumed.events.filter((e) => e.type === 'batch-start').map((e) => e.n)).toEqual([2, 3]);
    await expectFinished(root);
  }, 60_000);
});
