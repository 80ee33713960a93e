// canon migrate end to end, in process, on temporary git repositories built from the fixture, with
// the textual test-double fixer (see textFixer.ts) standing in for `canon fix`.

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { migrateCommand, type MigrateCommandOptions } from '../../src/commands/migrate.js';
import { UsageError } from '../../src/core/errors.js';
import { Journal } from '../../src/migrate/journal.js';
import { git } from '../helpers/project.js';
import { alive, collect, CONSUMERS, FILES, fixer, fixtureRepo, read, subjects, UNITTEST } from './fixture.js';

async function migrate(root: string, opts: MigrateCommandOptions = {}, f = fixer(root)) {
  const sink = collect();
  const result = await migrateCommand({ cwd: root, ...opts }, { fixer: f, sink, signals: false });
  const runs = new Journal(root).runs();
  return { result, sink, run: runs[runs.length - 1], fixer: f };
}

const HAS_PYTEST = spawnSync('python3', ['-m', 'pytest', '--version']).status === 0;

const status = (root: string): string => git(root, 'status', '--porcelain', '--untracked-files=all').replace(/^.*__pycache__.*\n/gm, '');

describe('canon migrate', () => {
  test('all batches pass: one commit per batch, in priority order, with the moves in the body', async () => {
    // Without e.py's patched test the whole fixture migrates cleanly.
    const root = fixtureRepo({ 'tests/test_values.py': FILES['tests/test_values.py'].replace(/    def test_e_goes[\s\S]*?\n\n\n/, '\n\n') });
    const { result, sink, run } = await migrate(root);
    expect(result.exitCode).toBe(0);
    expect(subjects(root)).toEqual([
      'canon: batch 1/3 [critical] core: 2 files, 2 imports',
      'canon: batch 2/3 [high] svc: 3 files, 3 imports',
      'canon: batch 3/3 [high] svc: 1 file, 1 import',
    ]);
    const body = git(root, 'log', '-1', '--skip=1', '--format=%B');
    expect(body).toContain('Moves:\n  pkg.old:thing -> pkg.new:thing (3)');
    expect(body).toContain('Files:\n  pkg/svc/c.py: 1 import\n  pkg/svc/d.py: 1 import\n  pkg/svc/e.py: 1 import');
    expect(body).toMatch(/Validation: 2\/2 passed in \d+\.\ds/);
    expect(body).toMatch(/Canon-Batch: \S+\/2\//);
    // Each commit holds only its batch's files; .canon/ stays out of git.
    expect(git(root, 'show', '--name-only', '--format=', 'HEAD~2').trim().split('\n')).toEqual(['pkg/core/a.py', 'pkg/core/b.py']);
    expect(status(root)).toBe('');
    for (const f of CONSUMERS) expect(read(root, f)).not.toContain('pkg.old');
    // One validation run per batch, plus the baseline.
    expect(sink.of('validate-start').map((e) => e.kind)).toEqual(['baseline', 'batch', 'batch', 'batch']);
    expect(run.status).toBe('done');
    expect(run.baseline?.counts).toEqual({ total: 2, passed: 2, failed: 0, errors: 0, skipped: 0, source: 'unittest' });
    expect(result.stdout).toContain('Done: 6 imports rewritten in 6 files; 3 of 3 batches run (3 passed first time); 0 files quarantined; 4 validation runs.');
    const md = readFileSync(join(root, '.canon/report/consolidation.md'), 'utf8');
    for (const h of ['## Executive summary', '## Canonical paths and verify verdicts', '## Scan results', '### By area', '### By priority', '## Shims in place', '## Batches', '## Changes made, file by file', '## Quarantined files', '## Remaining work by area', '## Success metrics']) {
      expect(md).toContain(h);
    }
    expect(md).toContain('| 1/3 | critical | core | 2 | 2 | 2/2 passed in');
    const json = JSON.parse(readFileSync(join(root, '.canon/report/consolidation.json'), 'utf8'));
    expect(json.headline).toMatchObject({ importsRewritten: 6, filesMigrated: 6, quarantined: 0, violationsBefore: 6, violationsNow: 0, baseline: '2/2 passed' });
  });

  test('a failing batch is restored and bisected until exactly the breaking file is quarantined', async () => {
    const root = fixtureRepo();
    const original = read(root, 'pkg/svc/e.py');
    const { result, sink, run } = await migrate(root);
    expect(result.exitCode).toBe(1);
    const batch = run.batches.find((b) => b.n === 2)!;
    expect(batch.status).toBe('partial');
    expect(batch.quarantined.map((q) => q.file)).toEqual(['pkg/svc/e.py']);
    const q = batch.quarantined[0];
    expect(q.failingTests).toEqual(['tests.test_values.Values.test_e_goes_through_the_patched_legacy_path']);
    expect(q.reason).toBe('exit 1');
    expect(q.excerpt).toContain('FAIL: test_e_goes_through_the_patched_legacy_path');
    expect(existsSync(join(root, q.log))).toBe(true);
    // The quarantined file has its exact bytes back; everything else is committed.
    expect(read(root, 'pkg/svc/e.py')).toBe(original);
    expect(batch.changes.map((c) => c.file).sort()).toEqual(['pkg/svc/c.py', 'pkg/svc/d.py']);
    expect(subjects(root)).toEqual([
      'canon: batch 1/3 [critical] core: 2 files, 2 imports',
      'canon: batch 2/3 [high] svc: 1 file, 1 import (bisect part 1)',
      'canon: batch 2/3 [high] svc: 1 file, 1 import (bisect part 2)',
      'canon: batch 3/3 [high] svc: 1 file, 1 import',
    ]);
    expect(status(root)).toBe('');
    // The failing batch, then one run per half: within 2*log2(3) extra runs.
    expect(batch.runs.map((r) => `${r.kind}:${r.files.join(',')}:${r.passed}`)).toEqual([
      'batch:pkg/svc/c.py,pkg/svc/d.py,pkg/svc/e.py:false',
      'bisect:pkg/svc/c.py:true',
      'bisect:pkg/svc/d.py:true',
      'bisect:pkg/svc/e.py:false',
    ]);
    expect(sink.of('quarantine')).toHaveLength(1);
    const md = readFileSync(join(root, '.canon/report/consolidation.md'), 'utf8');
    expect(md).toContain('### `pkg/svc/e.py`');
    expect(md).toContain('`tests.test_values.Values.test_e_goes_through_the_patched_legacy_path`');
    expect(md).toContain('| Quarantined files | 0 | 1 | ❌ not met |');
  });

  test('a baseline with failing tests and JUnit: a batch passes when no test that passed at baseline fails', async () => {
    const root = fixtureRepo({
      'tests/test_known.py': 'import unittest\n\n\nclass Known(unittest.TestCase):\n    def test_already_broken(self):\n        self.fail("broken before canon")\n',
    });
    const { result, run } = await migrate(root, { validate: 'python3 tools/junit_tests.py .canon/junit.xml', junit: '.canon/junit.xml' });
    expect(run.baseline?.passed).toBe(false);
    expect(run.baseline?.counts).toMatchObject({ total: 4, passed: 3, failed: 1, source: 'junit' });
    expect(run.baselinePassing).toHaveLength(3);
    expect(run.baselinePassing).not.toContain('tests.test_known.Known::test_already_broken');
    // Every batch run exits 1 (the known failure), yet only e.py's run counts as failing.
    const quarantined = run.batches.flatMap((b) => b.quarantined);
    expect(quarantined.map((q) => q.file)).toEqual(['pkg/svc/e.py']);
    expect(quarantined[0].failingTests).toEqual(['tests.test_values.Values::test_e_goes_through_the_patched_legacy_path']);
    expect(quarantined[0].reason).toBe('1 test that passed at baseline failed');
    expect(run.batches.flatMap((b) => b.changes).map((c) => c.file).sort()).toEqual(CONSUMERS.filter((f) => f !== 'pkg/svc/e.py'));
    expect(result.exitCode).toBe(1);
  });

  test.skipIf(!HAS_PYTEST)('a plain pytest command gets --junitxml from canon, so a failing baseline can still be compared', async () => {
    const root = fixtureRepo({
      'tests/test_known.py': 'import unittest\n\n\nclass Known(unittest.TestCase):\n    def test_already_broken(self):\n        self.fail("broken before canon")\n',
    });
    const { run } = await migrate(root, { validate: 'PYTEST_DISABLE_PLUGIN_AUTOLOAD=1 python3 -m pytest -q -p no:cacheprovider tests', area: ['svc'] });
    expect(run.baseline?.counts).toMatchObject({ total: 4, passed: 3, failed: 1, source: 'junit' });
    expect(run.batches.flatMap((b) => b.quarantined).map((q) => [q.file, q.failingTests])).toEqual([
      ['pkg/svc/e.py', ['tests.test_values.Values::test_e_goes_through_the_patched_legacy_path']],
    ]);
  });

  test('a failing baseline without JUnit stops before any file is touched', async () => {
    const root = fixtureRepo({ 'tests/test_known.py': 'import unittest\n\n\nclass Known(unittest.TestCase):\n    def test_broken(self):\n        self.fail("x")\n' });
    const err = await migrate(root).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).message).toBe('the validation command fails (exit 1) on the untouched tree, so canon cannot tell what a batch breaks');
    expect(status(root)).toBe('');
    expect(subjects(root)).toEqual([]);
  });

  test('a validation run that hangs past --timeout is killed with its whole process group and counts as a failure', async () => {
    // The hang happens only once e.py is rewritten; the background sleep must die with the run.
    const root = fixtureRepo({
      'tools/validate.sh': `if ! grep -q pkg.old pkg/svc/e.py; then sleep 60 & echo $! >> .canon/sleepers; wait; fi\nexec ${UNITTEST}\n`,
    });
    // Long enough for the runs that do not hang on a loaded machine; the hang outlasts it by far.
    const { run } = await migrate(root, { validate: 'sh tools/validate.sh', timeout: 5 });
    const quarantined = run.batches.flatMap((b) => b.quarantined);
    expect(quarantined.map((q) => [q.file, q.reason])).toEqual([['pkg/svc/e.py', 'timed out after 5s']]);
    const pids = read(root, '.canon/sleepers').trim().split('\n').map(Number);
    expect(pids.length).toBeGreaterThan(0);
    for (const pid of pids) expect(alive(pid)).toBe(false);
    expect(read(root, 'pkg/svc/e.py')).toContain('pkg.old');
  });

  test('a dirty tree is refused; --allow-dirty never touches the files with uncommitted changes', async () => {
    const root = fixtureRepo();
    writeFileSync(join(root, 'pkg/core/a.py'), FILES['pkg/core/a.py'] + '# my work in progress\n');
    const err = await migrate(root).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).message).toBe('the working tree has uncommitted changes in 1 file:');
    expect((err as UsageError).details).toEqual(['  pkg/core/a.py', 'commit or stash them first, or pass --allow-dirty (canon then never touches those files)']);

    const { run } = await migrate(root, { allowDirty: true });
    expect(read(root, 'pkg/core/a.py')).toBe(FILES['pkg/core/a.py'] + '# my work in progress\n');
    expect(run.skipped).toEqual([{ file: 'pkg/core/a.py', reason: 'uncommitted changes (--allow-dirty leaves it alone)' }]);
    const initial = git(root, 'rev-list', '--max-parents=0', 'HEAD').trim();
    expect(git(root, 'log', '--format=', '--name-only', `${initial}..HEAD`).split('\n')).not.toContain('pkg/core/a.py');
    expect(git(root, 'diff', '--name-only').trim()).toBe('pkg/core/a.py');
  });

  test('--no-commit keeps passing batches in the work tree and makes no commit', async () => {
    const root = fixtureRepo();
    const { run } = await migrate(root, { commit: false });
    expect(subjects(root)).toEqual([]);
    expect(git(root, 'diff', '--name-only').trim().split('\n').sort()).toEqual(CONSUMERS.filter((f) => f !== 'pkg/svc/e.py'));
    expect(run.batches.flatMap((b) => b.changes).every((c) => c.commit === null)).toBe(true);
  });

  test('--plan prints the batches (text, json, markdown) and touches nothing', async () => {
    const root = fixtureRepo();
    const text = await migrateCommand({ cwd: root, plan: true }, { fixer: fixer(root) });
    expect(text.stdout).toBe(
      [
        'batch 1/3 [critical] core: 2 files, 2 imports',
        '  pkg/core/a.py  (1 import: pkg.old:thing)',
        '  pkg/core/b.py  (1 import: pkg.old:thing)',
        'batch 2/3 [high] svc: 3 files, 3 imports',
        '  pkg/svc/c.py  (1 import: pkg.old:thing)',
        '  pkg/svc/d.py  (1 import: pkg.old:thing)',
        '  pkg/svc/e.py  (1 import: pkg.old:thing)',
        'batch 3/3 [high] svc: 1 file, 1 import',
        '  pkg/svc/f.py  (1 import: pkg.old:thing)',
        '',
        '3 batches, 6 files, 6 imports.',
        '',
      ].join('\n'),
    );
    const json = JSON.parse((await migrateCommand({ cwd: root, plan: true, format: 'json', batchSize: 10 }, {})).stdout);
    expect(json.batches.map((b: { files: unknown[] }) => b.files.length)).toEqual([2, 4]);
    const md = (await migrateCommand({ cwd: root, plan: true, format: 'markdown', priority: ['critical'] }, {})).stdout;
    expect(md).toContain('| 1 | critical | core | `pkg/core/a.py` | 1 | `pkg.old:thing` |');
    expect(md).not.toContain('svc');
    expect(existsSync(join(root, '.canon'))).toBe(false);
  });

  test('a second plain run rescans and finds only what is left', async () => {
    const root = fixtureRepo();
    await migrate(root);
    // The team makes the test patch both paths; the rerun migrates the quarantined file and nothing else.
    const test = FILES['tests/test_values.py'].replace(
      '        with mock.patch("pkg.old.thing", return_value=1):\n',
      '        with mock.patch("pkg.old.thing", return_value=1), mock.patch("pkg.new.thing", return_value=1):\n',
    );
    expect(test).not.toBe(FILES['tests/test_values.py']);
    writeFileSync(join(root, 'tests/test_values.py'), test);
    git(root, 'commit', '-qam', 'patch the canonical path');
    const { result, run } = await migrate(root);
    expect(result.exitCode).toBe(0);
    expect(run.plan.flatMap((b) => b.files.map((f) => f.file))).toEqual(['pkg/svc/e.py']);
    const json = JSON.parse(readFileSync(join(root, '.canon/report/consolidation.json'), 'utf8'));
    expect(json.headline).toMatchObject({ importsRewritten: 6, filesMigrated: 6, quarantined: 0, violationsNow: 0 });
    expect(json.runs).toHaveLength(2);
  });
});

