// The compile check's skeleton (src/fix/skeleton.ts): python3 compiles the rewritten file with its
// untouched top-level statements blanked. It must keep every line where it was, keep what the edits
// touch and what their validity depends on, and still catch an edit that breaks the file.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { topLevelChunks } from '../../src/fix/chunks.js';
import { applyEdits, type Edit } from '../../src/fix/edits.js';
import { compileAll } from '../../src/fix/python.js';
import { skeletonEdits } from '../../src/fix/skeleton.js';
import { lexImports } from '../../src/python/lexer.js';
import { LineTable } from '../../src/python/lineTable.js';
import { pythonFiles, requirePythonPaths } from '../helpers/corpus.js';
import { rng } from '../helpers/rng.js';

function skeleton(text: string, edits: Edit[]): string {
  return applyEdits(text, [...edits, ...skeletonEdits(text, topLevelChunks(text), edits)]);
}

const lines = (s: string): number => s.split(/\r\n|\r|\n/).length;

describe('skeletonEdits', () => {
  const SRC = [
    '"""Doc."""', // 1
    'from __future__ import annotations', // 2
    'import os', // 3
    'from old import A', // 4
    '', // 5
    'X = {', // 6
    '    "k": 1,', // 7
    '}', // 8
    '', // 9
    '@decorator', // 10
    'class C:', // 11
    '    def m(self):', // 12
    '        from old import B', // 13
    '        return B', // 14
    '', // 15
    'def f():', // 16
    '    global X', // 17
    '    return X', // 18
    '', // 19
    'def g():', // 20
    '    return os.sep', // 21
    '',
  ].join('\n');
  const at = (needle: string): number => SRC.indexOf(needle);

  test('blanks what no edit touches, keeps lines, the edits, __future__ and global', () => {
    const e1 = { start: at('from old import A'), end: at('from old import A') + 17, text: 'from new import A' };
    const e2 = { start: at('from old import B'), end: at('from old import B') + 17, text: 'from new import B' };
    const out = skeleton(SRC, [e1, e2]);
    expect(lines(out)).toBe(lines(SRC));
    const kept = out.split('\n');
    expect(kept[1]).toBe('from __future__ import annotations');
    expect(kept[3]).toBe('from new import A');
    expect(kept.slice(9, 14)).toEqual(['@decorator', 'class C:', '    def m(self):', '        from new import B', '        return B']);
    expect(kept.slice(15, 18)).toEqual(['def f():', '    global X', '    return X']);
    // Blanked: the docstring, `import os`, the dict, g.
    for (const i of [0, 2, 5, 6, 7, 19, 20]) expect(kept[i]).toBe('');
  });

  test('an insertion at a statement boundary keeps the statement after it', () => {
    const ins = { start: at('X = {'), end: at('X = {'), text: 'from new import A\n' };
    const out = skeleton(SRC, [ins]);
    expect(out).toContain('from new import A\nX = {\n    "k": 1,\n}');
  });

  test('CRLF line endings stay, and so does every line count', () => {
    const crlf = SRC.replace(/\n/g, '\r\n');
    const e = { start: crlf.indexOf('import os'), end: crlf.indexOf('import os') + 9, text: 'import sys' };
    const out = skeleton(crlf, [e]);
    expect(out.replace(/[^\r\n]/g, '')).toBe(crlf.replace(/[^\r\n]/g, ''));
    expect(out).toContain('\r\nimport sys\r\n');
  });
});

describe('the skeleton still catches an edit that breaks the file (python3, standard library)', () => {
  test('every import of 120 stdlib files: a valid rewrite compiles, a broken one does not', async () => {
    const { stdlib } = requirePythonPaths();
    const rand = rng(7);
    const files = pythonFiles(stdlib, ['test', 'idlelib', 'lib2to3', 'site-packages']).filter(() => rand() < 0.2).slice(0, 120);
    const cases: { path: string; bytes: Buffer; broken: boolean; original: string }[] = [];
    for (const path of files) {
      const text = readFileSync(path).toString('latin1');
      const imports = lexImports(text).imports.filter((st) => !text.slice(st.start, st.end).includes('__future__'));
      if (imports.length === 0) continue;
      const st = imports[Math.floor(rand() * imports.length)];
      const stmt = text.slice(st.start, st.end);
      // Same statement, rewritten the way fix would (a module name changed) or broken on purpose.
      const good = { start: st.start, end: st.end, text: stmt.replace(/\bimport\b/, 'import') };
      const bad = { start: st.start, end: st.end, text: `${stmt} (` };
      cases.push({ path, bytes: Buffer.from(skeleton(text, [good]), 'latin1'), broken: false, original: text });
      cases.push({ path, bytes: Buffer.from(skeleton(text, [bad]), 'latin1'), broken: true, original: text });
    }
    expect(cases.length).toBeGreaterThan(150);
    const whole = await compileAll('python3', cases.filter((c) => !c.broken).map((c) => ({ path: c.path, bytes: Buffer.from(c.original, 'latin1') })));
    const verdicts = await compileAll('python3', cases.map((c) => ({ path: c.path, bytes: c.bytes })));
    expect(whole).not.toBe('unavailable');
    expect(verdicts).not.toBe('unavailable');
    const fine = new Set(cases.filter((c) => !c.broken).filter((_, i) => (whole as (string | null)[])[i] === null).map((c) => c.path));
    for (let i = 0; i < cases.length; i++) {
      const c = cases[i];
      if (!fine.has(c.path)) continue; // a file python3 rejects as it is (a Python 2 test file)
      const v = (verdicts as (string | null)[])[i];
      if (c.broken) expect(v, `${c.path}: the broken edit must fail`).not.toBeNull();
      else expect(v, `${c.path}: ${v}`).toBeNull();
    }
    // The skeletons are a small part of the files.
    const full = cases.reduce((n, c) => n + c.original.length, 0);
    const kept = cases.reduce((n, c) => n + c.bytes.toString('latin1').replace(/\s/g, '').length, 0);
    expect(kept).toBeLessThan(full / 2);
  }, 60_000);
});

describe('topLevelChunks against CPython (the skeleton stands on it)', () => {
  test('every chunk starts where a top-level statement starts, and almost every statement starts a chunk', () => {
    const { stdlib } = requirePythonPaths();
    const rand = rng(11);
    const files = pythonFiles(stdlib, ['site-packages']).filter(() => rand() < 0.15);
    const oracle = join(dirname(fileURLToPath(import.meta.url)), 'oracle', 'top_level.py');
    const r = spawnSync('python3', [oracle], { input: files.join('\n'), encoding: 'utf8', maxBuffer: 1 << 28 });
    expect(r.status, r.stderr).toBe(0);
    let statements = 0;
    let starts = 0;
    let checked = 0;
    for (const row of r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { file: string; lines?: number[] })) {
      if (!row.lines || row.lines.length === 0) continue;
      const text = readFileSync(row.file).toString('latin1');
      const lt = new LineTable(text);
      const chunks = topLevelChunks(text);
      const want = new Set(row.lines);
      // The first chunk starts at the top of the file (before any docstring or comment).
      for (const c of chunks.slice(1)) {
        const line = lt.lineOf(c.start);
        expect(want.has(line), `${row.file}:${line}: a chunk starts inside a statement`).toBe(true);
        expect(c.start).toBe(lt.lineStart(line));
      }
      statements += want.size;
      starts += chunks.length;
      checked++;
    }
    expect(checked).toBeGreaterThan(100);
    // Merging is safe (a form feed before a definition, `;` on one line); splitting never is.
    expect(starts / statements).toBeGreaterThan(0.97);
  }, 60_000);
});
