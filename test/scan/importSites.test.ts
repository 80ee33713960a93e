// The cheap import-site check must be conservative: whenever the full analysis finds an unresolved
// import, the check must have said "maybe". Tested on the Python standard library with a module
// index from which a tenth of the modules were removed, so that many real imports are unresolved.

import { readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect, test } from 'vitest';
import { MoveTable } from '../../src/core/moveTable.js';
import { ModuleIndex } from '../../src/python/moduleIndex.js';
import { analyzeFile } from '../../src/scan/analyze.js';
import { insideLegacy, Prefilter } from '../../src/scan/prefilter.js';
import { pythonFiles, requirePythonPaths } from '../helpers/corpus.js';

const stdlib = requirePythonPaths().stdlib;


test('never skips a file that has an unresolved import (stdlib, 10% of modules removed)', () => {
  expect(statSync(stdlib).isDirectory()).toBe(true);
  const files = pythonFiles(stdlib, ['site-packages', '__pycache__'])
    .map((p) => relative(stdlib, p).split('\\').join('/'))
    .sort();
  expect(files.length).toBeGreaterThan(1500);
  const full = ModuleIndex.fromFiles(files, ['.']);
  // Deterministic removal: every tenth module name, by sorted order.
  const names = full.toData().modules.map((m) => m.name).sort();
  const removed = new Set(names.filter((_, i) => i % 10 === 3));
  const index = new ModuleIndex({ modules: full.toData().modules.filter((m) => !removed.has(m.name)) });
  const ctx = { table: new MoveTable([]), index };
  // No needles: the prefilter then answers from the import sites alone.
  const pre = new Prefilter([]);
  let withUnresolved = 0;
  let skipped = 0;
  const missed: string[] = [];
  for (const file of files) {
    const bytes = readFileSync(join(stdlib, file));
    const text = bytes.toString('latin1');
    pre.load(bytes);
    const maybe = pre.mustLex(index, file);
    const unresolved = analyzeFile(file, text, ctx).filter((f) => f.kind === 'unresolved');
    if (unresolved.length > 0) {
      withUnresolved++;
      if (!maybe) missed.push(`${file}:${unresolved[0].line}: ${unresolved[0].statement}`);
    } else if (!maybe) skipped++;
  }
  expect(missed).toEqual([]);
  // The check is worth having: it lets most files without unresolved imports go unlexed.
  expect(withUnresolved).toBeGreaterThan(100);
  expect(skipped).toBeGreaterThan((files.length - withUnresolved) / 2);
});

test('a file whose needles are all in comments or sentences is judged by its import sites (stdlib, moves, 10% of modules removed)', () => {
  const files = pythonFiles(stdlib, ['site-packages', '__pycache__'])
    .map((p) => relative(stdlib, p).split('\\').join('/'))
    .sort();
  const full = ModuleIndex.fromFiles(files, ['.']);
  const names = full.toData().modules.map((m) => m.name).sort();
  const removed = new Set(names.filter((_, i) => i % 10 === 3));
  const index = new ModuleIndex({ modules: full.toData().modules.filter((m) => !removed.has(m.name)) });
  // Last names that comments and docstrings use as words: `path`, `parse`, `utils`, `request`, `mock`.
  const table = new MoveTable([
    { kind: 'symbol', index: 0, id: 'os.path:join', fromModule: 'os.path', fromName: 'join', toModule: 'posixpath', toName: 'join' },
    { kind: 'module', index: 1, id: 'urllib.parse', fromModule: 'urllib.parse', toModule: 'urllib.request' },
    { kind: 'module', index: 2, id: 'email.utils', fromModule: 'email.utils', toModule: 'email._utils' },
    { kind: 'symbol', index: 3, id: 'urllib.request:urlopen', fromModule: 'urllib.request', fromName: 'urlopen', toModule: 'http.client', toName: 'urlopen' },
    { kind: 'module', index: 4, id: 'unittest.mock', fromModule: 'unittest.mock', toModule: 'mock' },
    { kind: 'module', index: 5, id: 'email.mime', fromModule: 'email.mime', toModule: 'email.parts' },
  ]);
  const ctx = { table, index };
  const pre = new Prefilter(table.needles(), insideLegacy(['os.path', 'urllib.parse', 'email.utils', 'urllib.request', 'unittest.mock', 'email.mime'], ['.']));
  let withFindings = 0;
  let needleSkipped = 0;
  const missed: string[] = [];
  for (const file of files) {
    const bytes = readFileSync(join(stdlib, file));
    pre.load(bytes);
    const maybe = pre.mustLex(index, file);
    const found = analyzeFile(file, bytes.toString('latin1'), ctx);
    if (found.length > 0) {
      withFindings++;
      if (!maybe) missed.push(`${file}:${found[0]!.line}: ${found[0]!.kind} ${found[0]!.statement}`);
    } else if (!maybe) {
      // Passed over although a needle is in it as a whole word (in a comment or a sentence).
      if (hasWholeNeedle(bytes, table.needles())) needleSkipped++;
    }
  }
  expect(missed).toEqual([]);
  expect(withFindings).toBeGreaterThan(300);
  // The rule is worth having: files that name a needle only where analysis cannot see it.
  expect(needleSkipped).toBeGreaterThan(50);
  console.log(`prefilter: ${files.length} files, ${withFindings} with findings, ${needleSkipped} passed over with a needle in a comment or a sentence`);
});

/** Whether one of `needles` stands in `bytes` as a whole identifier (a plain reference for the test). */
function hasWholeNeedle(bytes: Buffer, needles: string[]): boolean {
  const text = bytes.toString('latin1');
  return needles.some((n) => new RegExp(`(?<![A-Za-z0-9_\\x80-\\xff])${n}(?![A-Za-z0-9_\\x80-\\xff])`).test(text));
}

test('where a needle stands: a comment or a sentence lets the file pass, code, an f-string or a reference does not', () => {
  const index = ModuleIndex.fromFiles(['svc/__init__.py', 'svc/core/__init__.py', 'svc/core/legacy.py', 'svc/core/canonical.py'], ['.']);
  const pre = new Prefilter(['legacy']);
  const must = (src: string): boolean => {
    pre.load(Buffer.from(src, 'utf8'));
    return pre.mustLex(index, 'svc/app.py');
  };
  expect(must('# replaces the legacy manager\nimport os\n')).toBe(false);
  expect(must('\ufeff# legacy\n')).toBe(false);
  expect(must('x = "the legacy way"\ny = b"svc.core.legacy"\nz = """svc.core.legacy\n"""\n')).toBe(false);
  expect(must("'''Docstring: svc.core.legacy is gone.'''\nfrom svc.core import canonical\n")).toBe(false);
  // Where analysis could see it.
  expect(must('x = "svc.core.legacy"\n')).toBe(true);
  expect(must("x = 'svc.core.legacy.Manager'  # legacy\n")).toBe(true);
  expect(must('x = f"{legacy.Manager}"\n')).toBe(true);
  expect(must('legacy = 1\n')).toBe(true);
  expect(must('from svc.core import (\n  legacy)\n')).toBe(true);
  expect(must('# legacy\nfrom svc.gone import x\n')).toBe(true);
  // The import-site check on what only the lexer reads exactly (found in review): a byte-order
  // mark right before the keyword, a comment ending in a backslash, blanks inside a dotted name.
  for (const src of [
    '\ufeffimport svc.gone\n# legacy\n',
    '\ufefffrom svc.gone import a\n# legacy\n',
    '# legacy \\\nfrom svc.gone import a\n',
    '# legacy \\\r\nfrom svc.gone import a\r\n',
    '# legacy \\\rimport svc.gone\r',
    '# legacy (\\\nimport svc.gone\n',
    '# legacy\nimport svc .gone\n',
    '# legacy\nimport svc. gone\n',
    '# legacy\nfrom svc. gone import a\n',
    '# legacy\nfrom svc .gone import a\n',
  ]) {
    expect(must(src), JSON.stringify(src)).toBe(true);
    const found = analyzeFile('svc/app.py', Buffer.from(src, 'utf8').toString('latin1'), { table: new MoveTable([]), index });
    expect(found.map((f) => f.kind), JSON.stringify(src)).toEqual(['unresolved']);
  }
  // Prose with the word stays passed over.
  expect(must('# legacy\n"""Names we import from elsewhere, and the modules they come from."""\n')).toBe(false);
  // Brackets that do not balance: the structural pass cannot say where the needle is.
  expect(must('x = ("legacy"\n')).toBe(true);
  expect(must('# legacy\n)\n')).toBe(true);
});

test('inside a legacy package, a relative import reaches it without naming it: the file is lexed', () => {
  const files = ['svc/__init__.py', 'svc/core/__init__.py', 'svc/core/legacy/__init__.py', 'svc/core/legacy/helpers.py', 'svc/core/legacy/sibling.py', 'svc/core/canonical.py', 'svc/core/legacy_tools.py', 'src/lib/old/__init__.py', 'src/lib/old/a.py'];
  const index = ModuleIndex.fromFiles(files, ['.', 'src']);
  const table = new MoveTable([
    { kind: 'module', index: 0, id: 'svc.core.legacy', fromModule: 'svc.core.legacy', toModule: 'svc.core.canonical' },
    { kind: 'module', index: 1, id: 'lib.old', fromModule: 'lib.old', toModule: 'lib.new' },
  ]);
  const inside = insideLegacy(['svc.core.legacy', 'lib.old'], ['.', 'src']);
  const pre = new Prefilter(table.needles(), inside);
  const judged = (file: string, src: string) => {
    const bytes = Buffer.from(src, 'utf8');
    pre.load(bytes);
    return { must: pre.mustLex(index, file), findings: analyzeFile(file, bytes.toString('latin1'), { table, index }).length };
  };
  expect(judged('svc/core/legacy/helpers.py', 'from . import sibling\n')).toEqual({ must: true, findings: 1 });
  expect(judged('svc/core/legacy/helpers.py', "'''Part of legacy.'''\nfrom . import sibling\n")).toEqual({ must: true, findings: 1 });
  expect(judged('svc/core/legacy/__init__.py', 'from . import helpers\n')).toEqual({ must: true, findings: 1 });
  expect(judged('src/lib/old/a.py', 'from . import b\n')).toEqual({ must: true, findings: 1 });
  // Not inside: the file itself is no import at all, or the name only starts the same.
  expect(judged('svc/core/legacy/helpers.py', 'x = 1\n').must).toBe(false);
  expect(judged('svc/core/legacy_tools.py', 'from . import canonical\n')).toEqual({ must: false, findings: 0 });
  expect(inside('svc/core/legacy.py')).toBe(true);
  expect(inside('svc/core/legacyx/a.py')).toBe(false);
  expect(inside('lib/old/a.py')).toBe(true);
});
