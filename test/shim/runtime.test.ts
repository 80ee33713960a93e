// The generated shims at run time, under python3: identity, one warning per importing site with
// that site's file and line, star-imports, dir(), hasattr, pickling, re-imports, the warning class,
// and the usage log (also with many processes writing at once).

import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { runCli } from '../helpers/project.js';
import { makeFixture, oldestPython, OLDEST_SUPPORTED, python, pythonJson } from './fixture.js';

// Each line of sites.py is one kind of importing site.
const SITES = [
  'from legacy.mod import Thing', // 1
  'from legacy import Thing as T2', // 2: a package __init__ (importlib probes the name first)
  'import legacy.mod as m', // 3
  'x = m.helper', // 4: attribute access after `import legacy`
  'from legacy.mod import (', // 5: Python reports a multi-line import at its first line
  '    helper,',
  '    Thing as T3,',
  ')',
  'pass  # 9: (legacy.gone does not exist: canon creates no module for it, see legacyModule.test.ts)',
  'from oldpkg import helper as h5', // 10: whole-module move, package
  'from oldpkg.sub import f', // 11: whole-module move, submodule
  'import oldpkg', // 12
  'y = oldpkg.Thing', // 13
  'pass  # 14: (nor for legacy.deep.mod, in a namespace package)',
  '',
].join('\n');

const RECORD_WARNINGS = `
import json, os, warnings
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    import sites
print(json.dumps([[w.category.__name__, os.path.basename(w.filename), w.lineno, str(w.message)] for w in caught]))
`;

const EXPECTED_WARNINGS = [
  [1, 'legacy.mod.Thing', 'newpkg.core', 'Thing'],
  [2, 'legacy.Thing', 'newpkg.core', 'Thing'],
  [4, 'legacy.mod.helper', 'newpkg.core', 'helper'],
  [5, 'legacy.mod.helper', 'newpkg.core', 'helper'],
  [5, 'legacy.mod.Thing', 'newpkg.core', 'Thing'],
  [10, 'oldpkg.helper', 'newpkg', 'helper'],
  [11, 'oldpkg.sub.f', 'newpkg.sub', 'f'],
  [13, 'oldpkg.Thing', 'newpkg', 'Thing'],
].map(([line, legacy, module, name]) => ['_CanonShimWarning', 'sites.py', line, `canon shim: ${legacy} is deprecated; use "from ${module} import ${name}"`]);

const STAR = `
import json, sys
out = {}
for m in sys.argv[1:] or ["legacy.mod", "legacy", "oldpkg", "oldpkg.sub"]:
    ns = {}
    exec(f"from {m} import *", ns)
    # warnings.warn() keeps its registry in the importing namespace: not an export.
    out[m] = sorted(k for k in ns if not k.startswith("__"))
print(json.dumps(out))
`;

let dir: string;
let starBefore: Record<string, string[]>;

beforeAll(() => {
  dir = makeFixture({ 'sites.py': SITES });
  // Star-exports before any shim: the shims must give the same names.
  starBefore = pythonJson(dir, 'star.py', STAR, { PYTHONWARNINGS: 'ignore' });
  const r = runCli(['shim'], { cwd: dir });
  expect(r.stderr).toBe('');
  expect(r.stdout).toMatch(/refused /); // the divergent, outside and absent paths: reported, exit 0
  expect(r.code).toBe(0);
});

describe('generated shims under python3', () => {
  test('every generated file compiles, and importing a shim module warns about nothing', () => {
    const files = ['legacy/__init__.py', 'legacy/mod.py', 'oldpkg/__init__.py', 'oldpkg/sub.py'];
    const c = spawnSync('python3', ['-W', 'error', '-m', 'py_compile', ...files], { cwd: dir, encoding: 'utf8' });
    expect(c.stderr).toBe('');
    expect(c.status).toBe(0);
    const r = python(dir, 'plain.py', 'import legacy, legacy.mod, oldpkg, oldpkg.sub\n', {}, ['-W', 'error']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  test('the legacy path gives the identical object', () => {
    const same = pythonJson<Record<string, boolean>>(dir, 'identity.py', `
import json, warnings
warnings.simplefilter("ignore")
import newpkg, newpkg.core as c, newpkg.sub
import legacy, legacy.mod, oldpkg, oldpkg.sub
from legacy.mod import Thing as A
print(json.dumps({
    "from-import": A is c.Thing,
    "module attribute": legacy.mod.Thing is c.Thing and legacy.mod.helper is c.helper,
    "package attribute": legacy.Thing is c.Thing,
    "forwarded package": oldpkg.Thing is newpkg.Thing and oldpkg.helper is c.helper,
    "forwarded submodule": oldpkg.sub.f is newpkg.sub.f,
    "forwarded name not in the table": oldpkg.core is c,
    "kept names": legacy.mod.KEEP == 42 and legacy.OTHER == 41 and legacy.mod.keep_me() == "/",
}))
`);
    expect(same).toEqual({
      'from-import': true, 'module attribute': true, 'package attribute': true,
      'forwarded package': true, 'forwarded submodule': true, 'forwarded name not in the table': true, 'kept names': true,
    });
  });

  test('exactly one warning per importing site, naming that site', () => {
    expect(pythonJson(dir, 'warn.py', RECORD_WARNINGS)).toEqual(EXPECTED_WARNINGS);
  });

  test('from legacy import * gives the same names as before the shim', () => {
    const after = pythonJson<Record<string, string[]>>(dir, 'star.py', STAR, { PYTHONWARNINGS: 'ignore' });
    expect(after).toEqual(starBefore);
    expect(after['legacy.mod']).toEqual(expect.arrayContaining(['Thing', 'helper', 'KEEP', 'keep_me']));
    expect(after['legacy.mod']).not.toContain('_CanonShimWarning');
  });

  test('dir(), hasattr and AttributeError', () => {
    const r = pythonJson<Record<string, unknown>>(dir, 'attrs.py', `
import json, warnings
warnings.simplefilter("ignore")
import legacy, legacy.mod, oldpkg
try:
    legacy.mod.nothing_here
    error = None
except AttributeError as e:
    error = str(e)
try:
    oldpkg.nothing_here
    fwd_error = None
except AttributeError as e:
    fwd_error = str(e)
print(json.dumps({
    "dir": [n for n in ("Thing", "helper", "KEEP") if n in dir(legacy.mod)],
    "dir package": "Thing" in dir(legacy) and "mod" in dir(legacy),
    "dir forwarded": "core" in dir(oldpkg) and "Thing" in dir(oldpkg),
    "hasattr": [hasattr(legacy.mod, "Thing"), hasattr(legacy.mod, "nothing_here"), hasattr(oldpkg, "__path__")],
    "error": error,
    "forward error": fwd_error,
}))
`);
    expect(r).toEqual({
      dir: ['Thing', 'helper', 'KEEP'],
      'dir package': true,
      'dir forwarded': true,
      hasattr: [true, false, true],
      error: "module 'legacy.mod' has no attribute 'nothing_here'",
      'forward error': "module 'oldpkg' has no attribute 'nothing_here'",
    });
  });

  test('pickling a moved class, and unpickling data that names the legacy path', () => {
    const r = pythonJson(dir, 'pickling.py', `
import json, pickle, warnings
warnings.simplefilter("ignore")
import legacy.mod, newpkg.core
obj = pickle.loads(pickle.dumps(legacy.mod.Thing(7)))
old = pickle.loads(b"clegacy.mod\\nThing\\n(tR.")
print(json.dumps([type(obj) is newpkg.core.Thing, obj.n, type(old) is newpkg.core.Thing]))
`);
    expect(r).toEqual([true, 7, true]);
  });

  test('importing the shim twice and reloading it', () => {
    const r = pythonJson(dir, 'twice.py', `
import importlib, json, warnings
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    from legacy.mod import Thing as A
    import legacy.mod
    import legacy.mod
    legacy.mod = importlib.reload(legacy.mod)
    from legacy.mod import Thing as B
import newpkg.core
print(json.dumps([A is B is newpkg.core.Thing, [w.lineno for w in caught]]))
`);
    expect(r).toEqual([true, [5, 9]]);
  });

  test('the warning class is a subclass of the configured category, to filter exactly', () => {
    const r = python(dir, 'filter.py', `
import warnings
import legacy.mod
assert issubclass(legacy.mod._CanonShimWarning, DeprecationWarning)
warnings.simplefilter("error", legacy.mod._CanonShimWarning)
try:
    from legacy.mod import Thing
except legacy.mod._CanonShimWarning as e:
    print("raised:", e)
`);
    expect(r.stdout).toBe('raised: canon shim: legacy.mod.Thing is deprecated; use "from newpkg.core import Thing"\n');
  });

  test('CANON_SHIM_LOG: one JSON line per use, recorded even where the warnings registry shows a site once', () => {
    const log = join(dir, 'uses.jsonl');
    const r = python(dir, 'logged.py', 'import sites\nimport legacy.mod\nfor _ in range(3):\n    legacy.mod.Thing\n', { CANON_SHIM_LOG: log });
    expect(r.code).toBe(0);
    const lines = readFileSync(log, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines.length).toBe(EXPECTED_WARNINGS.length + 3);
    expect(lines[0]).toEqual({
      legacy: 'legacy.mod:Thing', canonical: 'newpkg.core:Thing', file: join(dir, 'sites.py'), line: 1, pid: expect.any(Number), time: expect.any(Number),
    });
    expect(lines.slice(-3).map((l) => `${l.file}:${l.line}`)).toEqual(Array(3).fill(`${join(dir, 'logged.py')}:4`));
    // The default filters show a DeprecationWarning from the same site once; the log has all three.
    expect((r.stderr.match(/_CanonShimWarning/g) ?? []).length).toBe(1);
  });

  test('many processes writing the usage log at once', async () => {
    const log = join(dir, 'concurrent.jsonl');
    writeFileSync(join(dir, 'hammer.py'), 'import warnings\nwarnings.simplefilter("ignore")\nimport legacy.mod\nfor _ in range(400):\n    legacy.mod.Thing\n');
    const env = { ...process.env, PYTHONPATH: dir, CANON_SHIM_LOG: log, PYTHONDONTWRITEBYTECODE: '1' };
    const codes = await Promise.all(
      Array.from({ length: 8 }, () => new Promise<number>((res) => spawn('python3', ['hammer.py'], { cwd: dir, env, stdio: 'ignore' }).on('exit', (c) => res(c ?? -1)))),
    );
    expect(codes).toEqual(Array(8).fill(0));
    const lines = readFileSync(log, 'utf8').split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.length).toBe(8 * 400);
    const pids = new Set(lines.map((l) => (JSON.parse(l) as { pid: number }).pid));
    expect(pids.size).toBe(8);
  });
});

// The generated code supports Python 3.7 and later: run it on the oldest interpreter here (pyenv's
// 3.7 on this project's machines; template.test.ts checks the syntax for 3.7 wherever it runs).
const OLDEST = oldestPython();

describe.runIf(OLDEST !== null)(`generated shims under the oldest Python here (${OLDEST?.version.join('.')}; supported from ${OLDEST_SUPPORTED.join('.')})`, () => {
  test('the same warnings, identity, star-imports and dir()', () => {
    const old = OLDEST!.path;
    expect(pythonJson(dir, 'warn_old.py', RECORD_WARNINGS, {}, old)).toEqual(EXPECTED_WARNINGS);
    const r = pythonJson<boolean[]>(dir, 'identity_old.py', `
import json, warnings
warnings.simplefilter("ignore")
import newpkg, newpkg.core as c, newpkg.sub
import legacy, legacy.mod, oldpkg, oldpkg.sub
print(json.dumps([legacy.mod.Thing is c.Thing, legacy.Thing is c.Thing, oldpkg.helper is c.helper, oldpkg.sub.f is newpkg.sub.f,
                  "Thing" in dir(legacy.mod), "core" in dir(oldpkg)]))
`, {}, old);
    expect(r).toEqual([true, true, true, true, true, true]);
    expect(pythonJson(dir, 'star_old.py', STAR, { PYTHONWARNINGS: 'ignore' }, old)).toEqual(starBefore);
  });
});

describe('[shim] category', () => {
  test('FutureWarning: shown by default, to the code end users run', () => {
    const d = makeFixture({ 'sites.py': SITES });
    writeFileSync(join(d, 'canon.toml'), readFileSync(join(d, 'canon.toml'), 'utf8').replace('src = ["."]', 'src = ["."]\n\n[shim]\ncategory = "FutureWarning"'));
    runCli(['shim'], { cwd: d });
    const r = python(d, 'main.py', 'import sites\nimport legacy.mod\nassert issubclass(legacy.mod._CanonShimWarning, FutureWarning)\n');
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('sites.py:1: _CanonShimWarning: canon shim: legacy.mod.Thing is deprecated; use "from newpkg.core import Thing"');
  });
});
