// Running git as data, and the early start the command line uses: a prefetched answer goes to the
// first caller asking the same question in the same folder, once; later callers see the tree as it
// is then.
import { spawnSync } from 'node:child_process';
import { chmodSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { prefetchGit, regularEntries, runGit, splitPaths, trackedFiles } from '../../src/project/git.js';
import { git, gitInit, makeProject } from '../helpers/project.js';

const OTHERS = ['ls-files', '-z', '--others', '--exclude-standard'];

test('a failing command is an exit code and stderr, not an exception', async () => {
  const dir = makeProject({ 'a.py': '' });
  const r = await runGit(['rev-parse', '--verify', '--quiet', 'no-such-ref'], dir);
  expect(r.code).not.toBe(0);
});

test('a prefetched answer is handed out once; the next call asks git again', async () => {
  const dir = makeProject({ 'a.py': '' });
  gitInit(dir);
  prefetchGit(OTHERS, dir);
  // Let the prefetched run finish before the tree changes.
  await new Promise((r) => setTimeout(r, 1000));
  writeFileSync(join(dir, 'b.py'), '');
  const early = await runGit(OTHERS, dir);
  expect(splitPaths(early.stdout)).not.toContain('b.py');
  const now = await runGit(OTHERS, dir);
  expect(splitPaths(now.stdout)).toContain('b.py');
  // Another folder, or other arguments, never get it.
  prefetchGit(OTHERS, dir);
  const other = await runGit(['ls-files', '-z', '--others'], dir);
  expect(splitPaths(other.stdout)).toContain('b.py');
});

describe('trackedFiles: the index regular files, as `git ls-files --stage` lists them', () => {
  // Every kind of index entry: plain, executable, symlink, submodule (gitlink), a conflict (three
  // stages of one path), non-ASCII and a tab in a name, a path longer than the index's 12-bit
  // name length.
  const long = `${'d'.repeat(120)}/${'e'.repeat(120)}/${'f'.repeat(100)}/deep.py`;
  let dir: string;
  beforeAll(() => {
    dir = makeProject({ 'a.py': 'x = 1\n', 'run.sh': '', 'é/ü.py': '', 'tab\there.py': '', [long]: '', 'c.py': 'base\n' });
    chmodSync(join(dir, 'run.sh'), 0o755);
    symlinkSync('a.py', join(dir, 'link.py'));
    gitInit(dir);
    const head = git(dir, 'rev-parse', 'HEAD').trim();
    git(dir, 'update-index', '--add', '--cacheinfo', `160000,${head},sub`);
    git(dir, 'commit', '-q', '-m', 'submodule');
    git(dir, 'checkout', '-q', '-b', 'other');
    writeFileSync(join(dir, 'c.py'), 'other\n');
    git(dir, 'commit', '-q', '-am', 'other');
    git(dir, 'checkout', '-q', 'main');
    writeFileSync(join(dir, 'c.py'), 'main\n');
    git(dir, 'commit', '-q', '-am', 'main');
    spawnSync('git', ['merge', '-q', 'other'], { cwd: dir });
  });

  test('regular files once each, in the index order; links and submodules left out', async () => {
    const stages = git(dir, 'ls-files', '-z', '--stage').split('\0').filter(Boolean);
    // The conflict is there: three stages of c.py.
    expect(stages.filter((e) => e.endsWith('\tc.py'))).toHaveLength(3);
    const r = await trackedFiles(dir);
    expect(r.code).toBe(0);
    expect(r.files).toEqual(['a.py', 'c.py', long, 'run.sh', 'tab\there.py', 'é/ü.py']);
    expect(regularEntries(Buffer.from(stages.join('\0') + '\0'))).toEqual(r.files);
  });

  test('outside a work tree: git fails, and no files', async () => {
    const r = await trackedFiles(makeProject({ 'a.py': '' }));
    expect(r.code).not.toBe(0);
    expect(r.files).toEqual([]);
  });
});
