// What canon shim does to an existing legacy module, as input/expected pairs (the generated block
// shown as `<shim>`), and every case where it refuses, with the reason.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/types.js';
import { planShims } from '../../src/shim/api.js';
import type { ShimPlan } from '../../src/shim/api.js';
import { writeShims } from '../../src/shim/write.js';
import { makeProject, runCli } from '../helpers/project.js';
import { python } from './fixture.js';

const CORE = '"""Canonical."""\n\n\nclass Thing:\n    pass\n\n\nclass Other:\n    pass\n\n\ndef helper():\n    return 1\n';

function config(dir: string): Config {
  const r = loadConfig(join(dir, 'canon.toml'));
  if ('problems' in r) throw new Error(JSON.stringify(r.problems));
  return r.config;
}

function toml(moves: [string, string][], extra = ''): string {
  return `src = ["."]\n${extra}\n` + moves.map(([from, to]) => `[[move]]\nfrom = "${from}"\nto = "${to}"\n`).join('\n');
}

/** Shim a project whose only move is `legacy:Thing -> newpkg.core:Thing` (or `moves`); returns the plan and dir. */
async function shim(files: Record<string, string | Buffer>, moves: [string, string][] = [['legacy:Thing', 'newpkg.core:Thing']]): Promise<{ dir: string; plan: ShimPlan }> {
  const dir = makeProject({ 'canon.toml': toml(moves), 'newpkg/__init__.py': '', 'newpkg/core.py': CORE, ...files });
  const plan = await planShims(config(dir));
  writeShims(dir, plan);
  return { dir, plan };
}

/** The file's text with the shim block replaced by `<shim>`. */
function outside(dir: string, file: string): string {
  return readFileSync(join(dir, file), 'latin1').replace(/# canon: begin shim(\r?\n)[\s\S]*?# canon: end shim\r?\n/, '<shim>$1');
}

async function expectEdit(input: string, expected: string, file = 'legacy.py'): Promise<string> {
  const { dir, plan } = await shim({ [file]: input });
  expect(plan.refused).toEqual([]);
  expect(outside(dir, file)).toBe(expected);
  const c = python(dir, 'compile_check.py', `import py_compile\npy_compile.compile(${JSON.stringify(file)}, doraise=True)\n`);
  expect(c.stderr).toBe('');
  return dir;
}

describe('unbinding the moved names', () => {
  test('one name of a from-import goes, the others stay', async () => {
    await expectEdit('from newpkg.core import Other, Thing, helper\n\nX = 1\n', 'from newpkg.core import Other, helper\n\n<shim>\n\nX = 1\n');
    await expectEdit('from newpkg.core import Other, Thing\n', 'from newpkg.core import Other\n\n<shim>\n');
    await expectEdit('from newpkg.core import Thing, Other  # both\n', 'from newpkg.core import Other  # both\n\n<shim>\n');
  });

  test('parenthesized lists lose whole lines, comments of kept names stay', async () => {
    await expectEdit(
      'from newpkg.core import (\n    Other,  # kept\n    Thing,  # moved\n)\n',
      'from newpkg.core import (\n    Other,  # kept\n)\n\n<shim>\n',
    );
    await expectEdit(
      'from newpkg.core import (\n    Other,\n    helper,\n    Thing\n)\n',
      'from newpkg.core import (\n    Other,\n    helper,\n)\n\n<shim>\n',
    );
  });

  test('a backslash continuation and an alias', async () => {
    await expectEdit('from newpkg.core import Other, \\\n    Thing\n', 'from newpkg.core import Other\n\n<shim>\n');
    await expectEdit('from newpkg.core import helper as _h, Thing as Thing\n', 'from newpkg.core import helper as _h\n\n<shim>\n');
    // `as _Thing` binds another name: legacy.Thing serves nothing today and no code uses it, so
    // there is nothing to keep working (see 'a legacy name that is gone' below for when code does).
    await expectEdit('from newpkg.core import Thing as _Thing\n', 'from newpkg.core import Thing as _Thing\n');
    await expectEdit(
      '"""Doc."""\nimport newpkg.core as _core\n\nThing = _core.Thing\nLIMIT = 3\n',
      '"""Doc."""\nimport newpkg.core as _core\n\n<shim>\n\nLIMIT = 3\n',
    );
  });

  test('the whole statement goes when every name moves; the block goes after the header', async () => {
    await expectEdit(
      '#!/usr/bin/env python3\n# Licence header.\n"""Doc."""\nfrom __future__ import annotations\n\nimport os\nfrom newpkg.core import Thing\n\n\ndef f() -> str:\n    return os.sep\n',
      '#!/usr/bin/env python3\n# Licence header.\n"""Doc."""\nfrom __future__ import annotations\n\nimport os\n\n<shim>\n\ndef f() -> str:\n    return os.sep\n',
    );
  });

  test("a package __init__ keeps importing its own submodule when all its names move", async () => {
    const files = { 'legacy/__init__.py': '"""Pkg."""\nfrom .impl import Thing\n', 'legacy/impl.py': 'from newpkg.core import Thing\n' };
    const { dir, plan } = await shim(files);
    expect(plan.refused).toEqual([]);
    expect(outside(dir, 'legacy/__init__.py')).toBe('"""Pkg."""\nfrom . import impl\n\n<shim>\n');
    const r = python(dir, 'sub_attr.py', 'import warnings\nwarnings.simplefilter("ignore")\nimport legacy, newpkg.core\nprint(legacy.impl.Thing is legacy.Thing is newpkg.core.Thing)\n');
    expect(r.stdout).toBe('True\n');
  });

  test('a module that has its own __all__ keeps it as it is; the block then adds none', async () => {
    const dir = await expectEdit(
      'from newpkg.core import Other, Thing\n\n__all__ = ["Other"]\n',
      'from newpkg.core import Other\n\n<shim>\n\n__all__ = ["Other"]\n',
    );
    expect(readFileSync(join(dir, 'legacy.py'), 'utf8')).not.toContain('if name == "__all__":');
    const r = python(dir, 'star_all.py', 'from legacy import *\nprint(sorted(k for k in dir() if not k.startswith("_")))\n');
    expect(r.stdout).toBe("['Other']\n");
  });

  test('CRLF line endings, a BOM and latin-1 bytes are kept', async () => {
    const latin1 = Buffer.concat([
      Buffer.from('\xef\xbb\xbf', 'latin1'),
      Buffer.from('"""Caf\xc3\xa9."""\r\nfrom newpkg.core import Thing, Other\r\n\r\nNAME = "\xc3\xa9"\r\n', 'latin1'),
    ]);
    const { dir, plan } = await shim({ 'legacy.py': latin1 });
    expect(plan.refused).toEqual([]);
    const after = readFileSync(join(dir, 'legacy.py'));
    expect(after.subarray(0, 3).toString('latin1')).toBe('\xef\xbb\xbf');
    const text = after.toString('latin1');
    expect(text.replace(/\r\n/g, '')).not.toContain('\n');
    expect(outside(dir, 'legacy.py')).toBe('\xef\xbb\xbf"""Caf\xc3\xa9."""\r\nfrom newpkg.core import Other\r\n\r\n<shim>\r\n\r\nNAME = "\xc3\xa9"\r\n');
  });

  test('a renamed move: the legacy name is served from the new name', async () => {
    const { dir } = await shim({ 'legacy.py': 'from newpkg.core import Thing as OldThing\n' }, [['legacy:OldThing', 'newpkg.core:Thing']]);
    const text = readFileSync(join(dir, 'legacy.py'), 'utf8');
    expect(text).toContain('    from newpkg.core import Thing as OldThing\n');
    expect(text).toContain('    "OldThing": ("newpkg.core", "Thing"),\n');
    const r = python(dir, 'rename.py', 'import warnings\nwarnings.simplefilter("error")\nimport newpkg.core\ntry:\n    from legacy import OldThing\nexcept Warning as w:\n    print(w)\nimport legacy\nwarnings.simplefilter("ignore")\nprint(legacy.OldThing is newpkg.core.Thing)\n');
    expect(r.stdout).toBe('canon shim: legacy.OldThing is deprecated; use "from newpkg.core import Thing"\nTrue\n');
  });

  test('a legacy name that is gone, or a legacy module that does not exist, is refused: canon creates no module', async () => {
    const { dir, plan } = await shim(
      { 'legacy/__init__.py': '', 'legacy/mod.py': 'X = 1\n', 'app/use.py': 'from legacy.mod import Thing\nfrom legacy.old import Thing as T\n' },
      [['legacy.mod:Thing', 'newpkg.core:Thing'], ['legacy.old:Thing', 'newpkg.core:Thing']],
    );
    const why = 'canon shims only legacy paths that exist and verify same (it creates no module and serves no name that is gone)';
    expect(plan.refused.map((r) => `${r.legacy}: ${r.reason}`)).toEqual([
      `legacy.mod:Thing: unresolved: legacy path: Thing is not defined in legacy.mod; ${why}`,
      `legacy.old:Thing: unresolved: legacy path: module legacy.old does not exist; ${why}`,
    ]);
    expect(plan.files).toEqual([]);
    expect(readFileSync(join(dir, 'legacy/mod.py'), 'utf8')).toBe('X = 1\n');
  });

  test('py.path beside a module py.py: no py/path.py, which Python would never import', async () => {
    // pytest 7's py.py binds py.path as an attribute; a module move of py.path must not create
    // py/path.py, which py.py shadows.
    const { dir, plan } = await shim(
      { 'py.py': 'import newpkg.core as path\n', 'app.py': 'import py.path\n' },
      [['py.path', 'newpkg.core']],
    );
    expect(plan.files).toEqual([]);
    expect(plan.refused.map((r) => r.legacy)).toEqual(['py.path']);
    expect(plan.refused[0].reason).toBe('unresolved: legacy path: module py.path does not exist; canon shims only legacy paths that exist and verify same (it creates no module and serves no name that is gone)');
    expect(existsSync(join(dir, 'py'))).toBe(false);
  });

  test('two statements importing from one submodule keep one import of it', async () => {
    // pytest's _pytest/_io/__init__.py: both names of .terminalwriter move.
    const files = {
      'legacy/__init__.py': 'from .tw import Thing\nfrom .tw import helper\nfrom .other import Other\nfrom .other import KEEP\n',
      'legacy/tw.py': 'from newpkg.core import Thing, helper\n',
      'legacy/other.py': 'from newpkg.core import Other\nKEEP = 1\n',
    };
    const moves: [string, string][] = [['legacy:Thing', 'newpkg.core:Thing'], ['legacy:helper', 'newpkg.core:helper'], ['legacy:Other', 'newpkg.core:Other']];
    const { dir, plan } = await shim(files, moves);
    expect(plan.refused).toEqual([]);
    // .other is still imported by the statement that stays: no `from . import other` is added.
    expect(outside(dir, 'legacy/__init__.py')).toBe('from . import tw\nfrom .other import KEEP\n\n<shim>\n');
    const r = python(dir, 'subs.py', 'import warnings\nwarnings.simplefilter("ignore")\nimport legacy, newpkg.core\nprint(legacy.tw.Thing is legacy.Thing is newpkg.core.Thing, legacy.other.KEEP)\n');
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('True 1\n');
  });
});

describe('whole-module moves', () => {
  test('a submodule of the moved package that code still imports, but that is gone, is refused, not created', async () => {
    const { dir, plan } = await shim(
      {
        'newpkg/extra.py': 'def g():\n    return "g"\n',
        'oldpkg/__init__.py': 'from newpkg import core\n\n__all__ = ["core"]\n',
        'app/use.py': 'from oldpkg.extra import g\n',
      },
      [['oldpkg', 'newpkg']],
    );
    expect(plan.files.map((f) => `${f.file} ${f.action} ${f.forward}`)).toEqual(['oldpkg/__init__.py update newpkg']);
    expect(plan.refused.map((r) => r.legacy)).toEqual(['oldpkg.extra']);
    expect(existsSync(join(dir, 'oldpkg/extra.py'))).toBe(false);
  });
});

describe('refusals', () => {
  async function refusal(files: Record<string, string>, moves?: [string, string][]): Promise<string[]> {
    const { plan } = await shim(files, moves);
    return plan.refused.map((r) => `${r.legacy}: ${r.reason}`);
  }

  test('the legacy module defines the moved name itself', async () => {
    expect(await refusal({ 'legacy.py': 'class Thing:\n    pass\n', 'newpkg/core.py': 'from legacy import Thing\n' })).toEqual([
      'legacy:Thing: the module defines Thing itself (line 1); move the definition to newpkg.core:Thing first',
    ]);
  });

  test('the module uses the name itself', async () => {
    expect(await refusal({ 'legacy.py': 'from newpkg.core import Thing\n\n\nclass Sub(Thing):\n    pass\n' })).toEqual([
      'legacy:Thing: the module uses Thing itself (line 4); unbinding it would break the module: make the module use newpkg.core:Thing under a private name first',
    ]);
    // Attribute names and keyword arguments that merely share the name are not uses.
    expect(await refusal({ 'legacy.py': 'import types\nfrom newpkg.core import Thing\n\nns = types.SimpleNamespace(Thing=1)\nv = ns.Thing\n' })).toEqual([]);
  });

  test('the module has its own __getattr__', async () => {
    expect(await refusal({ 'legacy.py': 'from newpkg.core import Thing\n\n\ndef __getattr__(name):\n    raise AttributeError(name)\n' })).toEqual([
      'legacy:Thing: the module defines its own __getattr__ (line 4); canon will not replace it: serve the moved names from it by hand, or remove it first',
    ]);
  });

  test('bound inside a block, on a shared line, or by a star-import', async () => {
    expect(await refusal({ 'legacy.py': 'try:\n    from newpkg.core import Thing\nexcept ImportError:\n    raise\n' })).toEqual([
      'legacy:Thing: the module binds Thing inside a block (line 2); canon unbinds only top-level imports and aliases',
    ]);
    expect(await refusal({ 'legacy.py': 'import os; from newpkg.core import Thing\n' })).toEqual([
      'legacy:Thing: Thing is bound by a statement that shares its line with another (line 1); put it on its own line first',
    ]);
    expect(await refusal({ 'legacy.py': 'from newpkg.core import *\n' })).toEqual([
      'legacy:Thing: Thing comes from `from newpkg.core import *` (line 1), which canon cannot unbind; import the other names explicitly first',
    ]);
  });

  test('divergent, and outside the project', async () => {
    const out = await refusal(
      { 'legacy.py': 'class Thing:\n    pass\n', 'app/use.py': 'from elsewhere import Thing\n' },
      [['legacy:Thing', 'newpkg.core:Thing'], ['elsewhere:Thing', 'newpkg.core:Thing']],
    );
    expect(out).toEqual([
      'legacy:Thing: divergent: the legacy path is legacy.Thing (class, line 1), the canonical path is newpkg.core.Thing (class, line 4); pass --allow-divergent to shim it anyway',
      "elsewhere:Thing: elsewhere is not in the project's packages (an installed module?); canon writes shims only inside the project",
    ]);
  });

  test('a damaged shim block is refused, and fails --check', async () => {
    const { dir } = await shim({ 'legacy.py': 'from newpkg.core import Thing\n' });
    const file = join(dir, 'legacy.py');
    writeFileSync(file, readFileSync(file, 'utf8').replace('# canon: end shim\n', ''));
    const plan = await planShims(config(dir));
    expect(plan.refused).toEqual([
      {
        move: 'legacy:Thing', legacy: 'legacy:Thing', file: 'legacy.py', stale: true,
        reason: 'its shim block is damaged (expected one "# canon: begin shim" and one "# canon: end shim" line, found 1 and 0); restore the block or delete it, then run canon shim',
      },
    ]);
    const r = runCli(['shim', '--check'], { cwd: dir });
    expect(r.code).toBe(1);
    // A shim in place that cannot be brought up to date is wrong in every mode.
    expect(runCli(['shim'], { cwd: dir }).code).toBe(1);
    expect(runCli(['shim', '--diff'], { cwd: dir }).code).toBe(1);
  });
});

describe('refreshing', () => {
  test('a row whose move left the config stays until --remove', async () => {
    const { dir } = await shim({ 'legacy.py': 'from newpkg.core import Thing, helper\n' }, [['legacy:Thing', 'newpkg.core:Thing'], ['legacy:helper', 'newpkg.core:helper']]);
    writeFileSync(join(dir, 'canon.toml'), toml([['legacy:Thing', 'newpkg.core:Thing']]));
    const plan = await planShims(config(dir));
    expect(plan.files.map((f) => [f.action, f.names])).toEqual([['unchanged', ['Thing', 'helper']]]);
  });

  test('a new move joins the existing block, in place', async () => {
    const { dir } = await shim({ 'legacy.py': '"""Doc."""\nfrom newpkg.core import Thing, helper\n\nX = 1\n' });
    writeFileSync(join(dir, 'canon.toml'), toml([['legacy:Thing', 'newpkg.core:Thing'], ['legacy:helper', 'newpkg.core:helper']]));
    const plan = await planShims(config(dir));
    writeShims(dir, plan);
    expect(plan.files.map((f) => [f.action, f.names])).toEqual([['update', ['Thing', 'helper']]]);
    expect(outside(dir, 'legacy.py')).toBe('"""Doc."""\n\n<shim>\n\nX = 1\n');
    expect((await planShims(config(dir))).files[0].action).toBe('unchanged');
  });
});
