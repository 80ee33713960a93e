// Running git as data, and the early start the command line uses: a prefetched answer goes to the
// first caller asking the same question in the same folder, once; later callers see the tree as it
// is then.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { prefetchGit, runGit, splitPaths } from '../../src/project/git.js';
import { gitInit, makeProject } from '../helpers/project.js';

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
