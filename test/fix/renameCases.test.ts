// The kinds of rename LibCST's RenameCommand is tested on (libcst/codemod/commands/tests/
// test_rename.py), as canon moves: each case is a small project of our own where the legacy path
// re-exports the canonical one (so verify says `same`), a consumer `app.py` that uses it at import
// time, and canon's exact output. After the fix python3 must import `app` (running every use), and
// a second fix changes nothing. Where canon's answer differs from LibCST's by design, the case says
// why (canon keeps an alias rather than renaming uses; a symbol move never rebinds a module name).

import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { allRefusals, planFix } from '../../src/fix/plan.js';
import { writeFixPlan } from '../../src/fix/write.js';
import { makeProject } from '../helpers/project.js';

interface Case {
  name: string;
  files: Record<string, string>;
  moves: [string, string][];
  input: string;
  /** null: the file stays as it is. */
  expected: string | null;
  refused?: string[];
}

// Small module trees. `def`s return their own name, so a use that reaches the wrong object fails.
const fn = (name: string): string => `def ${name}(*a):\n    return "${name}"\n`;
const cls = (name: string): string => `class ${name}:\n    pass\n`;

const CASES: Case[] = [
  {
    name: 'a from-imported function moves and is renamed: canon keeps the old name as an alias',
    files: { 'src1.py': 'from dst1 import newf as oldf\n', 'dst1.py': fn('newf') },
    moves: [['src1:oldf', 'dst1:newf']],
    input: 'from src1 import oldf\n\n\ndef go():\n    return oldf(5)\n\n\ngo()\n',
    expected: 'from dst1 import newf as oldf\n\n\ndef go():\n    return oldf(5)\n\n\ngo()\n',
  },
  {
    name: 'the same with a user alias, which stays',
    files: { 'src1.py': 'from dst1 import newf as oldf\n', 'dst1.py': fn('newf') },
    moves: [['src1:oldf', 'dst1:newf']],
    input: 'from src1 import oldf as mine\n\nmine(1)\n',
    expected: 'from dst1 import newf as mine\n\nmine(1)\n',
  },
  {
    name: 'a submodule imported under an alias moves (a module move rebinds the alias)',
    files: { 'p1/__init__.py': '', 'p1/inner.py': 'from q1.outer import *\n', 'q1/__init__.py': '', 'q1/outer.py': fn('run') },
    moves: [['p1.inner', 'q1.outer']],
    input: 'from p1 import inner as alias\n\nalias.run(5)\n',
    expected: 'from q1 import outer as alias\n\nalias.run(5)\n',
  },
  {
    name: '`import a.b` used as `a.b.f()`, f moved to another package: the dotted use is respelled',
    files: { 'a2/__init__.py': '', 'a2/b.py': 'from d2.e import g as f\n', 'd2/__init__.py': '', 'd2/e.py': fn('g') },
    moves: [['a2.b:f', 'd2.e:g']],
    input: 'import a2.b\n\na2.b.f(5)\n',
    expected: 'import d2.e\n\nd2.e.g(5)\n',
  },
  {
    name: 'a module aliased by the user, one name of it moved: uses go through the canonical module',
    files: { 'm3.py': 'from n3 import newname as oldname\n', 'n3.py': fn('newname') },
    moves: [['m3:oldname', 'n3:newname']],
    input: 'import m3 as short\n\nshort.oldname(5)\n',
    expected: 'import n3\n\nn3.newname(5)\n',
  },
  {
    name: 'a dotted module import moves (`import a.b` -> `import c.b`), its uses with it',
    files: { 'a4/__init__.py': '', 'a4/b.py': 'from c4.b import *\n', 'c4/__init__.py': '', 'c4/b.py': cls('C') },
    moves: [['a4.b', 'c4.b']],
    input: 'import a4.b\n\n\nclass Sub(a4.b.C):\n    pass\n',
    expected: 'import c4.b\n\n\nclass Sub(c4.b.C):\n    pass\n',
  },
  {
    name: 'the package above moves (`a -> c`) under `import a.b`',
    files: { 'a5/__init__.py': '', 'a5/b.py': 'from c5.b import *\n', 'c5/__init__.py': '', 'c5/b.py': cls('C') },
    moves: [['a5', 'c5']],
    input: 'import a5.b\n\n\nclass Sub(a5.b.C):\n    pass\n',
    expected: 'import c5.b\n\n\nclass Sub(c5.b.C):\n    pass\n',
  },
  {
    name: 'a move of another module of the same last name changes nothing',
    files: { 'a6/__init__.py': '', 'a6/b.py': cls('C'), 'b.py': 'from c6.b import *\n', 'c6/__init__.py': '', 'c6/b.py': cls('C') },
    moves: [['b', 'c6.b']],
    input: 'import a6.b\n\n\nclass Sub(a6.b.C):\n    pass\n',
    expected: null,
  },
  {
    name: '`from a import b` with b a moved module',
    files: { 'a7/__init__.py': '', 'a7/b.py': 'from c7.b import *\n', 'c7/__init__.py': '', 'c7/b.py': cls('C') },
    moves: [['a7.b', 'c7.b']],
    input: 'from a7 import b\n\n\nclass Sub(b.C):\n    pass\n',
    expected: 'from c7 import b\n\n\nclass Sub(b.C):\n    pass\n',
  },
  {
    name: '`from a import b` with the package a moved',
    files: { 'a8/__init__.py': '', 'a8/b.py': 'from c8.b import *\n', 'c8/__init__.py': '', 'c8/b.py': cls('C') },
    moves: [['a8', 'c8']],
    input: 'from a8 import b\n\n\nclass Sub(b.C):\n    pass\n',
    expected: 'from c8 import b\n\n\nclass Sub(b.C):\n    pass\n',
  },
  {
    name: 'a from-imported class moves to a sibling package',
    files: { 'a9/__init__.py': '', 'a9/b.py': 'from c9.b import Thing\n', 'c9/__init__.py': '', 'c9/b.py': cls('Thing') },
    moves: [['a9.b:Thing', 'c9.b:Thing']],
    input: 'from a9.b import Thing\n\n\nclass Sub(Thing):\n    pass\n',
    expected: 'from c9.b import Thing\n\n\nclass Sub(Thing):\n    pass\n',
  },
  {
    name: 'a name renamed within its module, a neighbour stays: canon keeps the old name as an alias',
    files: { 'a10/__init__.py': '', 'a10/b.py': `${cls('New')}\n\nOld = New\n\n\n${cls('Other')}` },
    moves: [['a10.b:Old', 'a10.b:New']],
    input: 'from a10.b import Old, Other\n\n\nclass Sub(Old, Other):\n    pass\n',
    expected: 'from a10.b import New as Old, Other\n\n\nclass Sub(Old, Other):\n    pass\n',
  },
  {
    name: 'two modules imported from one package, one name of one moved to a third module',
    files: {
      'a11/__init__.py': '', 'a11/one.py': 'from a11.three import Three as One\n', 'a11/two.py': cls('Two'), 'a11/three.py': cls('Three'),
    },
    moves: [['a11.one:One', 'a11.three:Three']],
    input: 'from a11 import one, two\n\n\nclass A(one.One):\n    pass\n\n\nclass B(two.Two):\n    pass\n',
    expected: 'from a11 import two\nfrom a11 import three\n\n\nclass A(three.Three):\n    pass\n\n\nclass B(two.Two):\n    pass\n',
  },
  {
    name: 'a function renamed in the module the file uses through `import a.b`',
    files: { 'a12/__init__.py': '', 'a12/b.py': `${fn('warning')}\n\nwarn = warning\n` },
    moves: [['a12.b:warn', 'a12.b:warning']],
    input: 'import a12.b\n\na12.b.warn(1)\n',
    expected: 'import a12.b\n\na12.b.warning(1)\n',
  },
  {
    name: 'a class imported by name is renamed in its module: the alias keeps the local name',
    files: { 'a13.py': `${cls('C')}\n\nB = C\n` },
    moves: [['a13:B', 'a13:C']],
    input: 'from a13 import B\n\n\nclass Sub(B):\n    pass\n',
    expected: 'from a13 import C as B\n\n\nclass Sub(B):\n    pass\n',
  },
  {
    name: 'one of three plain imports loses its only use: the canonical module takes its place',
    files: { 'a14.py': 'from d14 import z\n', 'b14.py': 'bar = int\n', 'c14.py': 'baz = str\n', 'd14.py': cls('z') },
    moves: [['a14:z', 'd14:z']],
    input: 'import a14, b14, c14\n\n\nclass Sub(a14.z):\n    bar: b14.bar\n    baz: c14.baz\n',
    expected: 'import d14, b14, c14\n\n\nclass Sub(d14.z):\n    bar: b14.bar\n    baz: c14.baz\n',
  },
  {
    name: 'one name of a from-import moves: the statement is split',
    files: { 'a15.py': 'from f15 import b\n\nc = 1\nd = 2\n', 'f15.py': cls('b') },
    moves: [['a15:b', 'f15:b']],
    input: 'from a15 import b, c, d\n\n\nclass Sub(b):\n    bar = c\n    baz = d\n',
    expected: 'from a15 import c, d\nfrom f15 import b\n\n\nclass Sub(b):\n    bar = c\n    baz = d\n',
  },
  {
    name: '`import a` used for a moved and an unmoved name: it stays beside the new import',
    files: { 'a16.py': 'from z16 import b\n\nc = 1\n', 'z16.py': cls('b') },
    moves: [['a16:b', 'z16:b']],
    input: 'import a16\n\n\nclass Sub(a16.b):\n    x = a16.c\n',
    expected: 'import a16\nimport z16\n\n\nclass Sub(z16.b):\n    x = a16.c\n',
  },
  {
    name: '`import a.b` used for a moved and an unmoved name',
    files: { 'a17/__init__.py': '', 'a17/b.py': 'from z17.b import c\n\nd = 1\n', 'z17/__init__.py': '', 'z17/b.py': cls('c') },
    moves: [['a17.b:c', 'z17.b:c']],
    input: 'import a17.b\n\n\nclass Sub(a17.b.c):\n    x = a17.b.d\n',
    expected: 'import a17.b\nimport z17.b\n\n\nclass Sub(z17.b.c):\n    x = a17.b.d\n',
  },
  {
    name: '`from a import b` used for a moved and an unmoved name: `b` keeps meaning its module',
    files: { 'a18/__init__.py': '', 'a18/b.py': 'from blah18 import one\n\nother = 2\n', 'blah18.py': cls('one') },
    moves: [['a18.b:one', 'blah18:one']],
    input: 'from a18 import b\n\n\nclass Sub(b.one):\n    x = b.other\n',
    expected: 'from a18 import b\nimport blah18\n\n\nclass Sub(blah18.one):\n    x = b.other\n',
  },
  {
    name: 'an unrelated import next to the moved one is left alone',
    files: { 'a19.py': 'from c19 import obj\n', 'b19.py': '', 'c19.py': cls('obj') },
    moves: [['a19:obj', 'c19:obj']],
    input: 'import a19\nimport b19\n\n\nclass Sub(a19.obj):\n    pass\n',
    expected: 'import c19\nimport b19\n\n\nclass Sub(c19.obj):\n    pass\n',
  },
  {
    name: 'a name reached through a from-imported module and a submodule of it',
    files: {
      'a20/__init__.py': '', 'a20/b/__init__.py': '', 'a20/b/c/__init__.py': '', 'a20/b/c/d/__init__.py': '', 'a20/b/c/d/e.py': 'from g20.h.i import j as f\n',
      'g20/__init__.py': '', 'g20/h/__init__.py': '', 'g20/h/i.py': cls('j'),
    },
    moves: [['a20.b.c.d.e:f', 'g20.h.i:j']],
    input: 'from a20.b.c import d\nfrom a20.b.c.d import e\n\n\nclass Sub(d.e.f):\n    pass\n',
    expected: 'from g20.h import i\nfrom a20.b.c.d import e\n\n\nclass Sub(i.j):\n    pass\n',
  },
  {
    name: 'module names that contain one another (`aa`, `aaaa`)',
    files: { 'aa21/__init__.py': '', 'aa21/aaaa21.py': 'from b21.c21 import *\n', 'b21/__init__.py': '', 'b21/c21.py': cls('Bar') },
    moves: [['aa21.aaaa21', 'b21.c21']],
    input: 'from aa21 import aaaa21\n\n\nclass Sub(aaaa21.Bar):\n    pass\n',
    expected: 'from b21 import c21 as aaaa21\n\n\nclass Sub(aaaa21.Bar):\n    pass\n',
  },
  {
    name: 'a name that is also its module\'s name',
    files: { 'foo22.py': 'from qux22 import qux22 as foo22\n', 'qux22.py': fn('qux22') },
    moves: [['foo22:foo22', 'qux22:qux22']],
    input: 'from foo22 import foo22\n\n\ndef go():\n    return foo22(5)\n\n\ngo()\n',
    expected: 'from qux22 import qux22 as foo22\n\n\ndef go():\n    return foo22(5)\n\n\ngo()\n',
  },
  {
    name: 'a move of a name the file does not import changes nothing',
    files: { 'foo23.py': fn('bar') + '\n\n' + fn('other'), 'baz23.py': 'from qux23 import bar\n', 'qux23.py': fn('bar') },
    moves: [['baz23:bar', 'qux23:bar']],
    input: 'from foo23 import bar\n\nbar(42)\n',
    expected: null,
  },
  {
    name: 'a package prefix moves under a deeper `import`',
    files: { 'a24/__init__.py': '', 'a24/b/__init__.py': '', 'a24/b/c/__init__.py': '', 'a24/b/c/d.py': 'from x24.y.c.d import *\n', 'x24/__init__.py': '', 'x24/y/__init__.py': '', 'x24/y/c/__init__.py': '', 'x24/y/c/d.py': fn('foo') },
    moves: [['a24.b', 'x24.y']],
    input: 'import a24.b.c.d\n',
    expected: 'import x24.y.c.d\n',
  },
  {
    name: 'a package prefix moves under a deeper from-import',
    files: { 'a25/__init__.py': '', 'a25/b/__init__.py': '', 'a25/b/c/__init__.py': '', 'a25/b/c/d.py': 'from x25.y.c.d import *\n', 'x25/__init__.py': '', 'x25/y/__init__.py': '', 'x25/y/c/__init__.py': '', 'x25/y/c/d.py': fn('foo') },
    moves: [['a25.b', 'x25.y']],
    input: 'from a25.b.c.d import foo\n\nfoo()\n',
    expected: 'from x25.y.c.d import foo\n\nfoo()\n',
  },
  {
    name: 'two uses of a moved name through `from a import b`: `b` goes, the canonical module comes',
    files: { 'a26/__init__.py': '', 'a26/b.py': 'from c26.d import some_class\n', 'c26/__init__.py': '', 'c26/d.py': cls('some_class') },
    moves: [['a26.b:some_class', 'c26.d:some_class']],
    input: 'from a26 import b\n\n\nclass One(b.some_class):\n    pass\n\n\nclass Two(b.some_class):\n    pass\n',
    expected: 'from c26 import d\n\n\nclass One(d.some_class):\n    pass\n\n\nclass Two(d.some_class):\n    pass\n',
  },
  {
    name: 'a whole package moves: every form of import, and the uses of `import a` (issue 12, case 7)',
    files: { 'a27/__init__.py': 'from z27 import *\n', 'a27/b.py': 'from z27.b import *\n', 'a27/c.py': 'from z27.c import *\n', 'z27/__init__.py': cls('some_class'), 'z27/b.py': cls('some_class'), 'z27/c.py': cls('d') },
    moves: [['a27', 'z27']],
    input: 'import a27\nfrom a27 import b\nfrom a27.c import d\n\n\nclass One(d):\n    pass\n\n\nclass Two(b.some_class):\n    pass\n\n\nclass Three(a27.some_class):\n    pass\n',
    expected: 'import z27\nfrom z27 import b\nfrom z27.c import d\n\n\nclass One(d):\n    pass\n\n\nclass Two(b.some_class):\n    pass\n\n\nclass Three(z27.some_class):\n    pass\n',
  },
  {
    name: 'a class reached as `d.e` moves to a name of another module',
    files: { 'a28/__init__.py': '', 'a28/b/__init__.py': '', 'a28/b/c/__init__.py': '', 'a28/b/c/d.py': 'from g28.h import i as e\n', 'g28/__init__.py': '', 'g28/h.py': 'class i:\n    j = 1\n' },
    moves: [['a28.b.c.d:e', 'g28.h:i']],
    input: 'from a28.b.c import d\n\nprint(d.e.j)\n',
    expected: 'from g28 import h\n\nprint(h.i.j)\n',
  },
  {
    name: 'a module imported by name moves deeper: the alias keeps the local name',
    files: { 'a29/__init__.py': '', 'a29/b/__init__.py': '', 'a29/b/c/__init__.py': '', 'a29/b/c/d.py': 'from g29.h.i.j import *\n', 'g29/__init__.py': '', 'g29/h/__init__.py': '', 'g29/h/i/__init__.py': '', 'g29/h/i/j.py': cls('e') },
    moves: [['a29.b.c.d', 'g29.h.i.j']],
    input: 'from a29.b.c import d\n\n\nclass Sub(d.e):\n    pass\n',
    expected: 'from g29.h.i import j as d\n\n\nclass Sub(d.e):\n    pass\n',
  },
  {
    name: 'a name moves into the package above: uses go through the package (canon never rebinds `b`)',
    files: { 'a30/__init__.py': 'from a30.b import qux\n', 'a30/b.py': fn('qux') },
    moves: [['a30.b:qux', 'a30:qux']],
    input: 'from a30 import b\n\nprint(b.qux())\n',
    expected: 'import a30\n\nprint(a30.qux())\n',
  },
  {
    name: 'a module move of a package whose chain names a class (issue 12, case 6)',
    files: { 'leg31.py': 'from can31 import Base\n', 'can31.py': cls('Base') },
    moves: [['leg31', 'can31']],
    input: 'import leg31\n\nleg31.Base.register = 1\n',
    expected: 'import can31\n\ncan31.Base.register = 1\n',
  },
  {
    name: 'a module moved into another package, used by its bare name (issue 12, case 7)',
    files: { 'foo32.py': 'from quux32.foo32 import *\n', 'quux32/__init__.py': '', 'quux32/foo32.py': fn('baz') },
    moves: [['foo32', 'quux32.foo32']],
    input: 'import foo32\n\nfoo32.baz()\n',
    expected: 'import quux32.foo32\n\nquux32.foo32.baz()\n',
  },
  {
    name: 'a deep module moved, reached from `import a` as a value (issue 12, case 7)',
    files: { 'a33/__init__.py': 'from . import b\n', 'a33/b/__init__.py': 'from . import c\n', 'a33/b/c.py': 'from z33.c import *\n', 'z33/__init__.py': '', 'z33/c.py': fn('f') },
    moves: [['a33.b.c', 'z33.c']],
    input: 'import a33\n\na33.b.c.f()\nprint(a33.b.c)\n',
    expected: 'import z33.c\n\nz33.c.f()\nprint(z33.c)\n',
  },
];

const roots: string[] = [];
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

function toml(moves: [string, string][]): string {
  return 'src = ["."]\n' + moves.map(([f, t]) => `\n[[move]]\nfrom = "${f}"\nto = "${t}"\n`).join('');
}

describe('LibCST rename cases, as canon moves', () => {
  for (const c of CASES) {
    test(c.name, async () => {
      const root = makeProject({ ...c.files, 'app.py': c.input, 'canon.toml': toml(c.moves) });
      roots.push(root);
      const loaded = loadConfig(join(root, 'canon.toml'));
      if ('problems' in loaded) throw new Error(JSON.stringify(loaded.problems));
      const plan = await planFix(loaded.config, { cwd: root });
      expect(plan.errors).toEqual([]);
      const after = plan.files.find((f) => f.file === 'app.py')?.after.toString('latin1') ?? c.input;
      expect(after).toBe(c.expected ?? c.input);
      expect(allRefusals(plan).filter((r) => r.finding.file === 'app.py').map((r) => r.reason)).toEqual(c.refused ?? []);
      await writeFixPlan(root, plan);
      expect(readFileSync(join(root, 'app.py'), 'latin1')).toBe(c.expected ?? c.input);
      const py = spawnSync('python3', ['-c', 'import app'], { cwd: root, encoding: 'utf8' });
      expect(py.status, py.stderr).toBe(0);
      const again = await planFix(loaded.config, { cwd: root });
      expect(again.files.map((f) => f.file)).toEqual([]);
    });
  }
});
