// history's ModuleSet must build exactly the index ModuleIndex.fromFiles builds, in any file
// order, and name the modules whose entry changed between two builds.
import { describe, expect, test } from 'vitest';
import { ModuleSet } from '../../src/history/moduleSet.js';
import { ModuleIndex, type ModuleEntry } from '../../src/python/moduleIndex.js';

function entries(modules: ModuleEntry[]): string[] {
  return modules.map((m) => `${m.name} ${m.file ?? '-'} ${m.isPackage}`).sort();
}

const TRICKY = [
  'app/__init__.py',
  'app/a.py',
  'app/b.py',
  'app/b/__init__.py', // the same module name as app/b.py
  'app/c.pyi', // a stub without a module
  'app/d.py',
  'app/d.pyi', // a stub beside its module
  'ns/deep/er/mod.py', // namespace packages above
  'src/app/x.py', // under the second root: app.x
  'src/app/a.py', // app.a again, from another root
  'my-scripts/run.py', // not importable
  '__init__.py',
  'top.py',
  'pkg/__init__.pyi',
];

describe('ModuleSet', () => {
  test('the same entries as ModuleIndex.fromFiles, whatever the order of the files', () => {
    for (const roots of [['.'], ['.', 'src'], ['src']]) {
      const want = entries(ModuleIndex.fromFiles([...TRICKY].sort(), roots).toData().modules);
      for (const order of [TRICKY, [...TRICKY].reverse()]) {
        const { index } = new ModuleSet(roots).build(order);
        expect(entries(index.toData().modules)).toEqual(want);
        for (const f of TRICKY) expect(index.ofFile(f)).toEqual(ModuleIndex.fromFiles([...TRICKY].sort(), roots).ofFile(f));
      }
    }
  });

  test('the modules whose entry changed since the previous build', () => {
    const set = new ModuleSet(['.']);
    expect([...set.build(['a/__init__.py', 'a/x.py']).changed].sort()).toEqual(['a', 'a.x']);
    expect([...set.build(['a/__init__.py', 'a/x.py']).changed]).toEqual([]);
    // a.x moves to a/x/__init__.py (now a package), a.y appears, a/__init__.py goes (a: namespace).
    expect([...set.build(['a/x/__init__.py', 'a/y.py']).changed].sort()).toEqual(['a', 'a.x', 'a.y']);
    expect([...set.build([]).changed].sort()).toEqual(['a', 'a.x', 'a.y']);
  });

  test('top-level packages make the key that invalidates everything', () => {
    const set = new ModuleSet(['.']);
    const one = set.build(['a/x.py', 'b.py']).index;
    const two = set.build(['a/y.py', 'b.py']).index;
    const three = set.build(['a/y.py', 'c.py']).index;
    expect(two.topKey).toBe(one.topKey);
    expect(three.topKey).not.toBe(one.topKey);
  });
});
