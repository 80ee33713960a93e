// `canon discover` run as a user runs it (the built binary, NO_COLOR): exact output on the example
// project with and without its config, exit codes, the JSON contract, usage errors, and the same
// answer on one thread and on several.
import { readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { copyExample, makeProject, runCli } from '../helpers/project.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
const fixture = (name: string): string => readFileSync(join(FIXTURES, name), 'utf8');

describe('the example project', () => {
  test('text: groups, the unresolved import, paste-ready moves not yet configured; exit 1', () => {
    const dir = copyExample();
    const r = runCli(['discover'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(fixture('example.txt'));
    expect(r.code).toBe(1);
  });

  test('without any config: the folder as it is, every move suggested', () => {
    const dir = copyExample();
    rmSync(join(dir, 'canon.toml'));
    const r = runCli(['discover'], { cwd: dir });
    expect(r.stdout).toBe(fixture('example-noconfig.txt'));
    expect(r.code).toBe(1);
  });

  test('markdown', () => {
    const r = runCli(['discover', '--format', 'markdown'], { cwd: copyExample() });
    expect(r.stdout).toBe(fixture('example.md'));
    expect(r.code).toBe(1);
  });

  test('paths are shown relative to the working directory', () => {
    const dir = copyExample();
    const r = runCli(['discover'], { cwd: join(dir, 'app', 'services') });
    expect(r.stdout).toContain('\ncorpus/clickhouse_operations.py:9:10: app.websocket_core.old_factory:create_manager: module app.websocket_core.old_factory does not exist\n');
  });

  test('json: the documented shape', () => {
    const r = runCli(['discover', '--format', 'json'], { cwd: copyExample() });
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(Object.keys(doc)).toEqual(['version', 'summary', 'consolidation', 'moves', 'breaches', 'unresolved', 'errors', 'patched']);
    expect(doc.version).toBe(1);
    expect(doc.summary).toEqual({
      files: 30, imports: 90, paths: 45, consolidation: 7, moves: 10, importsToMove: 25, breaches: 0, unresolved: 1, patched: 0, dynamic: 0,
    });
    expect(doc.consolidation[0]).toEqual({
      target: 'app.websocket_core.websocket_manager:WebSocketManager',
      kind: 'class',
      line: 25,
      canonical: 'app.websocket_core.websocket_manager:WebSocketManager',
      rule: 'defining-module',
      imports: 13,
      toMove: 9,
      paths: [
        { path: 'app.websocket_core.websocket_manager:WebSocketManager', imports: 4, files: 4, role: 'canonical', kept: 0, keptFiles: 0 },
        // 6 imports, and 3 attribute uses (`manager.WebSocketManager` twice, `legacy_mgr.WebSocketManager`).
        { path: 'app.websocket_core.manager:WebSocketManager', imports: 9, files: 8, role: 'move', kept: 0, keptFiles: 0 },
      ],
    });
    expect(doc.moves[0]).toEqual({
      from: 'app.websocket_core.manager:WebSocketManager',
      to: 'app.websocket_core.websocket_manager:WebSocketManager',
      imports: 9,
      files: 8,
      rule: 'defining-module',
      configured: true,
      kept: 0,
    });
    expect(doc.unresolved).toEqual([
      {
        import: 'app.websocket_core.old_factory:create_manager',
        reason: 'module app.websocket_core.old_factory does not exist',
        imports: 1,
        sites: [{ file: 'app/services/corpus/clickhouse_operations.py', line: 9, column: 10 }],
      },
    ]);
    expect(doc.errors).toEqual([]);
  });
});

describe('exit codes and usage errors', () => {
  test('a clean import graph: exit 0', () => {
    const dir = makeProject({ 'pkg/__init__.py': '', 'pkg/a.py': 'class A:\n    pass\n', 'b.py': 'from pkg.a import A\nimport os\n' });
    const r = runCli(['discover'], { cwd: dir });
    expect(r.stdout).toBe('No consolidation work found. Scanned 3 files, 2 distinct import paths.\n');
    expect(r.code).toBe(0);
    expect(runCli(['discover', '--format', 'markdown'], { cwd: dir }).stdout).toBe(
      '# canon discover report\n\n## Summary\n\n- **Files scanned**: 3 (2 distinct import paths)\n- **Symbols to consolidate**: 0 (0 moves, 0 imports to rewrite)\n' +
        '- **Names that resolve to different definitions**: 0\n- **Unresolved imports**: 0\n\nNo consolidation work found.\n',
    );
  });

  test('breaches alone fail too, and are listed', () => {
    const dir = makeProject({
      'a/__init__.py': '', 'a/m.py': 'class Manager:\n    pass\n',
      'b/__init__.py': '', 'b/m.py': 'class Manager:\n    pass\n',
      'x.py': 'from a.m import Manager\n', 'y.py': 'from b.m import Manager\n',
      'x2.py': 'from a.m import Manager\n', 'y2.py': 'from b.m import Manager\n', 'z.py': 'from a.m import Manager as M\n',
    });
    const r = runCli(['discover'], { cwd: dir });
    expect(r.stdout).toBe(
      'Names that resolve to different definitions (1):\n\n' +
        'Manager: 2 definitions, imported 5 times in 5 files\n' +
        '  a.m:Manager (class, line 1): 3 imports in 3 files\n        3  a.m:Manager\n' +
        '  b.m:Manager (class, line 1): 2 imports in 2 files\n        2  b.m:Manager\n\n' +
        'Found 0 symbols to consolidate (0 moves, 0 imports to rewrite), 1 breach, 0 unresolved imports. Scanned 9 files, 2 distinct import paths.\n',
    );
    expect(r.code).toBe(1);
    expect(runCli(['discover', '--min-files', '3'], { cwd: dir }).code).toBe(0);
  });

  test('bad flags and a missing --config: error, exit 2', () => {
    const dir = copyExample();
    const cases: [string[], string][] = [
      [['discover', '--min-files', '0'], 'error: --min-files: expected an integer >= 1\n'],
      [['discover', '--jobs', 'x'], 'error: --jobs: expected an integer >= 1, got "x"\n'],
      [['--config', 'nope.toml', 'discover'], 'error: invalid configuration (1 problem):\n  nope.toml: cannot read config file: no such file\n'],
    ];
    for (const [args, stderr] of cases) {
      const r = runCli(args, { cwd: dir });
      expect(r.stderr).toBe(stderr);
      expect(r.stdout).toBe('');
      expect(r.code).toBe(2);
    }
    const bad = runCli(['discover', '--format', 'xml'], { cwd: dir });
    expect(bad.stderr).toContain("error: option '--format <format>' argument 'xml' is invalid");
    expect(bad.code).toBe(2);
  });
});

test('the same output on one thread and on several, relative imports included', () => {
  const files: Record<string, string> = {
    'core/__init__.py': '',
    'core/base.py': 'class Base:\n    pass\n',
    'core/shim.py': 'from .base import Base\n',
  };
  for (let i = 0; i < 900; i++) {
    const pkg = `p${i % 30}`;
    files[`${pkg}/__init__.py`] = 'from core.shim import Base\n';
    files[`${pkg}/m${i}.py`] =
      i % 3 === 0 ? 'from . import m0\nfrom core.shim import Base\n'
      : i % 3 === 1 ? 'from core.base import Base\nfrom .gone import x\n'
      : 'from ..core.shim import Base\n';
  }
  const dir = makeProject(files);
  const one = runCli(['discover', '--format', 'json', '--jobs', '1'], { cwd: dir });
  const three = runCli(['discover', '--format', 'json', '--jobs', '3'], { cwd: dir });
  const auto = runCli(['discover', '--format', 'json'], { cwd: dir });
  expect(three.stdout).toBe(one.stdout);
  expect(auto.stdout).toBe(one.stdout);
  const doc = JSON.parse(one.stdout);
  expect(doc.summary.files).toBe(933);
  // m1, m4, ... import core.base directly; the rest go through the shim (the p*/__init__ files, 300
  // `from core.shim` and 300 `from ..core.shim`: the last are beyond the top-level package).
  expect(doc.consolidation.map((c: { paths: { path: string; imports: number }[] }) => c.paths.map((p) => `${p.path}=${p.imports}`))).toEqual([
    ['core.base:Base=301', 'core.shim:Base=330'],
  ]);
  expect(doc.unresolved.map((u: { import: string; imports: number; sites: unknown[] }) => [u.import, u.imports, u.sites.length])).toEqual(
    // m_i with i % 3 == 1 sit in the packages p1, p4, ..., p28 (30 files each) and import .gone;
    // those with i % 3 == 0 in p0, p3, ..., p27 import m0, which only p0 has.
    [
      ...Array.from({ length: 10 }, (_, k) => [`p${3 * k + 1}.gone:x`, 30, 30]),
      ...Array.from({ length: 9 }, (_, k) => [`p${3 * k + 3}:m0`, 30, 30]),
    ].sort((a, b) => (a[0] < b[0] ? -1 : 1)),
  );
});describe('what stays', () => {
  const files = {
    'pub/__init__.py': 'from _priv.mp import MP\nfrom _priv import fixtures\n',
    '_priv/__init__.py': '',
    '_priv/mp.py': 'class MP:\n    pass\n',
    '_priv/fixtures.py': 'from _priv.mp import MP\n',
    '_priv/timing.py': 'from time import time\n',
    '_priv/runner.py': 'from _priv import timing\n\ntiming.time()\n',
    '_priv/other.py': 'from time import time\n',
    'tests/test_a.py': 'from _priv.mp import MP\n',
    'tests/test_b.py': 'from pub import MP\n',
    'tests/conftest.py': 'def test(monkeypatch):\n    monkeypatch.setattr("_priv.timing.time", lambda: 0)\n',
  };

  test('text: imports kept where the canonical path would close a cycle, and re-exports that tests patch', () => {
    const r = runCli(['discover'], { cwd: makeProject(files) });
    expect(r.stdout).toBe(
      [
        'Symbols imported through more than one path (1):',
        '',
        '_priv.mp:MP (class, line 1)',
        '  canonical: pub:MP (rule: most-used-public-path)',
        '  imports  files  path',
        '        1      1  pub:MP  (canonical)',
        '        3      3  _priv.mp:MP  (2 imports in 2 files kept: importing the canonical module runs them)',
        '',
        'Re-exports that tests patch, kept (1):',
        '_priv.timing:time (re-exports time:time; 1 use left going through it): tests patch _priv.timing at tests/conftest.py:2:25 (time)',
        '',
        'Suggested moves (paste into canon.toml, then run `canon verify`):',
        '',
        '# _priv.mp:MP (class, line 1); canonical by rule most-used-public-path',
        '# 2 imports of _priv.mp:MP to keep: importing pub runs their files (a cycle)',
        '[[move]]',
        'from = "_priv.mp:MP"',
        'to = "pub:MP"',
        '',
        'Found 1 symbol to consolidate (1 move, 1 import to rewrite), 0 breaches, 0 unresolved imports. Scanned 10 files, 6 distinct import paths; 1 re-export kept because tests patch it.',
        '',
      ].join('\n'),
    );
    expect(r.code).toBe(1);
  });

  test('markdown and json say the same', () => {
    const dir = makeProject(files);
    const md = runCli(['discover', '--format', 'markdown'], { cwd: dir }).stdout;
    expect(md).toContain('| `_priv.mp:MP` | 3 | 3 | move (2 kept: importing the canonical module runs their files) |\n');
    expect(md).toContain(
      '## Re-exports that tests patch, kept\n\n| path | re-exports | uses | the module patched at |\n|---|---|---:|---|\n' +
        '| `_priv.timing:time` | `time:time` | 1 | `tests/conftest.py:2:25` (`_priv.timing.time`) |\n',
    );
    const doc = JSON.parse(runCli(['discover', '--format', 'json'], { cwd: dir }).stdout);
    expect(doc.consolidation[0].paths[1]).toEqual({ path: '_priv.mp:MP', imports: 3, files: 3, role: 'move', kept: 2, keptFiles: 2 });
    expect(doc.moves).toEqual([{ from: '_priv.mp:MP', to: 'pub:MP', imports: 1, files: 1, rule: 'most-used-public-path', configured: false, kept: 2 }]);
    expect(doc.patched).toEqual([
      { path: '_priv.timing:time', target: 'time:time', imports: 1, patches: [{ file: 'tests/conftest.py', line: 2, column: 25, patched: '_priv.timing.time' }] },
    ]);
  });
});


