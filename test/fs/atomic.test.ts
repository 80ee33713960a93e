// Atomic writes: new bytes and kept modes on success; on a failure before the renames, every
// target keeps its old bytes and no temporary file is left behind.

import { chmodSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { writeFileAtomic, writeFilesAtomic } from '../../src/fs/atomic.js';
import { makeProject } from '../helpers/project.js';

test('writeFileAtomic replaces the bytes and keeps the mode', () => {
  const dir = makeProject({ 'a.py': 'old\n' });
  chmodSync(join(dir, 'a.py'), 0o755);
  writeFileAtomic(join(dir, 'a.py'), Buffer.from('new\r\n'));
  expect(readFileSync(join(dir, 'a.py'), 'latin1')).toBe('new\r\n');
  expect(statSync(join(dir, 'a.py')).mode & 0o777).toBe(0o755);
  expect(readdirSync(dir)).toEqual(['a.py']);
});

test('writeFilesAtomic writes every file, keeps modes, leaves no temporary file', async () => {
  const files: Record<string, string> = {};
  for (let i = 0; i < 30; i++) files[`pkg/m${i}.py`] = `x = ${i}\n`;
  const dir = makeProject(files);
  chmodSync(join(dir, 'pkg/m3.py'), 0o600);
  await writeFilesAtomic(Object.keys(files).map((f, i) => ({ path: join(dir, f), data: Buffer.from(`y = ${i}\n`) })));
  for (const [i, f] of Object.keys(files).entries()) expect(readFileSync(join(dir, f), 'utf8')).toBe(`y = ${i}\n`);
  expect(statSync(join(dir, 'pkg/m3.py')).mode & 0o777).toBe(0o600);
  expect(readdirSync(join(dir, 'pkg')).filter((n) => n.endsWith('.tmp'))).toEqual([]);
});

test('a failure before the renames changes no target', async () => {
  const dir = makeProject({ 'a.py': 'a = 1\n', 'b.py': 'b = 1\n' });
  const batch = [
    { path: join(dir, 'a.py'), data: Buffer.from('a = 2\n') },
    { path: join(dir, 'missing/dir/c.py'), data: Buffer.from('c = 2\n') },
    { path: join(dir, 'b.py'), data: Buffer.from('b = 2\n') },
  ];
  await expect(writeFilesAtomic(batch)).rejects.toThrow(/ENOENT/);
  expect(readFileSync(join(dir, 'a.py'), 'utf8')).toBe('a = 1\n');
  expect(readFileSync(join(dir, 'b.py'), 'utf8')).toBe('b = 1\n');
  expect(readdirSync(dir).sort()).toEqual(['a.py', 'b.py']);
});
