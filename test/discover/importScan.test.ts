// discover's import scanner must find exactly what lexImports finds (it lexes only a file's head
// when that cannot change the result). Checked on tricky snippets, on the lexer's fixtures, and
// over this machine's Python standard library.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { lastStatementStart, scanImports } from '../../src/discover/importScan.js';
import { lexImports } from '../../src/python/lexer.js';
import type { ImportStmt } from '../../src/python/records.js';
import { pythonFiles, pythonPaths } from '../helpers/corpus.js';

const LEXER_FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'python', 'fixtures', 'lexer');
const bytes = (src: string): string => Buffer.from(src, 'utf8').toString('latin1');

/** Everything a statement record holds, so that any difference shows. */
function records(stmts: ImportStmt[]): string[] {
  return stmts.map((s) => JSON.stringify(s));
}

function same(text: string): void {
  expect(records(scanImports(text))).toEqual(records(lexImports(text).imports));
}

describe('lastStatementStart', () => {
  const at = (src: string): string => {
    const t = bytes(src);
    const i = lastStatementStart(t);
    return i < 0 ? '' : t.slice(i, i + 6);
  };

  test('the last keyword that starts a line, follows `;` or `:`, behind blanks', () => {
    expect(at('import a\nx = 1\n')).toBe('import');
    expect(at('import a\ndef f():\n    from b import c\n    return c\n')).toBe('from b');
    expect(at('x = 1; import y\nz = 2\n')).toBe('import');
    expect(at('if x: from y import z\n')).toBe('from y');
    expect(at('import a\n"""\nfrom the docs\n"""\n')).toBe('from t'); // a superset: prose counts
  });

  test('words inside lines, identifiers and other keywords do not count', () => {
    expect(at('x = 1\n')).toBe('');
    expect(at('import a\nraise E from exc\ndef from_dict(): pass\nimport_x = 1\nreimport = 2\n')).toBe('import');
    expect(at('# import x\n')).toBe('');
    expect(at('s = "import x"\n')).toBe('');
  });

  test('the first line, continuations, form feeds and a byte-order mark', () => {
    expect(at('from a import b')).toBe('from a');
    expect(at('\ufeffimport a\n')).toBe('import');
    expect(at('x = 1\n\f  \\\nimport y\n')).toBe('import');
  });
});

describe('scanImports agrees with lexImports', () => {
  const cases: Record<string, string> = {
    'imports at the top only': 'import os\nfrom a.b import (c,\n    d as e)\n\ndef f():\n    return 1\n' + 'x = 1\n'.repeat(50),
    'a parenthesized import that spans lines after the last keyword': 'x = 1\nfrom a import (b,\n  c,\n  d)\ny = 2\n',
    'a continuation after the last keyword': 'from a import b, \\\n    c\nimport d.e \\\n  .f\nz = 1\n',
    'a CRLF continuation': 'import a, \\\r\n  b\r\nx = 1\r\n',
    'a keyword inside parens, in a comment': 'from a import (b,\n#: import z\n  c)\nq = 1\n',
    'a keyword in a docstring line after the last import': 'import a\n"""\nfrom here on\n"""\nx = 1\n',
    'an import inside a function at the end': 'def f():\n    import json\n    return json\n',
    'an unterminated string before the end': 'import a\ns = """\nfrom x import y\n',
    'an open bracket': 'import a\nx = [\nimport b\n',
    'no newline at the end': 'x = 1\nfrom a import b',
    'lone CR line endings': 'import a\rx = 1\rfrom b import c\ry = 2\r',
    'mixed endings': 'import a\r\nx = 1\rfrom b import c\ny = (1,\r2)\n',
    'statements after ; and :': 'import a; import b\nif x: from c import d\nelse: import e\n',
    'f-strings and prefixes': 'x = f"{a!r:>{w}}"\nimport a\ny = rb"\\\\"\nz = f"""\n{x}\nimport q\n"""\nfrom m import n\n',
    'a broken statement at the end': 'import a\nfrom x import (b,\n',
    'a star and relative imports': 'from . import x\nfrom .. y import *\nfrom .a.b import (c)\n',
    'the keyword as the last bytes': 'x = 1\nimport',
    'many problems before the end': 'from x import (\n'.repeat(120) + 'import a\n',
  };
  for (const [name, src] of Object.entries(cases)) test(name, () => same(bytes(src)));

  test("the lexer's fixture files", () => {
    for (const f of readdirSync(LEXER_FIXTURES)) same(readFileSync(join(LEXER_FIXTURES, f), 'latin1'));
  });

  test('a file with no possible statement lexes nothing', () => {
    expect(scanImports(bytes('x = 1\ny = "from"\n'))).toEqual([]);
  });
});



test('over the Python standard library, every statement of every file is the same', () => {
  const root = pythonPaths()?.stdlib ?? null;
  if (root === null) return; // no python3 on this machine: nothing to compare against
  const files = pythonFiles(root, ['site-packages']);
  expect(files.length).toBeGreaterThan(500);
  const differ: string[] = [];
  let statements = 0;
  for (const f of files) {
    const text = readFileSync(f, 'latin1');
    const want = records(lexImports(text).imports);
    statements += want.length;
    if (records(scanImports(text)).join('\n') !== want.join('\n')) differ.push(f);
  }
  expect(differ).toEqual([]);
  expect(statements).toBeGreaterThan(10_000);
});
