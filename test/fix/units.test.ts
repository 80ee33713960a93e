// The pieces under `canon fix`: edits, the top-level statement splitter, name resolution over
// partial trees, layout-preserving removal, and the import-cycle search.

import { describe, expect, test } from 'vitest';
import { ModuleIndex } from '../../src/python/moduleIndex.js';
import { lexImports } from '../../src/python/lexer.js';
import { sourceInfo } from '../../src/python/source.js';
import { applyEdits, sortEdits } from '../../src/fix/edits.js';
import { topLevelChunks } from '../../src/fix/chunks.js';
import { appendItems, relativeSpec, removeItems, removeStatement } from '../../src/fix/importText.js';
import { ImportOrder } from '../../src/fix/importOrder.js';
import { FileScopes } from '../../src/fix/scope.js';

describe('edits', () => {
  test('applied once, from the end; insertions at one offset keep their order', () => {
    const text = 'abcdef';
    expect(applyEdits(text, [{ start: 1, end: 2, text: 'X' }, { start: 4, end: 4, text: '1' }, { start: 4, end: 4, text: '2' }, { start: 6, end: 6, text: '!' }])).toBe('aXcd12ef!');
    expect(applyEdits(text, [])).toBe(text);
  });

  test('overlaps are refused', () => {
    expect(sortEdits([{ start: 0, end: 3, text: '' }, { start: 2, end: 4, text: '' }]).conflict).not.toBeNull();
    expect(sortEdits([{ start: 0, end: 3, text: '' }, { start: 1, end: 1, text: 'x' }]).conflict).not.toBeNull();
    // Touching ranges and an insertion at a boundary are fine.
    expect(sortEdits([{ start: 0, end: 3, text: '' }, { start: 3, end: 3, text: 'x' }, { start: 3, end: 5, text: '' }]).conflict).toBeNull();
    expect(() => applyEdits('abcdef', [{ start: 0, end: 3, text: '' }, { start: 2, end: 4, text: '' }])).toThrow(/overlapping/);
  });
});

describe('topLevelChunks', () => {
  const starts = (text: string): string[] => topLevelChunks(text).map((c) => text.slice(c.start, c.end));

  test('one chunk per top-level statement; decorators and else/except stay with theirs', () => {
    const text = 'import a\n@deco\ndef f(x=(\n1)):\n    """doc\nnot: a statement"""\n# comment at column 0\n    return x\ntry:\n    pass\nexcept E:\n    pass\nfinally:\n    pass\nx = [\n1]\n';
    expect(starts(text)).toEqual([
      'import a\n',
      '@deco\ndef f(x=(\n1)):\n    """doc\nnot: a statement"""\n# comment at column 0\n    return x\n',
      'try:\n    pass\nexcept E:\n    pass\nfinally:\n    pass\n',
      'x = [\n1]\n',
    ]);
  });

  test('strings of every prefix, f-string fields and continuations do not split', () => {
    const text = 'a = rb"x\\"" + f"{ {1: 2}[1]!r:>{w}}" + """\nb = 1\n"""\nc = 1 + \\\n2\nd = 1\n';
    expect(starts(text)).toEqual(['a = rb"x\\"" + f"{ {1: 2}[1]!r:>{w}}" + """\nb = 1\n"""\n', 'c = 1 + \\\n2\n', 'd = 1\n']);
  });

  test('an unterminated string makes one chunk; a BOM is skipped', () => {
    expect(topLevelChunks('a = "x\nb = 1\n')).toEqual([{ start: 0, end: 13 }]);
    expect(topLevelChunks('\xef\xbb\xbfa = 1\nb = 2\n')).toEqual([{ start: 3, end: 9 }, { start: 9, end: 15 }]);
  });
});

describe('FileScopes', () => {
  const scopes = (text: string): FileScopes => new FileScopes(text, sourceInfo(text));

  test('parameters, locals, comprehensions and class bodies shadow; globals do not', () => {
    const text = [
      'import m',
      'def f(m):',
      '    return m.X',
      'def g():',
      '    global m',
      '    return m.X',
      'def h(a=m.X):',
      '    return [m for m in a]',
      'class C:',
      '    m = 1',
      '    y = m',
      '    def meth(self):',
      '        return m.X',
      'lambda m: m',
      'print(m.X)',
      '',
    ].join('\n');
    const s = scopes(text).sites('m');
    const lines = text.split('\n');
    const at = (i: number): string => {
      let line = 0;
      for (let p = 0, k = 0; k < lines.length; p += lines[k].length + 1, k++) if (p <= i) line = k + 1;
      return `${line}:${s.find((x) => x.start === i)!.scope === null ? 'module' : 'local'}`;
    };
    expect(s.map((x) => at(x.start))).toEqual([
      '1:module', '2:local', '3:local', '5:module', '6:module', '7:module', '8:local', '8:local', '10:local', '11:local', '13:module', '14:local', '14:local', '15:module',
    ]);
  });

  test('non-ASCII identifiers parse, with byte offsets', () => {
    const text = Buffer.from('größe = 1\nprint(größe)\n', 'utf8').toString('latin1');
    const s = scopes(text).sites('größe');
    expect(s.map((x) => text.slice(x.start, x.end))).toEqual([Buffer.from('größe').toString('latin1'), Buffer.from('größe').toString('latin1')]);
  });

  test('a syntax error in a parsed chunk is reported', () => {
    const sc = scopes('import m\ndef f(:\n    m.X\n');
    sc.sites('m');
    expect(sc.errorAt).not.toBeNull();
  });
});

describe('layout-preserving removal', () => {
  const remove = (text: string, idx: number[]): string => {
    const st = lexImports(text).imports[0];
    return applyEdits(text, removeItems(text, st, new Set(idx)));
  };

  test('one name per line: the name goes with its comment and its line', () => {
    const t = 'from m import (\n    a,  # ca\n    b,\n    # about c\n    c,  # cc\n)\n';
    expect(remove(t, [0])).toBe('from m import (\n    b,\n    # about c\n    c,  # cc\n)\n');
    expect(remove(t, [2])).toBe('from m import (\n    a,  # ca\n    b,\n    # about c\n)\n');
    expect(remove(t, [1, 2])).toBe('from m import (\n    a,  # ca\n)\n');
  });

  test('on one line, with continuations, and inline parentheses', () => {
    expect(remove('from m import a, b, c\n', [1])).toBe('from m import a, c\n');
    expect(remove('from m import a, b, c\n', [2])).toBe('from m import a, b\n');
    expect(remove('from m import a, b, c\n', [0, 1])).toBe('from m import c\n');
    expect(remove('from m import a, \\\n    b\n', [1])).toBe('from m import a\n');
    expect(remove('from m import (a,  # ca\n    b)\n', [1])).toBe('from m import (a  # ca\n)\n');
    expect(remove('import a, b as c, d\n', [1])).toBe('import a, d\n');
  });

  test('appending keeps the layout', () => {
    const one = 'from m import (\n    a,\n    b,\n)\n';
    expect(applyEdits(one, appendItems(one, lexImports(one).imports[0], [{ text: 'c', comment: '  # cc' }], '\n'))).toBe('from m import (\n    a,\n    b,\n    c,  # cc\n)\n');
    const noComma = 'from m import (\n    a,\n    b\n)\n';
    expect(applyEdits(noComma, appendItems(noComma, lexImports(noComma).imports[0], [{ text: 'c', comment: '' }], '\n'))).toBe('from m import (\n    a,\n    b,\n    c\n)\n');
    const flat = 'from m import a as x\n';
    expect(applyEdits(flat, appendItems(flat, lexImports(flat).imports[0], [{ text: 'c', comment: '' }], '\n'))).toBe('from m import a as x, c\n');
  });

  test('a whole statement: with its line, after `;`, before `;`, or `pass` when alone in its block', () => {
    const rm = (text: string, k: number, sole = false): string => applyEdits(text, [removeStatement(text, lexImports(text).imports[k], sole)]);
    expect(rm('import a\nimport b  # gone\nx = 1\n', 1)).toBe('import a\nx = 1\n');
    expect(rm('import a; import b\n', 1)).toBe('import a\n');
    expect(rm('import b; x = 1\n', 0)).toBe('x = 1\n');
    expect(rm('if x: import b\n', 0)).toBe('if x: pass\n');
    expect(rm('def f():\n    import b\n', 0, true)).toBe('def f():\n    pass\n');
  });
});

test('relative spelling of a module from a file', () => {
  expect(relativeSpec('app.new', { name: 'app.consumer', isPackage: false })).toEqual({ level: 1, rest: 'new' });
  expect(relativeSpec('app.x.y', { name: 'app.pkg.deep', isPackage: false })).toEqual({ level: 2, rest: 'x.y' });
  expect(relativeSpec('app', { name: 'app.pkg', isPackage: true })).toEqual({ level: 2, rest: '' });
  expect(relativeSpec('other.x', { name: 'app.consumer', isPackage: false })).toBeNull();
  expect(relativeSpec('app.x', { name: 'top', isPackage: false })).toBeNull();
});

describe('import cycles', () => {
  const files: Record<string, string> = {
    'app/__init__.py': 'from app import a\n',
    'app/a.py': 'def f():\n    from app import b\n',
    'app/b.py': 'import app.c\n',
    'app/c.py': 'from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from app import d\ntry:\n    from app.e import thing\nexcept ImportError:\n    pass\n',
    'app/d.py': '',
    'app/e.py': 'from . import d\nfrom app.b import x\n',
  };
  const index = ModuleIndex.fromFiles(Object.keys(files), ['.']);
  const view = new ImportOrder(index, { read: (f) => files[f] ?? null });

  test('module-level imports count (also under try); function-level and TYPE_CHECKING ones do not', () => {
    expect(view.importTimeDeps('app.a')).toEqual([]);
    // `from app.e import thing` reads nothing from `app`, which has started before app.c runs.
    expect(view.importTimeDeps('app.c').sort()).toEqual(['app.e']);
    expect(view.cycle('app.b', 'app.c')).toEqual(['app.b', 'app.c', 'app.e', 'app.b']);
    expect(view.cycle('app.d', 'app.c')).toEqual(['app.d', 'app.c', 'app.e', 'app.d']);
    // Packages above the file are already imported when it runs: not a cycle.
    expect(view.cycle('app.a', 'app.c')).toBeNull();
  });
});
