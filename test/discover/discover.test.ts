// discover() on in-memory trees: which symbols it finds imported through several paths, which
// canonical path it picks and why, breaches, unresolved imports, and the same answer on every
// number of threads.
import { describe, expect, test } from 'vitest';
import { defaultProject, discover, projectOf, type DiscoverProject } from '../../src/discover/api.js';
import type { DiscoverResult } from '../../src/discover/model.js';
import { loadConfig } from '../../src/config/load.js';
import { EXAMPLE, makeProject } from '../helpers/project.js';

async function run(files: Record<string, string>, opts: { jobs?: number; minFiles?: number; project?: Partial<DiscoverProject> } = {}): Promise<DiscoverResult> {
  const root = makeProject(files);
  return discover({ ...defaultProject(root), ...opts.project }, { jobs: opts.jobs ?? 1, minFiles: opts.minFiles });
}

/** `path=imports/files/role` per path of each group, canonical first, and ` kept n/files` when a move keeps some. */
function groups(r: DiscoverResult): Record<string, string[]> {
  return Object.fromEntries(
    r.consolidation.map((c) => [
      `${c.target} -> ${c.canonical} (${c.rule})`,
      c.paths.map((p) => `${p.path}=${p.imports}/${p.files}/${p.role}${p.role === 'move' && p.kept > 0 ? ` kept ${p.kept}/${p.keptFiles}` : ''}`),
    ]),
  );
}

const SHIM = {
  'pkg/__init__.py': 'from .core import Engine\n',
  'pkg/core.py': 'class Engine:\n    pass\n\ndef make():\n    return Engine()\n',
  'pkg/compat.py': '"""Old home of Engine."""\nfrom pkg.core import Engine, make\n',
  'app/__init__.py': '',
  'app/a.py': 'from pkg.compat import Engine\nfrom pkg.compat import make\n',
  'app/b.py': 'from pkg.compat import Engine as E\n\ndef f():\n    from pkg import Engine\n    return Engine\n',
  'app/c.py': 'from pkg.core import Engine\n',
  'app/d.py': 'from ..pkg import nothing\n', // beyond the top-level package: Python raises, not an edge
};

describe('consolidation', () => {
  test('a shim and a package re-export: counted per path, canonical = the defining module', async () => {
    const r = await run(SHIM);
    expect(groups(r)).toEqual({
      'pkg.core:Engine -> pkg.core:Engine (defining-module)': [
        'pkg.core:Engine=3/3/canonical', // app/c.py, pkg/compat.py, pkg/__init__.py (relative)
        'pkg.compat:Engine=2/2/move',
        'pkg:Engine=1/1/move',
      ],
      'pkg.core:make -> pkg.core:make (defining-module)': ['pkg.core:make=1/1/canonical', 'pkg.compat:make=1/1/move'],
    });
    expect(r.consolidation[0]).toMatchObject({ kind: 'class', line: 1, imports: 6, toMove: 3 });
    expect(r.moves.map((m) => `${m.from} -> ${m.to} ${m.imports}`)).toEqual([
      'pkg.compat:Engine -> pkg.core:Engine 2',
      'pkg:Engine -> pkg.core:Engine 1',
      'pkg.compat:make -> pkg.core:make 1',
    ]);
    expect(r.summary).toMatchObject({ files: 8, consolidation: 2, moves: 3, importsToMove: 4, breaches: 0, unresolved: 0 });
  });

  test('a private defining module: the most used public path, and its own re-export chain is kept', async () => {
    const r = await run({
      'lib/__init__.py': 'from ._impl import Widget\n',
      'lib/_impl.py': 'class Widget:\n    pass\n',
      'lib/old.py': 'from lib._impl import Widget\n',
      'x.py': 'from lib import Widget\n',
      'y.py': 'from lib import Widget\n',
      'z.py': 'from lib.old import Widget\n',
    });
    expect(groups(r)).toEqual({
      'lib._impl:Widget -> lib:Widget (most-used-public-path)': [
        'lib:Widget=2/2/canonical',
        // lib/__init__.py's own import stays (importing lib from lib would be a self-import);
        // lib/old.py's moves.
        'lib._impl:Widget=2/2/move kept 1/1',
        'lib.old:Widget=1/1/move',
      ],
    });
    expect(r.moves.map((m) => `${m.from} -> ${m.to} (${m.rule}) ${m.imports}/${m.files} kept ${m.kept}`)).toEqual([
      'lib._impl:Widget -> lib:Widget (most-used-public-path) 1/1 kept 1',
      'lib.old:Widget -> lib:Widget (most-used-public-path) 1/1 kept 0',
    ]);
  });

  test('a name defined in a private module, used through it and through its public re-export', async () => {
    // The issue's case (pytest.MonkeyPatch and _pytest.monkeypatch.MonkeyPatch): both paths are
    // used, and the package's own re-export must not hide the private path's other users.
    const r = await run({
      'app/__init__.py': '',
      'app/pkg/__init__.py': 'from app.pkg._impl import X\n',
      'app/pkg/_impl.py': 'class X:\n    pass\n',
      'app/a.py': 'from app.pkg import X\n',
      'app/b.py': 'from app.pkg._impl import X\n',
    });
    expect(groups(r)).toEqual({
      'app.pkg._impl:X -> app.pkg:X (most-used-public-path)': ['app.pkg:X=1/1/canonical', 'app.pkg._impl:X=2/2/move kept 1/1'],
    });
    expect(r.moves.map((m) => `${m.from} -> ${m.to} ${m.imports}/${m.files} kept ${m.kept}`)).toEqual(['app.pkg._impl:X -> app.pkg:X 1/1 kept 1']);
  });

  test("a package re-exporting its submodule's object is preferred when used more (unittest:SkipTest over unittest.case)", async () => {
    const r = await run({
      'lib/__init__.py': 'from .case import SkipTest\nfrom .loader import load\n',
      'lib/case.py': 'class SkipTest(Exception):\n    pass\n',
      // Imported by the package itself: importing lib runs it, so it must keep lib.case.
      'lib/loader.py': 'from lib.case import SkipTest\n\ndef load():\n    raise SkipTest\n',
      't1.py': 'import lib\n\nraise lib.SkipTest\n',
      't2.py': 'from lib import SkipTest\n',
      't3.py': 'import lib\nlib.SkipTest\nlib.SkipTest\n',
      't4.py': 'from lib.case import SkipTest\n',
    });
    expect(groups(r)).toEqual({
      'lib.case:SkipTest -> lib:SkipTest (package-re-export)': ['lib:SkipTest=4/3/canonical', 'lib.case:SkipTest=3/3/move kept 2/2'],
    });
    expect(r.moves.map((m) => `${m.from} -> ${m.to} ${m.imports}/${m.files} kept ${m.kept}`)).toEqual(['lib.case:SkipTest -> lib:SkipTest 1/1 kept 2']);
  });

  test('the defining module wins a tie with its package, and wherever the package is used less', async () => {
    const r = await run({
      'lib/__init__.py': 'from .case import SkipTest\n',
      'lib/case.py': 'class SkipTest(Exception):\n    pass\n',
      't1.py': 'from lib import SkipTest\n',
      't2.py': 'from lib import SkipTest\n',
      't3.py': 'from lib.case import SkipTest\n',
    });
    // lib.case:SkipTest counts lib/__init__.py's own import: 2 against 2.
    expect(groups(r)).toEqual({
      'lib.case:SkipTest -> lib.case:SkipTest (defining-module)': ['lib.case:SkipTest=2/2/canonical', 'lib:SkipTest=2/2/move'],
    });
  });

  test('files the canonical module imports keep their path: no suggestion closes an import cycle', async () => {
    // pytest's shape: the public package imports the private modules, which import each other.
    const r = await run({
      'pub/__init__.py': 'from _priv.mp import MP\nfrom _priv.fixtures import fixture\n',
      '_priv/__init__.py': '',
      '_priv/mp.py': 'class MP:\n    pass\n',
      '_priv/fixtures.py': 'from _priv.mp import MP\nfrom _priv import helpers\n\ndef fixture():\n    pass\n',
      '_priv/helpers.py': 'from _priv.mp import MP\n', // reached through fixtures
      '_priv/plugin.py': 'from _priv.mp import MP\n', // loaded by name at run time: pub does not import it
      'tests/test_a.py': 'from _priv.mp import MP\n',
      'tests/test_b.py': 'from pub import MP\n',
      'tests/test_c.py': 'import pub\n\ndef test(m: pub.MP):\n    pass\n',
    });
    expect(groups(r)).toEqual({
      '_priv.mp:MP -> pub:MP (most-used-public-path)': ['pub:MP=2/2/canonical', '_priv.mp:MP=5/5/move kept 3/3'],
    });
    expect(r.moves.map((m) => `${m.from} -> ${m.to} ${m.imports}/${m.files} kept ${m.kept}`)).toEqual(['_priv.mp:MP -> pub:MP 2/2 kept 3']);
  });

  test('every user of a path in the cycle: the path is kept, and no move is suggested', async () => {
    const r = await run({
      'pub/__init__.py': 'from _priv.mp import MP\nfrom _priv import fixtures\n',
      '_priv/__init__.py': '',
      '_priv/mp.py': 'class MP:\n    pass\n',
      '_priv/fixtures.py': 'from _priv.mp import MP\n',
      'tests/test_b.py': 'from pub import MP\n',
    });
    expect(r.consolidation).toEqual([]);
    expect(r.moves).toEqual([]);
  });

  test('a re-export that tests patch is kept and flagged, not bypassed (_pytest.timing:time)', async () => {
    const files = {
      '_priv/__init__.py': '',
      '_priv/timing.py': '"""Indirection, so that tests can patch time here."""\nfrom time import perf_counter, time\n',
      '_priv/runner.py': 'from _priv import timing\n\ndef run():\n    return timing.time() - timing.time()\n',
      '_priv/other.py': 'from time import time\n',
      '_priv/bench.py': 'from _priv.timing import perf_counter\nfrom time import perf_counter as pc\n',
      'tests/conftest.py': 'import pytest\n\n@pytest.fixture\ndef fake(monkeypatch):\n    from _priv import timing\n    monkeypatch.setattr(timing, "time", lambda: 1.0)\n',
      'tests/test_bench.py': 'from unittest import mock\n\n@mock.patch("_priv.timing.perf_counter")\ndef test(p):\n    pass\n',
    };
    const r = await run(files);
    expect(r.consolidation).toEqual([]);
    expect(r.moves).toEqual([]);
    // The module is a patch point: each of its re-exports of an outside name is kept.
    const patches = [
      { file: 'tests/conftest.py', line: 6, column: 25, patched: '_priv.timing.time' },
      { file: 'tests/test_bench.py', line: 3, column: 13, patched: '_priv.timing.perf_counter' },
    ];
    expect(r.patched).toEqual([
      { path: '_priv.timing:perf_counter', target: 'time:perf_counter', imports: 1, patches },
      { path: '_priv.timing:time', target: 'time:time', imports: 2, patches },
    ]);
    expect(r.summary.patched).toBe(2);
    // Without the patches, the same tree gets the moves: the patches are what keep them.
    const plain = await run({ ...files, 'tests/conftest.py': '', 'tests/test_bench.py': '' });
    expect(plain.patched).toEqual([]);
    expect(plain.moves.map((m) => `${m.from} -> ${m.to}`)).toEqual(['_priv.timing:time -> time:time', '_priv.timing:perf_counter -> time:perf_counter']);
  });

  test('no public path at all: the most used path', async () => {
    const r = await run({
      '_p/__init__.py': 'from ._a import _X\n',
      '_p/_a.py': '_X = 1\n',
      '_p/_b.py': 'from ._a import _X\n',
      'm.py': 'from _p import _X\nfrom _p._a import _X as Y\n',
      'n.py': 'from _p import _X\n',
      'o.py': 'from _p._b import _X\n',
    });
    expect(groups(r)).toEqual({
      '_p._a:_X -> _p._a:_X (most-used-path)': ['_p._a:_X=3/3/canonical', '_p:_X=2/2/move', '_p._b:_X=1/1/move'],
    });
  });

  test('a group whose only other path is the canonical path\'s own hop is no work', async () => {
    const r = await run({
      'lib/__init__.py': 'from ._impl import Widget\n',
      'lib/_impl.py': 'class Widget:\n    pass\n',
      'x.py': 'from lib import Widget\n',
    });
    expect(r.consolidation).toEqual([]);
  });

  test('an outside object imported through a project module', async () => {
    const r = await run({
      'app/__init__.py': '',
      'app/compat.py': 'from collections import OrderedDict\n',
      'app/x.py': 'from app.compat import OrderedDict\n',
      'app/y.py': 'from collections import OrderedDict\n',
      'app/z.py': 'from os import path\nimport os.path\n',
    });
    expect(groups(r)).toEqual({
      'collections:OrderedDict -> collections:OrderedDict (defining-module)': [
        'collections:OrderedDict=2/2/canonical',
        'app.compat:OrderedDict=1/1/move',
      ],
    });
    expect(r.consolidation[0]).toMatchObject({ kind: 'external', line: null });
  });

  test('a divergent subclass is never proposed as a move, and a single path is no work', async () => {
    const r = await run({
      'ws/__init__.py': '',
      'ws/manager.py': 'class Manager:\n    pass\n',
      'ws/unified.py': 'from .manager import Manager\n\nclass _Impl(Manager):\n    pass\n\nUnifiedManager = _Impl\n',
      'a.py': 'from ws.unified import UnifiedManager\n',
      'b.py': 'from ws.manager import Manager\n',
    });
    expect(r.consolidation).toEqual([]);
    expect(r.moves).toEqual([]);
  });

  test('moves already in the config are marked, module moves included', async () => {
    const root = makeProject({
      ...SHIM,
      'canon.toml': '[[move]]\nfrom = "pkg.compat:Engine"\nto = "pkg2.core:Engine"\n\n[[move]]\nfrom = "pkg"\nto = "pkg2"\n',
    });
    const loaded = loadConfig(`${root}/canon.toml`);
    if (!('config' in loaded)) throw new Error('bad config');
    const r = await discover(projectOf(loaded.config), { jobs: 1 });
    expect(r.moves.map((m) => `${m.from} ${m.configured}`)).toEqual(['pkg.compat:Engine true', 'pkg:Engine true', 'pkg.compat:make true']);
  });

  test('exclude narrows what is scanned, not what resolves', async () => {
    const r = await run(SHIM, { project: { exclude: ['pkg/compat.py', 'app/b.py'] } });
    // pkg/compat.py is not scanned, but a.py's imports through it still resolve.
    expect(groups(r)).toEqual({
      'pkg.core:Engine -> pkg.core:Engine (defining-module)': ['pkg.core:Engine=2/2/canonical', 'pkg.compat:Engine=1/1/move'],
    });
    expect(r.summary.files).toBe(6);
  });
});

describe('breaches', () => {
  const TWO = {
    'a/__init__.py': '',
    'a/ws.py': 'class WebSocketManager:\n    pass\n',
    'b/__init__.py': 'from .impl import WebSocketManager\n',
    'b/impl.py': 'class _Base:\n    pass\n\nWebSocketManager = _Base\n',
    'x.py': 'from a.ws import WebSocketManager\n',
    'y.py': 'from a.ws import WebSocketManager\nfrom b import WebSocketManager as W2\n',
    'z.py': 'from b.impl import WebSocketManager\n',
  };

  test('one name, two different objects', async () => {
    const r = await run(TWO);
    expect(r.breaches).toEqual([
      {
        name: 'WebSocketManager',
        imports: 5,
        files: 4, // x, y, z and b/__init__.py
        definitions: [
          { target: 'b.impl:_Base', kind: 'class', line: 1, imports: 3, files: 3, paths: [{ path: 'b.impl:WebSocketManager', imports: 2, files: 2 }, { path: 'b:WebSocketManager', imports: 1, files: 1 }] },
          { target: 'a.ws:WebSocketManager', kind: 'class', line: 1, imports: 2, files: 2, paths: [{ path: 'a.ws:WebSocketManager', imports: 2, files: 2 }] },
        ],
      },
    ]);
  });

  test('--min-files: a definition imported by fewer files does not count', async () => {
    // a.ws:WebSocketManager is imported by 2 files, b.impl:_Base by 3.
    expect((await run(TWO, { minFiles: 3 })).breaches).toEqual([]);
    expect((await run(TWO, { minFiles: 2 })).breaches).toHaveLength(1);
  });
});

describe('uses through module imports (`m.X`)', () => {
  test('counted with the path they spell: aliases, dotted names, submodules, relative from-imports', async () => {
    const r = await run({
      'pkg/__init__.py': '',
      'pkg/core.py': 'class Engine: pass\n',
      'pkg/compat.py': 'from pkg.core import Engine\n',
      'pkg/sub/__init__.py': '',
      'pkg/sub/deep.py': 'from pkg.core import Engine\n',
      'app/__init__.py': '',
      'app/a.py': 'import pkg.compat as c\n\nx = c.Engine()\ny = c.Engine\n',
      'app/b.py': 'import pkg.compat\nimport pkg.sub.deep\n\nx = pkg.compat.Engine()\nz = pkg.sub.deep.Engine\n',
      'app/c.py': 'from pkg import compat\n\nprint(compat.Engine, "compat.Engine", compat)  # compat.Engine\n',
      'pkg/sub/rel.py': 'from .. import compat\n\ncompat.Engine\n',
      'app/d.py': 'from pkg.core import Engine\n',
    });
    expect(groups(r)['pkg.core:Engine -> pkg.core:Engine (defining-module)']).toEqual([
      'pkg.core:Engine=3/3/canonical',
      // a.py twice, b.py, c.py once (not the string, not the comment), rel.py.
      'pkg.compat:Engine=5/4/move',
      'pkg.sub.deep:Engine=1/1/move',
    ]);
    expect(r.summary.unresolved).toBe(0);
  });

  test('a name bound to two things is left out; a use that names nothing is not followed, not reported', async () => {
    const r = await run({
      'pkg/__init__.py': '',
      'pkg/core.py': 'class Engine: pass\n',
      'pkg/compat.py': 'from pkg.core import Engine\n',
      'pkg/other.py': 'Engine = 1\n',
      'app/__init__.py': '',
      'app/a.py': 'import pkg.compat as m\nimport pkg.other as m\n\nm.Engine\n',
      // A local shadows the module in a function: canon cannot tell, and does not report it.
      'app/b.py': 'import pkg.compat as c\n\ndef f(c):\n    return c.missing\n',
    });
    // Counted as pkg.compat:Engine, `m.Engine` would make a second path to pkg.core:Engine.
    expect(r.consolidation).toEqual([]);
    expect(r.summary.imports).toBe(5);
    expect(r.unresolved).toEqual([]);
    expect(r.summary.dynamic).toBe(1);
  });
});

describe('unresolved imports', () => {
  test('missing modules and names, with every site', async () => {
    const r = await run({
      'app/__init__.py': '',
      'app/real.py': 'X = 1\n',
      'app/use.py': 'import os\nfrom app.real import X, Y\n\ntry:\n    from app.gone import thing\nexcept ImportError:\n    thing = None\nimport app.also_gone\n',
      'app/rel.py': 'from .gone import thing\nfrom . import real, missing_sub\n',
      'app/star.py': 'from app.gone import *\n',
    });
    expect(r.unresolved).toEqual([
      // Where scan puts the same import: the missing module's name (`.gone` with its dots), else the name.
      { import: 'app.also_gone', reason: 'module app.also_gone does not exist', imports: 1, sites: [{ file: 'app/use.py', line: 8, column: 8 }] },
      { import: 'app.gone:*', reason: 'module app.gone does not exist', imports: 1, sites: [{ file: 'app/star.py', line: 1, column: 6 }] },
      {
        import: 'app.gone:thing',
        reason: 'module app.gone does not exist',
        imports: 2,
        sites: [{ file: 'app/rel.py', line: 1, column: 6 }, { file: 'app/use.py', line: 5, column: 10 }],
      },
      { import: 'app.real:Y', reason: 'Y is not defined in app.real', imports: 1, sites: [{ file: 'app/use.py', line: 2, column: 25 }] },
      { import: 'app:missing_sub', reason: 'missing_sub is not defined in app', imports: 1, sites: [{ file: 'app/rel.py', line: 2, column: 21 }] },
    ]);
  });

  test('modules git ignores (generated, built) exist: imported directly, by name, or through a re-export', async () => {
    const root = makeProject(
      {
        '.gitignore': '*_pb2.py\n*.so\n',
        'app/__init__.py': '',
        'app/msg_pb2.py': 'class Msg: pass\n',
        'app/fast.cpython-311-x86_64-linux-gnu.so': '',
        'app/api.py': 'from app.msg_pb2 import Msg\n',
        'app/use.py': 'from app.msg_pb2 import Msg\nfrom app import msg_pb2, fast\nimport app.fast\nfrom app.api import Msg as M2\nfrom app.gone import x\n',
      },
      { git: true },
    );
    const r = await discover({ root, src: ['.'], include: ['**/*.py'], exclude: [], moves: [] });
    expect(r.unresolved.map((u) => u.import)).toEqual(['app.gone:x']);
    expect(r.summary.dynamic).toBeGreaterThan(0);
  });

  test('what canon cannot follow is counted, not reported', async () => {
    const r = await run({
      'lazy.py': 'def __getattr__(name):\n    return name\n',
      'use.py': 'from lazy import anything\n',
    });
    expect(r.unresolved).toEqual([]);
    expect(r.summary.dynamic).toBe(1);
  });
});

describe('the example project', () => {
  test('WebSocketManager and get_websocket_manager through the shim and the package; the divergent subclass left alone', async () => {
    const loaded = loadConfig(`${EXAMPLE}/canon.toml`);
    if (!('config' in loaded)) throw new Error('bad config');
    const r = await discover(projectOf(loaded.config));
    const g = groups(r);
    expect(g['app.websocket_core.websocket_manager:WebSocketManager -> app.websocket_core.websocket_manager:WebSocketManager (defining-module)']).toEqual([
      'app.websocket_core.websocket_manager:WebSocketManager=4/4/canonical',
      'app.websocket_core.manager:WebSocketManager=9/8/move',
    ]);
    expect(g['app.websocket_core.websocket_manager:get_websocket_manager -> app.websocket_core.websocket_manager:get_websocket_manager (defining-module)']).toEqual([
      'app.websocket_core.websocket_manager:get_websocket_manager=5/5/canonical',
      'app.websocket_core.manager:get_websocket_manager=7/7/move',
      'app.websocket_core:get_websocket_manager=2/2/move',
    ]);
    expect(r.moves.some((m) => m.from.includes('UnifiedWebSocketManager'))).toBe(false);
    // M1, M2, M4 of canon.toml, and the module move of app.legacy_utils, are already configured.
    expect(r.moves.filter((m) => m.configured).map((m) => m.from)).toEqual([
      'app.websocket_core.manager:WebSocketManager',
      'app.websocket_core.manager:get_websocket_manager',
      'app.websocket_core:get_websocket_manager',
      'app.legacy_utils:slugify',
      'app.legacy_utils.text:truncate_title',
    ]);
    expect(r.unresolved).toEqual([
      {
        import: 'app.websocket_core.old_factory:create_manager',
        reason: 'module app.websocket_core.old_factory does not exist',
        imports: 1,
        sites: [{ file: 'app/services/corpus/clickhouse_operations.py', line: 9, column: 10 }],
      },
    ]);
    expect(r.breaches).toEqual([]);
  });
});
