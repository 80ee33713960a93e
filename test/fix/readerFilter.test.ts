// The cheap test before fix's look for readers of a dropped import (src/fix/readerFilter.ts): the
// shapes a reader can take, and, over the Python standard library taken as one project, that no
// file the analysis counts as a reader is ever turned away.

import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SymbolMove } from '../../src/config/types.js';
import { MoveTable } from '../../src/core/moveTable.js';
import { ReaderFilter } from '../../src/fix/readerFilter.js';
import { ModuleIndex } from '../../src/python/moduleIndex.js';
import { analyzeFile } from '../../src/scan/analyze.js';
import { pythonFiles, requirePythonPaths } from '../helpers/corpus.js';

describe('ReaderFilter: the shapes of a reader', () => {
  // `N` dropped from module app.core.legacy_mod (a plain module) and from app.pkg (a package).
  const filter = new ReaderFilter(
    [
      { module: 'app.core.legacy_mod', file: 'app/core/legacy_mod.py' },
      { module: 'app.pkg', file: 'app/pkg/__init__.py' },
    ],
    ['Thing'],
  );
  const may = (text: string, file = 'app/other.py', top: string | null = 'app'): boolean => filter.mayRead(file, text, () => top);

  it.each([
    ['from app.core.legacy_mod import Thing\n'],
    ['from app.core.legacy_mod import (\n    Thing,\n)\n'],
    ['import app.core.legacy_mod as lm\nlm.Thing\n'],
    ['import app.core.legacy_mod\napp.core.legacy_mod.Thing\n'],
    ['import app\nx = app.core.legacy_mod.Thing\n'],
    ['import app.core as c\nc.legacy_mod.Thing\n'],
    ['from app.core import legacy_mod\nlegacy_mod.Thing\n'],
    ['from app.core import (\n  other,\n  legacy_mod as lm,\n)\nlm.Thing\n'],
    ['from app import core\ncore.legacy_mod.Thing\n'],
    ['from app import *\ncore.legacy_mod.Thing\n'],
    ['from app.core.legacy_mod import *\n'],
    ['from app . core . legacy_mod import Thing\n'],
    ['from app.core \\\n  .legacy_mod import Thing\n'],
    ['patch("app.core.legacy_mod.Thing")\n'],
    ["patch('app.pkg.Thing')\n"],
    ['from app.pkg import Thing\n'],
    ['import app as a\na.core.legacy_mod.Thing\n'],
    // A chain over lines and comments inside brackets (found by a review).
    ['import app.core\nx = (app.core\n     .legacy_mod.Thing)\n'],
    ['import app.core\nx = (app.core.\n     legacy_mod.Thing)\n'],
    ['import app.core\nx = (app.core  # the old one\n     .legacy_mod.Thing)\n'],
    ['from app.core import (  # see f()\n    legacy_mod,\n)\nlegacy_mod.Thing\n'],
  ])('lets through %j', (text) => {
    expect(may(text)).toBe(true);
  });

  it('lets through a relative import of the module from its own top-level package', () => {
    expect(may('from .legacy_mod import Thing\n', 'app/core/sibling.py')).toBe(true);
    expect(may('from ..core.legacy_mod import Thing\n', 'app/sub/x.py')).toBe(true);
    // `from . import Thing` inside the package app.pkg: the file lies in its folder.
    expect(may('from . import Thing\n', 'app/pkg/inner.py')).toBe(true);
    // No space after `from`, or a continued line before the dot: still a relative import.
    expect(may('from.legacy_mod import Thing\n', 'app/core/sibling.py')).toBe(true);
    expect(may('from \\\n  .legacy_mod import Thing\n', 'app/core/sibling.py')).toBe(true);
  });

  it('reads non-ASCII names as the lexer holds the text: their UTF-8 bytes, one char each', () => {
    const f = new ReaderFilter([{ module: 'app.módulo', file: 'app/módulo.py' }], ['Cosa']);
    const latin1 = (s: string): string => Buffer.from(s, 'utf8').toString('latin1');
    expect(f.mayRead('app/x.py', latin1('from app.módulo import Cosa\n'), () => 'app')).toBe(true);
    expect(f.mayRead('app/x.py', latin1('from app.modulo import Cosa\n'), () => 'app')).toBe(false);
    const g = new ReaderFilter([{ module: 'app.mod', file: 'app/mod.py' }], ['Señal']);
    expect(g.mayRead('app/x.py', latin1('from app.mod import Señal\n'), () => 'app')).toBe(true);
  });

  it.each([
    ['Thing = 1\n'],
    ['import app.core.other\nThing = app.core.other.Thing\n'],
    ['from app.core import other\nother.Thing\n'],
    ['import app.core\nThing\n'],
    ['import myapp.core.legacy_mod\nmyapp.core.legacy_mod.Thing\n'],
    ['x = obj.app.core.legacy_mod.Thing\n'],
    ['from app.core.legacy_module import Thing\n'],
  ])('turns away %j', (text) => {
    expect(may(text)).toBe(false);
  });

  it('turns away a file without the names, and a relative import from another top-level package', () => {
    expect(may('from app.core.legacy_mod import Other\n')).toBe(false);
    expect(may('from .legacy_mod import Thing\n', 'lib/x.py', 'lib')).toBe(false);
    expect(may('from .legacy_mod import Thing\n', 'script.py', null)).toBe(false);
  });
});

describe('ReaderFilter over the standard library', () => {
  it('never turns away a file that the analysis counts as a reader', () => {
    const { stdlib } = requirePythonPaths();
    const abs = pythonFiles(stdlib, ['site-packages', 'dist-packages', '__pycache__']);
    const files = abs.map((f) => relative(stdlib, f).split('\\').join('/'));
    const index = ModuleIndex.fromFiles(files, ['.']);
    // Every 9th module with a package above it, and the names its file binds at the top (the
    // names other modules import from it).
    const modules: { module: string; file: string }[] = [];
    const moves: SymbolMove[] = [];
    for (let i = 0; i < files.length; i += 9) {
      const self = index.ofFile(files[i]!);
      if (!self || !self.name.includes('.')) continue;
      const text = readFileSync(abs[i]!, 'latin1');
      const names = [...text.matchAll(/^(?:def|class) ([A-Za-z_]\w*)|^([A-Za-z_]\w*) =/gm)].map((m) => m[1] ?? m[2]!).slice(0, 4);
      if (names.length === 0) continue;
      modules.push({ module: self.name, file: files[i]! });
      for (const name of names) {
        moves.push({ kind: 'symbol', index: moves.length, id: `${self.name}:${name}`, fromModule: self.name, fromName: name, toModule: self.name, toName: name });
      }
    }
    expect(modules.length).toBeGreaterThan(100);
    const filter = new ReaderFilter(modules, [...new Set(moves.map((m) => m.fromName))]);
    const table = new MoveTable(moves);
    let readers = 0;
    let passed = 0;
    const missed: string[] = [];
    for (let i = 0; i < files.length; i++) {
      const file = files[i]!;
      const text = readFileSync(abs[i]!, 'latin1');
      const may = filter.mayRead(file, text, () => index.ofFile(file)?.name.split('.')[0] ?? null);
      if (may) passed++;
      const reads = analyzeFile(file, text, { table, index }).some((f) => f.kind === 'legacy-import' || f.kind === 'string-reference');
      if (reads) readers++;
      if (reads && !may) missed.push(file);
    }
    expect(missed).toEqual([]);
    // Honest on both sides: there are readers to find, and the filter turns most files away.
    expect(readers).toBeGreaterThan(50);
    expect(passed).toBeLessThan(files.length / 2);
  }, 120_000);
});
