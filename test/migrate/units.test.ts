// The pure parts of migrate: batch planning, reading test runners' output and JUnit, judging a run.

import pc from 'picocolors';
import { describe, expect, test } from 'vitest';
import type { Area } from '../../src/config/types.js';
import type { Finding } from '../../src/core/finding.js';
import { parseJUnit } from '../../src/migrate/junit.js';
import { planBatches } from '../../src/migrate/plan.js';
import { ttySink } from '../../src/migrate/progress.js';
import { fitLine } from '../../src/report/progress.js';
import { excerptOf, failingFromOutput, judgeRun, junitPlan, parseCounts, type RawRun } from '../../src/migrate/validate.js';

const areas: Area[] = [
  { name: 'routes', paths: ['app/routes/**'], priority: 'critical', order: 0 },
  { name: 'tests', paths: ['tests/**'], priority: 'medium', order: 1 },
  { name: 'services', paths: ['app/services/**'], priority: 'high', order: 2 },
  { name: 'core', paths: ['app/core/**'], priority: 'high', order: 3 },
];

function f(file: string, area: string, priority: Finding['priority'], extra: Partial<Finding> = {}): Finding {
  return {
    file, line: 1, column: 1, endLine: 1, endColumn: 2, start: 0, end: 1, code: 'CAN001', kind: 'legacy-import', form: 'from-import',
    legacy: 'a.old:X', canonical: 'a.new:X', move: 'a.old:X', area, priority, fixable: true, reason: null, statement: '', suppressed: false, ...extra,
  };
}

describe('planBatches', () => {
  test('critical first, then area order, then path; batches never mix areas; unfixable, suppressed and excluded files stay out', () => {
    const findings = [
      f('tests/t.py', 'tests', 'medium'),
      f('app/core/z.py', 'core', 'high'),
      f('app/services/b.py', 'services', 'high'),
      f('app/services/a.py', 'services', 'high'),
      f('app/services/a.py', 'services', 'high', { move: 'a.other' }),
      f('app/services/c.py', 'services', 'high'),
      f('app/routes/r.py', 'routes', 'critical'),
      f('app/routes/x.py', 'routes', 'critical', { fixable: false, reason: 'divergent' }),
      f('app/routes/y.py', 'routes', 'critical', { suppressed: true }),
      f('app/routes/s.py', 'routes', 'critical', { kind: 'string-reference' }),
      f('other/o.py', 'other', 'low'),
      f('app/core/dirty.py', 'core', 'high'),
    ];
    const plan = planBatches({ findings, areas, batchSize: 2, strings: false, exclude: new Map([['app/core/dirty.py', 'uncommitted changes']]) });
    expect(plan.batches.map((b) => `${b.n} ${b.priority} ${b.area}: ${b.files.map((x) => `${x.file}(${x.imports})`).join(' ')}`)).toEqual([
      '1 critical routes: app/routes/r.py(1)',
      '2 high services: app/services/a.py(2) app/services/b.py(1)',
      '3 high services: app/services/c.py(1)',
      '4 high core: app/core/z.py(1)',
      '5 medium tests: tests/t.py(1)',
      '6 low other: other/o.py(1)',
    ]);
    expect(plan.batches[1].files[0].moves).toEqual(['a.old:X', 'a.other']);
    expect(plan.skipped).toEqual([{ file: 'app/core/dirty.py', reason: 'uncommitted changes' }]);
    // --strings brings string references in.
    const withStrings = planBatches({ findings, areas, batchSize: 5, strings: true, exclude: new Map() });
    expect(withStrings.batches[0].files.map((x) => x.file)).toEqual(['app/routes/r.py', 'app/routes/s.py']);
  });
});

const UNITTEST_FAIL = `..F....
======================================================================
FAIL: test_notification_goes_through_the_patched_manager (tests.mission_critical.test_services.ServicesTest.test_notification_goes_through_the_patched_manager)
----------------------------------------------------------------------
Traceback (most recent call last):
  File "tests/mission_critical/test_services.py", line 40, in test_notification_goes_through_the_patched_manager
    patched.assert_called_once_with()
AssertionError: Expected 'get_websocket_manager' to be called once. Called 0 times.

----------------------------------------------------------------------
Ran 7 tests in 0.012s

FAILED (failures=1)
`;

describe('reading the validation output (best-effort)', () => {
  test('unittest: counts, failing tests, and the failure block as excerpt', () => {
    expect(parseCounts('.......\n----------------------------------------------------------------------\nRan 7 tests in 0.010s\n\nOK\n')).toEqual({ total: 7, passed: 7, failed: 0, errors: 0, skipped: 0, source: 'unittest' });
    expect(parseCounts(UNITTEST_FAIL)).toEqual({ total: 7, passed: 6, failed: 1, errors: 0, skipped: 0, source: 'unittest' });
    expect(parseCounts('Ran 5 tests in 1.0s\n\nFAILED (failures=1, errors=2, skipped=1)\n')).toMatchObject({ total: 5, passed: 1, failed: 1, errors: 2, skipped: 1 });
    expect(parseCounts('Ran 3 tests in 0.1s\n\nOK (skipped=1)\n')).toMatchObject({ total: 3, passed: 2, skipped: 1 });
    expect(failingFromOutput(UNITTEST_FAIL)).toEqual(['tests.mission_critical.test_services.ServicesTest.test_notification_goes_through_the_patched_manager']);
    const excerpt = excerptOf(UNITTEST_FAIL);
    expect(excerpt.split('\n')[0]).toBe('FAIL: test_notification_goes_through_the_patched_manager (tests.mission_critical.test_services.ServicesTest.test_notification_goes_through_the_patched_manager)');
    expect(excerpt).toContain("AssertionError: Expected 'get_websocket_manager' to be called once. Called 0 times.");
    expect(excerpt).not.toContain('Ran 7 tests');
  });

  test('pytest: the summary line and the short test summary', () => {
    const out = `tests/test_a.py .F.\n=========================== short test summary info ============================\nFAILED tests/test_a.py::test_two - assert 1 == 2\nERROR tests/test_b.py - ImportError\n==================== 1 failed, 2 passed, 1 error in 0.12s =====================\n`;
    expect(parseCounts(out)).toEqual({ total: 4, passed: 2, failed: 1, errors: 1, skipped: 0, source: 'pytest' });
    expect(failingFromOutput(out)).toEqual(['tests/test_a.py::test_two', 'tests/test_b.py']);
    expect(parseCounts('3 passed in 0.01s\n')).toMatchObject({ total: 3, passed: 3 });
    expect(parseCounts('no summary here\n')).toBeNull();
  });

  test('JUnit: self-closing and failing cases, entities, skipped', () => {
    const xml = `<?xml version="1.0"?><testsuites><testsuite name="s">
      <testcase classname="t.A" name="ok"/>
      <testcase classname="t.A" name="bad &amp; sad" time="0.1"><failure message="x &lt; y">trace</failure></testcase>
      <testcase classname="t.B" name="err"><error message="boom"/></testcase>
      <testcase classname="t.B" name="skip"><skipped/></testcase>
      <testcase name="bare"></testcase>
    </testsuite></testsuites>`;
    expect(parseJUnit(xml)).toEqual([
      { id: 't.A::ok', outcome: 'passed', message: '' },
      { id: 't.A::bad & sad', outcome: 'failed', message: 'x < y' },
      { id: 't.B::err', outcome: 'error', message: 'boom' },
      { id: 't.B::skip', outcome: 'skipped', message: '' },
      { id: 'bare', outcome: 'passed', message: '' },
    ]);
    expect(parseJUnit('not xml')).toBeNull();
  });
});

describe('judgeRun', () => {
  const raw = (over: Partial<RawRun> = {}): RawRun => ({ exitCode: 1, signal: null, timedOut: false, interrupted: false, durationMs: 10, tail: '', ...over });
  const junit = (cases: string): string => `<testsuite>${cases}</testsuite>`;
  const base = { kind: 'batch' as const, files: ['a.py'], timeout: 5, log: 'x.log' };

  test('with a JUnit baseline a run fails only on tests that passed at baseline, including ones gone missing', () => {
    const baselinePassing = new Set(['t::a', 't::b']);
    const ok = judgeRun({ ...base, raw: raw(), junit: junit('<testcase classname="t" name="a"/><testcase classname="t" name="b"/><testcase classname="t" name="known"><failure/></testcase>'), baselinePassing });
    expect(ok.passed).toBe(true);
    expect(ok.counts).toMatchObject({ total: 3, passed: 2, failed: 1, source: 'junit' });
    const missing = judgeRun({ ...base, raw: raw(), junit: junit('<testcase classname="t" name="a"/>'), baselinePassing });
    expect([missing.passed, missing.newlyFailing, missing.reason]).toEqual([false, ['t::b'], '1 test that passed at baseline failed']);
    const none = judgeRun({ ...base, raw: raw(), junit: null, baselinePassing });
    expect([none.passed, none.reason]).toEqual([false, 'wrote no JUnit report (exit 1)']);
  });

  test('without JUnit the exit code decides; a timeout never passes', () => {
    expect(judgeRun({ ...base, raw: raw({ exitCode: 0 }), junit: null, baselinePassing: null }).passed).toBe(true);
    const t = judgeRun({ ...base, raw: raw({ exitCode: null, signal: 'SIGTERM', timedOut: true }), junit: null, baselinePassing: null });
    expect([t.passed, t.reason]).toEqual([false, 'timed out after 5s']);
  });
});

describe('junitPlan', () => {
  test('an explicit path wins; a given --junitxml is read; a plain pytest command gets one', () => {
    expect(junitPlan('make test', 'out/j.xml', '/p', '/p/.canon/migrate')).toEqual({ cmd: 'make test', path: '/p/out/j.xml', added: false });
    expect(junitPlan('pytest --junitxml=r.xml -q', null, '/p', '/s')).toEqual({ cmd: 'pytest --junitxml=r.xml -q', path: '/p/r.xml', added: false });
    expect(junitPlan('python -m pytest tests/mc -x', null, '/p', '/p/.canon/migrate')).toEqual({
      cmd: "python -m pytest tests/mc -x --junitxml='/p/.canon/migrate/junit.xml'",
      path: '/p/.canon/migrate/junit.xml',
      added: true,
    });
    // Appended to a pipeline or list, the flag would land on the wrong command.
    expect(junitPlan('pytest tests && echo done', null, '/p', '/s').path).toBeNull();
    expect(junitPlan('python3 -m unittest discover', null, '/p', '/s').path).toBeNull();
  });
});

describe('progress', () => {
  const fakeTerminal = (columns: number): { stream: NodeJS.WriteStream; last: () => string | undefined } => {
    let status = '';
    const stream = { columns, isTTY: true, write: (s: string) => ((status += s), true) } as unknown as NodeJS.WriteStream;
    return { stream, last: () => status.split('\r\x1b[K').filter(Boolean).pop() };
  };
  const NOTHING_DONE = { batches: 0, files: 0, imports: 0, durationsMs: [] };

  test('a terminal gets the plain lines and a live status line: batch k/N, files and imports done, validation time, ETA', () => {
    const lines: string[] = [];
    const t = fakeTerminal(200);
    const sink = ttySink((s) => void lines.push(s), t.stream, pc.createColors(false), { NO_COLOR: '1' });
    sink.emit({ type: 'start', runId: 'r', resumed: false, batches: 2, files: 3, imports: 4, skipped: [], done: NOTHING_DONE });
    sink.emit({ type: 'batch-start', n: 1, of: 2, area: 'core', priority: 'critical', files: ['a.py', 'b.py'], imports: 2 });
    sink.emit({ type: 'commit', n: 1, commit: { sha: '0123456789abcdef', subject: 'canon: batch 1/2 [critical] core: 2 files, 2 imports', files: ['a.py', 'b.py'], imports: 2 } });
    sink.emit({ type: 'batch-end', batch: { n: 1, of: 2, area: 'core', priority: 'critical', status: 'passed', runs: [], commits: [], changes: [], quarantined: [], skipped: [], durationMs: 65_000 } });
    sink.emit({ type: 'batch-start', n: 2, of: 2, area: 'svc', priority: 'high', files: ['c.py'], imports: 2 });
    sink.emit({ type: 'validate-start', kind: 'batch', files: ['c.py'], timeout: null });
    const last = t.last();
    sink.close();
    expect(lines).toEqual([
      'migrating: 2 batches, 3 files, 4 imports (run r)\n',
      'batch 1/2 [critical] core: 2 files, 2 imports\n',
      '  committed 0123456789 canon: batch 1/2 [critical] core: 2 files, 2 imports\n',
      '  batch 1/2 passed: 0 files migrated, 0 validation runs, 65.0s\n',
      'batch 2/2 [high] svc: 1 file, 2 imports\n',
    ]);
    expect(last).toBe('batch 2/2 · 2/3 files · 2/4 imports · validation running 0s · ETA 1:05');
  });

  test('a resumed run counts on from what it had done; a narrow terminal keeps the batch and the ETA', () => {
    const t = fakeTerminal(40);
    const sink = ttySink(() => {}, t.stream, pc.createColors(false), { NO_COLOR: '1' });
    sink.emit({ type: 'start', runId: 'r', resumed: true, batches: 3, files: 6, imports: 6, skipped: [], done: { batches: 1, files: 2, imports: 2, durationsMs: [125_000] } });
    sink.emit({ type: 'batch-start', n: 2, of: 3, area: 'svc', priority: 'high', files: ['c.py', 'd.py'], imports: 2 });
    // 40 columns: the imports and the validation time go, then nothing else needs to.
    sink.emit({ type: 'validate-start', kind: 'batch', files: ['c.py', 'd.py'], timeout: null });
    expect(t.last()).toBe('batch 2/3 · 2/6 files · ETA 4:10');
    sink.emit({ type: 'commit', n: 2, commit: { sha: '0123456789abcdef', subject: 's', files: ['c.py', 'd.py'], imports: 2 } });
    expect(t.last()).toBe('batch 2/3 · 4/6 files · ETA 4:10');
    sink.close();
    const wide = fakeTerminal(200);
    // Without NO_COLOR, a terminal gets the status line dimmed, whatever the environment (CI=1 too).
    const again = ttySink(() => {}, wide.stream, pc.createColors(false), {});
    again.emit({ type: 'start', runId: 'r', resumed: true, batches: 3, files: 6, imports: 6, skipped: [], done: { batches: 1, files: 2, imports: 2, durationsMs: [125_000] } });
    again.emit({ type: 'batch-start', n: 2, of: 3, area: 'svc', priority: 'high', files: ['c.py', 'd.py'], imports: 2 });
    expect(wide.last()).toBe('\x1b[2mbatch 2/3 · 2/6 files · 2/6 imports · ETA 4:10\x1b[22m');
    again.close();
  });

  test('fitLine drops the parts that matter least first, and cuts a first part too long alone', () => {
    const parts = [{ text: 'batch 2/3' }, { text: '2/6 files', drop: 2 }, { text: '2/6 imports', drop: 4 }, { text: 'ETA 4:10', drop: 1 }];
    expect(fitLine(parts, 100)).toBe('batch 2/3 · 2/6 files · 2/6 imports · ETA 4:10');
    expect(fitLine(parts, 35)).toBe('batch 2/3 · 2/6 files · ETA 4:10');
    expect(fitLine(parts, 20)).toBe('batch 2/3 · ETA 4:10');
    expect(fitLine(parts, 9)).toBe('batch 2/3');
    expect(fitLine(parts, 6)).toBe('batch…');
  });
});
