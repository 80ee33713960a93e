// Config discovery, loading and the exact wording/position of every kind of config problem.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, test } from 'vitest';
import { findConfig, formatConfigProblem, loadConfig } from '../../src/config/load.js';
import { locateToml } from '../../src/config/locate.js';
import type { Config } from '../../src/config/types.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');

/** Rendered problems of a fixture, paths relative to the fixtures folder. */
function problemsOf(name: string): string[] {
  const r = loadConfig(join(FIXTURES, name));
  if (!('problems' in r)) throw new Error(`${name}: expected problems, got a config`);
  return r.problems.map((p) => formatConfigProblem(p, FIXTURES));
}

function configOf(file: string): Config {
  const r = loadConfig(file);
  if ('problems' in r) throw new Error(r.problems.map((p) => formatConfigProblem(p, FIXTURES)).join('\n'));
  return r.config;
}

const temps: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'canon-config-'));
  temps.push(d);
  return d;
}
afterEach(() => {
  for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true });
});

function write(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
}

describe('valid configurations', () => {
  test('a complete canon.toml', () => {
    const c = configOf(join(FIXTURES, 'good.toml'));
    expect(c.root).toBe(FIXTURES);
    expect(c.configFile).toBe(join(FIXTURES, 'good.toml'));
    expect(c.src).toEqual(['.', 'lib']);
    expect(c.include).toEqual(['**/*.py', 'scripts/*.py']); // leading ./ dropped
    expect(c.exclude).toEqual(['build/**']);
    expect(c.moves).toEqual([
      {
        kind: 'symbol',
        index: 0,
        id: 'app.websocket_core.manager:WebSocketManager',
        fromModule: 'app.websocket_core.manager',
        fromName: 'WebSocketManager',
        toModule: 'app.websocket_core.websocket_manager',
        toName: 'WebSocketManager',
      },
      { kind: 'module', index: 1, id: 'app.legacy_utils', fromModule: 'app.legacy_utils', toModule: 'app.utils' },
      {
        kind: 'symbol',
        index: 2,
        id: 'app.models:Üser',
        fromModule: 'app.models',
        fromName: 'Üser',
        toModule: 'app.models.user',
        toName: 'User',
      },
    ]);
    expect(c.areas).toEqual([
      { name: 'routes', paths: ['app/routes/**'], priority: 'critical', order: 0 },
      { name: 'services', paths: ['app/services/**', 'app/workers'], priority: 'medium', order: 1 },
    ]);
    expect(c.migrate).toEqual({
      validate: 'python3 -m unittest discover -s tests/mission_critical',
      batchSize: 3,
      timeout: 600,
      junit: 'reports/canon.xml',
    });
    expect(c.shim).toEqual({ category: 'FutureWarning' });
  });

  test('a pyproject.toml with [tool.canon]', () => {
    const dir = join(FIXTURES, 'pyproject-good');
    const c = configOf(join(dir, 'pyproject.toml'));
    expect(c.root).toBe(dir);
    expect(c.src).toEqual(['.']);
    expect(c.include).toEqual(['**/*.py']);
    expect(c.exclude).toEqual(['migrations/**']);
    expect(c.moves).toEqual([
      {
        kind: 'symbol',
        index: 0,
        id: 'demo.old:Thing',
        fromModule: 'demo.old',
        fromName: 'Thing',
        toModule: 'demo.new',
        toName: 'Thing',
      },
    ]);
    expect(c.areas).toEqual([{ name: 'api', paths: ['demo/api/**'], priority: 'high', order: 0 }]);
    expect(c.migrate).toEqual({ validate: null, batchSize: 10, timeout: null, junit: null });
    expect(c.shim).toEqual({ category: 'DeprecationWarning' });
  });

  test('defaults; src gains "src" only when that folder exists', () => {
    const dir = tempDir();
    write(join(dir, 'canon.toml'), '');
    const bare = configOf(join(dir, 'canon.toml'));
    expect(bare.src).toEqual(['.']);
    expect(bare.include).toEqual(['**/*.py']);
    expect(bare.exclude).toEqual([]);
    expect(bare.perFileIgnores).toEqual([]);
    expect(bare.moves).toEqual([]);
    expect(bare.areas).toEqual([]);
    expect(bare.migrate).toEqual({ validate: null, batchSize: 5, timeout: null, junit: null });
    expect(bare.shim).toEqual({ category: 'DeprecationWarning' });

    mkdirSync(join(dir, 'src'));
    expect(configOf(join(dir, 'canon.toml')).src).toEqual(['.', 'src']);
    // An explicit src is taken as written (normalized), not extended.
    write(join(dir, 'canon.toml'), 'src = ["./lib/", "."]\n');
    expect(configOf(join(dir, 'canon.toml')).src).toEqual(['lib', '.']);
  });

  test('extend-exclude adds to exclude; per-file-ignores, in pyproject.toml too', () => {
    const dir = tempDir();
    write(
      join(dir, 'pyproject.toml'),
      [
        '[tool.canon]',
        'exclude = ["build/**"]',
        'extend-exclude = ["gen/**", "./vendor/"]',
        '',
        '[tool.canon.per-file-ignores]',
        '"tests/**" = ["CAN003", "CAN00"]',
        '"!src/**" = ["ALL"]',
        '"__init__.py" = []',
        '',
      ].join('\n'),
    );
    const c = configOf(join(dir, 'pyproject.toml'));
    expect(c.exclude).toEqual(['build/**', 'gen/**', 'vendor/']);
    expect(c.perFileIgnores).toEqual([
      { pattern: 'tests/**', negated: false, codes: ['CAN003', 'CAN00'] },
      { pattern: 'src/**', negated: true, codes: ['ALL'] },
      { pattern: '__init__.py', negated: false, codes: [] },
    ]);
    write(join(dir, 'pyproject.toml'), '[tool.canon]\nper-file-ignores = ["tests/**"]\n\n[tool.canon.shim]\n');
    expect(loadConfig(join(dir, 'pyproject.toml'))).toMatchObject({
      problems: [{ line: 2, keyPath: 'per-file-ignores', message: 'expected a table of glob = [codes] ([tool.canon.per-file-ignores]), got an array' }],
    });
  });

  test('a UTF-8 BOM and CRLF line endings are fine, and positions stay right', () => {
    const dir = tempDir();
    write(join(dir, 'canon.toml'), '\uFEFF[migrate]\r\nbatch-size = 0\r\n');
    const r = loadConfig(join(dir, 'canon.toml'));
    expect('problems' in r && r.problems.map((p) => formatConfigProblem(p, dir))).toEqual([
      'canon.toml:2:14: migrate.batch-size: expected an integer >= 1, got 0',
    ]);
  });
});

describe('problems, all of them, with positions', () => {
  test('moves', () => {
    expect(problemsOf('bad-moves.toml')).toEqual([
      'bad-moves.toml:2:8: move[0].from: expected "module:Name" or a dotted module path, got "app..x"',
      'bad-moves.toml:7:6: move[1].to: expected "module:Name" or a dotted module path, got "app.class:User" (`class` is a Python keyword)',
      'bad-moves.toml:10:8: move[2].from: "app.models:User" is already moved by move[1]',
      'bad-moves.toml:15:6: move[3].to: `from` names a module but `to` names a symbol ("module:Name"); both must be the same form',
      'bad-moves.toml:19:6: move[4].to: same as `from`; a move must change the module or the name',
      'bad-moves.toml:21:1: move[5]: missing required key `to`',
      'bad-moves.toml:25:8: move[6].from: expected "module:Name" or a dotted module path, got an integer (5)',
      'bad-moves.toml:26:6: move[6].to: expected "module:Name" or a dotted module path, got "app.b:Name:Extra"',
      'bad-moves.toml:27:1: move[6].form: unknown key; did you mean `from`?',
      'bad-moves.toml:29:1: move[6].move2: unknown key; expected one of: from, to',
    ]);
  });

  test('areas', () => {
    expect(problemsOf('bad-areas.toml')).toEqual([
      'bad-areas.toml:1:1: area[0]: missing required key `name`',
      'bad-areas.toml:6:9: area[1].paths: must list at least one glob',
      'bad-areas.toml:7:12: area[1].priority: unknown priority "urgent"; expected one of: critical, high, medium, low',
      'bad-areas.toml:10:8: area[2].name: duplicate area name "routes" (first used by area[1])',
      'bad-areas.toml:11:27: area[2].paths[1]: expected a string, got an integer (3)',
      'bad-areas.toml:12:1: area[2].prority: unknown key; did you mean `priority`?',
      'bad-areas.toml:15:8: area[3].name: must not be empty',
      'bad-areas.toml:19:8: area[4].name: "other" is reserved for files outside every area',
      'bad-areas.toml:21:1: area[4].exclude: unknown key; `exclude` is a top-level setting, but every key below a [[area]] header belongs to that table: move it above the first table header',
    ]);
  });

  test('top-level, [migrate] and [shim] settings', () => {
    expect(problemsOf('bad-settings.toml')).toEqual([
      'bad-settings.toml:1:7: src: expected an array of strings, got a string ("app")',
      'bad-settings.toml:2:11: include: must list at least one glob',
      'bad-settings.toml:3:1: exlude: unknown key; did you mean `exclude`?',
      'bad-settings.toml:4:1: batch-size: unknown key; did you mean `migrate.batch-size` (under [migrate])?',
      'bad-settings.toml:7:1: migrate.batch_size: unknown key; did you mean `batch-size`?',
      'bad-settings.toml:8:11: migrate.timeout: expected a number of seconds > 0, got -1',
      'bad-settings.toml:9:12: migrate.validate: must not be empty; leave `validate` out to skip validation',
      'bad-settings.toml:10:9: migrate.junit: expected a string, got an integer (3)',
      'bad-settings.toml:13:12: shim.category: unknown warning category "Warning"; expected one of: DeprecationWarning, FutureWarning, PendingDeprecationWarning, UserWarning',
    ]);
  });

  test('TOML syntax error: the parser position, no key path', () => {
    expect(problemsOf('bad-syntax.toml')).toEqual([
      'bad-syntax.toml:3:12: invalid TOML: control characters are not allowed in strings',
    ]);
  });

  test('[move] instead of [[move]]', () => {
    expect(problemsOf('single-move-table.toml')).toEqual([
      'single-move-table.toml:1:1: move: expected an array of tables, got a table; write [[move]] (double brackets) for each entry',
    ]);
  });

  test('inline tables and arrays are located precisely', () => {
    expect(problemsOf('inline.toml')).toEqual([
      'inline.toml:3:26: move[1].to: expected "module:Name" or a dotted module path, got "app..d"',
      'inline.toml:5:58: area[0].priority: unknown priority "top"; expected one of: critical, high, medium, low',
      'inline.toml:6:26: migrate.batch-size: expected an integer >= 1, got 0',
    ]);
  });

  test('pyproject.toml: key paths relative to [tool.canon], lines in pyproject.toml', () => {
    expect(problemsOf('pyproject-bad/pyproject.toml')).toEqual([
      'pyproject-bad/pyproject.toml:5:8: src[0]: "../elsewhere" is outside the project root',
      'pyproject-bad/pyproject.toml:9:6: move[0].to: `from` names a symbol ("module:Name") but `to` names a module; both must be the same form',
      'pyproject-bad/pyproject.toml:12:1: migrate.batchsize: unknown key; did you mean `batch-size`?',
      'pyproject-bad/pyproject.toml:16:1: area[0].include: unknown key; `include` is a top-level setting, but every key below a [[tool.canon.area]] header belongs to that table: move it up into [tool.canon], before its first sub-table',
    ]);
  });

  test('pyproject.toml without a canon table, or with a non-table one', () => {
    const dir = tempDir();
    write(join(dir, 'pyproject.toml'), '[project]\nname = "x"\n');
    let r = loadConfig(join(dir, 'pyproject.toml'));
    expect('problems' in r && r.problems.map((p) => formatConfigProblem(p, dir))).toEqual([
      'pyproject.toml: no [tool.canon] table in pyproject.toml',
    ]);
    write(join(dir, 'pyproject.toml'), '[tool]\ncanon = "yes"\n');
    r = loadConfig(join(dir, 'pyproject.toml'));
    expect('problems' in r && r.problems.map((p) => formatConfigProblem(p, dir))).toEqual([
      'pyproject.toml:2:9: [tool.canon] must be a table, got a string ("yes")',
    ]);
  });

  test('a missing file', () => {
    const dir = tempDir();
    const r = loadConfig(join(dir, 'canon.toml'));
    expect('problems' in r && r.problems.map((p) => formatConfigProblem(p, dir))).toEqual([
      'canon.toml: cannot read config file: no such file',
    ]);
  });

  test('more type mistakes', () => {
    const dir = tempDir();
    write(
      join(dir, 'canon.toml'),
      [
        'exclude = ["", 7]',
        'move = ["a:b"]',
        'migrate = 3',
        '[[area]]',
        'name = 1',
        'paths = "app/**"',
        'priority = 2',
        '[shim]',
        'category = true',
        '',
      ].join('\n'),
    );
    const r = loadConfig(join(dir, 'canon.toml'));
    expect('problems' in r && r.problems.map((p) => formatConfigProblem(p, dir))).toEqual([
      'canon.toml:1:12: exclude[0]: must not be empty',
      'canon.toml:1:16: exclude[1]: expected a string, got an integer (7)',
      'canon.toml:2:9: move[0]: expected a table with `from` and `to`, got a string ("a:b")',
      'canon.toml:3:11: migrate: expected a table ([migrate]), got an integer (3)',
      'canon.toml:5:8: area[0].name: expected a string, got an integer (1)',
      'canon.toml:6:9: area[0].paths: expected an array of strings, got a string ("app/**")',
      'canon.toml:7:12: area[0].priority: expected a priority (critical, high, medium, low), got an integer (2)',
      'canon.toml:9:12: shim.category: expected a warning category (DeprecationWarning, FutureWarning, PendingDeprecationWarning, UserWarning), got a boolean (true)',
    ]);
  });
});

describe('formatConfigProblem', () => {
  test('omits the position when unknown and the key when empty', () => {
    const base = { file: '/p/canon.toml', line: 12, column: 8, keyPath: 'move[1].from', message: 'bad' };
    expect(formatConfigProblem(base, '/p')).toBe('canon.toml:12:8: move[1].from: bad');
    expect(formatConfigProblem({ ...base, line: 0, column: 0 }, '/p')).toBe('canon.toml: move[1].from: bad');
    expect(formatConfigProblem({ ...base, keyPath: '' }, '/p')).toBe('canon.toml:12:8: bad');
    expect(formatConfigProblem(base, '/p/sub')).toBe('../canon.toml:12:8: move[1].from: bad');
  });
});

describe('locateToml', () => {
  const text = [
    '# [[move]] in a comment is not a header',
    's = """',
    '[[move]]',
    'from = "in a string"',
    '"""',
    '[tool . "canon"]',
    'a.b = 1',
    '[[tool.canon.move]]',
    'from = "x"   # trailing',
    '[[tool.canon.move]]',
    "  'to' = 'y'",
    'list = [',
    '  1, # one',
    '  [2, 3],',
    ']',
  ].join('\n');
  const loc = locateToml(text);

  test('headers, quoted and dotted keys, strings and comments skipped', () => {
    expect(loc.key(['tool', 'canon', 'a', 'b'])).toEqual({ line: 7, column: 3 });
    expect(loc.value(['tool', 'canon', 'a', 'b'])).toEqual({ line: 7, column: 7 });
    expect(loc.value(['tool', 'canon', 'move', 0])).toEqual({ line: 8, column: 1 });
    expect(loc.value(['tool', 'canon', 'move', 0, 'from'])).toEqual({ line: 9, column: 8 });
    expect(loc.key(['tool', 'canon', 'move', 1, 'to'])).toEqual({ line: 11, column: 3 });
    expect(loc.value(['tool', 'canon', 'move', 1, 'to'])).toEqual({ line: 11, column: 10 });
  });

  test('array elements, nested arrays', () => {
    expect(loc.value(['tool', 'canon', 'move', 1, 'list', 0])).toEqual({ line: 13, column: 3 });
    expect(loc.value(['tool', 'canon', 'move', 1, 'list', 1, 1])).toEqual({ line: 14, column: 7 });
  });

  test('falls back to the nearest ancestor, else line 0', () => {
    expect(loc.value(['tool', 'canon', 'move', 1, 'from'])).toEqual({ line: 10, column: 1 });
    expect(loc.value(['nothing', 'here'])).toEqual({ line: 0, column: 0 });
  });
});

describe('findConfig', () => {
  test('walks up; pyproject.toml counts only with [tool.canon]; canon.toml wins in one folder', () => {
    const top = tempDir();
    const deep = join(top, 'a', 'b', 'c');
    mkdirSync(deep, { recursive: true });
    write(join(top, 'canon.toml'), '');
    expect(findConfig(deep)).toEqual({ file: join(top, 'canon.toml'), kind: 'canon.toml' });

    write(join(top, 'a', 'b', 'pyproject.toml'), '[project]\nname = "x"\n');
    expect(findConfig(deep)).toEqual({ file: join(top, 'canon.toml'), kind: 'canon.toml' });

    write(join(top, 'a', 'b', 'pyproject.toml'), '[project]\nname = "x"\n[tool.canon]\n');
    expect(findConfig(deep)).toEqual({ file: join(top, 'a', 'b', 'pyproject.toml'), kind: 'pyproject' });

    // Broken TOML that clearly has a canon table still counts, so its syntax error gets reported.
    write(join(top, 'a', 'b', 'pyproject.toml'), '[project\n[[tool.canon.move]]\n');
    expect(findConfig(deep)).toEqual({ file: join(top, 'a', 'b', 'pyproject.toml'), kind: 'pyproject' });

    write(join(top, 'a', 'b', 'canon.toml'), '');
    expect(findConfig(deep)).toEqual({ file: join(top, 'a', 'b', 'canon.toml'), kind: 'canon.toml' });
    expect(findConfig(join(top, 'a'))).toEqual({ file: join(top, 'canon.toml'), kind: 'canon.toml' });
  });

  test('--config overrides the search', () => {
    const top = tempDir();
    write(join(top, 'canon.toml'), '');
    write(join(top, 'ci', 'other.toml'), '');
    write(join(top, 'proj', 'pyproject.toml'), '[tool.canon]\n');
    expect(findConfig(top, 'ci/other.toml')).toEqual({ file: join(top, 'ci', 'other.toml'), kind: 'canon.toml' });
    expect(findConfig(top, join(top, 'proj', 'pyproject.toml'))).toEqual({
      file: join(top, 'proj', 'pyproject.toml'),
      kind: 'pyproject',
    });
    // A folder is searched without walking up; a missing file is returned for loadConfig to report.
    expect(findConfig(top, 'proj')).toEqual({ file: join(top, 'proj', 'pyproject.toml'), kind: 'pyproject' });
    expect(findConfig(top, 'ci')).toBeNull();
    expect(findConfig(top, 'missing.toml')).toEqual({ file: join(top, 'missing.toml'), kind: 'canon.toml' });
  });
});
