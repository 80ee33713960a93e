// Unit tests for canon's Python import lexer (src/python/lexer.ts).
// Sources are written as JS strings, encoded to UTF-8 and handed to the lexer as latin1 strings,
// exactly as canon reads files, so every offset below is a byte offset.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { lexImports, lexPython, type FullLexResult, type LexOptions } from '../../src/python/lexer.js';
import { StmtKind, type ImportStmt } from '../../src/python/records.js';
import { pythonPaths } from '../helpers/corpus.js';
import { rng } from '../helpers/rng.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'lexer');

/** JS (Unicode) source -> the latin1 "byte string" canon lexes. */
const bytes = (src: string): string => Buffer.from(src, 'utf8').toString('latin1');
/** Byte string -> Unicode, for comparing slices of non-ASCII text. */
const utf8 = (text: string): string => Buffer.from(text, 'latin1').toString('utf8');

interface Lexed extends FullLexResult {
  text: string;
}

function lex(src: string, opts: LexOptions = {}): Lexed {
  const text = bytes(src);
  const r = lexPython(text, opts);
  checkSane(text, r);
  return { text, ...r };
}

type NameSummary = string | [string, string];

/** A readable summary of one statement: its source text and what the lexer made of it. */
function sum(text: string, st: ImportStmt) {
  return {
    text: utf8(text.slice(st.start, st.end)),
    kind: st.kind === StmtKind.Import ? 'import' : 'from',
    module: st.module,
    level: st.level,
    names: st.names.map((n): NameSummary => (n.asname === null ? n.name : [n.name, n.asname])),
    indent: st.indent,
    inline: st.inline,
  };
}

function imports(src: string) {
  const r = lex(src);
  return r.imports.map((st) => sum(r.text, st));
}

/** Remove whitespace and `\`-newline continuations from a span of source. */
const squeeze = (s: string): string => s.replace(/\\(\r\n|\r|\n)/g, '').replace(/[ \t\f\r\n]/g, '');

/** A cheap assertion: checkSane runs on many thousands of inputs, where `expect` is too slow. */
function ok(cond: boolean, what: string, text: string): void {
  if (!cond) throw new Error(`insane lexer output: ${what}\n--- input (${text.length} bytes) ---\n${JSON.stringify(text.slice(0, 400))}`);
}

/**
 * Invariants every lexer result must satisfy, whatever the input: offsets within the text and
 * ordered, spans that spell the names they claim, no overlapping statements.
 */
function checkSane(text: string, r: FullLexResult): void {
  const len = text.length;
  const span = (a: number, b: number, what: string) =>
    ok(Number.isInteger(a) && Number.isInteger(b) && a >= 0 && a <= b && b <= len, `${what} span [${a}, ${b})`, text);
  let last = -1;
  for (const st of r.imports) {
    span(st.start, st.end, 'statement');
    ok(st.start >= last, 'statements in order', text);
    last = st.end;
    const kw = st.kind === StmtKind.Import ? 'import' : 'from';
    ok(text.startsWith(kw, st.start), `statement starts with ${kw}`, text);
    ok(st.lineStart <= st.start, 'lineStart', text);
    ok(st.lineStart === 0 || text[st.lineStart - 1] === '\n' || text[st.lineStart - 1] === '\r', 'lineStart after a line break', text);
    ok(st.indent >= 0 && st.level >= 0 && st.names.length > 0, 'indent, level, names', text);
    if (st.kind === StmtKind.From) {
      span(st.moduleStart, st.moduleEnd, 'module');
      ok(squeeze(utf8(text.slice(st.moduleStart, st.moduleEnd))) === '.'.repeat(st.level) + st.module, 'module span spells dots + module', text);
      ok(st.level > 0 || st.module !== '', 'a module or a level', text);
      if (st.parenStart >= 0) {
        span(st.parenStart, st.parenEnd, 'parens');
        ok(text[st.parenStart] === '(' && text[st.parenEnd - 1] === ')' && st.parenEnd === st.end, 'paren span', text);
      } else ok(st.parenEnd === -1, 'no paren span', text);
    } else {
      ok(st.module === '' && st.level === 0 && st.moduleStart === -1 && st.moduleEnd === -1, 'import: no module', text);
      ok(st.parenStart === -1 && st.parenEnd === -1, 'import: no parens', text);
    }
    let prev = st.start;
    for (const n of st.names) {
      span(n.start, n.end, 'name');
      ok(n.start >= prev && n.name.length > 0, 'names in order', text);
      ok(squeeze(utf8(text.slice(n.start, n.end))) === n.name, `name span spells ${n.name}`, text);
      ok(n.itemStart === n.start, 'itemStart', text);
      if (n.asname === null) ok(n.asStart === -1 && n.asEnd === -1 && n.itemEnd === n.end, 'no alias', text);
      else {
        span(n.asStart, n.asEnd, 'alias');
        ok(utf8(text.slice(n.asStart, n.asEnd)) === n.asname && n.itemEnd === n.asEnd, 'alias span', text);
      }
      ok(n.itemEnd <= st.end, 'item inside statement', text);
      prev = n.itemEnd;
    }
  }
  let lastS = -1;
  for (const s of r.strings) {
    span(s.start, s.end, 'string');
    ok(s.start >= lastS, 'strings in order', text);
    lastS = s.end;
    ok(text.slice(s.start, s.end).includes(s.value), 'string content inside its span', text);
    ok(/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+$/.test(s.value), 'string is a dotted path', text);
  }
  let lastA = -1;
  for (const a of r.attrs) {
    span(a.start, a.end, 'attr');
    ok(a.start >= lastA, 'attrs in order', text);
    lastA = a.end;
    ok(squeeze(utf8(text.slice(a.start, a.end))) === [a.base, ...a.attrs].join('.'), 'attr span spells the chain', text);
  }
  ok(r.problems.length <= 100, 'problems capped', text);
  for (const p of r.problems) ok(p.start >= 0 && p.start <= len && typeof p.message === 'string', 'problem', text);
}

// ------------------------------------------------------------------------------------------------

describe('import statements', () => {
  test('import a', () => {
    const r = lex('import a\n');
    expect(r.imports).toHaveLength(1);
    const st = r.imports[0]!;
    expect(st.kind).toBe(StmtKind.Import);
    expect(r.text.slice(st.start, st.end)).toBe('import a');
    expect(st.module).toBe('');
    expect(st.level).toBe(0);
    expect(st.moduleStart).toBe(-1);
    expect(st.moduleEnd).toBe(-1);
    expect(st.parenStart).toBe(-1);
    expect(st.lineStart).toBe(0);
    expect(st.indent).toBe(0);
    expect(st.inline).toBe(false);
    const n = st.names[0]!;
    expect(n).toEqual({ name: 'a', start: 7, end: 8, asname: null, asStart: -1, asEnd: -1, itemStart: 7, itemEnd: 8 });
    expect(r.problems).toEqual([]);
  });

  test('import a at end of file without newline', () => {
    const r = lex('import a');
    expect(r.imports.map((s) => r.text.slice(s.start, s.end))).toEqual(['import a']);
  });

  test('import a.b as c, d', () => {
    const r = lex('import a.b as c, d  # comment\n');
    const st = r.imports[0]!;
    expect(r.text.slice(st.start, st.end)).toBe('import a.b as c, d');
    const [ab, d] = st.names;
    expect(ab!.name).toBe('a.b');
    expect(r.text.slice(ab!.start, ab!.end)).toBe('a.b');
    expect(ab!.asname).toBe('c');
    expect(r.text.slice(ab!.asStart, ab!.asEnd)).toBe('c');
    expect(r.text.slice(ab!.itemStart, ab!.itemEnd)).toBe('a.b as c');
    expect(d!.name).toBe('d');
    expect(r.text.slice(d!.itemStart, d!.itemEnd)).toBe('d');
    expect(d!.asname).toBeNull();
  });

  test('odd spacing inside dotted names', () => {
    const r = lex('import a . b .c as  d\n');
    const n = r.imports[0]!.names[0]!;
    expect(n.name).toBe('a.b.c');
    expect(r.text.slice(n.start, n.end)).toBe('a . b .c');
    expect(r.text.slice(n.itemStart, n.itemEnd)).toBe('a . b .c as  d');
  });

  test('from a.b import X', () => {
    const r = lex('from a.b import X\n');
    const st = r.imports[0]!;
    expect(st.kind).toBe(StmtKind.From);
    expect(r.text.slice(st.start, st.end)).toBe('from a.b import X');
    expect(st.module).toBe('a.b');
    expect(st.level).toBe(0);
    expect(r.text.slice(st.moduleStart, st.moduleEnd)).toBe('a.b');
    expect(st.parenStart).toBe(-1);
    expect(st.parenEnd).toBe(-1);
    expect(st.names.map((n) => [n.name, r.text.slice(n.itemStart, n.itemEnd)])).toEqual([['X', 'X']]);
  });

  test('from a.b import X as Y, Z', () => {
    const r = lex('from a.b import X as Y, Z\n');
    const st = r.imports[0]!;
    expect(r.text.slice(st.start, st.end)).toBe('from a.b import X as Y, Z');
    const [x, z] = st.names;
    expect([x!.name, x!.asname, r.text.slice(x!.asStart, x!.asEnd), r.text.slice(x!.itemStart, x!.itemEnd)]).toEqual([
      'X', 'Y', 'Y', 'X as Y',
    ]);
    expect([z!.name, z!.asname]).toEqual(['Z', null]);
  });

  test('parenthesized multi-line list with comments and a trailing comma', () => {
    const src = [
      'from a.b import (  # why',
      '    X,  # first',
      '    Y as Z,',
      '    # a whole-line comment',
      '',
      '    W,',
      ')',
      'import after',
      '',
    ].join('\n');
    const r = lex(src);
    const st = r.imports[0]!;
    expect(r.text.slice(st.start, st.end)).toBe(src.slice(0, src.indexOf(')') + 1));
    expect(r.text.slice(st.parenStart, st.parenEnd)).toBe(src.slice(src.indexOf('('), src.indexOf(')') + 1));
    expect(st.end).toBe(st.parenEnd);
    expect(st.names.map((n) => [n.name, n.asname])).toEqual([['X', null], ['Y', 'Z'], ['W', null]]);
    expect(st.names.map((n) => r.text.slice(n.itemStart, n.itemEnd))).toEqual(['X', 'Y as Z', 'W']);
    expect(sum(r.text, r.imports[1]!)).toMatchObject({ text: 'import after', indent: 0, inline: false });
    expect(r.imports[1]!.lineStart).toBe(src.indexOf('import after'));
  });

  test('parenthesized list on one line, no trailing comma, and `import(`', () => {
    expect(imports('from m import(a, b as c)\n')).toEqual([
      { text: 'from m import(a, b as c)', kind: 'from', module: 'm', level: 0, names: ['a', ['b', 'c']], indent: 0, inline: false },
    ]);
  });

  test('from . import X', () => {
    const r = lex('from . import X\n');
    const st = r.imports[0]!;
    expect([st.module, st.level]).toEqual(['', 1]);
    expect(r.text.slice(st.moduleStart, st.moduleEnd)).toBe('.');
    expect(r.text.slice(st.start, st.end)).toBe('from . import X');
  });

  test('from ..b import X', () => {
    const r = lex('from ..b import X\n');
    const st = r.imports[0]!;
    expect([st.module, st.level]).toEqual(['b', 2]);
    expect(r.text.slice(st.moduleStart, st.moduleEnd)).toBe('..b');
  });

  test('from .. import (a, b)', () => {
    const r = lex('from .. import (a, b)\n');
    const st = r.imports[0]!;
    expect([st.module, st.level]).toEqual(['', 2]);
    expect(r.text.slice(st.moduleStart, st.moduleEnd)).toBe('..');
    expect(r.text.slice(st.parenStart, st.parenEnd)).toBe('(a, b)');
    expect(st.names.map((n) => n.name)).toEqual(['a', 'b']);
  });

  test('more dots: `...` is an ellipsis token but counts as three levels', () => {
    expect(imports('from ... import a\nfrom ...b.c import d\nfrom .... e import f\nfrom .import g\n').map((s) => [s.module, s.level, s.names])).toEqual([
      ['', 3, ['a']],
      ['b.c', 3, ['d']],
      ['e', 4, ['f']],
      ['', 1, ['g']],
    ]);
  });

  test('star import', () => {
    const r = lex('from a.b import *\n');
    const st = r.imports[0]!;
    expect(r.text.slice(st.start, st.end)).toBe('from a.b import *');
    const n = st.names[0]!;
    expect(n.name).toBe('*');
    expect(r.text.slice(n.start, n.end)).toBe('*');
    expect(n.asname).toBeNull();
  });

  test('keywords are whole words', () => {
    expect(imports('importer = 1\nfromage = 2\nimport_x()\nfrom_y = 3\nimportlib.reload(x)\n')).toEqual([]);
    expect(imports('from importlib import import_module\n')[0]).toMatchObject({ module: 'importlib', names: ['import_module'] });
    expect(imports('import asyncio as aio\n')[0]!.names).toEqual([['asyncio', 'aio']]);
    expect(imports('from a import ask, asname as as_\n')[0]!.names).toEqual(['ask', ['asname', 'as_']]);
  });
});

describe('where statements are', () => {
  test('nested in def / class / if TYPE_CHECKING / try-except, with indentation', () => {
    const src = [
      'from typing import TYPE_CHECKING',
      'if TYPE_CHECKING:',
      '    from a import A',
      'class C:',
      '    import b',
      '    def f(self):',
      '        from c import (',
      '            d,',
      '        )',
      'try:',
      '    import e',
      'except ImportError:',
      '    e = None',
      'else:',
      '  import g',
      'finally:',
      '        import h',
      '',
    ].join('\n');
    expect(imports(src).map((s) => [s.text, s.indent, s.inline])).toEqual([
      ['from typing import TYPE_CHECKING', 0, false],
      ['from a import A', 4, false],
      ['import b', 4, false],
      ['from c import (\n            d,\n        )', 8, false],
      ['import e', 4, false],
      ['import g', 2, false],
      ['import h', 8, false],
    ]);
  });

  test('lineStart is the start of the physical line', () => {
    const src = 'x = 1\n    import a\nif y: import b\n';
    const r = lex(src);
    expect(r.imports.map((s) => s.lineStart)).toEqual([6, src.indexOf('if y')]);
  });

  test('if x: import y is inline', () => {
    expect(imports('if x: import y\n')).toEqual([
      { text: 'import y', kind: 'import', module: '', level: 0, names: ['y'], indent: 0, inline: true },
    ]);
    expect(imports('def f():\n    if x: from a import b\n')[0]).toMatchObject({ text: 'from a import b', indent: 4, inline: true });
    expect(imports('try: import a\nexcept: a = None\nelse: import b\n').map((s) => [s.text, s.inline])).toEqual([
      ['import a', true],
      ['import b', true],
    ]);
    expect(imports('class A: import b\nwhile True: import c; break\n').map((s) => s.text)).toEqual(['import b', 'import c']);
  });

  test('a block colon, then a comment, then the body on the next line: not inline', () => {
    expect(imports('if x:  # comment\n    import y\n')[0]).toMatchObject({ indent: 4, inline: false });
  });

  test('walrus and annotations do not start statements', () => {
    expect(imports('if (n := 1): import a\nx: int = 1\n').map((s) => s.text)).toEqual(['import a']);
    expect(imports('if n := f(): import a\n').map((s) => s.text)).toEqual(['import a']);
  });

  test('`;`-separated statements', () => {
    expect(imports('import a; x = 1\n')).toEqual([
      { text: 'import a', kind: 'import', module: '', level: 0, names: ['a'], indent: 0, inline: false },
    ]);
    expect(imports('x = 1; import a\n')).toEqual([
      { text: 'import a', kind: 'import', module: '', level: 0, names: ['a'], indent: 0, inline: true },
    ]);
    expect(imports('import a;import b ; from c import d;\n').map((s) => [s.text, s.inline])).toEqual([
      ['import a', false],
      ['import b', true],
      ['from c import d', true],
    ]);
    // A `;` inside brackets is not a statement separator.
    expect(imports('x = [1; import a]\n')).toEqual([]);
  });

  test('backslash continuations', () => {
    const r = lex('from a \\\n    import b, \\\n  c as \\\n d\nimport e, \\\n    f\n');
    expect(r.imports.map((s) => sum(r.text, s)).map((s) => [s.text, s.module, s.names])).toEqual([
      ['from a \\\n    import b, \\\n  c as \\\n d', 'a', ['b', ['c', 'd']]],
      ['import e, \\\n    f', '', ['e', 'f']],
    ]);
    const n = r.imports[0]!.names[1]!;
    expect(r.text.slice(n.itemStart, n.itemEnd)).toBe('c as \\\n d');
    // Statements after a continued line start where they should.
    const r2 = lex('x = 1 + \\\n  2\nimport a\n');
    expect(r2.imports.map((s) => [r2.text.slice(s.start, s.end), s.indent, s.lineStart])).toEqual([['import a', 0, 14]]);
    // A continued line does not start a statement.
    expect(imports('x = \\\nimport_me\n')).toEqual([]);
  });

  test('backslash continuations with CRLF', () => {
    const src = 'from a \\\r\n    import b, \\\r\n  c\r\nimport d.\\\r\ne\r\n';
    expect(imports(src).map((s) => [s.text, s.names])).toEqual([
      ['from a \\\r\n    import b, \\\r\n  c', ['b', 'c']],
      ['import d.\\\r\ne', ['d.e']],
    ]);
  });

  test('CRLF files', () => {
    const src = 'import a\r\nif x:\r\n    from b import (\r\n        c,\r\n    )\r\n    import d\r\n';
    const r = lex(src);
    expect(r.imports.map((s) => [r.text.slice(s.start, s.end), s.indent, s.lineStart])).toEqual([
      ['import a', 0, 0],
      ['from b import (\r\n        c,\r\n    )', 4, 17],
      ['import d', 4, src.indexOf('    import d')],
    ]);
  });

  test('old Mac line endings (lone CR) end lines too', () => {
    const r = lex('import a\rif x:\r  import b\r');
    expect(r.imports.map((s) => [r.text.slice(s.start, s.end), s.indent, s.inline])).toEqual([
      ['import a', 0, false],
      ['import b', 2, false],
    ]);
  });

  test('tabs and form feeds', () => {
    expect(imports('if x:\n\timport a\n\t\tfrom b import c\n').map((s) => [s.text, s.indent])).toEqual([
      ['import a', 1],
      ['from b import c', 2],
    ]);
    expect(imports('\fimport a\nimport\tb\tas\tc\n').map((s) => [s.text, s.names, s.indent])).toEqual([
      ['import a', ['a'], 1],
      ['import\tb\tas\tc', [['b', 'c']], 0],
    ]);
  });

  test('BOM at file start', () => {
    const r = lex('\uFEFFimport a\nimport b\n');
    expect(r.text.charCodeAt(0)).toBe(0xef);
    expect(r.imports.map((s) => [s.start, r.text.slice(s.start, s.end), s.indent])).toEqual([
      [3, 'import a', 0],
      [12, 'import b', 0],
    ]);
    expect(r.imports[0]!.lineStart).toBe(0);
    expect(lex('\uFEFF').imports).toEqual([]);
    expect(lex('\uFEFF# comment\nfrom x import y').imports).toHaveLength(1);
  });

  test('unicode identifiers are decoded from UTF-8; spans stay byte offsets', () => {
    const src = 'import café.ñandú as émigré\nfrom π import (Σ as σ, 名前)\nx = 1; import 日本\n';
    const r = lex(src);
    expect(r.imports.map((s) => sum(r.text, s)).map((s) => [s.text, s.module, s.names])).toEqual([
      ['import café.ñandú as émigré', '', [['café.ñandú', 'émigré']]],
      ['from π import (Σ as σ, 名前)', 'π', [['Σ', 'σ'], '名前']],
      ['import 日本', '', ['日本']],
    ]);
    const n = r.imports[0]!.names[0]!;
    expect(n.start).toBe(7);
    expect(n.end).toBe(7 + Buffer.byteLength('café.ñandú'));
    expect(r.text.slice(n.asStart, n.asEnd)).toBe(bytes('émigré'));
    expect(r.imports[1]!.start).toBe(Buffer.byteLength('import café.ñandú as émigré\n'));
  });
});

describe('things that are not imports', () => {
  test('yield from / raise from / await-style uses of `from`', () => {
    expect(
      imports(
        [
          'def g():',
          '    yield from x',
          '    x = yield from y',
          '    raise A from B',
          '    raise A from None',
          '    return (yield from z)',
          '',
        ].join('\n'),
      ),
    ).toEqual([]);
  });

  test('`import`/`from` as attribute or in expressions', () => {
    expect(imports('x.import_ = 1\nx = __import__("os")\nimportlib.import_module("a")\n')).toEqual([]);
  });

  test('strings, docstrings and comments', () => {
    const src = [
      '"""Docstring',
      'import doc',
      'from doc import x',
      '"""',
      "'''import also_doc'''",
      '# import comment',
      'x = "import s1"  # from c import d',
      "y = 'from s2 import z'",
      's = """',
      '  import in_triple """ ; import real1',
      "t = '''it''s''' ; import real2",
      'u = "a \\" import esc" ; import real3',
      'v = "" ; import real4',
      "w = '\\\\' ; import real5",
      '',
    ].join('\n');
    expect(imports(src).map((s) => s.text)).toEqual(['import real1', 'import real2', 'import real3', 'import real4', 'import real5']);
  });

  test('string prefixes', () => {
    const src = [
      'a = r"import x" ; import p1',
      'b = R"\\" import x" ; import p2',
      'c = u"import x" ; import p3',
      'd = U"import x"; import p4',
      'e = rb"import x"; import p5',
      'f = Br"\\"import x"; import p6',
      'g = b"import x"; import p7',
      'h = BR"""import x\n"""; import p8',
      'rb = 1; import p9',
      '',
    ].join('\n');
    expect(imports(src).map((s) => s.text)).toEqual([
      'import p1', 'import p2', 'import p3', 'import p4', 'import p5', 'import p6', 'import p7', 'import p8', 'import p9',
    ]);
  });

  test('raw strings: `\\"` does not end the string', () => {
    expect(imports('x = r"\\" import no" ; import yes\n').map((s) => s.text)).toEqual(['import yes']);
    expect(imports("x = r'\\\\'\nimport yes\n").map((s) => s.text)).toEqual(['import yes']);
    expect(imports('x = r"""\\""" import no""" ; import yes\n').map((s) => s.text)).toEqual(['import yes']);
  });

  test('byte strings', () => {
    expect(imports("x = b'import no' ; import yes\ny = b'''\nimport no\n'''\nimport yes2\n").map((s) => s.text)).toEqual([
      'import yes',
      'import yes2',
    ]);
  });

  test('f-strings', () => {
    const src = [
      'a = f"import no {x} import no" ; import y1',
      "b = f'{d[\"k\"]} import no' ; import y2",
      'c = f"{d[\'}\']} import no" ; import y3',
      'd = f"{x:\'>10} import no" ; import y4',
      'e = f"{x:{w}.{p}f} import no" ; import y5',
      'g = f"{{import no}}" ; import y6',
      'h = f"{{" ; import y7',
      'i = f"}}{x!r}{y=}" ; import y8',
      'j = f"{ {\'a\': 1}[\'a\'] }" ; import y9',
      'k = f"{(lambda q: q)(1)}" ; import y10',
      "l = f'''{x}\nimport no\n{y:>{w}}''' ; import y11",
      'm = rf"\\{x}" ; import y12',
      'n = f"{f\'{x}\'} import no" ; import y13',
      'o = F"{x!s:^{w}}" fR"{y}" ; import y14',
      '',
    ].join('\n');
    expect(imports(src).map((s) => s.text)).toEqual([
      'import y1', 'import y2', 'import y3', 'import y4', 'import y5', 'import y6', 'import y7',
      'import y8', 'import y9', 'import y10', 'import y11', 'import y12', 'import y13', 'import y14',
    ]);
  });

  test('Python 3.12 f-strings: reused quotes, multi-line fields, comments in fields', () => {
    const src = [
      'a = f"{d["k"]} import no" ; import y1',
      'b = f"{", ".join([',
      "    'x',  # don't stop here",
      '    "y",',
      '])} import no" ; import y2',
      'c = f"""{',
      '    x  # a comment } with a brace',
      '}""" ; import y3',
      'd = f"{\'\\n\'.join(z)}" ; import y4',
      '',
    ].join('\n');
    expect(imports(src).map((s) => s.text)).toEqual(['import y1', 'import y2', 'import y3', 'import y4']);
  });

  test('Python 3.14 t-strings', () => {
    expect(imports('a = t"{d["k"]} import no" ; import y1\nb = tr"\\{x}" ; import y2\n').map((s) => s.text)).toEqual([
      'import y1',
      'import y2',
    ]);
  });
});

describe('strings option', () => {
  function strs(src: string) {
    const r = lex(src, { strings: true });
    return r.strings.map((s) => [s.value, utf8(r.text.slice(s.start, s.end))]);
  }

  test('dotted-path literals, with content and span', () => {
    const src = 'a = "os.path.join"\nb = \'pkg.mod.Class\'\nc = r"x.y"\nd = u"p.q"\ne = """m.n"""\nf = (\'j.k\')\n';
    expect(strs(src)).toEqual([
      ['os.path.join', '"os.path.join"'],
      ['pkg.mod.Class', "'pkg.mod.Class'"],
      ['x.y', 'r"x.y"'],
      ['p.q', 'u"p.q"'],
      ['m.n', '"""m.n"""'],
      ['j.k', "'j.k'"],
    ]);
    const r = lex('x = "a.b"', { strings: true });
    expect(r.strings).toEqual([{ start: 4, end: 9, value: 'a.b' }]);
  });

  test('only dotted paths', () => {
    expect(strs('x = ["ab", "a.", ".a", "a..b", "1a.b", "a.1b", "a b.c", "a.b ", "", "a.b-c", "é.b"]\n')).toEqual([]);
    expect(strs('x = "a.b1._c"\n')).toEqual([['a.b1._c', '"a.b1._c"']]);
  });

  test('none from f-strings, byte strings, strings with backslashes, comments', () => {
    expect(
      strs(
        [
          'a = f"a.b"',
          'b = b"a.b"',
          'c = rb"a.b"',
          'd = "a.\\b"',
          'e = r"a\\.b"',
          "f = f\"{x['a.b']}\"",
          "g = f'{x:{\"a.b\"}}'",
          '# "a.b"',
          '',
        ].join('\n'),
      ),
    ).toEqual([]);
  });

  test('docstrings and import statements are not affected', () => {
    const r = lex('"""a.b"""\nimport a.b\nx = "c.d"\n', { strings: true });
    expect(r.strings.map((s) => s.value)).toEqual(['a.b', 'c.d']);
    expect(r.imports).toHaveLength(1);
  });

  test('prefixes: the span starts at the prefix; Python 2 `ur`; not t-strings', () => {
    expect(strs('a = ur"a.b"\nb = Rb"a.b"\nc = t"a.b"\nd = tr"a.b"\n')).toEqual([['a.b', 'ur"a.b"']]);
    expect(strs('\uFEFFr"a.b"\n')).toEqual([['a.b', 'r"a.b"']]);
    // An identifier of three or more letters is not a prefix (Python 2 `print"a.b"`).
    expect(strs('print"a.b"\nxrb"c.d"\n')).toEqual([
      ['a.b', '"a.b"'],
      ['c.d', '"c.d"'],
    ]);
  });

  test('off by default', () => {
    expect(lexImports('x = "a.b"').strings).toEqual([]);
  });
});

describe('watch option', () => {
  function refs(src: string, names: string[] = ['m']) {
    const r = lex(src, { watch: new Set(names) });
    return r.attrs.map((a) => [a.base, a.attrs, utf8(r.text.slice(a.start, a.end))]);
  }

  test('m.X.y is reported with its span', () => {
    expect(refs('m.X.y()\n')).toEqual([['m', ['X', 'y'], 'm.X.y']]);
    const r = lex('z = m.X\n', { watch: new Set(['m']) });
    expect(r.attrs).toEqual([{ start: 4, end: 7, base: 'm', attrs: ['X'] }]);
  });

  test('not obj.m.X, not a bare m, not other names', () => {
    expect(refs('obj.m.X\nm\nmm.X\nam.X\nm_.X\n')).toEqual([]);
    expect(refs('obj . m.X\n')).toEqual([]);
    // An ellipsis is not an attribute access.
    expect(refs('f(..., m.X)\nx = ...; m.Y\n')).toEqual([
      ['m', ['X'], 'm.X'],
      ['m', ['Y'], 'm.Y'],
    ]);
    expect(refs('f(obj.\n  m.X)\n')).toEqual([]);
  });

  test('not inside strings or comments', () => {
    expect(refs('"m.X"\n\'m.X\'\n"""\nm.X\n"""\n# m.X\nb"m.X"\n')).toEqual([]);
  });

  test('several uses, odd spacing, inside brackets', () => {
    expect(refs('f(m.A, m .B, [m.\n C.d])\nm.E\n', ['m'])).toEqual([
      ['m', ['A'], 'm.A'],
      ['m', ['B'], 'm .B'],
      ['m', ['C', 'd'], 'm.\n C.d'],
      ['m', ['E'], 'm.E'],
    ]);
    expect(refs('a.X + b.Y + c.Z\n', ['a', 'c'])).toEqual([
      ['a', ['X'], 'a.X'],
      ['c', ['Z'], 'c.Z'],
    ]);
  });

  test('inside f-string replacement fields (code), not in their literal parts', () => {
    expect(refs('f"m.X {m.Y} {obj.m.Z} {m.A!r:>{m.W}} {\'m.B\'} {{m.C}}"\n')).toEqual([
      ['m', ['Y'], 'm.Y'],
      ['m', ['A'], 'm.A'],
      ['m', ['W'], 'm.W'],
    ]);
    expect(refs('f"""{\n  m.\n  X}"""\n')).toEqual([['m', ['X'], 'm.\n  X']]);
    // `\{` does not escape the brace; `\N{...}` is a named character, except in raw f-strings.
    expect(refs('f"\\{m.A}" f"\\N{m.B} {m.C}" rf"\\N{m.D}" f"\\N{DASH}"\n')).toEqual([
      ['m', ['A'], 'm.A'],
      ['m', ['C'], 'm.C'],
      ['m', ['D'], 'm.D'],
    ]);
  });

  test('unicode names', () => {
    expect(refs('π.Σ\n', ['π'])).toEqual([['π', ['Σ'], 'π.Σ']]);
  });

  test('a watch set does not change the imports found', () => {
    const src = readFileSync(join(FIXTURES, 'sample.py'), 'latin1');
    const plain = lexImports(src).imports;
    const watched = lexPython(src, { watch: new Set(['os', 'sibling', 'ET']), strings: true });
    expect(watched.imports).toEqual(plain);
    // `os.sep` is inside an f-string's replacement field: code, so a use.
    expect(watched.attrs.map((a) => [a.base, ...a.attrs].join('.'))).toEqual(['os.sep', 'os.path.join', 'sibling.thing.attr']);
  });
});

// ------------------------------------------------------------------------------------------------

/** The imports CPython's ast finds in fixtures/lexer/sample.py (line, col, kind, module, level, names). */
const SAMPLE_EXPECTED: [number, number, string, string, number, NameSummary[]][] = [
  [8, 0, 'from', '__future__', 0, ['annotations']],
  [10, 0, 'import', '', 0, ['os']],
  [11, 0, 'import', '', 0, [['sys', '_sys'], 'json']],
  [12, 0, 'import', '', 0, [['xml.etree.ElementTree', 'ET']]],
  [13, 0, 'from', 'collections', 0, ['OrderedDict', ['defaultdict', 'dd'], 'namedtuple']],
  [19, 0, 'from', '', 1, ['sibling']],
  [20, 0, 'from', '', 2, ['parent_a', 'parent_b']],
  [21, 0, 'from', 'pkg.sub', 3, [['thing', 'other_thing']]],
  [22, 0, 'from', 'typing', 0, ['TYPE_CHECKING']],
  [23, 0, 'from', 'itertools', 0, ['*']],
  [26, 4, 'from', 'typing', 0, ['Iterator']],
  [27, 4, 'import', '', 0, [['café.ñandú', 'émigré']]],
  [30, 4, 'import', '', 0, [['ujson', 'fastjson']]],
  [34, 4, 'from', 'ujson', 0, ['dumps']],
  [47, 7, 'import', '', 0, ['after_triple']],
  [53, 4, 'import', '', 0, ['inside_class']],
  [56, 8, 'import', '', 0, ['inside_method']],
  [57, 15, 'from', 'inside_method2', 0, ['z']],
  [58, 18, 'import', '', 0, ['inline_if']],
  [59, 27, 'from', 'loop', 0, ['a', 'b']],
  [69, 8, 'from', 'deep.down', 0, ['first', ['second', 's2']]],
];

function lineCol(text: string, offset: number): [number, number] {
  let line = 1;
  let ls = 0;
  for (let i = 0; i < offset; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
      line++;
      ls = i + 1;
    }
  }
  return [line, offset - ls];
}

function located(text: string) {
  const r = lexImports(text);
  checkSane(text, { ...r, attrs: [] });
  return r.imports.map((st) => {
    const s = sum(text, st);
    return [...lineCol(text, st.start), s.kind, s.module, s.level, s.names];
  });
}

describe('fixture files', () => {
  const sample = readFileSync(join(FIXTURES, 'sample.py')).toString('latin1');

  test('sample.py: the same imports as CPython', () => {
    expect(located(sample)).toEqual(SAMPLE_EXPECTED);
  });

  test('sample.py with CRLF line endings', () => {
    expect(located(sample.replace(/\n/g, '\r\n'))).toEqual(SAMPLE_EXPECTED);
  });

  test('sample.py with a BOM', () => {
    const r = lexImports('\xef\xbb\xbf' + sample);
    expect(r.imports.map((s) => s.start - 3)).toEqual(lexImports(sample).imports.map((s) => s.start));
  });

  test('sample.py indented with tabs', () => {
    const tabbed = sample.replace(/^((?: {4})+)/gm, (m) => '\t'.repeat(m.length / 4));
    const r = lexImports(tabbed);
    expect(r.imports.map((s) => s.names.map((n) => n.name))).toEqual(SAMPLE_EXPECTED.map((e) => e[5].map((n) => (typeof n === 'string' ? n : n[0]))));
    expect(r.imports.map((s) => s.indent)).toEqual(lexImports(sample).imports.map((s) => s.indent / 4));
  });

  test('pep701.py: Python 3.12+ f-strings and type parameters, as CPython 3.13 parses them', () => {
    const text = readFileSync(join(FIXTURES, 'pep701.py')).toString('latin1');
    expect(located(text)).toEqual([
      [4, 28, 'import', '', 0, ['y1']],
      [9, 7, 'import', '', 0, ['y2']],
      [10, 40, 'import', '', 0, ['y3']],
      [11, 28, 'import', '', 0, ['y4']],
      [12, 30, 'import', '', 0, ['y5']],
      [13, 15, 'import', '', 0, ['y6']],
      [16, 7, 'import', '', 0, ['y7']],
      [17, 25, 'import', '', 0, ['y8']],
      [18, 36, 'import', '', 0, ['y9']],
      [19, 12, 'from', 'y10', 0, ['z']],
      [20, 23, 'from', 'y11', 0, ['w']],
    ]);
  });

  test('Python 2 file: print statements, exec, backticks, ur"" strings', () => {
    const text = readFileSync(join(FIXTURES, 'py2.py')).toString('latin1');
    expect(located(text)).toEqual([
      [2, 0, 'import', '', 0, ['os', 'sys']],
      [3, 0, 'from', 'string', 0, ['maketrans']],
      [12, 11, 'import', '', 0, ['inline_py2']],
      [14, 4, 'import', '', 0, [['cPickle', 'pickle']]],
      [16, 4, 'import', '', 0, ['pickle']],
      [19, 4, 'from', 'urllib2', 0, ['urlopen']],
    ]);
  });
});

// ------------------------------------------------------------------------------------------------


const key = (x: ImportStmt | { imports: ImportStmt[] }): string => JSON.stringify('imports' in x ? x.imports : x);

describe('robustness', () => {
  const sample = readFileSync(join(FIXTURES, 'sample.py')).toString('latin1');

  test('truncated files: every prefix of the fixtures', () => {
    const others = readdirSync(FIXTURES).filter((f) => f.endsWith('.py')).map((f) => readFileSync(join(FIXTURES, f)).toString('latin1'));
    expect(others.length).toBeGreaterThanOrEqual(5);
    for (const full of [sample.replace(/\n/g, '\r\n'), ...others]) {
      const whole = lexPython(full, { strings: true, watch: new Set(['os']) });
      for (let cut = 0; cut <= full.length; cut++) {
        const text = full.slice(0, cut);
        const r = lexPython(text, { strings: true, watch: new Set(['os']) });
        checkSane(text, r);
        // Statements that ended before the cut are found exactly as in the whole file.
        const kept = new Set(r.imports.map(key));
        for (const st of whole.imports) {
          if (st.end < cut && !kept.has(key(st))) throw new Error(`cut at ${cut}: lost ${JSON.stringify(full.slice(st.start, st.end))}`);
        }
      }
    }
  });

  test('truncated files: real standard-library files cut at many offsets', () => {
    const stdlib = pythonPaths()?.stdlib ?? '';
    const names = ['argparse.py', 'typing.py', 'dataclasses.py', 'tokenize.py', 'test/test_grammar.py', 'test/test_fstring.py'];
    const files = names.map((n) => join(stdlib, n)).filter((f) => stdlib !== '' && existsSync(f));
    if (files.length === 0) return; // no Python here: the fixtures above still run
    const rand = rng(7);
    for (const f of files) {
      const full = readFileSync(f).toString('latin1');
      const whole = lexImports(full);
      expect(whole.imports.length).toBeGreaterThan(0);
      for (let k = 0; k < 150; k++) {
        const cut = Math.floor(rand() * (full.length + 1));
        const text = full.slice(0, cut);
        const t = lexPython(text, { strings: true, watch: new Set(['sys', 're']) });
        checkSane(text, t);
        const kept = new Set(t.imports.map(key));
        for (const st of whole.imports) {
          if (st.end < cut && !kept.has(key(st))) throw new Error(`${f} cut at ${cut}: lost ${JSON.stringify(full.slice(st.start, st.end))}`);
        }
      }
    }
  });

  test('random binary bytes', () => {
    const rand = rng(1234);
    for (let k = 0; k < 300; k++) {
      const n = Math.floor(rand() * 4000);
      let text = '';
      for (let i = 0; i < n; i++) text += String.fromCharCode(Math.floor(rand() * 256));
      const r = lexPython(text, { strings: true, watch: new Set(['a', 'm']) });
      checkSane(text, r);
    }
  });

  test('random Python-ish token soup', () => {
    const tokens = [
      'import', 'from', ' ', ' ', '\n', '\r\n', '\r', '\t', '    ', '\\\n', '\\', '.', '..', ',', ';', ':', '=', ':=',
      '(', ')', '[', ']', '{', '}', '{{', '}}', '#', '"', "'", '"""', "'''", 'f"', "f'", 'rb"', 'b\'', 'u"', 'r"',
      'f"""', 'a', 'b', 'm', 'X', 'as', 'yield', 'raise', 'if', 'x', '*', '!r', '1', '0x1f', '1.5e3', 'é', '\x00',
      '\xef\xbb\xbf', 'import a', 'from b import c', 'from . import (d,\n e)', 'm.X.y',
    ];
    const rand = rng(42);
    for (let k = 0; k < 2000; k++) {
      const n = Math.floor(rand() * 80);
      let text = '';
      for (let i = 0; i < n; i++) text += tokens[Math.floor(rand() * tokens.length)];
      const r = lexPython(text, { strings: true, watch: new Set(['m', 'a']) });
      checkSane(text, r);
      // Looking for strings and names must not change which imports are found.
      if (key({ ...r, strings: [], attrs: [] } as never) !== key({ ...lexImports(text), strings: [], attrs: [] } as never)) {
        throw new Error(`options changed the imports of ${JSON.stringify(text)}`);
      }
    }
  });

  test('pathological inputs terminate quickly', () => {
    const big = [
      '('.repeat(100_000),
      ')'.repeat(100_000),
      '"'.repeat(100_001),
      "'''".repeat(33_333) + "'",
      'f"{'.repeat(30_000),
      'f"{x:'.repeat(30_000),
      '\\'.repeat(100_000),
      '\\\n'.repeat(50_000),
      '#\n'.repeat(50_000),
      'import a.'.repeat(10_000),
      'from . import ('.repeat(10_000),
      'from ' + '.'.repeat(100_000),
      'import ' + 'a.'.repeat(50_000) + 'a',
      '\r'.repeat(100_000),
      'x = 1  # comment\n'.repeat(20_000),
      // Many escapes before a docstring's far-away end; comments and continuations galore.
      '"""' + '\\a'.repeat(100_000) + '"""',
      "'''" + "\\'".repeat(100_000) + "'''",
      '# c\r'.repeat(30_000) + '"""\n' + '\\x\n'.repeat(30_000),
    ];
    const t0 = Date.now();
    for (const text of big) checkSane(text, lexPython(text, { strings: true, watch: new Set(['a']) }));
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  test('unterminated strings: a problem is recorded; single-quoted ones end at the line end', () => {
    const r1 = lex('x = "abc\nimport a\n');
    expect(r1.imports.map((s) => r1.text.slice(s.start, s.end))).toEqual(['import a']);
    expect(r1.problems.map((p) => [p.start, p.message])).toEqual([[4, 'unterminated string literal']]);

    const r2 = lex("x = '''abc\nimport a\n");
    expect(r2.imports).toEqual([]);
    expect(r2.problems.map((p) => p.start)).toEqual([4]);

    const r3 = lex('x = f"{a\nimport b\n');
    expect(r3.imports.map((s) => r3.text.slice(s.start, s.end))).toEqual(['import b']);
    expect(r3.problems.length).toBeGreaterThan(0);

    const r4 = lex('x = "abc\\');
    expect(r4.problems.length).toBe(1);
  });

  test('unterminated and unbalanced brackets: a problem is recorded', () => {
    const r1 = lex('x = (1,\nimport a\n');
    expect(r1.imports).toEqual([]);
    expect(r1.problems.map((p) => p.start)).toEqual([4]);
    expect(r1.problems[0]!.message).toMatch(/bracket/);

    const r2 = lex('x = 1)\nimport a\n');
    expect(r2.imports.map((s) => r2.text.slice(s.start, s.end))).toEqual(['import a']);
    expect(r2.problems.map((p) => p.start)).toEqual([5]);
  });

  test('broken import statements: a problem is recorded and lexing carries on', () => {
    for (const bad of ['import\n', 'import a,\n', 'import a as\n', 'from\n', 'from a\n', 'from a import\n', 'from . import (\n', 'from a import (b\n', 'from a import ()\n', 'from import x\n', 'from a import b as\n']) {
      const r = lex(bad + 'import ok\n');
      expect(r.problems.length, bad).toBeGreaterThan(0);
      if (!bad.includes('(')) expect(r.imports.map((s) => r.text.slice(s.start, s.end)), bad).toEqual(['import ok']);
    }
  });

  test('problems are capped', () => {
    const r = lex('x = "\n'.repeat(1000));
    expect(r.problems.length).toBe(100);
  });
});
