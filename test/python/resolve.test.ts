import { describe, expect, test } from 'vitest';
import { ModuleIndex } from '../../src/python/moduleIndex.js';
import { Resolver, targetKey, type Resolution } from '../../src/python/resolve.js';
import { meetingPoint, verifyMoves } from '../../src/core/verify.js';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Move } from '../../src/config/types.js';

/** A resolver over an in-memory tree: path -> source. */
function resolverFor(files: Record<string, string>): Resolver {
  const index = ModuleIndex.fromFiles(Object.keys(files), ['.']);
  return new Resolver(index, { read: (f) => (f in files ? Buffer.from(files[f], 'utf8').toString('latin1') : null) });
}

function key(r: Resolution): string {
  return r.ok ? targetKey(r.target) : `${r.verdict}: ${r.reason}`;
}

describe('resolver', () => {
  test('follows a from-import re-export to the class', () => {
    const r = resolverFor({
      'pkg/__init__.py': '',
      'pkg/impl.py': 'class Manager:\n    pass\n',
      'pkg/legacy.py': 'from pkg.impl import Manager\n',
    });
    const res = r.resolveName('pkg.legacy', 'Manager');
    expect(key(res)).toBe('pkg.impl:Manager');
    expect(res.chain).toEqual(['pkg.legacy.Manager', 'pkg.impl.Manager']);
  });

  test('follows relative imports, package __init__ re-exports and aliases', () => {
    const r = resolverFor({
      'pkg/__init__.py': 'from .impl import Manager as M\nAlias = M\n',
      'pkg/impl.py': 'class Manager: ...\n',
      'pkg/sub/__init__.py': 'from .. import Alias\n',
    });
    expect(key(r.resolveName('pkg', 'M'))).toBe('pkg.impl:Manager');
    expect(key(r.resolveName('pkg', 'Alias'))).toBe('pkg.impl:Manager');
    expect(r.resolveName('pkg.sub', 'Alias').chain).toEqual(['pkg.sub.Alias', 'pkg.Alias', 'pkg.M', 'pkg.impl.Manager']);
  });

  test('an alias to a different class is a different object', () => {
    const r = resolverFor({
      'ws/__init__.py': '',
      'ws/canonical.py': 'class WebSocketManager: ...\n',
      'ws/unified.py': 'from ws.canonical import WebSocketManager\nclass _Impl(WebSocketManager): ...\nUnified = _Impl\n',
    });
    expect(key(r.resolveName('ws.unified', 'Unified'))).toBe('ws.unified:_Impl');
  });

  test('star-imports: followed, honouring __all__ and underscore names', () => {
    const r = resolverFor({
      'p/__init__.py': 'from p.a import *\nfrom p.b import *\n',
      'p/a.py': '__all__ = ["X", "_private"]\nclass X: ...\nclass _private: ...\nclass Y: ...\n',
      'p/b.py': 'def Z(): ...\ndef _hidden(): ...\n',
    });
    expect(key(r.resolveName('p', 'X'))).toBe('p.a:X');
    expect(key(r.resolveName('p', '_private'))).toBe('p.a:_private');
    expect(key(r.resolveName('p', 'Z'))).toBe('p.b:Z');
    expect(key(r.resolveName('p', 'Y'))).toBe('unresolved: Y is not defined in p');
    expect(key(r.resolveName('p', '_hidden'))).toBe('unresolved: _hidden is not defined in p');
  });

  test('a star-import from outside the project makes the answer dynamic', () => {
    const r = resolverFor({ 'p/__init__.py': 'from os.path import *\n' });
    expect(r.resolveName('p', 'join')).toMatchObject({ ok: false, verdict: 'dynamic' });
  });

  test('import cycles end as unresolved with the cycle', () => {
    const r = resolverFor({
      'c/__init__.py': '',
      'c/a.py': 'from c.b import X\n',
      'c/b.py': 'from c.a import X\n',
    });
    const res = r.resolveName('c.a', 'X');
    expect(key(res)).toBe('unresolved: import cycle: c.a.X -> c.b.X -> c.a.X');
  });

  test('namespace packages (no __init__) give their submodules', () => {
    const r = resolverFor({ 'ns/mod.py': 'class K: ...\n', 'ns/other.py': 'from ns import mod\nK2 = mod.K\n' });
    expect(key(r.resolveName('ns', 'mod'))).toBe('module ns.mod');
    expect(key(r.resolveName('ns.other', 'K2'))).toBe('ns.mod:K');
    expect(key(r.resolveName('ns', 'nothing'))).toBe('unresolved: namespace package ns has no nothing');
  });

  test('unresolved modules and names say why', () => {
    const r = resolverFor({ 'app/__init__.py': '', 'app/x.py': 'from app.gone import Y\n' });
    expect(key(r.resolveName('app.gone', 'Y'))).toBe('unresolved: module app.gone does not exist');
    expect(key(r.resolveName('app.x', 'Y'))).toBe('unresolved: module app.gone does not exist');
    expect(key(r.resolveName('app.x', 'Nope'))).toBe('unresolved: Nope is not defined in app.x');
  });

  test('calls, conditional rebinding and module __getattr__ are dynamic', () => {
    const r = resolverFor({
      'd/__init__.py': '',
      'd/m.py':
        'def make(): ...\nX = make()\ntry:\n    from d.fast import Y\nexcept ImportError:\n    class Y: ...\ndef __getattr__(name):\n    return 1\n',
      'd/fast.py': 'class Y: ...\n',
    });
    expect(r.resolveName('d.m', 'X')).toMatchObject({ ok: false, verdict: 'dynamic' });
    expect(key(r.resolveName('d.m', 'Y'))).toMatch(/^dynamic: d\.m\.Y is bound more than once/);
    expect(key(r.resolveName('d.m', 'Z'))).toBe("dynamic: d.m.Z is served by the module's __getattr__");
  });

  test('outside the project, the path itself is the identity', () => {
    const r = resolverFor({ 'q/__init__.py': 'from collections import OrderedDict\nimport os.path as osp\n' });
    expect(key(r.resolveName('q', 'OrderedDict'))).toBe('collections:OrderedDict');
    expect(key(r.resolveName('q', 'osp'))).toBe('module os.path');
  });

  test('follows a canon shim table', () => {
    const r = resolverFor({
      's/__init__.py': '',
      's/new.py': 'class A: ...\n',
      's/old.py': '# canon: begin shim\n_MOVED = {\n    "A": ("s.new", "A"),\n}\ndef __getattr__(name):\n    pass\n# canon: end shim\n',
    });
    expect(key(r.resolveName('s.old', 'A'))).toBe('s.new:A');
  });
});

describe('verify', () => {
  const files = {
    'app/__init__.py': '',
    'app/ws/__init__.py': 'from .websocket_manager import WebSocketManager, get_manager\n',
    'app/ws/websocket_manager.py': 'class WebSocketManager: ...\ndef get_manager(): ...\n',
    'app/ws/manager.py': 'from app.ws.websocket_manager import WebSocketManager, get_manager\n',
    'app/ws/unified.py': 'from .websocket_manager import WebSocketManager\nclass _Impl(WebSocketManager): ...\nUnified = _Impl\n',
    'app/old_utils/__init__.py': 'from app.utils import *\n',
    'app/utils/__init__.py': 'def helper(): ...\n',
    'app/bad_utils.py': 'def helper(): ...\n',
  };
  const sym = (from: string, to: string, index = 0): Move => {
    const [fm, fn] = from.split(':');
    const [tm, tn] = to.split(':');
    return { kind: 'symbol', index, id: from, fromModule: fm, fromName: fn, toModule: tm, toName: tn };
  };
  const mod = (from: string, to: string): Move => ({ kind: 'module', index: 0, id: from, fromModule: from, toModule: to });

  test('verdicts: same, divergent, unresolved', () => {
    const v = verifyMoves(
      [
        sym('app.ws.manager:WebSocketManager', 'app.ws.websocket_manager:WebSocketManager'),
        sym('app.ws:get_manager', 'app.ws.websocket_manager:get_manager'),
        sym('app.ws.unified:Unified', 'app.ws.websocket_manager:WebSocketManager'),
        sym('app.ws.manager:Missing', 'app.ws.websocket_manager:WebSocketManager'),
        sym('app.ws.manager:WebSocketManager', 'app.ws.nowhere:WebSocketManager'),
        mod('app.old_utils', 'app.utils'),
        mod('app.bad_utils', 'app.utils'),
      ],
      resolverFor(files),
    );
    expect(v.map((x) => x.verdict)).toEqual(['same', 'same', 'divergent', 'unresolved', 'unresolved', 'same', 'divergent']);
    expect(v[2].reason).toBe(
      'the legacy path is app.ws.unified._Impl (class, line 2), the canonical path is app.ws.websocket_manager.WebSocketManager (class, line 1)',
    );
    expect(v[3].reason).toBe('legacy path: Missing is not defined in app.ws.manager');
    expect(v[4].reason).toBe('canonical path: module app.ws.nowhere does not exist');
  });
});

describe('paths that meet at one binding', () => {
  const sym = (from: string, to: string): Move => {
    const [fm, fn] = from.split(':');
    const [tm, tn] = to.split(':');
    return { kind: 'symbol', index: 0, id: from, fromModule: fm, fromName: fn, toModule: tm, toName: tn };
  };
  const files = {
    'pkg/__init__.py': 'from .singleton import S, T as T2, W\nfrom .other import U\n',
    'pkg/singleton.py': 'class Registry: ...\nS = Registry()\nT = Registry()\nfor W in range(3):\n    pass\nV = Registry()\nV = Registry()\nG = Registry()\ndef reset():\n    global G\n    G = Registry()\n',
    'pkg/other.py': 'from pkg.singleton import Registry\nU = Registry()\n',
    'pkg/lazy.py': 'from pkg.singleton import Registry\nL = Registry()\ndef __getattr__(name):\n    return 1\n',
    'pkg/again.py': 'from pkg.singleton import V, G\n',
  };

  test('a call result re-exported is the same object on both paths, and verify says where they meet', () => {
    const r = resolverFor(files);
    const [s, t] = verifyMoves([sym('pkg:S', 'pkg.singleton:S'), sym('pkg:T2', 'pkg.singleton:T')], r);
    expect(s.verdict).toBe('same');
    expect(s.legacy.chain).toEqual(['pkg.S', 'pkg.singleton.S']);
    expect(meetingPoint(s)).toBe('pkg.singleton.S');
    expect(t.verdict).toBe('same');
    // A for-target bound once at module level: one binding, one object.
    expect(verifyMoves([sym('pkg:W', 'pkg.singleton:W')], r)[0].verdict).toBe('same');
  });

  test('two different call results, a name bound twice, one rebound by `global`, or a __getattr__: dynamic, with the reason', () => {
    const r = resolverFor(files);
    const v = verifyMoves([
      sym('pkg:U', 'pkg.singleton:S'),
      sym('pkg.again:V', 'pkg.singleton:V'),
      sym('pkg.again:G', 'pkg.singleton:G'),
      sym('pkg.lazy:L', 'pkg.lazy:L'),
    ], r);
    expect(v.map((x) => x.verdict)).toEqual(['dynamic', 'dynamic', 'dynamic', 'dynamic']);
    expect(v[0].reason).toBe(
      'the legacy path ends at pkg.other.U (the result of a call, line 2), the canonical path at pkg.singleton.S (the result of a call, line 2); canon cannot tell whether they hold the same object',
    );
    expect(v[1].reason).toBe('canonical path: pkg.singleton.V is the result of a call (line 6) and bound more than once (lines 6, 7)');
    expect(v[2].reason).toBe('canonical path: pkg.singleton.G may be rebound after import (`global G`, line 10)');
    expect(v[3].reason).toBe('canonical path: pkg.lazy.L is the result of a call (line 2) in a module with a __getattr__');
  });

  test('python3 agrees: the paths verify calls the same are the same object', () => {
    const dir = mkdtempSync(join(tmpdir(), 'canon-meet-'));
    for (const [f, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, f)), { recursive: true });
      writeFileSync(join(dir, f), text);
    }
    const out = execFileSync('python3', ['-c', 'import pkg, pkg.singleton as s, pkg.other as o\nprint(pkg.S is s.S, pkg.T2 is s.T, pkg.W is s.W, o.U is s.S)'], { cwd: dir, encoding: 'utf8' });
    expect(out.trim()).toBe('True True True False');
  });
});

describe('star-imports in branches, builtins', () => {
  test('star-imports in if/else branches that give different objects are dynamic; the same object is fine', () => {
    const r = resolverFor({
      'pkg/__init__.py': 'import sys\nif sys.platform == "win32":\n    from .win import *\nelse:\n    from .posix import *\n',
      'pkg/win.py': '__all__ = ["Loop", "Shared"]\nfrom pkg.shared import Shared\nclass Loop: ...\n',
      'pkg/posix.py': '__all__ = ["Loop", "Shared"]\nfrom pkg.shared import Shared\nclass Loop: ...\n',
      'pkg/shared.py': 'class Shared: ...\n',
      'base/__init__.py': 'from .common import *\ntry:\n    from .fast import *\nexcept ImportError:\n    pass\n',
      'base/common.py': 'class A: ...\nclass B: ...\n',
      'base/fast.py': 'from base.common import A\n__all__ = ["A"]\nclass B: ...\n',
    });
    expect(key(r.resolveName('pkg', 'Loop'))).toBe(
      'dynamic: pkg.Loop may come from any of `from pkg.win import *` (line 3), `from pkg.posix import *` (line 5), which run in different branches and do not give the same object',
    );
    expect(key(r.resolveName('pkg', 'Shared'))).toBe('pkg.shared:Shared');
    // An unconditional star-import overridden in a `try`: the same object either way, or not.
    expect(key(r.resolveName('base', 'A'))).toBe('base.common:A');
    expect(key(r.resolveName('base', 'B'))).toBe('base.common:B');
  });

  test('a module-level alias of a builtin resolves to the builtin, not to a cycle', () => {
    const r = resolverFor({
      'pkg/__init__.py': 'from pkg._base import TimeoutError, Resource\n',
      'pkg/_base.py': 'TimeoutError = TimeoutError\nResource = str\n',
    });
    expect(key(r.resolveName('pkg', 'TimeoutError'))).toBe('builtins:TimeoutError');
    expect(key(r.resolveName('pkg._base', 'Resource'))).toBe('builtins:str');
    const [v] = verifyMoves([{ kind: 'symbol', index: 0, id: 'pkg._base:TimeoutError', fromModule: 'pkg._base', fromName: 'TimeoutError', toModule: 'pkg', toName: 'TimeoutError' }], r);
    expect(v.verdict).toBe('same');
  });
});

describe('non-ASCII names', () => {
  test('a moved symbol with a non-ASCII name resolves (files are UTF-8 bytes)', () => {
    const r = resolverFor({
      'pkg/__init__.py': '',
      'pkg/neu.py': '# café\nclass Größe: ...\n',
      'pkg/alt.py': 'from pkg.neu import Größe\n',
    });
    const res = r.resolveName('pkg.alt', 'Größe');
    expect(key(res)).toBe('pkg.neu:Größe');
  });
});
