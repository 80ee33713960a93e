// Modules found on disk, as CPython's path finder finds them: checked against python3's own
// importlib.util.find_spec, on a tree with every case of precedence between packages, modules,
// extension modules, compiled-only modules and namespace folders, over two import roots.

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect, test } from 'vitest';
import { DiskModules } from '../../src/python/diskModules.js';

const FILES = [
  'gen_pb2.py',
  'pkg/__init__.py',
  'pkg/gen_pb2.py',
  'pkg/fast.cpython-311-x86_64-linux-gnu.so',
  'pkg/plain.so',
  'pkg/abi.abi3.so',
  'pkg/compiled.pyc',
  'pkg/data.json',
  'pkg/sub/deep.py',
  'pkg/extpkg/__init__.cpython-311-x86_64-linux-gnu.so',
  'pkg/extpkg/inner.py',
  // A module beats a namespace folder of the same name: `mod.sub` does not import.
  'mod.py',
  'mod/sub.py',
  // A package beats a module of the same name.
  'both.py',
  'both/__init__.py',
  'both/x.py',
  // The first root wins: src2's package `dup` is never seen.
  'dup.py',
  'src2/dup/__init__.py',
  'src2/dup/x.py',
  // One namespace package across two roots.
  'shared/a.py',
  'src2/shared/b.py',
  'src2/only2/m.py',
  'emptyns/.keep',
  'notes.txt',
];

const NAMES = [
  'gen_pb2', 'pkg', 'pkg.gen_pb2', 'pkg.fast', 'pkg.plain', 'pkg.abi', 'pkg.compiled', 'pkg.data', 'pkg.sub', 'pkg.sub.deep',
  'pkg.sub.nope', 'pkg.extpkg', 'mod', 'mod.sub', 'both', 'both.x', 'dup', 'dup.x', 'shared', 'shared.a', 'shared.b',
  'only2', 'only2.m', 'emptyns', 'notes', 'nope', 'nope.deeper', 'pkg.gen_pb2.x', 'linked', 'linked.gen_pb2', 'linkedmod',
];

function tree(): string {
  const dir = mkdtempSync(join(tmpdir(), 'canon-disk-'));
  for (const f of FILES) {
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    writeFileSync(join(dir, f), '');
  }
  // Symlinks are followed, as Python follows them.
  symlinkSync(join(dir, 'pkg'), join(dir, 'linked'));
  symlinkSync(join(dir, 'gen_pb2.py'), join(dir, 'linkedmod.py'));
  return dir;
}

/** What python3 finds, with `roots` first on sys.path. */
function pythonFinds(dir: string, roots: string[], names: string[]): boolean[] {
  const script = [
    'import importlib.util, json, sys',
    `sys.path[:0] = ${JSON.stringify(roots.map((r) => join(dir, r)))}`,
    'out = []',
    `for n in ${JSON.stringify(names)}:`,
    '    try:',
    '        out.append(importlib.util.find_spec(n) is not None)',
    '    except ImportError:',
    '        out.append(False)',
    'print(json.dumps(out))',
  ].join('\n');
  const r = spawnSync('python3', ['-I', '-S', '-c', script], { encoding: 'utf8', env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout);
}

test('the same answers as python3 find_spec, for one import root and for two', () => {
  const dir = tree();
  for (const roots of [['.'], ['.', 'src2']]) {
    const disk = new DiskModules(dir, roots);
    const python = pythonFinds(dir, roots, NAMES);
    expect(NAMES.map((n) => `${n} ${disk.exists(n)}`)).toEqual(NAMES.map((n, i) => `${n} ${python[i]}`));
  }
  // Each answer above is asked of a fresh finder; the cache gives the same ones.
  const disk = new DiskModules(dir, ['.', 'src2']);
  const first = NAMES.map((n) => disk.exists(n));
  expect(NAMES.map((n) => disk.exists(n))).toEqual(first);
  expect(first.filter(Boolean).length).toBeGreaterThan(15);
  expect(first.filter((x) => !x).length).toBeGreaterThanOrEqual(8);
});

test('a package whose __init__ is an extension module has submodules (python3 cannot load the fake one here)', () => {
  const dir = tree();
  const disk = new DiskModules(dir, ['.']);
  expect(disk.exists('pkg.extpkg.inner')).toBe(true);
  expect(disk.exists('pkg.extpkg.nope')).toBe(false);
});

test('a stub alone counts as a module, as in the module index (python3 would not import it)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'canon-disk-'));
  writeFileSync(join(dir, 'typed.pyi'), '');
  expect(new DiskModules(dir, ['.']).exists('typed')).toBe(true);
  expect(new DiskModules(dir, ['.']).exists('typed.x')).toBe(false);
});
