// discover on real code nobody here wrote: pytest's own source (the copy the machine's pytest
// runs from, Debian's python3-pytest or pip's), with a small test suite of ours beside it that
// uses pytest's paths the way pytest's own tests do. The three cases: `pytest:MonkeyPatch`
// and `_pytest.monkeypatch:MonkeyPatch` are found (a private definition, used both ways), the
// `_pytest` modules that `import pytest` runs keep their private imports (a cycle otherwise), and
// `_pytest.timing`, which exists to be patched, is flagged, not bypassed.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeAll, expect, test } from 'vitest';
import { defaultProject, discover } from '../../src/discover/api.js';
import type { DiscoverResult } from '../../src/discover/model.js';
import { pytestPython } from '../helpers/externals.js';
import { makeProject } from '../helpers/project.js';

const TESTS: Record<string, string> = {
  'testing/conftest.py': [
    'import pytest',
    '',
    '',
    '@pytest.fixture',
    'def mock_timing(monkeypatch: pytest.MonkeyPatch):',
    '    from _pytest import timing',
    '',
    '    monkeypatch.setattr(timing, "time", lambda: 1.0)',
    '    monkeypatch.setattr(timing, "sleep", lambda s: None)',
    '',
  ].join('\n'),
  'testing/test_monkeypatch.py': 'from _pytest.monkeypatch import MonkeyPatch\n\n\ndef test_it(monkeypatch: MonkeyPatch) -> None:\n    pass\n',
  'testing/test_other.py': 'from _pytest.monkeypatch import MonkeyPatch\nfrom pytest import MonkeyPatch as MP\n\n\ndef test_it(monkeypatch: MP) -> None:\n    assert isinstance(monkeypatch, MonkeyPatch)\n',
  // pytest's own tests read the clock through _pytest.timing, as pytest 7's runner does.
  'testing/test_timing.py': 'from _pytest import timing\n\n\ndef test_it(mock_timing) -> None:\n    assert timing.time() == 1.0\n',
  'testing/test_public.py': 'import pytest\n\n\ndef test_it(monkeypatch: pytest.MonkeyPatch) -> None:\n    pass\n',
};

let root: string;
let r: DiscoverResult;
let version: string;

beforeAll(async () => {
  const python = pytestPython();
  const where = spawnSync(python, ['-c', 'import _pytest, pytest, os; print(os.path.dirname(_pytest.__file__)); print(os.path.dirname(pytest.__file__)); print(pytest.__version__)'], { encoding: 'utf8' });
  expect(where.status).toBe(0);
  const [priv, pub, v] = where.stdout.trim().split('\n');
  version = v;
  root = makeProject(TESTS);
  mkdirSync(join(root, 'src'));
  const noCache = (src: string): boolean => !src.includes('__pycache__');
  cpSync(priv, join(root, 'src/_pytest'), { recursive: true, filter: noCache });
  cpSync(pub, join(root, 'src/pytest'), { recursive: true, filter: noCache });
  writeFileSync(join(root, 'src/py.typed'), '');
  r = await discover(defaultProject(root), { jobs: 1 });
  expect(dirname(priv)).toBe(dirname(pub));
});

test('pytest:MonkeyPatch and _pytest.monkeypatch:MonkeyPatch are one symbol; the tests move, pytest itself does not', () => {
  const g = r.consolidation.find((c) => c.target === '_pytest.monkeypatch:MonkeyPatch');
  expect(g, `pytest ${version}`).toBeDefined();
  expect(g!.canonical).toBe('pytest:MonkeyPatch');
  expect(g!.rule).toBe('most-used-public-path');
  const canonical = g!.paths.find((p) => p.path === 'pytest:MonkeyPatch')!;
  expect(canonical.role).toBe('canonical');
  expect(canonical.imports).toBeGreaterThanOrEqual(3); // ours: conftest, test_other, test_public
  const priv = g!.paths.find((p) => p.path === '_pytest.monkeypatch:MonkeyPatch')!;
  expect(priv.role).toBe('move');
  // pytest/__init__.py at least re-exports it: importing pytest there would be a self-import.
  expect(priv.kept).toBeGreaterThanOrEqual(1);
  const move = r.moves.find((m) => m.from === '_pytest.monkeypatch:MonkeyPatch')!;
  expect(move.to).toBe('pytest:MonkeyPatch');
  expect(move.imports).toBeGreaterThanOrEqual(2); // ours: test_monkeypatch, test_other
  expect(move.kept).toBe(priv.kept);
});

test('imports in the modules that `import pytest` runs are kept, never moved to pytest', () => {
  // CPython as the oracle: the modules importing pytest loads from this copy, and their own
  // import statements of each path (canon keeps at least these; it counts every import in its
  // graph, so it may keep more).
  const script = [
    'import ast, collections, json, sys',
    'sys.path.insert(0, "src")',
    'import pytest',
    'counts = collections.Counter()',
    'for name, mod in list(sys.modules.items()):',
    '    if not (name == "pytest" or name.startswith(("pytest.", "_pytest"))):',
    '        continue',
    '    path = getattr(mod, "__file__", None) or ""',
    '    if not path.endswith(".py"):',
    '        continue',
    '    package = name if path.endswith("__init__.py") else name.rpartition(".")[0]',
    '    for node in ast.walk(ast.parse(open(path, "rb").read())):',
    '        if isinstance(node, ast.ImportFrom):',
    '            base = node.module or ""',
    '            if node.level:',
    '                parts = package.split(".")[: len(package.split(".")) - node.level + 1]',
    '                base = ".".join(parts + ([base] if base else []))',
    '            for alias in node.names:',
    '                counts[base + ":" + alias.name] += 1',
    'print(json.dumps(counts))',
  ].join('\n');
  const out = spawnSync(pytestPython(), ['-c', script], { cwd: root, encoding: 'utf8' });
  expect(out.stderr).toBe('');
  const inPytest: Record<string, number> = JSON.parse(out.stdout);
  expect(inPytest['_pytest.monkeypatch:MonkeyPatch']).toBeGreaterThanOrEqual(1);
  let checked = 0;
  for (const c of r.consolidation) {
    if (!c.canonical.startsWith('pytest:')) continue;
    for (const p of c.paths) {
      if (p.role === 'canonical') continue;
      expect(p.kept, `${p.path} -> ${c.canonical}`).toBeGreaterThanOrEqual(inPytest[p.path] ?? 0);
      checked++;
    }
  }
  expect(checked).toBeGreaterThan(0);
});

test('_pytest.timing is flagged as patched, and time:time is never proposed for it', () => {
  expect(r.moves.filter((m) => m.from.startsWith('_pytest.timing:'))).toEqual([]);
  const time = r.patched.find((p) => p.path === '_pytest.timing:time');
  expect(time, `pytest ${version}`).toBeDefined();
  expect(time!.target).toBe('time:time');
  expect(time!.patches).toContainEqual({ file: 'testing/conftest.py', line: 8, column: 25, patched: '_pytest.timing.time' });
});
