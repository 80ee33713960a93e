// The scan and verify commands end to end: the built binary on a copy of the example project,
// exact output for every format (fixtures; UPDATE_FIXTURES=1 rewrites them after a reviewed change).

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { CLI, copyExample, makeProject, runCli } from '../helpers/project.js';

const FIXTURES = join(import.meta.dirname, 'fixtures/example');

function expectFixture(name: string, actual: string): void {
  const path = join(FIXTURES, name);
  if (process.env.UPDATE_FIXTURES || !existsSync(path)) writeFileSync(path, actual);
  expect(actual).toBe(readFileSync(path, 'utf8'));
}

let dir: string;
beforeAll(() => {
  dir = copyExample();
});

describe('canon scan on the example project', () => {
  for (const [format, file] of [
    ['text', 'scan.txt'],
    ['json', 'scan.json'],
    ['markdown', 'scan.md'],
    ['sarif', 'scan.sarif'],
    ['github', 'scan.github.txt'],
    ['concise', 'scan.concise.txt'],
    ['json-lines', 'scan.jsonl'],
    ['junit', 'scan.junit.xml'],
    ['gitlab', 'scan.gitlab.json'],
  ] as const) {
    test(`--format ${format}`, () => {
      // GitLab's paths are relative to $CI_PROJECT_DIR when it is set: here it is not.
      const r = runCli(['scan', '--format', format], { cwd: dir, env: { CI_PROJECT_DIR: '' } });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(1);
      expectFixture(file, r.stdout);
    });
  }

  test('json-lines holds the JSON document\'s findings, one per line; junit and gitlab list the violations', () => {
    const doc = JSON.parse(runCli(['scan', '--format', 'json'], { cwd: dir }).stdout);
    const lines = runCli(['scan', '--format', 'json-lines'], { cwd: dir }).stdout.trimEnd().split('\n');
    expect(lines.map((l) => JSON.parse(l))).toEqual(doc.findings);
    const junit = runCli(['scan', '--format', 'junit'], { cwd: dir }).stdout;
    expect([...junit.matchAll(/<testcase name="canon\.(CAN\d+)"/g)].length).toBe(doc.summary.violations);
    // Well-formed XML, as python3 reads it.
    const py = spawnSync('python3', ['-c', 'import sys, xml.etree.ElementTree as E; r = E.parse(sys.stdin).getroot(); print(r.get("failures"), len(r.findall(".//failure")))'], { input: junit, encoding: 'utf8' });
    expect(py.stdout).toBe(`${doc.summary.violations} ${doc.summary.violations}\n`);
    const gitlab = JSON.parse(runCli(['scan', '--format', 'gitlab'], { cwd: dir, env: { CI_PROJECT_DIR: '' } }).stdout) as { severity: string; fingerprint: string }[];
    expect(gitlab.filter((i) => i.severity === 'major').length).toBe(doc.summary.violations);
    expect(gitlab.filter((i) => i.severity === 'info').length).toBe(1);
    expect(new Set(gitlab.map((i) => i.fingerprint)).size).toBe(gitlab.length);
    // Paths relative to the repository GitLab checked out.
    const nested = JSON.parse(runCli(['scan', '--format', 'gitlab'], { cwd: dir, env: { CI_PROJECT_DIR: join(dir, '..') } }).stdout) as { location: { path: string } }[];
    expect(nested[0]!.location.path).toBe(`${dir.split('/').pop()}/app/agents/supervisor/agent_registry.py`);
  });

  test('the JSON document counts what the answer key lists', () => {
    const doc = JSON.parse(runCli(['scan', '--format', 'json'], { cwd: dir }).stdout);
    expect(doc.version).toBe(1);
    expect(doc.summary.byKind).toEqual({ 'legacy-import': 21, unresolved: 1, 'string-reference': 1 });
    expect(doc.summary.violations).toBe(22);
    const divergent = doc.findings.filter((f: { fixable: boolean; kind: string }) => !f.fixable && f.kind === 'legacy-import');
    expect(divergent.map((f: { file: string; line: number }) => `${f.file}:${f.line}`)).toEqual(['app/agents/supervisor/agent_registry.py:4']);
    // Decoys in docstrings, comments and strings are never imports.
    const lines = doc.findings.map((f: { file: string; line: number }) => `${f.file}:${f.line}`);
    for (const decoy of ['app/routes/websocket_routes.py:5', 'app/services/websocket/message_queue.py:13', 'app/routes/utils/thread_title_generator.py:12']) {
      expect(lines).not.toContain(decoy);
    }
  });

  test('filters: --area, --priority, --move and path arguments', () => {
    const area = JSON.parse(runCli(['scan', '--format', 'json', '--area', 'routes'], { cwd: dir }).stdout);
    expect(new Set(area.findings.map((f: { area: string }) => f.area))).toEqual(new Set(['routes']));
    expect(area.summary.violations).toBe(5);
    const prio = JSON.parse(runCli(['scan', '--format', 'json', '--priority', 'medium'], { cwd: dir }).stdout);
    expect(prio.summary.violations).toBe(3);
    const move = JSON.parse(runCli(['scan', '--format', 'json', '--move', 'app.legacy_utils'], { cwd: dir }).stdout);
    expect(move.summary.violations).toBe(2);
    const path = JSON.parse(runCli(['scan', '--format', 'json', 'app/services'], { cwd: dir }).stdout);
    expect(path.summary.filesScanned).toBe(6);
    expect(path.summary.violations).toBe(7);
  });

  test('--strings counts string references as violations', () => {
    const doc = JSON.parse(runCli(['scan', '--format', 'json', '--strings'], { cwd: dir }).stdout);
    expect(doc.summary.violations).toBe(23);
  });

  test('workers give the same findings as one thread', () => {
    const one = runCli(['scan', '--format', 'json', '--jobs', '1'], { cwd: dir }).stdout;
    const two = runCli(['scan', '--format', 'json', '--jobs', '2'], { cwd: dir }).stdout;
    expect(two).toBe(one);
  });

  test('scanning from a subfolder prints paths relative to it', () => {
    const r = runCli(['scan', '--area', 'routes'], { cwd: join(dir, 'app/routes') });
    expect(r.stdout.split('\n')[0]).toBe(
      'utils/thread_title_generator.py:4:35: CAN001 legacy import `app.legacy_utils.text`; use `app.utils.text`',
    );
  });
});

describe('canon verify on the example project', () => {
  test('text', () => {
    const r = runCli(['verify'], { cwd: dir });
    expect(r.code).toBe(1);
    expectFixture('verify.txt', r.stdout);
  });
  test('json', () => {
    const r = runCli(['verify', '--format', 'json'], { cwd: dir });
    expect(r.code).toBe(1);
    expectFixture('verify.json', r.stdout);
  });
  test('exit 0 when every move is the same object', () => {
    const r = runCli(['verify', '--move', 'app.websocket_core.manager:WebSocketManager'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe(
      'same       app.websocket_core.manager:WebSocketManager -> app.websocket_core.websocket_manager:WebSocketManager',
    );
  });
});

describe('suppression and clean trees', () => {
  test('# canon: ignore suppresses and is counted', () => {
    const p = makeProject({
      'canon.toml': '[[move]]\nfrom = "pkg.old:A"\nto = "pkg.new:A"\n',
      'pkg/__init__.py': '',
      'pkg/new.py': 'class A: ...\n',
      'pkg/old.py': 'from pkg.new import A\n',
      'use.py': 'from pkg.old import A  # canon: ignore\nfrom pkg.new import A as B\n',
    });
    const r = runCli(['scan'], { cwd: p });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('\nNo violations. Scanned 4 files; 1 suppressed.\n');
  });
});

describe('usage and config errors exit 2 with a located message', () => {
  test('no config', () => {
    const p = makeProject({ 'a.py': '' });
    const r = runCli(['scan'], { cwd: p });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('error: no canon.toml or pyproject.toml with [tool.canon] found in this folder or above; run `canon init` or pass --config PATH\n');
  });
  test('bad move path and unknown priority', () => {
    const p = makeProject({
      'canon.toml': '[[move]]\nfrom = "app..x:Y"\nto = "app.y:Y"\n\n[[area]]\nname = "r"\npaths = ["r/**"]\npriority = "urgent"\n',
    });
    const r = runCli(['scan'], { cwd: p });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')[0]).toBe('error: invalid configuration (2 problems):');
    expect(r.stderr).toContain('  canon.toml:2:8: move[0].from:');
    expect(r.stderr).toContain('  canon.toml:8:12: area[0].priority:');
  });
  test('a command that stops before scanning exits at once (the thread started ahead for it does not hold the process)', () => {
    const p = makeProject({ 'canon.toml': '[[move]\nfrom = 1\n', 'a.py': '' });
    // A process that hung would be killed at the timeout, with no exit code.
    for (const cmd of [['scan'], ['check'], ['baseline']]) {
      const r = runCli(cmd, { cwd: p, timeout: 20_000 });
      expect(r.code, `${cmd[0]}: ${r.stderr}`).toBe(2);
    }
  });
  test('TOML syntax error', () => {
    const p = makeProject({ 'canon.toml': '[[move]\nfrom = 1\n' });
    const r = runCli(['scan'], { cwd: p });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: invalid configuration \(1 problem\):\n {2}canon\.toml:1:\d+: invalid TOML: /);
  });
  test('unknown filter values', () => {
    expect(runCli(['scan', '--area', 'nowhere'], { cwd: dir }).stderr).toBe(
      'error: --area: unknown area "nowhere" (areas: routes, supervisor, services, websocket_core, mission_critical, other)\n',
    );
    expect(runCli(['scan', '--priority', 'urgent'], { cwd: dir }).code).toBe(2);
    expect(runCli(['scan', '--format', 'yaml'], { cwd: dir }).code).toBe(2);
  });
  test('a path argument that does not exist', () => {
    const r = runCli(['scan', 'no/such/dir'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: bad path argument:\n {2}no\/such\/dir: /);
  });
  test('a reader that goes away (`canon scan | true`): nothing more is printed, no trace, the exit code is the scan\'s', () => {
    // `true` exits without reading: canon's write meets a closed pipe (EPIPE).
    for (let i = 0; i < 3; i++) {
      const r = spawnSync('sh', ['-c', `{ "${process.execPath}" "${CLI}" scan --format json; echo "exit $?" >&2; } | true`], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
      expect(r.stderr).toBe('exit 1\n');
    }
  });
  test('output that cannot be written (a full disk under `> file`): one line, exit 2', () => {
    if (!existsSync('/dev/full')) return;
    const r = spawnSync('sh', ['-c', `"${process.execPath}" "${CLI}" scan --format json > /dev/full`], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(r.stderr).toBe('error: cannot write standard output: ENOSPC: no space left on device, write\n');
    expect(r.status).toBe(2);
  });
});
