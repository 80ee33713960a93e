// Project file listing with and without git, .gitignore, include/exclude, CLI narrowing; and areas.

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import type { Area, Config } from '../../src/config/types.js';
import { areaOf, makeAreaMatcher } from '../../src/project/areas.js';
import picomatch from 'picomatch';
import { listPythonFiles, makeGlobMatcher } from '../../src/project/files.js';

const temps: string[] = [];
afterEach(() => {
  for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A temp project holding `files` (path -> content; folders created as needed). */
function project(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'canon-files-'));
  temps.push(root);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
  return root;
}

function configFor(root: string, over: Partial<Config> = {}): Config {
  return {
    root,
    configFile: join(root, 'canon.toml'),
    src: ['.'],
    include: ['**/*.py'],
    exclude: [],
    perFileIgnores: [],
    moves: [],
    areas: [],
    migrate: { validate: null, batchSize: 5, timeout: null, junit: null },
    shim: { category: 'DeprecationWarning' },
    ...over,
  };
}

function git(root: string, ...args: string[]): void {
  const r = spawnSync('git', args, {
    cwd: root,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@t',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@t',
    },
  });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
}

const TREE = {
  'canon.toml': '',
  'app/__init__.py': '',
  'app/main.py': '',
  'app/data.json': '{}',
  'app/generated/out.py': '',
  'app/sub/.gitignore': 'local_*.py\n!local_keep.py\n',
  'app/sub/local_x.py': '',
  'app/sub/local_keep.py': '',
  'app/sub/mod.py': '',
  'build/lib/app/main.py': '',
  'scratch.py': '',
  '.gitignore': 'scratch.py\napp/generated/\n',
  '.github/tool.py': '',
  '__pycache__/x.py': '',
  'node_modules/pkg/x.py': '',
  '.venv/lib/site.py': '',
  'tests/test_main.py': '',
};

const VISIBLE = [
  '.github/tool.py',
  'app/__init__.py',
  'app/main.py',
  'app/sub/local_keep.py',
  'app/sub/mod.py',
  'build/lib/app/main.py',
  'tests/test_main.py',
];

describe.each([
  ['without git', false],
  ['in a git work tree', true],
])('listPythonFiles %s', (_label, useGit) => {
  function make(extra: Record<string, string> = {}): string {
    const root = project({ ...TREE, ...extra });
    if (useGit) {
      git(root, 'init', '-q');
      git(root, 'add', 'app/__init__.py', 'app/main.py', '.gitignore');
      git(root, 'commit', '-q', '-m', 'init');
    }
    return root;
  }

  test('honours .gitignore (nested too) and skips tool folders', async () => {
    const root = make();
    const r = await listPythonFiles(configFor(root));
    expect(r.files).toEqual(VISIBLE);
    expect(r.problems).toEqual([]);
    if (!useGit) expect(r.untracked).toBeNull();
    else {
      // What git does not track yet, minus ignored files and tool folders; any file type.
      const tracked = ['app/__init__.py', 'app/main.py', '.gitignore'];
      expect(r.untracked).toEqual(expect.arrayContaining(VISIBLE.filter((f) => !tracked.includes(f))));
      expect(r.untracked!.filter((f) => tracked.includes(f) || /(^|\/)(node_modules|\.venv|__pycache__)\//.test(f))).toEqual([]);
    }
  });

  test('exclude: globs, and a pattern naming a folder covers its files', async () => {
    const root = make();
    let r = await listPythonFiles(configFor(root, { exclude: ['build/**'] }));
    expect(r.files).toEqual(VISIBLE.filter((f) => !f.startsWith('build/')));
    r = await listPythonFiles(configFor(root, { exclude: ['build', '**/sub', 'tests/'] }));
    expect(r.files).toEqual(['.github/tool.py', 'app/__init__.py', 'app/main.py']);
  });

  test('include', async () => {
    const root = make();
    const r = await listPythonFiles(configFor(root, { include: ['app/**/*.py', '**/*.json'] }));
    expect(r.files).toEqual(['app/__init__.py', 'app/data.json', 'app/main.py', 'app/sub/local_keep.py', 'app/sub/mod.py']);
  });

  test('narrowing to folders and files, relative to cwd or absolute', async () => {
    const root = make();
    const config = configFor(root);
    expect((await listPythonFiles(config, ['app/sub', 'tests/test_main.py'], root)).files).toEqual([
      'app/sub/local_keep.py',
      'app/sub/mod.py',
      'tests/test_main.py',
    ]);
    expect((await listPythonFiles(config, ['.'], join(root, 'app'))).files).toEqual([
      'app/__init__.py',
      'app/main.py',
      'app/sub/local_keep.py',
      'app/sub/mod.py',
    ]);
    expect((await listPythonFiles(config, [join(root, 'app', 'main.py')], '/')).files).toEqual(['app/main.py']);
    expect((await listPythonFiles(config, ['.'], root)).files).toEqual(VISIBLE);
  });

  test('narrowing problems: outside the root, missing, not selected', async () => {
    const root = make();
    const outside = project({ 'x.py': '' });
    const config = configFor(root, { exclude: ['tests'] });
    const r = await listPythonFiles(
      config,
      [join(outside, 'x.py'), 'nope.py', 'tests/test_main.py', 'app/data.json', 'scratch.py', 'app/main.py'],
      root,
    );
    expect(r.files).toEqual(['app/main.py']);
    expect(r.problems).toEqual([
      { path: join(outside, 'x.py'), message: `outside the project root (${root})` },
      { path: 'nope.py', message: 'no such file or directory' },
      { path: 'tests/test_main.py', message: 'not selected: it matches `exclude`' },
      { path: 'app/data.json', message: 'not selected: it does not match `include`' },
      { path: 'scratch.py', message: 'not selected: it is ignored (.gitignore) or a symlink' },
    ]);
  });

  test('symlinked files are left out', async () => {
    const root = make();
    symlinkSync(join(root, 'app', 'main.py'), join(root, 'app', 'alias.py'));
    expect((await listPythonFiles(configFor(root))).files).toEqual(VISIBLE);
  });
});

describe('listPythonFiles, git specifics', () => {
  test('tracked files deleted from the work tree are skipped; a tracked `venv` package is kept', async () => {
    const root = project({ ...TREE, 'tool/venv/__init__.py': '' });
    git(root, 'init', '-q');
    git(root, 'add', 'app', 'tool', '.gitignore');
    git(root, 'add', '-f', 'scratch.py');
    git(root, 'commit', '-q', '-m', 'init');
    unlinkSync(join(root, 'app', 'main.py'));
    const r = await listPythonFiles(configFor(root));
    // scratch.py is tracked (force-added), so .gitignore no longer hides it, just as in git.
    expect(r.files).toEqual(
      [...VISIBLE.filter((f) => f !== 'app/main.py'), 'scratch.py', 'tool/venv/__init__.py'].sort(),
    );
  });

  test('a root below the top of the work tree lists only its own files, relative to itself', async () => {
    const top = project({ 'other/x.py': '', 'proj/canon.toml': '', 'proj/pkg/a.py': '', '.gitignore': 'proj/pkg/b.py\n' });
    mkdirSync(join(top, 'proj', 'pkg'), { recursive: true });
    writeFileSync(join(top, 'proj', 'pkg', 'b.py'), '');
    git(top, 'init', '-q');
    const r = await listPythonFiles(configFor(join(top, 'proj')));
    expect(r.files).toEqual(['pkg/a.py']);
  });
});

describe('makeGlobMatcher', () => {
  test('globs, literal folders, trailing slashes, ./ prefixes, dot folders', () => {
    const m = makeGlobMatcher(['app/legacy', 'docs/', './scripts/*.py', '**/migrations']);
    expect(m('app/legacy/x.py')).toBe(true);
    expect(m('app/legacy')).toBe(true);
    expect(m('app/legacy_utils.py')).toBe(false);
    expect(m('docs/conf.py')).toBe(true);
    expect(m('scripts/run.py')).toBe(true);
    expect(m('scripts/deep/run.py')).toBe(false);
    expect(m('app/db/migrations/0001.py')).toBe(true);
    expect(makeGlobMatcher(['**/*.py'])('.github/x.py')).toBe(true);
    expect(makeGlobMatcher([])('x.py')).toBe(false);
  });

  test('`**/*.py` (answered by a suffix test) as picomatch answers it, folders included', () => {
    const paths = ['.py', 'a/.py', 'a/b.PY', 'x.pyc', 'a.py/b', 'a.py/b/c.txt', 'a/b/c.py', 'a/.hidden/x.py', 'a..py', 'py', 'a/py', 'é.py', 'a/b c.py', 'x.pyi',
      'a/b.py/c/d.txt', 'a/b.pyi/x', 'app/x.txt', 'a/.py/x', 'a/x.py.bak'];
    for (const pattern of ['**/*.py', '**/*.pyi', './**/*.py', '**/*.py|**/*.pyi', '**/*.py|app/**']) {
      // Several patterns: suffix tests only, and a suffix test beside a glob.
      const fast = makeGlobMatcher(pattern.split('|'));
      const globs = pattern.split('|').map((g) => picomatch(g.replace(/^\.\//, ''), { dot: true }));
      const plain = (p: string): boolean => globs.some((g) => g(p));
      for (const p of paths) {
        // makeGlobMatcher's rule: the path matches, or one of the folders above it does.
        const parts = p.split('/');
        const folders = parts.slice(1).map((_, i) => parts.slice(0, i + 1).join('/'));
        expect(fast(p), `${pattern} ${p}`).toBe(plain(p) || folders.some((d) => plain(d)));
      }
    }
  });
});

describe('areas', () => {
  const areas: Area[] = [
    { name: 'routes', paths: ['app/routes/**'], priority: 'critical', order: 0 },
    { name: 'app', paths: ['app/**', 'lib/core.py'], priority: 'high', order: 1 },
  ];

  test('the first matching area wins; no match is `other`', () => {
    const match = makeAreaMatcher(areas);
    expect(match('app/routes/users.py')).toEqual({ name: 'routes', priority: 'critical', order: 0 });
    expect(match('app/models.py')).toEqual({ name: 'app', priority: 'high', order: 1 });
    expect(match('lib/core.py')).toEqual({ name: 'app', priority: 'high', order: 1 });
    expect(match('lib/other.py')).toEqual({ name: 'other', priority: 'low', order: 2 });
    expect(areaOf('app/routes/x.py', areas)).toEqual({ name: 'routes', priority: 'critical', order: 0 });
    expect(areaOf('x.py', [])).toEqual({ name: 'other', priority: 'low', order: 0 });
  });
});
