// The module index from a file list: checked against its definition, spelled out plainly, on the
// standard library's files under several import roots (moduleIndex.ts builds it faster).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ListedModuleIndex } from '../../src/python/listedModuleIndex.js';
import { ModuleIndex, type ModuleEntry } from '../../src/python/moduleIndex.js';
import { moduleNameOf } from '../../src/python/modules.js';
import { pythonFiles, requirePythonPaths } from '../helpers/corpus.js';

/**
 * Every file's module (a .py before a .pyi of the same name, then a package's __init__ before a
 * plain module, then the first file of a name), and every folder above a module as a package.
 */
function reference(files: string[], roots: string[]): string[] {
  const byName = new Map<string, ModuleEntry>();
  const isInit = (f: string): boolean => /(^|\/)__init__\.pyi?$/.test(f);
  for (const stubs of [false, true]) {
    for (const inits of [true, false]) {
      for (const file of files) {
        if (file.endsWith('.pyi') !== stubs || isInit(file) !== inits) continue;
        const name = moduleNameOf(file, roots);
        if (name !== null && !byName.has(name)) byName.set(name, { name, file, isPackage: isInit(file) });
      }
    }
  }
  for (const name of [...byName.keys()]) {
    const parts = name.split('.');
    for (let i = 1; i < parts.length; i++) {
      const pkg = parts.slice(0, i).join('.');
      if (!byName.has(pkg)) byName.set(pkg, { name: pkg, file: null, isPackage: true });
    }
  }
  return [...byName.values()].map((m) => `${m.name} ${m.file ?? '-'} ${m.isPackage}`).sort();
}

describe('ModuleIndex.fromFiles', () => {
  test('the same entries as the definition, on the standard library', () => {
    const { stdlib } = requirePythonPaths();
    const files = pythonFiles(stdlib).map((f) => relative(stdlib, f).split(sep).join('/'));
    // Stubs beside modules, a stub alone, a module and a package of one name, namespace folders.
    files.push('email/__init__.pyi', 'stubonly/x.pyi', 'json.py', 'nsa/nsb/deep.py', 'src/nsc/m.py');
    files.sort();
    for (const roots of [['.'], ['.', 'src'], ['asyncio', '.']]) {
      const got = ModuleIndex.fromFiles(files, roots).toData().modules.map((m) => `${m.name} ${m.file ?? '-'} ${m.isPackage}`).sort();
      expect(got).toEqual(reference(files, roots));
    }
  });
});

test('a package before a module of the same name, as CPython imports it', () => {
  const files = ['both.py', 'both/__init__.py', 'solo.py', 'stubbed.pyi', 'stubbed.py', 'pkg/__init__.pyi', 'pkg/__init__.py', 'ns/deep.py'];
  const dir = mkdtempSync(join(tmpdir(), 'canon-index-'));
  for (const f of files) {
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    writeFileSync(join(dir, f), '');
  }
  const names = ['both', 'solo', 'stubbed', 'pkg', 'ns', 'ns.deep'];
  const script = `import importlib, sys\nsys.path.insert(0, ${JSON.stringify(dir)})\nfor n in ${JSON.stringify(names)}:\n    m = importlib.import_module(n)\n    print(n, getattr(m, '__file__', None) or '-')`;
  const r = spawnSync('python3', ['-c', script], { encoding: 'utf8' });
  expect(r.status).toBe(0);
  const python = r.stdout.trim().split('\n').map((l) => {
    const [n, f] = l.split(' ');
    return `${n} ${f === '-' ? '-' : relative(dir, f!).split(sep).join('/')}`;
  });
  const sorted = [...files].sort();
  for (const index of [ModuleIndex.fromFiles(sorted, ['.']), new ListedModuleIndex(sorted, ['.'])]) {
    expect(names.map((n) => `${n} ${index.get(n)?.file ?? '-'}`)).toEqual(python);
  }
});

describe('ListedModuleIndex (answers from the listing, one question at a time)', () => {
  const { stdlib } = requirePythonPaths();
  const files = pythonFiles(stdlib).map((f) => relative(stdlib, f).split(sep).join('/'));
  // Stubs beside modules, a stub alone, a module and a package of one name, namespace folders,
  // folders that are not identifiers, a root-level __init__, a module under two roots.
  files.push('email/__init__.pyi', 'stubonly/x.pyi', 'json.py', 'nsa/nsb/deep.py', 'src/nsc/m.py', 'src/json/__init__.py');
  files.push('my-dir/x.py', 'ns2/bad-name/y.py', '__init__.py', 'src/__init__.py', 'pkgstub/__init__.pyi', 'pkgstub.py');
  files.sort();

  for (const roots of [['.'], ['.', 'src'], ['asyncio', '.'], ['src', '.']]) {
    test(`every answer as ModuleIndex.fromFiles gives it, roots ${roots.join(', ')}`, () => {
      const eager = ModuleIndex.fromFiles(files, roots);
      const names = eager.toData().modules.map((m) => m.name);
      // Names that exist, their neighbours that do not, and odd strings.
      const asked = [...names, ...names.slice(0, 300).map((n) => `${n}.missing`), ...names.slice(0, 300).map((n) => `${n}x`), '', 'src', 'src.nsc', 'my-dir', 'ns2', 'a/b', '.json', 'json.'];
      // A fresh index per batch, so that every answer comes from the lazy path (it switches to
      // the whole index after a few thousand questions).
      const batches: string[][] = [];
      for (let i = 0; i < asked.length; i += 1000) batches.push(asked.slice(i, i + 1000));
      const wrong: string[] = [];
      for (const batch of batches) {
        const lazy = new ListedModuleIndex(files, roots);
        for (const n of batch) {
          if (JSON.stringify(lazy.get(n)) !== JSON.stringify(eager.get(n))) wrong.push(`get ${n}: ${JSON.stringify(lazy.get(n))} vs ${JSON.stringify(eager.get(n))}`);
          if (lazy.isProjectModule(n) !== eager.isProjectModule(n)) wrong.push(`isProjectModule ${n}`);
        }
      }
      for (let i = 0; i < files.length; i += 1000) {
        const lazy = new ListedModuleIndex(files, roots);
        for (const f of files.slice(i, i + 1000)) {
          if (JSON.stringify(lazy.ofFile(f)) !== JSON.stringify(eager.ofFile(f))) wrong.push(`ofFile ${f}`);
        }
      }
      expect(wrong.slice(0, 10)).toEqual([]);
      // The questions that need every module: the whole index, built once.
      const lazy = new ListedModuleIndex(files, roots);
      expect([...lazy.topLevels].sort()).toEqual([...eager.topLevels].sort());
      expect(lazy.toData()).toEqual(eager.toData());
    });
  }

  test('past ten thousand names, or given an unsorted listing, it asks the whole index', () => {
    const lazy = new ListedModuleIndex(files, ['.']);
    for (let i = 0; i < 11000; i++) lazy.has(`mod${i}`);
    expect(lazy.get('json')?.file).toBe('json/__init__.py');
    const unsorted = new ListedModuleIndex([...files].reverse(), ['.']);
    expect(unsorted.get('json')?.file).toBe(ModuleIndex.fromFiles([...files].reverse(), ['.']).get('json')?.file);
  });
});
