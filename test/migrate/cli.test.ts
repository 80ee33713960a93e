// canon migrate and canon report through the built binary, as a user runs them: preflight errors,
// --plan, the report, and the example project migrated with the real `canon fix`.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { copyExample, git, makeProject, runCli } from '../helpers/project.js';
import { FILES, fixtureRepo, subjects } from './fixture.js';

describe('canon migrate (CLI)', () => {
  test('--plan --format json prints the batches; nothing is written', () => {
    const root = fixtureRepo();
    const r = runCli(['migrate', '--plan', '--format', 'json', '--batch-size', '2'], { cwd: root });
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.stdout);
    expect(plan.batches.map((b: { area: string; files: { file: string }[] }) => `${b.area}:${b.files.map((f) => f.file).join(',')}`)).toEqual([
      'core:pkg/core/a.py,pkg/core/b.py',
      'svc:pkg/svc/c.py,pkg/svc/d.py',
      'svc:pkg/svc/e.py,pkg/svc/f.py',
    ]);
    expect(plan.totals).toEqual({ batches: 3, files: 6, imports: 6 });
    expect(existsSync(join(root, '.canon'))).toBe(false);
  });

  test('outside a git repository migrate refuses and says how to proceed', () => {
    const root = makeProject(FILES);
    const r = runCli(['migrate'], { cwd: root });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `error: ${root} is not inside a git repository\n` +
        '  canon migrate commits each batch that passes and needs git to tell what you changed yourself;\n' +
        '  run `git init && git add -A && git commit -m "before canon"` first\n',
    );
  });

  test("the first run says it keeps .canon/ out of git through .git/info/exclude; later runs do not", () => {
    const root = fixtureRepo();
    const first = runCli(['migrate'], { cwd: root });
    expect(first.stdout.split('\n')[0]).toBe("note: added .canon/ to .git/info/exclude (git's own ignore list, never committed): migrate keeps its journal there");
    expect(readFileSync(join(root, '.git/info/exclude'), 'utf8')).toContain('# added by canon migrate\n.canon/\n');
    const again = runCli(['migrate', '--format', 'json'], { cwd: root });
    expect(again.stdout).not.toContain('"excluded"');
    expect(JSON.parse(again.stdout.split('\n')[0]).type).toBe('start');
    expect(git(root, 'status', '--porcelain')).toBe('');
  });

  test('--resume with nothing interrupted is a usage error', () => {
    const root = fixtureRepo();
    const r = runCli(['migrate', '--resume'], { cwd: root });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error: nothing to resume: no interrupted canon migrate in .canon/migrate');
  });

  test('canon report before any migration: every section, written as Markdown and JSON', () => {
    const root = fixtureRepo();
    const r = runCli(['report'], { cwd: root });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('**Status**: not started');
    expect(r.stdout).toContain('| `pkg.old` | `pkg/old.py` | no shim | — | `pkg.old:thing` |');
    expect(readFileSync(join(root, '.canon/report/consolidation.md'), 'utf8')).toBe(r.stdout);
    const json = JSON.parse(readFileSync(join(root, '.canon/report/consolidation.json'), 'utf8'));
    expect(json.headline).toMatchObject({ importsRewritten: 0, violationsBefore: null, violationsNow: 6, fixableNow: 6 });
  });

  test('the example: the services batch fails, bisect quarantines exactly notifications.py, the rest is committed', () => {
    const root = copyExample({ git: true });
    const r = runCli(['migrate', '--format', 'json'], { cwd: root, env: { PYTHONDONTWRITEBYTECODE: '1' } });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(events.find((e) => e.type === 'baseline').run.counts).toMatchObject({ total: 7, passed: 7, source: 'unittest' });
    const quarantined = events.filter((e) => e.type === 'quarantine').map((e) => e.quarantine);
    expect(quarantined.map((q) => [q.file, q.failingTests])).toEqual([
      ['app/services/notifications.py', ['tests.mission_critical.test_services.ServicesTest.test_notification_goes_through_the_patched_manager']],
    ]);
    expect(quarantined[0].excerpt).toContain("AssertionError: Expected 'get_websocket_manager' to be called once. Called 0 times.");
    // agent_registry.py's only fixable import sits in a try/except pair fix will not guess about.
    expect(events.filter((e) => e.type === 'skip').map((e) => e.skip.file)).toEqual(['app/agents/supervisor/agent_registry.py']);
    expect(subjects(root)).toEqual([
      'canon: batch 1/5 [critical] routes: 2 files, 5 imports',
      'canon: batch 2/5 [critical] supervisor: 1 file, 2 imports',
      'canon: batch 3/5 [high] services: 1 file, 2 imports (bisect part 1)',
      'canon: batch 3/5 [high] services: 1 file, 2 imports (bisect part 2)',
      'canon: batch 4/5 [high] websocket_core: 1 file, 3 imports',
      'canon: batch 5/5 [medium] mission_critical: 2 files, 3 imports',
    ]);
    // One run per batch, plus the baseline and three bisect runs.
    expect(events.filter((e) => e.type === 'validate-start')).toHaveLength(9);
    expect(git(root, 'status', '--porcelain', '--untracked-files=no')).toBe('');
    const end = events.find((e) => e.type === 'end');
    const report = JSON.parse(readFileSync(end.report.json, 'utf8'));
    expect(report.headline).toMatchObject({ importsRewritten: 17, filesMigrated: 8, quarantined: 1, baseline: '7/7 passed', violationsBefore: 22, violationsNow: 5 });
    expect(report.leftAlone.map((x: { file: string }) => x.file)).toEqual(['app/agents/supervisor/agent_registry.py']);
  });
});
