// The long-lived `git cat-file --batch` reader: many requests in flight answered in order, objects
// larger than a pipe chunk, missing objects, and the trees history walks.
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { CatFile } from '../../src/history/catFile.js';
import { TreeReader } from '../../src/history/trees.js';
import { makeProject } from '../helpers/project.js';

let dir: string;
let cat: CatFile;
const big = 'x = 1\n'.repeat(50_000); // 300 KB: several pipe chunks

function git(...args: string[]): string {
  const r = spawnSync('git', args, { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout.trim();
}

beforeAll(() => {
  dir = makeProject({ 'a.py': 'import os\n', 'big.py': big, 'pkg/b.py': '', 'pkg/sub/c.py': 'y = 2\n', 'notes.txt': 'hi\n' }, { git: true });
  cat = new CatFile(dir);
});
afterAll(async () => {
  await cat.close();
});

test('blobs by name and by path, in order, many in flight; missing objects are null', async () => {
  const specs = ['HEAD:a.py', 'HEAD:big.py', 'HEAD:nope.py', git('rev-parse', 'HEAD:pkg/sub/c.py'), 'HEAD:pkg/b.py'];
  const got = await Promise.all([...specs, ...specs, ...specs].map((s) => cat.read(s)));
  const text = got.map((o) => (o === null ? null : o.data.toString('latin1')));
  expect(text.slice(0, 5)).toEqual(['import os\n', big, null, 'y = 2\n', '']);
  expect(text.slice(5, 10)).toEqual(text.slice(0, 5));
  expect(got[0]!.type).toBe('blob');
  expect(got[0]!.oid).toBe(git('rev-parse', 'HEAD:a.py'));
});

test('tree diffs: only what changed, among the paths wanted', async () => {
  const trees = new TreeReader(cat, 20);
  const first = await trees.treeAt('HEAD', '');
  const all = await trees.diff(null, first, (p) => p.endsWith('.py'));
  expect(all.map((c) => `${c.path} ${c.before} ${c.after === null ? null : c.after.length}`).sort()).toEqual([
    'a.py null 40', 'big.py null 40', 'pkg/b.py null 40', 'pkg/sub/c.py null 40',
  ]);
  git('mv', 'pkg/sub/c.py', 'pkg/sub/d.py');
  spawnSync('sh', ['-c', 'echo "z = 3" >> a.py && git add -A && git commit -qm two'], { cwd: dir });
  const second = await trees.treeAt('HEAD', '');
  const changes = (await trees.diff(first, second, (p) => p.endsWith('.py'))).map((c) => [c.path, c.before !== null, c.after !== null]);
  expect(changes.sort()).toEqual([['a.py', true, true], ['pkg/sub/c.py', true, false], ['pkg/sub/d.py', false, true]]);
  expect(await trees.treeAt('HEAD', 'pkg')).not.toBeNull();
  expect(await trees.treeAt('HEAD', 'nope')).toBeNull();
});
