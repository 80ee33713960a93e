// The conventions a ruff user reaches for, through the built binary (NO_COLOR), exact output:
// --output-format, --statistics, --exit-zero, --quiet, --output-file, --show-files, --show-settings,
// `# noqa: CAN001`, extend-exclude and per-file-ignores, --jobs checked, `canon` alone.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { copyExample, git, makeProject, runCli } from '../helpers/project.js';

const CONFIG = `extend-exclude = ["gen/**"]

[per-file-ignores]
"tests/**" = ["CAN003"]
"__init__.py" = ["CAN001"]

[[move]]
from = "pkg.old:Thing"
to = "pkg.new:Thing"
`;

/** Every way to keep a finding out: noqa (named, bare), canon: ignore, per-file-ignores, extend-exclude. */
function project(opts: { git?: boolean } = {}): string {
  return makeProject(
    {
      'canon.toml': CONFIG,
      'pkg/__init__.py': 'from pkg.old import Thing\n',
      'pkg/new.py': 'class Thing:\n    pass\n',
      'pkg/old.py': 'from pkg.new import Thing  # canon: ignore\n',
      'pkg/a.py': 'from pkg.old import Thing  # noqa: CAN001\n',
      'pkg/b.py': 'from pkg.old import Thing  # noqa\nimport pkg.missing  # noqa: F401\n',
      'pkg/c.py': 'from pkg.old import Thing\n',
      'pkg/d.py': 'TARGET = "pkg.old.Thing"\n',
      'tests/test_x.py': 'from pkg.old import Thing\nTARGET = "pkg.old.Thing"\n',
      'gen/g.py': 'from pkg.old import Thing\n',
    },
    opts,
  );
}

const B1 = 'pkg/b.py:1:21: CAN001 legacy import `pkg.old:Thing`; use `pkg.new:Thing`';
const B2 = 'pkg/b.py:2:8: CAN002 unresolved import: module `pkg.missing` does not exist';
const C1 = 'pkg/c.py:1:21: CAN001 legacy import `pkg.old:Thing`; use `pkg.new:Thing`';
const T1 = 'tests/test_x.py:1:21: CAN001 legacy import `pkg.old:Thing`; use `pkg.new:Thing`';

describe('suppression: # noqa, per-file-ignores, extend-exclude', () => {
  test('`# noqa: CAN001` suppresses; a bare `# noqa` does not; per-file-ignores suppress by glob and by file name', () => {
    const dir = project();
    const r = runCli(['scan', '--format', 'concise'], { cwd: dir });
    expect(r).toEqual({ stdout: [B1, B2, C1, T1, 'Found 4 violations (3 fixable) in 3 files.', ''].join('\n'), stderr: '', code: 1 });
    const doc = JSON.parse(runCli(['scan', '--format', 'json'], { cwd: dir }).stdout) as { findings: { file: string; code: string; suppressed: boolean }[]; summary: { filesScanned: number; suppressed: number } };
    const suppressed = doc.findings.filter((f) => f.suppressed).map((f) => `${f.file} ${f.code}`);
    // canon: ignore (old.py), noqa (a.py), "__init__.py" (by name), "tests/**" (CAN003 only).
    expect(suppressed).toEqual(['pkg/__init__.py CAN001', 'pkg/a.py CAN001', 'tests/test_x.py CAN003']);
    // gen/ is left out by extend-exclude: 9 files, 8 scanned.
    expect(doc.summary.filesScanned).toBe(8);
    expect(doc.findings.some((f) => f.file.startsWith('gen/'))).toBe(false);
  });

  test('fix leaves what is suppressed alone, with --strings too (the ignored string reference stays)', () => {
    const dir = project();
    const r = runCli(['fix', '--strings', '-q'], { cwd: dir });
    expect(r).toEqual({ stdout: 'refused: pkg/b.py:2:8: unresolved `pkg.missing`: module pkg.missing does not exist\n', stderr: '', code: 1 });
    expect(readFileSync(join(dir, 'pkg/__init__.py'), 'utf8')).toBe('from pkg.old import Thing\n');
    expect(readFileSync(join(dir, 'pkg/a.py'), 'utf8')).toBe('from pkg.old import Thing  # noqa: CAN001\n');
    expect(readFileSync(join(dir, 'pkg/b.py'), 'utf8')).toBe('from pkg.new import Thing  # noqa\nimport pkg.missing  # noqa: F401\n');
    expect(readFileSync(join(dir, 'pkg/d.py'), 'utf8')).toBe('TARGET = "pkg.new.Thing"\n');
    expect(readFileSync(join(dir, 'tests/test_x.py'), 'utf8')).toBe('from pkg.new import Thing\nTARGET = "pkg.old.Thing"\n');
    expect(readFileSync(join(dir, 'gen/g.py'), 'utf8')).toBe('from pkg.old import Thing\n');
  });

  test('history counts per-file-ignored findings as suppressed', () => {
    const dir = project({ git: true });
    const doc = JSON.parse(runCli(['history', '--format', 'json', '--commits', '1'], { cwd: dir }).stdout) as { commits: { violations: number; suppressed: number }[] };
    expect(doc.commits.map((p) => [p.violations, p.suppressed])).toEqual([[4, 3]]);
  });

  test('the new keys are checked like the rest of the config, with key paths', () => {
    const dir = makeProject({
      'canon.toml': [
        'extend-exclude = "gen"',
        '',
        '[per-file-ignores]',
        '"tests/**" = ["CAN009", "F401", "CAN"]',
        '"docs/**" = "CAN001"',
        '"" = ["ALL"]',
        '',
      ].join('\n'),
    });
    const r = runCli(['scan'], { cwd: dir });
    expect(r.stderr).toBe(
      [
        'error: invalid configuration (5 problems):',
        '  canon.toml:1:18: extend-exclude: expected an array of strings, got a string ("gen")',
        '  canon.toml:4:15: per-file-ignores."tests/**"[0]: unknown code "CAN009"; expected one of CAN001, CAN002, CAN003, a prefix of them (CAN00) or ALL',
        '  canon.toml:4:25: per-file-ignores."tests/**"[1]: unknown code "F401"; expected one of CAN001, CAN002, CAN003, a prefix of them (CAN00) or ALL',
        '  canon.toml:5:13: per-file-ignores."docs/**": expected an array of strings, got a string ("CAN001")',
        '  canon.toml:6:1: per-file-ignores."": the glob must not be empty',
        '',
      ].join('\n'),
    );
    expect(r.code).toBe(2);
  });

  test('a `!` glob applies to the files it does not match; prefixes and ALL select codes', () => {
    const dir = project();
    writeFileSync(join(dir, 'canon.toml'), CONFIG.replace('"tests/**" = ["CAN003"]', '"!pkg/**" = ["CAN00"]'));
    expect(runCli(['scan', '--format', 'concise', '-q'], { cwd: dir }).stdout).toBe([B1, B2, C1, ''].join('\n'));
    writeFileSync(join(dir, 'canon.toml'), CONFIG.replace('"tests/**" = ["CAN003"]', '"pkg/b.py" = ["ALL"]'));
    expect(runCli(['scan', '--format', 'concise', '-q'], { cwd: dir }).stdout).toBe([C1, T1, ''].join('\n'));
  });
});

describe('output options', () => {
  test('--output-format is --format; both, differing, is a usage error', () => {
    const dir = project();
    expect(runCli(['scan', '--output-format', 'concise'], { cwd: dir }).stdout).toBe(runCli(['scan', '--format', 'concise'], { cwd: dir }).stdout);
    expect(runCli(['check', '--output-format=json'], { cwd: dir }).stdout).toBe(runCli(['check', '--format', 'json'], { cwd: dir }).stdout);
    expect(runCli(['verify', '--output-format', 'json'], { cwd: dir }).stdout).toBe(runCli(['verify', '--format', 'json'], { cwd: dir }).stdout);
    expect(runCli(['scan', '--format', 'json', '--output-format', 'text'], { cwd: dir })).toEqual({
      stdout: '',
      stderr: 'error: --format json and --output-format text disagree; --output-format is another name for --format: give one\n',
      code: 2,
    });
    expect(runCli(['scan', '--output-format', 'full'], { cwd: dir })).toEqual({
      stdout: '',
      stderr: 'error: --output-format: unknown format "full" (expected one of text, concise, json, json-lines, markdown, sarif, github, gitlab, junit)\n',
      code: 2,
    });
  });

  test('--statistics: counts per code and move, most first; as JSON; on check with the verdict', () => {
    const dir = project();
    expect(runCli(['scan', '--statistics'], { cwd: dir })).toEqual({
      stdout: ['3  CAN001  [*] pkg.old:Thing -> pkg.new:Thing', '1  CAN002  [ ] unresolved-import', ''].join('\n'),
      stderr: '',
      code: 1,
    });
    expect(runCli(['scan', '--statistics', '--strings'], { cwd: dir }).stdout).toBe(
      ['3  CAN001  [*] pkg.old:Thing -> pkg.new:Thing', '1  CAN002  [ ] unresolved-import', '1  CAN003  [*] pkg.old:Thing -> pkg.new:Thing', ''].join('\n'),
    );
    expect(JSON.parse(runCli(['scan', '--statistics', '--format', 'json'], { cwd: dir }).stdout)).toEqual([
      { code: 'CAN001', name: 'legacy-import', move: 'pkg.old:Thing', canonical: 'pkg.new:Thing', count: 3, fixable: 3 },
      { code: 'CAN002', name: 'unresolved-import', move: null, canonical: null, count: 1, fixable: 0 },
    ]);
    expect(runCli(['check', '--statistics'], { cwd: dir }).stdout).toBe(
      ['3  CAN001  [*] pkg.old:Thing -> pkg.new:Thing', '1  CAN002  [ ] unresolved-import', '', 'check failed: 4 violations (3 fixable) in 3 files. Scanned 8 files.', ''].join('\n'),
    );
    expect(runCli(['scan', '--statistics', '--format', 'sarif'], { cwd: dir })).toEqual({
      stdout: '',
      stderr: 'error: --statistics prints a table (the default) or JSON (--format json), not --format sarif\n',
      code: 2,
    });
  });

  test('--exit-zero: 1 becomes 0, usage errors stay 2', () => {
    const dir = project();
    expect(runCli(['scan', '--exit-zero', '-q'], { cwd: dir }).code).toBe(0);
    expect(runCli(['-e', 'check'], { cwd: dir }).code).toBe(0);
    expect(runCli(['verify', '--exit-zero', '--move', 'nope'], { cwd: dir }).code).toBe(2);
  });

  test('--quiet: the findings and nothing else', () => {
    const dir = project();
    expect(runCli(['scan', '--quiet'], { cwd: dir })).toEqual({ stdout: [B1, B2, C1, T1, ''].join('\n'), stderr: '', code: 1 });
    expect(runCli(['-q', 'check'], { cwd: dir }).stdout).toBe([B1, B2, C1, T1, ''].join('\n'));
    expect(runCli(['verify', '-q'], { cwd: dir })).toEqual({ stdout: '', stderr: '', code: 0 });
    expect(runCli(['baseline', '-q'], { cwd: dir })).toEqual({ stdout: '', stderr: '', code: 0 });
    expect(runCli(['check', '-q', '--baseline', '.canon/baseline.json'], { cwd: dir })).toEqual({ stdout: '', stderr: '', code: 0 });
  });

  test('--output-file: stdout goes to the file (folders made, no colour), checked before the command runs', () => {
    const dir = project();
    const r = runCli(['scan', '--output-file', 'reports/canon.txt', '--format', 'concise'], { cwd: dir, env: { NO_COLOR: '', FORCE_COLOR: '1' } });
    expect(r).toEqual({ stdout: '', stderr: '', code: 1 });
    expect(readFileSync(join(dir, 'reports/canon.txt'), 'utf8')).toBe([B1, B2, C1, T1, 'Found 4 violations (3 fixable) in 3 files.', ''].join('\n'));
    runCli(['-o', 'reports/settings.toml', '--show-settings'], { cwd: dir });
    expect(readFileSync(join(dir, 'reports/settings.toml'), 'utf8')).toMatch(/^# Settings from canon\.toml/);
    writeFileSync(join(dir, 'afile'), '');
    for (const [path, why] of [
      ['afile/sub.txt', 'cannot write there: a part of the path is a file, not a folder'],
      ['reports', 'is a folder; name a file'],
      ['/proc/canon-nope.txt', 'cannot write there: no such file or directory'],
    ]) {
      // fix would write files: it must not run.
      expect(runCli(['fix', '--output-file', path], { cwd: dir })).toEqual({ stdout: '', stderr: `error: --output-file ${path}: ${why}\n`, code: 2 });
    }
    expect(readFileSync(join(dir, 'pkg/c.py'), 'utf8')).toBe('from pkg.old import Thing\n');
    expect(runCli(['migrate', '-o', 'log.txt'], { cwd: dir }).stderr).toMatch(/^error: --output-file: migrate prints a live log/);
  });

  test('--show-files: the files a command would read', () => {
    const dir = project();
    const all = ['pkg/__init__.py', 'pkg/a.py', 'pkg/b.py', 'pkg/c.py', 'pkg/d.py', 'pkg/new.py', 'pkg/old.py', 'tests/test_x.py'];
    expect(runCli(['scan', '--show-files'], { cwd: dir })).toEqual({ stdout: all.map((f) => f + '\n').join(''), stderr: '', code: 0 });
    expect(runCli(['check', '--show-files', 'tests'], { cwd: dir }).stdout).toBe('tests/test_x.py\n');
    expect(runCli(['fix', '--show-files', 'b.py'], { cwd: join(dir, 'pkg') }).stdout).toBe('b.py\n');
    expect(runCli(['baseline', '--show-files'], { cwd: dir }).stdout).toBe(all.map((f) => f + '\n').join(''));
    expect(runCli(['discover', '--show-files'], { cwd: dir }).stdout).toBe(all.map((f) => f + '\n').join(''));
    expect(runCli(['scan', '--show-files', 'gen/g.py'], { cwd: dir })).toEqual({ stdout: '', stderr: 'error: bad path argument:\n  gen/g.py: not selected: it matches `exclude`\n', code: 2 });
  });

  test('--show-settings: the configuration with its defaults, as TOML canon reads back', () => {
    const dir = project();
    const r = runCli(['check', '--show-settings'], { cwd: dir });
    expect(r.stdout).toBe(
      [
        `# Settings from canon.toml, defaults filled in (project root: ${dir})`,
        'src = ["."]',
        'include = ["**/*.py"]',
        'exclude = ["gen/**"]   # exclude, then extend-exclude',
        '',
        '[per-file-ignores]',
        '"tests/**" = ["CAN003"]',
        '"__init__.py" = ["CAN001"]',
        '',
        '[[move]]',
        'from = "pkg.old:Thing"',
        'to = "pkg.new:Thing"',
        '',
        '# Files in no area: area "other", priority "low".',
        '',
        '[migrate]',
        '# validate: not set',
        'batch-size = 5',
        '# timeout: none',
        '# junit: not set',
        '',
        '[shim]',
        'category = "DeprecationWarning"',
        '',
      ].join('\n'),
    );
    expect(r.code).toBe(0);
    // What it prints is a config that gives the same settings.
    const copy = makeProject({ 'canon.toml': r.stdout });
    mkdirSync(join(copy, 'gen'));
    expect(runCli(['scan', '--show-settings'], { cwd: copy }).stdout).toBe(r.stdout.replace(dir, copy));
  });
});

describe('usage errors', () => {
  test('--jobs must be a whole number of threads, at least 1', () => {
    const dir = project();
    for (const cmd of ['scan', 'check', 'baseline', 'discover']) {
      for (const bad of ['abc', '0', '-3', '1.5']) {
        expect(runCli([cmd, '--jobs', bad], { cwd: dir }), `${cmd} --jobs ${bad}`).toEqual({ stdout: '', stderr: `error: --jobs: expected an integer >= 1, got "${bad}"\n`, code: 2 });
      }
    }
    expect(runCli(['scan', '--jobs', '2', '-q'], { cwd: dir }).code).toBe(1);
  });

  test('`canon` alone prints the help on stderr, exit 2; --help and `canon help` exit 0', () => {
    const dir = project();
    const r = runCli([], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^Usage: canon \[options\] \[command\]\n/);
    expect(r.stderr).toContain('  check [options] [paths...]');
    expect(runCli(['--help'], { cwd: dir }).code).toBe(0);
    expect(runCli(['help'], { cwd: dir }).code).toBe(0);
  });

  test('the program\'s options may come before the command', () => {
    const dir = project();
    expect(runCli(['-o', 'out.txt', '-q', 'scan'], { cwd: dir }).code).toBe(1);
    expect(readFileSync(join(dir, 'out.txt'), 'utf8')).toBe([B1, B2, C1, T1, ''].join('\n'));
    expect(existsSync(join(dir, 'scan'))).toBe(false);
  });
});

describe('check like ruff check', () => {
  test('--area, --priority and --move narrow the gate, baseline entries included', () => {
    const dir = copyExample({ git: true });
    expect(runCli(['check', '--area', 'routes', '--statistics'], { cwd: dir }).stdout).toBe(
      [
        '2  CAN001  [*] app.websocket_core.manager:WebSocketManager -> app.websocket_core.websocket_manager:WebSocketManager',
        '1  CAN001  [*] app.legacy_utils -> app.utils',
        '1  CAN001  [*] app.websocket_core.manager:get_websocket_manager -> app.websocket_core.websocket_manager:get_websocket_manager',
        '1  CAN001  [*] app.websocket_core:get_websocket_manager -> app.websocket_core.websocket_manager:get_websocket_manager',
        '',
        'check failed: 5 violations (5 fixable) in 2 files. Scanned 30 files.',
        '',
      ].join('\n'),
    );
    runCli(['baseline'], { cwd: dir });
    // Fixing the routes empties only the routes' part of the baseline.
    writeFileSync(join(dir, 'app/routes/websocket_routes.py'), '');
    const routes = runCli(['check', '--baseline', '.canon/baseline.json', '--strict', '--area', 'routes'], { cwd: dir });
    expect(routes.stdout).toBe(
      [
        'Fixed since the baseline:',
        '  app/routes/websocket_routes.py: `app.websocket_core.manager:WebSocketManager` 1 -> 0',
        '  app/routes/websocket_routes.py: `app.websocket_core.manager:get_websocket_manager` 1 -> 0',
        '',
        'Baseline .canon/baseline.json: 3 known violations (not shown), 2 fixed.',
        'check failed: the baseline is stale (2 fixed violations still recorded). Scanned 30 files.',
        'Run `canon baseline` to tighten the baseline.',
        '',
      ].join('\n'),
    );
    expect(runCli(['check', '--baseline', '.canon/baseline.json', '--strict', '--area', 'services'], { cwd: dir }).stdout).toBe(
      'Baseline .canon/baseline.json: 7 known violations (not shown), 0 fixed.\ncheck passed: no new violations. Scanned 30 files.\n',
    );
    expect(runCli(['check', '--baseline', '.canon/baseline.json', '--move', 'app.legacy_utils', '--priority', 'critical'], { cwd: dir }).stdout).toBe(
      'Baseline .canon/baseline.json: 1 known violation (not shown), 0 fixed.\ncheck passed: no new violations. Scanned 30 files.\n',
    );
    expect(runCli(['check', '--area', 'nowhere'], { cwd: dir }).code).toBe(2);
  });

  test('more than 5 fixed baseline entries are counted, --verbose lists them', () => {
    const dir = copyExample({ git: true });
    runCli(['baseline'], { cwd: dir });
    for (const f of ['app/routes/websocket_routes.py', 'app/routes/utils/thread_title_generator.py', 'app/agents/supervisor/execution_engine.py']) writeFileSync(join(dir, f), '');
    const r = runCli(['check', '--baseline', '.canon/baseline.json'], { cwd: dir });
    expect(r.stdout).toBe(
      [
        'Baseline .canon/baseline.json: 15 known violations (not shown), 7 fixed in 3 files (--verbose lists them).',
        'check passed: no new violations. Scanned 30 files.',
        'Run `canon baseline` to tighten the baseline.',
        '',
      ].join('\n'),
    );
    const verbose = runCli(['check', '--baseline', '.canon/baseline.json', '--verbose'], { cwd: dir }).stdout.split('\n');
    expect(verbose[0]).toBe('Fixed since the baseline:');
    expect(verbose.filter((l) => l.startsWith('  app/'))).toHaveLength(7);
    expect(verbose.at(-4)).toBe('Baseline .canon/baseline.json: 15 known violations (not shown), 7 fixed.');
  });

  test('--diff prints what --fix would change (exit 1 when it would); --fix rewrites, then checks what is left', () => {
    const dir = project({ git: true });
    const diff = runCli(['check', '--diff', 'pkg/c.py'], { cwd: dir });
    expect(diff.stdout).toBe(['--- a/pkg/c.py', '+++ b/pkg/c.py', '@@ -1,1 +1,1 @@', '-from pkg.old import Thing', '+from pkg.new import Thing', ''].join('\n'));
    expect(diff.stderr.split('\n')[0]).toBe('1 file would change, 1 finding would be fixed.');
    expect(diff.code).toBe(1);
    expect(readFileSync(join(dir, 'pkg/c.py'), 'utf8')).toBe('from pkg.old import Thing\n');
    expect(runCli(['check', '--diff', '--format', 'json'], { cwd: dir }).code).toBe(2);

    const fix = runCli(['check', '--fix'], { cwd: dir });
    expect(fix).toEqual({
      stdout: [B2, '', 'Fixed 3 imports in 3 files; 1 refused (`canon fix` says why).', 'check failed: 1 violation (0 fixable) in 1 file. Scanned 8 files.', ''].join('\n'),
      stderr: '',
      code: 1,
    });
    expect(readFileSync(join(dir, 'pkg/c.py'), 'utf8')).toBe('from pkg.new import Thing\n');
    expect(runCli(['check', '--diff'], { cwd: dir })).toMatchObject({ stdout: '', code: 0 });
    const json = JSON.parse(runCli(['check', '--fix', '--format', 'json'], { cwd: dir }).stdout) as { check: { fix: unknown } };
    expect(json.check.fix).toEqual({ filesChanged: 0, fixed: 0, refused: 1, errors: 0 });
    // Only the files changed since a revision: none once the fix is committed.
    git(dir, 'commit', '-qam', 'fixed');
    writeFileSync(join(dir, 'pkg/e.py'), 'from pkg.old import Thing\n');
    expect(runCli(['check', '--fix', '--changed-since', 'HEAD'], { cwd: dir }).stdout).toBe(
      'Fixed 1 import in 1 file.\ncheck passed: no violations. Scanned 1 file changed since HEAD.\n',
    );
    expect(readFileSync(join(dir, 'pkg/e.py'), 'utf8')).toBe('from pkg.new import Thing\n');
  });
});
