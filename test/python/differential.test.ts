// Differential test: canon's import lexer against CPython's own parser (`ast`), over every `.py`
// file of this machine's Python standard library and site-packages (~13,000 files).
//
// The oracle (oracle/ast_imports.py) runs once, one process per core (at least 2), and prints
// the imports ast finds in each file it accepts; files ast rejects (Python 2 test data, bad
// encodings, ...) are skipped, since there is no ground truth for them (the lexer's robustness on
// such input is covered in lexer.test.ts). For every other file, every import statement must
// match exactly: kind, module, level, names and aliases, line and column (in bytes from the line
// start, like ast's col_offset; the oracle converts it to the file's own bytes for BOM and
// non-UTF-8 files), and the lexer must find no import that ast does not. The fixtures in
// fixtures/lexer/ (edge cases of the syntax) are compared too.
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { lexImports } from '../../src/python/lexer.js';
import { LineTable } from '../../src/python/lineTable.js';
import { StmtKind, type ImportStmt } from '../../src/python/records.js';
import { pythonFiles, requirePythonPaths } from '../helpers/corpus.js';
import { spawnAsync } from '../helpers/spawn.js';

const here = dirname(fileURLToPath(import.meta.url));
const ORACLE = join(here, 'oracle', 'ast_imports.py');
const FIXTURES = join(here, 'fixtures', 'lexer');

interface OracleImport {
  line: number;
  /** ast's col_offset (UTF-8 bytes of the decoded line). */
  col: number;
  /** The same column in the file's bytes: what canon's offsets count. */
  byte_col: number;
  kind: 'import' | 'from';
  module: string;
  level: number;
  names: [string, string | null][];
}

type OracleLine = { file: string; imports: OracleImport[] } | { file: string; skipped: string };





interface Got {
  line: number;
  col: number;
  kind: 'import' | 'from';
  module: string;
  level: number;
  names: [string, string | null][];
}

function toGot(stmt: ImportStmt, lines: LineTable): Got {
  const line = lines.lineOf(stmt.start);
  return {
    line,
    col: stmt.start - lines.lineStart(line),
    kind: stmt.kind === StmtKind.Import ? 'import' : 'from',
    module: stmt.module,
    level: stmt.level,
    names: stmt.names.map((n) => [n.name, n.asname] as [string, string | null]),
  };
}

function show(g: Got | OracleImport): string {
  const names = g.names.map(([n, a]) => (a === null ? n : `${n} as ${a}`)).join(', ');
  const stmt = g.kind === 'import' ? `import ${names}` : `from ${'.'.repeat(g.level)}${g.module} import ${names}`;
  const col = 'byte_col' in g ? (g.byte_col === g.col ? `${g.col}` : `${g.byte_col} (ast col_offset ${g.col})`) : `${g.col}`;
  return `${JSON.stringify(stmt)} at ${g.line}:${col}`;
}

function same(a: Got, b: OracleImport): boolean {
  if (a.line !== b.line || a.col !== b.byte_col || a.kind !== b.kind || a.module !== b.module || a.level !== b.level) {
    return false;
  }
  if (a.names.length !== b.names.length) return false;
  for (let i = 0; i < a.names.length; i++) {
    if (a.names[i]![0] !== b.names[i]![0] || a.names[i]![1] !== b.names[i]![1]) return false;
  }
  return true;
}

/** `file:line:col`, the source line, a caret under the column, expected vs actual. */
function describe(file: string, lines: LineTable, line: number, col: number, exp: string, act: string): string {
  const text = Buffer.from(lines.lineText(line), 'latin1');
  const src = text.toString('utf8');
  const caretAt = text.subarray(0, Math.min(col, text.length)).toString('utf8').length;
  const pad = src.slice(0, caretAt).replace(/[^\t]/g, ' ');
  return `${file}:${line}:${col}\n  ${src}\n  ${pad}^\n  expected: ${exp}\n  actual:   ${act}`;
}

test('lexer agrees with CPython ast on the stdlib and site-packages', async () => {
  const t0 = Date.now();
  const paths = requirePythonPaths();
  const files = new Set([...pythonFiles(paths.stdlib), ...pythonFiles(paths.purelib)]);
  const corpusSize = files.size;
  expect(corpusSize).toBeGreaterThanOrEqual(5000);
  for (const f of pythonFiles(FIXTURES)) files.add(f);
  const list = [...files].sort();

  // ast.parse is the slow part (~20 s of CPU for ~160 MB): one worker per core, at least 2.
  const jobs = Math.max(2, availableParallelism());
  // Asynchronous: under load this takes longer than the test worker may stay silent.
  const r = await spawnAsync('python3', [ORACLE, '--jobs', String(jobs)], { input: list.join('\n') + '\n' });
  if (r.code !== 0) throw new Error(`oracle failed (${r.code}): ${r.stderr}`);
  const tOracle = Date.now();

  const mismatches: string[] = [];
  let mismatchCount = 0;
  let compared = 0;
  let skipped = 0;
  let importsCompared = 0;
  const skippedFiles: string[] = [];

  for (const raw of r.stdout.split('\n')) {
    if (raw === '') continue;
    const rec = JSON.parse(raw) as OracleLine;
    if ('skipped' in rec) {
      skipped++;
      skippedFiles.push(`${rec.file}: ${rec.skipped}`);
      continue;
    }
    compared++;
    const buf = readFileSync(rec.file);
    const text = buf.toString('latin1');
    const lines = new LineTable(text);
    let got: Got[];
    try {
      got = lexImports(text).imports.map((s) => toGot(s, lines));
    } catch (err) {
      mismatchCount++;
      mismatches.push(`${rec.file}: lexer threw ${String(err)}`);
      continue;
    }
    const exp = rec.imports;
    importsCompared += exp.length;
    // Walk both lists in source order; report each disagreement once.
    let i = 0;
    let j = 0;
    while (i < exp.length || j < got.length) {
      const e = exp[i];
      const g = got[j];
      if (e && g && same(g, e)) {
        i++;
        j++;
        continue;
      }
      mismatchCount++;
      let report: string;
      if (e && g && e.line === g.line) {
        // The same statement, read differently (or at another column).
        report = describe(rec.file, lines, e.line, e.byte_col, show(e), show(g));
        i++;
        j++;
      } else if (e && (!g || e.line < g.line)) {
        report = describe(rec.file, lines, e.line, e.byte_col, show(e), '(no import found here)');
        i++;
      } else {
        report = describe(rec.file, lines, g!.line, g!.col, '(no import here)', show(g!));
        j++;
      }
      if (mismatches.length < 20) mismatches.push(report);
    }
  }
  const tLex = Date.now();
  console.log(
    `differential: ${list.length} files, ${compared} compared, ${skipped} skipped by ast, ` +
      `${importsCompared} imports compared, ${mismatchCount} mismatches; ` +
      `oracle ${((tOracle - t0) / 1000).toFixed(1)} s, lexer+compare ${((tLex - tOracle) / 1000).toFixed(1)} s\n` +
      `skipped (ast rejects them):\n  ${skippedFiles.join('\n  ')}`,
  );
  expect(compared + skipped).toBe(list.length);
  expect(compared).toBeGreaterThanOrEqual(5000);
  expect(importsCompared).toBeGreaterThan(10000);
  expect(mismatchCount, `${mismatchCount} mismatches (first ${mismatches.length}):\n\n${mismatches.join('\n\n')}`).toBe(0);
}, 180_000);
