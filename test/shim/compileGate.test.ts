// canon shim keeps fix's promise: a legacy module CPython rejects is never rewritten.

import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { makeProject, runCli } from '../helpers/project.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const tree = {
  'canon.toml': '[[move]]\nfrom = "pkg.old:X"\nto = "pkg.new:X"\n[[move]]\nfrom = "pkg.other:Y"\nto = "pkg.new:Y"\n',
  'pkg/__init__.py': '',
  'pkg/new.py': 'X = 1\nY = 2\n',
  'pkg/other.py': 'from pkg.new import Y\n',
};

describe('canon shim and files CPython rejects', () => {
  test('a legacy module python3 does not compile is left byte for byte; the others are shimmed', () => {
    // tree-sitter reads Python 2's print statement; CPython does not.
    const old = Buffer.concat([Buffer.from('from pkg.new import X\nprint "legacy"\ns = "'), Buffer.from([0xe9]), Buffer.from('"\n')]);
    const dir = makeProject({ ...tree, 'pkg/old.py': old });
    dirs.push(dir);
    const r = runCli(['shim'], { cwd: dir });
    expect(readFileSync(join(dir, 'pkg/old.py')).equals(old)).toBe(true);
    expect(r.stdout).toMatch(/pkg\/old\.py does not compile with python3 \(SyntaxError: .*\); canon never touches such a file/);
    expect(readFileSync(join(dir, 'pkg/other.py'), 'utf8')).toContain('# canon: begin shim');
    const json = JSON.parse(runCli(['shim', '--check', '--format', 'json'], { cwd: dir }).stdout);
    expect(json.refused.map((x: { legacy: string }) => x.legacy)).toContain('pkg.old');
  });

  test('without python3, bytes CPython would not decode are refused', () => {
    const old = Buffer.concat([Buffer.from('from pkg.new import X\ns = "'), Buffer.from([0xe9]), Buffer.from('"\n')]);
    const dir = makeProject({ ...tree, 'pkg/old.py': old });
    dirs.push(dir);
    const r = runCli(['shim'], { cwd: dir, env: { CANON_PYTHON: 'none' } });
    expect(readFileSync(join(dir, 'pkg/old.py')).equals(old)).toBe(true);
    expect(r.stdout).toContain('pkg/old.py cannot be decoded as CPython would (the bytes are not valid utf-8 (no encoding is declared)); canon never touches such a file');
  });
});
