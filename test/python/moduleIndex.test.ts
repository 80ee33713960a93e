// The module index from a file list: checked against its definition, spelled out plainly, on the
// standard library's files under several import roots (moduleIndex.ts builds it faster).
import { relative, sep } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ModuleIndex, type ModuleEntry } from '../../src/python/moduleIndex.js';
import { moduleNameOf } from '../../src/python/modules.js';
import { pythonFiles, requirePythonPaths } from '../helpers/corpus.js';

/** Every file's module (a .py before a .pyi of the same name, the first file of a name otherwise), and every folder above a module as a package. */
function reference(files: string[], roots: string[]): string[] {
  const byName = new Map<string, ModuleEntry>();
  for (const stubs of [false, true]) {
    for (const file of files) {
      if (file.endsWith('.pyi') !== stubs) continue;
      const name = moduleNameOf(file, roots);
      if (name !== null && !byName.has(name)) byName.set(name, { name, file, isPackage: /(^|\/)__init__\.pyi?$/.test(file) });
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
