// canon history on a small git repository built commit by commit: legacy imports come and go, a
// module is renamed (its importers' unchanged files become unresolved), a suppressed and a string
// finding appear, a new top-level package arrives. Exact counts per commit, per area, priority and
// move; the CSV, JSON and text outputs; the commit selection; usage errors.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/types.js';
import { summarize } from '../../src/core/summary.js';
import { collectHistory, type HistoryPoint, type HistoryStats } from '../../src/history/api.js';
import { runScan } from '../../src/scan/runScan.js';
import { makeProject, runCli } from '../helpers/project.js';

function git(dir: string, args: string[], env: Record<string, string> = {}): string {
  const r = spawnSync('git', args, { cwd: dir, encoding: 'utf8', env: { ...process.env, ...env } });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

function write(dir: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
}

/** A new repository in `dir`, committing as Dev One (the csv tests read the author). */
function initRepo(dir: string): void {
  git(dir, ['init', '-q', '-b', 'main']);
  git(dir, ['config', 'user.email', 'dev@example.invalid']);
  git(dir, ['config', 'user.name', 'Dev One']);
  git(dir, ['config', 'commit.gpgsign', 'false']);
}

function commit(dir: string, day: number, subject: string): void {
  const date = `2025-09-0${day}T12:00:00+00:00`;
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '--allow-empty', '-m', subject], { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date });
}

const CONFIG = `src = ["."]

[[move]]
from = "app.old:Thing"
to = "app.new:Thing"

[[move]]
from = "app.legacy"
to = "app.modern"

[[area]]
name = "api"
paths = ["app/api/**"]
priority = "critical"

[[area]]
name = "tests"
paths = ["tests/**"]
priority = "medium"
`;

/** The repository, one commit per step; returns its folder. */
function buildRepo(): string {
  const dir = makeProject({
    'canon.toml': CONFIG,
    'app/__init__.py': '',
    'app/new.py': 'class Thing:\n    pass\n',
    'app/old.py': 'from app.new import Thing\n',
    'app/modern.py': 'def helper():\n    return 1\n',
    'app/legacy.py': 'from app.modern import helper\n',
    'app/api/__init__.py': '',
    'app/api/views.py': 'from app.old import Thing\n',
    'tests/__init__.py': '',
    'tests/test_views.py': 'from app.new import Thing\n',
  });
  initRepo(dir);
  commit(dir, 1, 'initial');
  write(dir, {
    'tests/test_views.py': 'from app.new import Thing\nfrom app.old import Thing as T2\nimport app.legacy\n',
    'app/api/views.py': 'from app.old import Thing\nfrom app.legacy import helper\n',
  });
  commit(dir, 2, 'add legacy imports');
  write(dir, { 'app/api/views.py': 'from app.new import Thing\nfrom app.modern import helper\n' });
  commit(dir, 3, 'fix views');
  git(dir, ['mv', 'app/new.py', 'app/things.py']);
  write(dir, { 'app/old.py': 'from app.things import Thing\n' });
  commit(dir, 4, 'rename new.py to things.py');
  write(dir, { 'app/api/extra.py': 'from ..old import Thing  # canon: ignore\nfrom .missing import x\nPATCH = "app.old.Thing"\n' });
  commit(dir, 5, 'add extra, with a suppressed import');
  write(dir, { 'app/new.py': 'from app.things import Thing\n' });
  commit(dir, 6, 'bring app.new back');
  write(dir, { 'scripts/run.py': 'import app.legacy\n' });
  commit(dir, 7, 'a script, "quoted", outside every area');
  return dir;
}

let repo: string;
let config: Config;
beforeAll(() => {
  repo = buildRepo();
  const loaded = loadConfig(join(repo, 'canon.toml'));
  if (!('config' in loaded)) throw new Error('bad config');
  config = loaded.config;
});

/** One line per commit: subject, files, violations, kinds, suppressed, areas, priorities, moves. */
function table(points: HistoryPoint[]): string[] {
  return points.map((p) =>
    [
      p.subject, `files=${p.files}`, `v=${p.violations}`,
      `legacy=${p.byKind['legacy-import']}`, `unresolved=${p.byKind.unresolved}`, `strings=${p.byKind['string-reference']}`, `suppressed=${p.suppressed}`,
      `api=${p.byArea.api}`, `tests=${p.byArea.tests}`, `other=${p.byArea.other}`,
      `crit=${p.byPriority.critical}`, `high=${p.byPriority.high}`, `med=${p.byPriority.medium}`, `low=${p.byPriority.low}`,
      `old=${p.byMove['app.old:Thing']}`, `legacy=${p.byMove['app.legacy']}`,
    ].join(' '),
  );
}

describe('collectHistory', () => {
  test('exact counts at every commit, oldest first', async () => {
    const stats = {} as HistoryStats;
    const points = await collectHistory(config, { stats });
    expect(table(points)).toEqual([
      'initial files=9 v=1 legacy=1 unresolved=0 strings=0 suppressed=0 api=1 tests=0 other=0 crit=1 high=0 med=0 low=0 old=1 legacy=0',
      'add legacy imports files=9 v=4 legacy=4 unresolved=0 strings=0 suppressed=0 api=2 tests=2 other=0 crit=2 high=0 med=2 low=0 old=2 legacy=2',
      'fix views files=9 v=2 legacy=2 unresolved=0 strings=0 suppressed=0 api=0 tests=2 other=0 crit=0 high=0 med=2 low=0 old=1 legacy=1',
      // tests/test_views.py and app/api/views.py did not change, but `app.new` is gone.
      'rename new.py to things.py files=9 v=4 legacy=2 unresolved=2 strings=0 suppressed=0 api=1 tests=3 other=0 crit=1 high=0 med=3 low=0 old=1 legacy=1',
      'add extra, with a suppressed import files=10 v=5 legacy=2 unresolved=3 strings=1 suppressed=1 api=2 tests=3 other=0 crit=2 high=0 med=3 low=0 old=1 legacy=1',
      'bring app.new back files=11 v=3 legacy=2 unresolved=1 strings=1 suppressed=1 api=1 tests=2 other=0 crit=1 high=0 med=2 low=0 old=1 legacy=1',
      'a script, "quoted", outside every area files=12 v=4 legacy=3 unresolved=1 strings=1 suppressed=1 api=1 tests=2 other=1 crit=1 high=0 med=2 low=1 old=1 legacy=2',
    ]);
    expect(points.map((p) => p.date)).toEqual([1, 2, 3, 4, 5, 6, 7].map((d) => `2025-09-0${d}T12:00:00+00:00`));
    expect(points[0].author).toBe('Dev One');
    expect(points[0].commit).toMatch(/^[0-9a-f]{40}$/);
    // Files that did not change (and whose imports answer the same) are not analyzed again; the
    // last commit adds a top-level package, which makes every result stale.
    expect(stats).toMatchObject({ commits: 7, analyzed: 9 + 2 + 1 + 4 + 1 + 3 + 12 });
  });

  test('the last commit agrees with canon scan of the same tree', async () => {
    const [last] = (await collectHistory(config, { commits: 1 })).slice(-1);
    const scan = await runScan(config);
    const s = summarize(scan.findings, scan.verdicts, config.areas, scan.stats, false);
    expect(last.violations).toBe(s.violations);
    expect(last.byKind).toEqual(s.byKind);
    expect(last.byPriority).toEqual(s.byPriority);
    expect(last.suppressed).toBe(s.suppressed);
    expect(last.files).toBe(s.filesScanned);
  });

  test('--strings counts string references as violations', async () => {
    const points = await collectHistory(config, { strings: true, since: '2025-09-05 00:00:00' });
    expect(points.map((p) => [p.subject, p.violations, p.byArea.api, p.byMove['app.old:Thing']])).toEqual([
      ['add extra, with a suppressed import', 6, 3, 2],
      ['bring app.new back', 4, 2, 2],
      ['a script, "quoted", outside every area', 5, 2, 2],
    ]);
  });

  test('selection: --since, --commits, --rev', async () => {
    const subjects = async (sel: Parameters<typeof collectHistory>[1]) => (await collectHistory(config, sel)).map((p) => p.subject);
    expect(await subjects({ since: '2025-09-06 00:00' })).toEqual(['bring app.new back', 'a script, "quoted", outside every area']);
    expect(await subjects({ commits: 2 })).toEqual(['bring app.new back', 'a script, "quoted", outside every area']);
    expect(await subjects({ since: '2025-09-02 00:00', commits: 1, rev: 'HEAD~3' })).toEqual(['rename new.py to things.py']);
    // Counts do not depend on where the walk starts.
    const [p] = await collectHistory(config, { commits: 1, rev: 'HEAD~3' });
    expect(table([p])[0]).toContain('files=9 v=4 legacy=2 unresolved=2');
  });
});

describe('canon history', () => {
  test('csv: one row per commit, quoted where needed', () => {
    const r = runCli(['history', '--format', 'csv'], { cwd: repo });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.split('\r\n');
    expect(lines[0]).toBe(
      'commit,date,author,subject,files,violations,legacy_imports,unresolved,string_references,suppressed,' +
        'area:api,area:tests,area:other,priority:critical,priority:high,priority:medium,priority:low,move:app.old:Thing,move:app.legacy',
    );
    const rows = lines.slice(1, -1).map((l) => l.replace(/^[0-9a-f]{40},/, '<sha>,'));
    expect(rows).toEqual([
      '<sha>,2025-09-01T12:00:00+00:00,Dev One,initial,9,1,1,0,0,0,1,0,0,1,0,0,0,1,0',
      '<sha>,2025-09-02T12:00:00+00:00,Dev One,add legacy imports,9,4,4,0,0,0,2,2,0,2,0,2,0,2,2',
      '<sha>,2025-09-03T12:00:00+00:00,Dev One,fix views,9,2,2,0,0,0,0,2,0,0,0,2,0,1,1',
      '<sha>,2025-09-04T12:00:00+00:00,Dev One,rename new.py to things.py,9,4,2,2,0,0,1,3,0,1,0,3,0,1,1',
      '<sha>,2025-09-05T12:00:00+00:00,Dev One,"add extra, with a suppressed import",10,5,2,3,1,1,2,3,0,2,0,3,0,1,1',
      '<sha>,2025-09-06T12:00:00+00:00,Dev One,bring app.new back,11,3,2,1,1,1,1,2,0,1,0,2,0,1,1',
      '<sha>,2025-09-07T12:00:00+00:00,Dev One,"a script, ""quoted"", outside every area",12,4,3,1,1,1,1,2,1,1,0,2,1,1,2',
    ]);
    expect(lines[lines.length - 1]).toBe('');
  });

  test('json: the documented shape', () => {
    const r = runCli(['history', '--format', 'json', '--commits', '1'], { cwd: repo });
    const doc = JSON.parse(r.stdout);
    expect(Object.keys(doc)).toEqual(['version', 'strings', 'areas', 'moves', 'commits']);
    expect(doc).toMatchObject({ version: 1, strings: false, areas: ['api', 'tests', 'other'], moves: ['app.old:Thing', 'app.legacy'] });
    expect(doc.commits).toHaveLength(1);
    const { commit, ...rest } = doc.commits[0];
    expect(commit).toMatch(/^[0-9a-f]{40}$/);
    expect(rest).toEqual({
      date: '2025-09-07T12:00:00+00:00',
      author: 'Dev One',
      subject: 'a script, "quoted", outside every area',
      files: 12,
      violations: 4,
      byKind: { 'legacy-import': 3, unresolved: 1, 'string-reference': 1 },
      suppressed: 1,
      byArea: { api: 1, tests: 2, other: 1 },
      byPriority: { critical: 1, high: 0, medium: 2, low: 1 },
      byMove: { 'app.old:Thing': 1, 'app.legacy': 2 },
    });
  });

  test('text: a table with the change per commit, fitted to the width; a table per breakdown', () => {
    // Not a terminal: $COLUMNS gives the width, else 100.
    const r = runCli(['history', '--since', '2025-09-03'], { cwd: repo, env: { COLUMNS: '' } });
    const shas = git(repo, ['log', '--format=%H', '-5']).trim().split('\n').reverse().map((s) => s.slice(0, 10));
    const breakdowns = [
      '',
      'By priority (oldest -> newest commit):',
      '  critical  0 -> 1  (+1)',
      '  high      0 -> 0',
      '  medium    2 -> 2',
      '  low       0 -> 1  (+1)',
      '',
      'By area (oldest -> newest commit):',
      '  api    0 -> 1  (+1)',
      '  tests  2 -> 2',
      '  other  0 -> 1  (+1)',
      '',
      'By move (oldest -> newest commit):',
      '  app.old:Thing  1 -> 1',
      '  app.legacy     1 -> 2  (+1)',
      '',
      '5 commits: 2 -> 4 violations (+2).',
      '',
    ];
    expect(r.stdout).toBe(
      [
        'commit      date        violations  change  subject',
        `${shas[0]}  2025-09-03           2          fix views`,
        `${shas[1]}  2025-09-04           4      +2  rename new.py to things.py`,
        `${shas[2]}  2025-09-05           5      +1  add extra, with a suppressed import`,
        `${shas[3]}  2025-09-06           3      -2  bring app.new back`,
        `${shas[4]}  2025-09-07           4      +1  a script, "quoted", outside every area`,
        ...breakdowns,
      ].join('\n'),
    );
    expect(r.code).toBe(0);
    // 60 columns: 44 for the counts, 16 for the subject.
    const narrow = runCli(['history', '--since', '2025-09-03'], { cwd: repo, env: { COLUMNS: '60' } });
    const rows = narrow.stdout.split('\n').slice(0, 6);
    expect(rows.slice(2)).toEqual([
      `${shas[1]}  2025-09-04           4      +2  rename new.py t…`,
      `${shas[2]}  2025-09-05           5      +1  add extra, with…`,
      `${shas[3]}  2025-09-06           3      -2  bring app.new b…`,
      `${shas[4]}  2025-09-07           4      +1  a script, "quot…`,
    ]);
    for (const line of narrow.stdout.split('\n')) expect(line.length).toBeLessThanOrEqual(60);
  });

  test('usage errors: exit 2', () => {
    const cases: [string[], string, string][] = [
      [['history', '--since', 'soonish'], repo, 'error: --since: expected a date like 2025-09-01 (or "3 weeks ago"), got "soonish"\n'],
      [['history', '--commits', '0'], repo, 'error: --commits: expected an integer >= 1\n'],
      [['history', '--rev', '-p'], repo, 'error: --rev: not a revision: "-p"\n'],
    ];
    for (const [args, cwd, stderr] of cases) {
      const r = runCli(args, { cwd });
      expect(r.stderr).toBe(stderr);
      expect(r.code).toBe(2);
    }
    const bad = runCli(['history', '--rev', 'nope'], { cwd: repo });
    expect(bad.stderr).toMatch(/^error: cannot list the commits: git log .* failed \(exit 128\): fatal: /);
    expect(bad.code).toBe(2);
    const plain = makeProject({ 'canon.toml': CONFIG, 'app/__init__.py': '' });
    const r = runCli(['history'], { cwd: plain });
    expect(r.stderr).toBe(`error: canon history reads git history, but ${plain} is not in a git work tree\n`);
    expect(r.code).toBe(2);
    expect(runCli(['history'], { cwd: makeProject({ 'x.py': '' }) }).code).toBe(2); // no config
  });
});

test('a project in a subfolder of its repository: only its files, paths relative to it', async () => {
  const dir = makeProject({
    'proj/canon.toml': '[[move]]\nfrom = "pkg.old:X"\nto = "pkg.new:X"\n\n[[area]]\nname = "core"\npaths = ["pkg/**"]\npriority = "high"\n',
    'proj/pkg/__init__.py': '',
    'proj/pkg/new.py': 'X = 1\n',
    'proj/pkg/old.py': 'from pkg.new import X\n',
    'proj/pkg/use.py': 'from pkg.old import X\n',
    'elsewhere/pkg/use.py': 'from pkg.old import X\nfrom pkg.old import X as Y\n',
  });
  initRepo(dir);
  commit(dir, 1, 'one');
  rmSync(join(dir, 'proj/pkg/use.py'));
  commit(dir, 2, 'two');
  const r = runCli(['history', '--format', 'csv'], { cwd: join(dir, 'proj', 'pkg') });
  expect(r.stdout.split('\r\n').slice(1, -1).map((l) => l.split(',').slice(3).join(','))).toEqual([
    'one,4,1,1,0,0,0,1,0,0,1,0,0,1',
    'two,3,0,0,0,0,0,0,0,0,0,0,0,0',
  ]);
});

test('imports of modules git ignores (generated) count at no commit, as scan does not report them; uncommitted new modules still do', async () => {
  const dir = makeProject({
    'canon.toml': 'src = ["."]\n',
    '.gitignore': '*_pb2.py\n',
    'app/__init__.py': '',
    'app/use.py': 'from app.msg_pb2 import Msg\nfrom app.later import x\nfrom app.gone import y\n',
  });
  initRepo(dir);
  commit(dir, 1, 'first');
  write(dir, { 'app/msg_pb2.py': 'class Msg: pass\n', 'app/later.py': 'x = 1\n' });
  const loaded = loadConfig(join(dir, 'canon.toml'));
  if (!('config' in loaded)) throw new Error('bad config');
  const [point] = await collectHistory(loaded.config, {});
  // app.later is on disk but not ignored: not yet committed, so still missing at that commit.
  expect(point.byKind.unresolved).toBe(2);
  const scan = await runScan(loaded.config);
  expect(scan.findings.map((f) => f.legacy)).toEqual(['app.gone']);
  rmSync(join(dir, 'app/msg_pb2.py'));
  expect((await collectHistory(loaded.config, {}))[0].byKind.unresolved).toBe(3);
});
