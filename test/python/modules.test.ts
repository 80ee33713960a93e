// Module naming helpers, with relative-import resolution checked against CPython itself.

import { spawnSync } from 'node:child_process';
import { relative, sep } from 'node:path';
import { describe, expect, test } from 'vitest';
import { pythonFiles, requirePythonPaths } from '../helpers/corpus.js';
import {
  isIdentifier,
  isIdentifierPath,
  moduleNameOf,
  moduleNamer,
  packageOf,
  PYTHON_KEYWORDS,
  resolveRelative,
} from '../../src/python/modules.js';

function python(code: string, input = ''): string {
  const r = spawnSync('python3', ['-c', code], { input, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`python3 failed: ${r.stderr}`);
  return r.stdout;
}

describe('moduleNameOf', () => {
  test('plain modules, packages, stubs', () => {
    expect(moduleNameOf('app/x.py', ['.'])).toBe('app.x');
    expect(moduleNameOf('app/__init__.py', ['.'])).toBe('app');
    expect(moduleNameOf('app/sub/__init__.pyi', ['.'])).toBe('app.sub');
    expect(moduleNameOf('app/__main__.py', ['.'])).toBe('app.__main__');
    expect(moduleNameOf('top.py', ['.'])).toBe('top');
    expect(moduleNameOf('pkg/mätch.py', ['.'])).toBe('pkg.mätch');
    expect(moduleNameOf('pkg/match.py', ['.'])).toBe('pkg.match'); // soft keyword: fine
  });

  test('not importable: null', () => {
    expect(moduleNameOf('__init__.py', ['.'])).toBeNull();
    expect(moduleNameOf('my-scripts/run.py', ['.'])).toBeNull();
    expect(moduleNameOf('app/class.py', ['.'])).toBeNull();
    expect(moduleNameOf('app/1st.py', ['.'])).toBeNull();
    expect(moduleNameOf('app/x.txt', ['.'])).toBeNull();
    expect(moduleNameOf('app/x.tar.py', ['.'])).toBeNull();
    expect(moduleNameOf('other/x.py', ['src'])).toBeNull();
  });

  test('the deepest containing import root wins, whatever the order', () => {
    expect(moduleNameOf('src/pkg/m.py', ['.', 'src'])).toBe('pkg.m');
    expect(moduleNameOf('src/pkg/m.py', ['src', '.'])).toBe('pkg.m');
    expect(moduleNameOf('src/pkg/m.py', ['./src/'])).toBe('pkg.m');
    expect(moduleNameOf('tools/x.py', ['.', 'src'])).toBe('tools.x');
    expect(moduleNameOf('srcx/pkg.py', ['src'])).toBeNull();
    // An invalid name under the deepest root falls back to a shallower one.
    expect(moduleNameOf('lib/a-b/c.py', ['.', 'lib/a-b'])).toBe('c');
    expect(moduleNameOf('lib/a-b/c-d.py', ['.', 'lib'])).toBeNull();
  });
});

describe('moduleNamer', () => {
  // The definition, spelled out: strip the suffix, drop a final __init__, every segment an
  // identifier; roots tried deepest first. moduleNamer caches folders; it must agree exactly.
  function reference(file: string, roots: string[]): string | null {
    const norm = roots.map((r) => r.split('/').filter((p) => p !== '' && p !== '.').join('/'));
    const ordered = norm.map((r, i) => ({ r, i, d: r === '' ? 0 : r.split('/').length })).sort((a, b) => b.d - a.d || a.i - b.i);
    if (!/\.pyi?$/.test(file)) return null;
    for (const { r } of ordered) {
      if (r !== '' && !file.startsWith(r + '/')) continue;
      const parts = (r === '' ? file : file.slice(r.length + 1)).replace(/\.pyi?$/, '').split('/');
      if (parts[parts.length - 1] === '__init__') parts.pop();
      if (parts.length > 0 && parts.every((p) => isIdentifier(p))) return parts.join('.');
    }
    return null;
  }

  test('agrees with the definition on the standard library and odd paths, under several roots', () => {
    const { stdlib } = requirePythonPaths();
    const files = pythonFiles(stdlib).map((f) => relative(stdlib, f).split(sep).join('/'));
    files.push('__init__.py', 'a/__init__/b.py', 'a//b.py', 'a/.py', 'x.pyi', 'my-dir/__init__.py', 'src/app/x.py', 'src/__init__.py', 'if/x.py', 'a/b.pyx', 'ä/ö.py');
    for (const roots of [['.'], ['.', 'src'], ['src', '.'], ['asyncio', 'email', '.'], ['lib']]) {
      const namer = moduleNamer(roots);
      for (const f of files) expect(namer(f), `${f} under ${roots.join(',')}`).toBe(reference(f, roots));
    }
  });
});

describe('identifiers', () => {
  test('keyword list matches this python3', () => {
    const kw = JSON.parse(python('import json, keyword; print(json.dumps(keyword.kwlist))')) as string[];
    expect([...PYTHON_KEYWORDS].sort()).toEqual([...kw].sort());
  });

  test('segments and dotted paths', () => {
    expect(isIdentifier('_x1')).toBe(true);
    expect(isIdentifier('Üser')).toBe(true);
    expect(isIdentifier('名前')).toBe(true);
    expect(isIdentifier('1x')).toBe(false);
    expect(isIdentifier('class')).toBe(false);
    expect(isIdentifier('')).toBe(false);
    expect(isIdentifierPath('a.b_c.D')).toBe(true);
    expect(isIdentifierPath('a..b')).toBe(false);
    expect(isIdentifierPath('.a')).toBe(false);
    expect(isIdentifierPath('a.')).toBe(false);
    expect(isIdentifierPath('a.import.b')).toBe(false);
    expect(isIdentifierPath('a-b')).toBe(false);
    expect(isIdentifierPath('')).toBe(false);
  });

  test('agrees with str.isidentifier on a sample', () => {
    const sample = ['abc', '_', 'é', 'x²', 'a·b', 'ǅx', 'Ⅻ', 'a\u0301', '٣x', 'x٣', 'a$', '$', '日本'];
    const py = JSON.parse(
      python('import json,sys; print(json.dumps([s.isidentifier() for s in json.load(sys.stdin)]))', JSON.stringify(sample)),
    ) as boolean[];
    expect(sample.map(isIdentifier)).toEqual(py);
  });
});

describe('packageOf', () => {
  test('__package__ semantics', () => {
    expect(packageOf('a.b.c', false)).toBe('a.b');
    expect(packageOf('a.b', true)).toBe('a.b');
    expect(packageOf('a', false)).toBe('');
    expect(packageOf('a', true)).toBe('a');
  });
});

describe('resolveRelative', () => {
  test('examples', () => {
    expect(resolveRelative(1, 'x', 'a.b.c', false)).toBe('a.b.x');
    expect(resolveRelative(2, 'x', 'a.b.c', false)).toBe('a.x');
    expect(resolveRelative(1, '', 'a.b.c', false)).toBe('a.b');
    expect(resolveRelative(1, 'x', 'a.b', true)).toBe('a.b.x');
    expect(resolveRelative(3, 'x', 'a.b.c', false)).toBeNull();
    expect(resolveRelative(1, 'x', 'top', false)).toBeNull();
    expect(resolveRelative(0, 'a.b', 'x.y', false)).toBe('a.b');
  });

  test('agrees with CPython importlib on every case', () => {
    const cases: [number, string, string, boolean][] = [];
    for (const current of ['a', 'a.b', 'a.b.c', 'a.b.c.d'])
      for (const isInit of [false, true])
        for (const level of [1, 2, 3, 4, 5])
          for (const module of ['', 'x', 'x.y']) cases.push([level, module, current, isInit]);

    // __package__ of the importing module, then importlib.util.resolve_name('..x', package).
    const script = [
      'import json, sys, importlib.util',
      'out = []',
      'for level, module, current, is_init in json.load(sys.stdin):',
      '    package = current if is_init else current.rpartition(".")[0]',
      '    try:',
      '        out.append(importlib.util.resolve_name("." * level + module, package))',
      '    except (ImportError, ValueError):',
      '        out.append(None)',
      'print(json.dumps(out))',
    ].join('\n');
    const expected = JSON.parse(python(script, JSON.stringify(cases))) as (string | null)[];
    const ours = cases.map(([level, module, current, isInit]) => resolveRelative(level, module, current, isInit));
    expect(ours).toEqual(expected);
    expect(expected.filter((e) => e === null).length).toBeGreaterThan(0);
  });

  test('a few straight from the command line, as documented', () => {
    const resolve = (name: string, pkg: string) =>
      python(`import importlib.util; print(importlib.util.resolve_name(${JSON.stringify(name)}, ${JSON.stringify(pkg)}))`).trim();
    expect(resolveRelative(2, 'x', 'a.b.c', false)).toBe(resolve('..x', 'a.b'));
    expect(resolveRelative(2, 'x', 'a.b', true)).toBe(resolve('..x', 'a.b'));
    expect(resolveRelative(1, '', 'p.q.r', false)).toBe(resolve('.', 'p.q'));
  });
});
