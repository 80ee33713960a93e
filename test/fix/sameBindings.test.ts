// The pre-write check that every name a file uses keeps its meaning (src/fix/sameBindings.ts):
// rewrites canon once produced (issue 12) are injected as edits and must be caught; correct ones,
// which only respell a path through the moves, must pass.

import { describe, expect, test } from 'vitest';
import type { Move } from '../../src/config/types.js';
import { MoveTable } from '../../src/core/moveTable.js';
import { applyEdits, type Edit } from '../../src/fix/edits.js';
import { sameBindings } from '../../src/fix/sameBindings.js';
import { lexImports } from '../../src/python/lexer.js';

/** Edits as [old text, new text] pairs, each replacing the first occurrence after the previous one. */
function check(before: string, replace: [string, string][], moves: Move[]): string | null {
  const edits: Edit[] = [];
  let from = 0;
  for (const [old, now] of replace) {
    const at = before.indexOf(old, from);
    if (at < 0) throw new Error(`no ${old}`);
    edits.push({ start: at, end: at + old.length, text: now });
    from = at + old.length;
  }
  const after = applyEdits(before, edits);
  return sameBindings({
    before, after, edits, beforeImports: lexImports(before).imports, afterImports: lexImports(after).imports,
    self: { name: 'app.consumer', isPackage: false }, table: new MoveTable(moves),
  });
}

const symbol = (from: string, to: string): Move => {
  const [fm, fn] = from.split(':');
  const [tm, tn] = to.split(':');
  return { kind: 'symbol', index: 0, id: from, fromModule: fm, fromName: fn, toModule: tm, toName: tn };
};
const module = (from: string, to: string): Move => ({ kind: 'module', index: 0, id: from, fromModule: from, toModule: to });

describe('caught: a rewrite that changes what a name means', () => {
  test('a module move that leaves a use of the old name unbound (`import foo` -> `import quux.foo`, `foo.baz()`)', () => {
    expect(check('import foo\n\nfoo.baz()\n', [['foo', 'quux.foo']], [module('foo', 'quux.foo')])).toBe(
      'the rewrite would change what a name means (a bug in canon; the file is left as it was): `foo.baz` at line 3 meant quux.foo.baz; after it, `foo.baz` at line 3 would mean <unbound>.baz',
    );
  });

  test('a symbol move that binds a module name to another module (`from pkg import sql` -> `import pkg as sql`)', () => {
    expect(check('from pkg import sql\n\nprint(sql.column(1))\n', [['from pkg import sql', 'import pkg as sql']], [symbol('pkg.sql:column', 'pkg:column')])).toBe(
      'the rewrite would bind `sql` (at module level) to pkg instead of pkg.sql (a bug in canon); the file is left as it was',
    );
  });

  test('an import removed while a function still uses it', () => {
    const text = 'import app.old as m\n\nprint(m.X)\n\n\ndef f():\n    return m.W\n';
    expect(check(text, [['import app.old as m', 'from app import new'], ['m.X', 'new.X']], [symbol('app.old:X', 'app.new:X')])).toBe(
      'the rewrite would change what a name means (a bug in canon; the file is left as it was): `m.W` at line 7 meant app.old.W; after it, `m.W` at line 7 would mean <unbound>.W',
    );
  });

  test('a new binding that a local name shadows where the rewritten use is', () => {
    const text = 'import app.old as m\n\n\ndef f(new):\n    return m.X, new\n';
    expect(check(text, [['import app.old as m', 'from app import new'], ['m.X', 'new.X']], [symbol('app.old:X', 'app.new:X')])).toBe(
      'the rewrite would change what a name means (a bug in canon; the file is left as it was): `m.X` at line 5 meant app.new.X; after it, `new.X` at line 5 would mean <local>.X',
    );
  });

  test('a use respelled to the wrong module', () => {
    expect(check('import app.old as m\n\nprint(m.X)\n', [['import app.old as m', 'import app.other as m']], [symbol('app.old:X', 'app.new:X')])).toBe(
      'the rewrite would bind `m` (at module level) to app.other instead of app.old (a bug in canon); the file is left as it was',
    );
  });
});

describe('passed: rewrites that respell paths through the moves', () => {
  test('a from-import rewritten in place, split, or merged', () => {
    const moves = [symbol('app.old:X', 'app.new:X'), symbol('app.old:Y', 'app.new:Y')];
    expect(check('from app.old import X\n\nprint(X)\n', [['app.old', 'app.new']], moves)).toBeNull();
    expect(check('from app.old import W, X\n\nprint(X, W)\n', [[', X', ''], ['\n', '\nfrom app.new import X\n']], moves)).toBeNull();
    expect(check('def f():\n    from app.old import X\n    return X\n', [['app.old', 'app.new']], moves)).toBeNull();
  });

  test('uses moved through a new binding of the canonical module; the old one kept for the rest', () => {
    const moves = [symbol('pkg.sql:column', 'pkg:column')];
    expect(check('from pkg import sql\n\nprint(sql.column(1), sql.other())\n', [['from pkg import sql', 'from pkg import sql\nimport pkg'], ['sql.column', 'pkg.column']], moves)).toBeNull();
    expect(check('from pkg import sql\n\n\ndef f():\n    return sql.column(1)\n', [['from pkg import sql', 'import pkg'], ['sql.column', 'pkg.column']], moves)).toBeNull();
  });

  test('a module move: aliases rebound to the moved module, base names respelled', () => {
    expect(check('import app.legacy as m\n\nprint(m.X)\n', [['app.legacy', 'app.canonical']], [module('app.legacy', 'app.canonical')])).toBeNull();
    expect(check('import foo\n\nfoo.baz()\nprint(foo)\n', [['foo', 'quux.foo'], ['foo', 'quux.foo'], ['foo', 'quux.foo']], [module('foo', 'quux.foo')])).toBeNull();
  });
});
