// The import-order rule (src/fix/importOrder.ts): its answers on in-memory trees, and, through the
// built binary on small projects, that scan's `fixable`/`reason` agree with fix's refusals for every
// refusal the module graph decides, and that python3 imports the result.

import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, test } from 'vitest';
import { ImportOrder, type OrderQuestion } from '../../src/fix/importOrder.js';
import { ModuleIndex } from '../../src/python/moduleIndex.js';
import { makeProject, runCli } from '../helpers/project.js';

function orderOf(files: Record<string, string>): ImportOrder {
  return new ImportOrder(ModuleIndex.fromFiles(Object.keys(files), ['.']), { read: (f) => files[f] ?? null });
}

const atImport = (self: string, target: string, name: string | null): OrderQuestion => ({ self, target, name, imports: 'import', reads: 'import' });

describe('ImportOrder', () => {
  const files = {
    'pkg/__init__.py': '"""Doc."""\nfrom .impl import Engine\nfrom . import early\nfrom .late_impl import Late\nfrom . import front\n',
    'pkg/impl.py': 'class Engine:\n    pass\n',
    'pkg/late_impl.py': 'class Late:\n    pass\n',
    'pkg/early.py': '',
    'pkg/front.py': 'from pkg import deep\n',
    'pkg/deep.py': '',
    'pkg/alone.py': '',
    'other/__init__.py': '',
    'other/a.py': 'import other.b\n',
    'other/b.py': 'def f():\n    import other.a\n',
    'other/c.py': 'from other import a\n',
  };
  const order = orderOf(files);

  test('the file\'s own module: refused at import time and under TYPE_CHECKING, allowed in a function', () => {
    const why = 'would import `Engine` from pkg, the module this file is: pkg is still being initialized when the line runs (import cycle: pkg -> pkg), so the name is not bound there yet';
    expect(order.problem(atImport('pkg', 'pkg', 'Engine'))).toBe(why);
    expect(order.problem({ ...atImport('pkg', 'pkg', 'Engine'), imports: 'typing', reads: 'typing' })).toBe(why);
    expect(order.problem({ ...atImport('pkg', 'pkg', 'Engine'), imports: 'later', reads: 'later' })).toBeNull();
    // Binding the module object alone reads nothing from it.
    expect(order.problem(atImport('pkg', 'pkg', null))).toBeNull();
  });

  test('a package still initializing: allowed when it binds the name above the line that imports the file', () => {
    expect(order.problem(atImport('pkg.early', 'pkg', 'Engine'))).toBeNull();
    expect(order.problem(atImport('pkg.early', 'pkg', 'Late'))).toBe(
      'would import `Late` from pkg while pkg is still being initialized: pkg/__init__.py line 3 imports this file (pkg -> pkg.early), and pkg binds it only at line 4',
    );
    // Through another module of the package.
    expect(order.problem(atImport('pkg.deep', 'pkg', 'Late'))).toBeNull();
    expect(order.problem(atImport('pkg.deep', 'pkg', 'Nowhere'))).toBe(
      'would import `Nowhere` from pkg while pkg is still being initialized: pkg/__init__.py line 5 imports this file (pkg -> pkg.front -> pkg.deep), and canon cannot show that pkg binds it before that line',
    );
    // A package that never imports the file has finished when the file runs.
    expect(order.problem(atImport('pkg.alone', 'pkg', 'Nowhere'))).toBeNull();
    // A submodule is always there: `from pkg import sub` imports it.
    expect(order.problem(atImport('pkg.early', 'pkg', 'impl'))).toBeNull();
    // Read later (a use in a function), or only by type checkers: fine.
    expect(order.problem({ ...atImport('pkg.early', 'pkg', 'Late'), reads: 'later' })).toBeNull();
    expect(order.problem({ ...atImport('pkg.early', 'pkg', 'Late'), imports: 'typing', reads: 'typing' })).toBeNull();
  });

  test('cycles: import-time imports only; not under TYPE_CHECKING or in functions', () => {
    expect(order.problem(atImport('other.b', 'other.a', 'X'))).toBe('would create an import cycle: other.b -> other.a -> other.b');
    expect(order.problem({ ...atImport('other.b', 'other.a', 'X'), imports: 'later', reads: 'later' })).toBeNull();
    expect(order.problem({ ...atImport('other.b', 'other.a', 'X'), imports: 'typing', reads: 'typing' })).toBeNull();
    // other.b imports other.a only in a function: no cycle the other way.
    expect(order.problem(atImport('other.a', 'other.b', 'f'))).toBeNull();
    expect(order.problem(atImport('other.b', 'other.c', 'a'))).toBe('would create an import cycle: other.b -> other.c -> other.a -> other.b');
  });

  test('importing a module that reads a name from a package still initializing (it imports this file first)', () => {
    const o = orderOf({
      'pkg/__init__.py': 'from . import early\nLATE = 1\n',
      'pkg/early.py': '',
      'pkg/alone.py': '',
      'other/__init__.py': '',
      'other/x.py': 'from pkg import LATE\n',
    });
    expect(o.problem(atImport('pkg.early', 'other.x', 'Y'))).toBe(
      'would create an import cycle: pkg.early -> other.x, which reads `LATE` from pkg while pkg is still being initialized: pkg/__init__.py line 1 imports this file (pkg -> pkg.early), and pkg binds it only at line 2',
    );
    // pkg does not import pkg.alone: it has finished when pkg.alone runs.
    expect(o.problem(atImport('pkg.alone', 'other.x', 'Y'))).toBeNull();
  });

  test('the imports a plan adds count for the questions after them', () => {
    const o = orderOf({ 'a.py': '', 'b.py': '' });
    expect(o.problem({ ...atImport('a', 'b', 'X'), line: 1 })).toBeNull();
    expect(o.problem({ ...atImport('b', 'a', 'Y'), line: 1 })).toBe('would create an import cycle: b -> a -> b');
    // A fresh copy starts from the project as it is.
    expect(o.fresh().problem(atImport('b', 'a', 'Y'))).toBeNull();
  });
});

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

interface Scanned { file: string; line: number; fixable: boolean; reason: string | null; legacy: string }
interface Refused { file: string; line: number; refusal: string }

/** scan's and fix's answers (fix --diff: nothing written), then the fix itself. */
function both(files: Record<string, string>): { scan: Scanned[]; refused: Refused[]; fixed: string[]; dir: string; code: number } {
  const dir = makeProject(files);
  dirs.push(dir);
  const scan = JSON.parse(runCli(['scan', '--format', 'json'], { cwd: dir }).stdout).findings as Scanned[];
  const plan = JSON.parse(runCli(['fix', '--diff', '--format', 'json'], { cwd: dir }).stdout);
  const fix = runCli(['fix'], { cwd: dir });
  return { scan, refused: plan.refused as Refused[], fixed: (plan.files as { file: string }[]).map((f) => f.file), dir, code: fix.code };
}

const ORDER = /^(would import `|would create an import cycle)/;

/**
 * Every import-order refusal of fix is scan's reason for the same finding, and the other way round
 * (but for `planOnly`: sites fix refuses because of an import another of its rewrites adds).
 */
function expectAgreement(scan: Scanned[], refused: Refused[], planOnly: string[] = []): void {
  const fromScan = scan.filter((f) => f.reason !== null && ORDER.test(f.reason)).map((f) => `${f.file}:${f.line} ${f.reason}`).sort();
  const fromFix = refused.filter((r) => ORDER.test(r.refusal) && !planOnly.includes(`${r.file}:${r.line}`)).map((r) => `${r.file}:${r.line} ${r.refusal}`).sort();
  expect(fromScan).toEqual(fromFix);
  expect(fromFix.length).toBeGreaterThan(0);
}

function pythonImports(dir: string, modules: string[]): void {
  const r = spawnSync('python3', ['-c', modules.map((m) => `import ${m}`).join('; ')], { cwd: dir, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
}

describe('scan and fix agree on the import order (canon as a user runs it)', () => {
  test('a package importing a name from itself (issue 12, case 1)', () => {
    const r = both({
      'pkg/__init__.py': 'from .impl import Engine as Engine\n',
      'pkg/impl.py': 'class Engine:\n    pass\n',
      'app.py': 'from pkg.impl import Engine\n',
      'canon.toml': 'src = ["."]\n[[move]]\nfrom = "pkg.impl:Engine"\nto = "pkg:Engine"\n',
    });
    expectAgreement(r.scan, r.refused);
    expect(r.refused.map((x) => `${x.file}:${x.line}`)).toEqual(['pkg/__init__.py:1']);
    expect(r.fixed).toEqual(['app.py']);
    expect(r.code).toBe(1);
    pythonImports(r.dir, ['pkg', 'app']);
  });

  test('a module move whose canonical module re-exports from the legacy one', () => {
    const r = both({
      'app/__init__.py': '',
      'app/legacy.py': 'class Thing:\n    pass\n',
      'app/canonical.py': 'from app.legacy import Thing\n',
      'app/user.py': 'from app.legacy import Thing\n',
      'canon.toml': 'src = ["."]\n[[move]]\nfrom = "app.legacy"\nto = "app.canonical"\n',
    });
    expectAgreement(r.scan, r.refused);
    expect(r.fixed).toEqual(['app/user.py']);
    pythonImports(r.dir, ['app.canonical', 'app.user']);
  });

  test('submodules run while their package initializes (before and after it binds the name), a cycle, a self-import, an attribute use', () => {
    const r = both({
      'pkg/__init__.py': 'from .impl import Engine\nfrom . import early\nfrom . import late\nfrom .impl import Late\nfrom . import uses\n',
      'pkg/impl.py': 'class Engine:\n    pass\n\n\nclass Late:\n    pass\n',
      'pkg/early.py': 'from pkg.impl import Engine\n',
      'pkg/late.py': 'from pkg.impl import Late\n\n\ndef make():\n    from pkg.impl import Late\n    return Late()\n',
      'pkg/uses.py': 'from pkg import impl\n\nDEFAULT = impl.Late\n',
      'other/__init__.py': '',
      'other/a.py': 'from pkg.impl import Engine\n\nTHING = 1\n',
      'other/hub.py': 'from other.a import THING\nfrom pkg.impl import Engine, Late\n',
      'canon.toml': 'src = ["."]\n[[move]]\nfrom = "pkg.impl:Engine"\nto = "other.hub:Engine"\n[[move]]\nfrom = "pkg.impl:Late"\nto = "pkg:Late"\n',
    });
    // Alone, pkg.early may import other.hub; but fix also rewrites other.hub (line 2) to read Late
    // from pkg, which imports pkg.early before it binds Late: together they would fail, and fix
    // (which counts the imports it adds) refuses the second. scan judges each finding alone.
    expectAgreement(r.scan, r.refused, ['pkg/early.py:1']);
    expect(r.scan.find((f) => f.file === 'pkg/early.py')?.fixable).toBe(true);
    expect(r.refused.map((x) => `${x.file}:${x.line} ${x.refusal}`).sort()).toEqual([
      'other/a.py:1 would create an import cycle: other.a -> other.hub -> other.a',
      'other/hub.py:2 would import `Engine` from other.hub, the module this file is: other.hub is still being initialized when the line runs (import cycle: other.hub -> other.hub), so the name is not bound there yet',
      // Imported first, other.hub would run pkg, which would read Engine from the unfinished other.hub.
      'pkg/__init__.py:1 would create an import cycle: pkg -> other.hub -> pkg',
      'pkg/__init__.py:4 would import `Late` from pkg, the module this file is: pkg is still being initialized when the line runs (import cycle: pkg -> pkg), so the name is not bound there yet',
      'pkg/early.py:1 would create an import cycle: pkg.early -> other.hub, which reads `Late` from pkg while pkg is still being initialized: pkg/__init__.py line 2 imports this file (pkg -> pkg.early), and pkg binds it only at line 4',
      'pkg/late.py:1 would import `Late` from pkg while pkg is still being initialized: pkg/__init__.py line 3 imports this file (pkg -> pkg.late), and pkg binds it only at line 4',
    ].sort());
    // pkg binds Late (line 4) before it imports pkg.uses (line 5): its module-level use may move.
    expect(r.fixed).toContain('pkg/uses.py');
    pythonImports(r.dir, ['pkg', 'pkg.early', 'pkg.late', 'pkg.uses', 'other.a', 'other.hub']);
  });
});
