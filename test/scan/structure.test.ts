// The structural path to import statements (src/scan/structure.ts and `structure` in
// wasm/needles.wat), judged three ways over this machine's standard library and site-packages:
// - against CPython's tokenizer: at sampled offsets of every file, whether the byte lies in a
//   comment, a string literal, an f-string, or code inside or outside brackets;
// - against CPython's ast: every import statement ast finds is found, with the same module,
//   level, names, line and column, and nothing else is (nothing in a string or a comment);
// - against the whole-file lexer: with moves on real stdlib modules, analysis gives the same
//   findings either way, on every file the prefilter lets through.
// Files the path hands back to the lexer are counted: they must stay few.

import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import type { Move } from '../../src/config/types.js';
import { MoveTable } from '../../src/core/moveTable.js';
import { lexPython } from '../../src/python/lexer.js';
import { LineTable } from '../../src/python/lineTable.js';
import { ListedModuleIndex } from '../../src/python/listedModuleIndex.js';
import { StmtKind } from '../../src/python/records.js';
import { analysisLexOptions, analyzeFile } from '../../src/scan/analyze.js';
import { NeedleSearch, TOO_MANY_SITES } from '../../src/scan/needleSearch.js';
import { insideLegacy, Prefilter } from '../../src/scan/prefilter.js';
import { structuredLex } from '../../src/scan/structure.js';
import { pythonFiles, requirePythonPaths } from '../helpers/corpus.js';

const here = dirname(fileURLToPath(import.meta.url));
const ORACLE_DIR = join(here, '..', 'python', 'oracle');

function corpus(): string[] {
  const paths = requirePythonPaths();
  return [...new Set([...pythonFiles(paths.stdlib), ...pythonFiles(paths.purelib)])].sort();
}

/** The standard library as one project (its files root-relative), with `moves`: what analysis needs. */
function stdlibAnalysis(moves: Move[]) {
  const { stdlib } = requirePythonPaths();
  const files = pythonFiles(stdlib, ['site-packages', '__pycache__']).map((f) => relative(stdlib, f)).sort();
  const table = new MoveTable(moves);
  const index = new ListedModuleIndex(files, ['.']);
  return { stdlib, files, table, index, ctx: { table, index }, pre: new Prefilter(table.needles(), insideLegacy(moves.map((m) => m.fromModule), ['.'])), options: analysisLexOptions(table) };
}

/** The oracle's lines; run without blocking, so that the test runner's messages get through. */
function oracle(script: string, files: string[], args: string[] = []): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn('python3', [join(ORACLE_DIR, script), ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`${script} failed (${code}): ${Buffer.concat(err).toString('utf8')}`));
      else resolve(Buffer.concat(out).toString('utf8').split('\n').filter((l) => l !== ''));
    });
    child.stdin.end(files.join('\n') + '\n');
  });
}

const CLASS_NAMES = ['code', 'code in brackets', 'comment', 'string', 'f-string'];

describe('the structural pass', () => {
  test('agrees with CPython tokenize on where strings, comments and brackets are', async () => {
    // Every other file: tokenize is the slow part.
    const files = corpus().filter((_, i) => i % 2 === 0);
    const search = new NeedleSearch([]);
    let compared = 0;
    let skipped = 0;
    let sites = 0;
    const wrong: string[] = [];
    for (const line of await oracle('token_spans.py', files)) {
      // A long loop: let the test runner's messages through now and then.
      if (compared % 500 === 499) await new Promise((r) => setImmediate(r));
      const rec = JSON.parse(line) as { file: string; spans?: [number, number, string][]; brackets?: [number, number][]; skipped?: string };
      if (!rec.spans) {
        skipped++;
        continue;
      }
      compared++;
      const bytes = readFileSync(rec.file);
      const base = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
      // Every 5th byte (fewer in large files: at most 16,000 sites a call), from a varying start.
      const step = Math.max(5, Math.ceil(bytes.length / 16000));
      const at: number[] = [];
      for (let p = base + (compared % step); p < bytes.length; p += step) at.push(p);
      // What tokenize says of each: the spans are sorted and disjoint, the brackets in order.
      const want: number[] = [];
      let s = 0;
      let b = 0;
      let depth = 0;
      const spans = rec.spans;
      const brackets = rec.brackets!;
      for (const p of at) {
        while (s < spans.length && spans[s]![1] <= p) s++;
        // (at a bracket itself, the pass counts it first)
        while (b < brackets.length && brackets[b]![0] <= p) depth += brackets[b++]![1];
        const sp = spans[s];
        if (sp && sp[0] <= p) want.push(sp[2] === 'c' ? 2 : sp[2] === 'f' ? 4 : 3);
        else want.push(depth > 0 ? 1 : 0);
      }
      search.load(bytes);
      search.useSites(at.map((p) => p * 2));
      expect(search.structure(at.length, base), rec.file).toBe(0);
      sites += at.length;
      for (let k = 0; k < at.length; k++) {
        const got = search.siteClass(k);
        if (got !== want[k] && wrong.length < 10) {
          const lt = new LineTable(bytes.toString('latin1'));
          const pos = lt.position(at[k]!);
          wrong.push(`${rec.file}:${pos.line}:${pos.column}: tokenize says ${CLASS_NAMES[want[k]!]}, the pass says ${CLASS_NAMES[got]}`);
        }
      }
    }
    expect(compared).toBeGreaterThan(2500);
    expect(sites).toBeGreaterThan(1_000_000);
    expect(wrong).toEqual([]);
    console.log(`structure vs tokenize: ${compared} files (${skipped} skipped), ${sites} offsets`);
  }, 300_000);

  test('finds every import statement CPython ast finds, and nothing in strings or comments', async () => {
    const files = corpus();
    const search = new NeedleSearch([]);
    let compared = 0;
    let imports = 0;
    let handedBack = 0;
    const wrong: string[] = [];
    for (const line of await oracle('ast_imports.py', files, ['--jobs', String(Math.max(2, availableParallelism()))])) {
      const rec = JSON.parse(line) as { file: string; imports?: { line: number; byte_col: number; kind: string; module: string; level: number; names: [string, string | null][] }[] };
      if (!rec.imports) continue;
      compared++;
      if (compared % 500 === 0) await new Promise((r) => setImmediate(r));
      const bytes = readFileSync(rec.file);
      const text = bytes.toString('latin1');
      search.load(bytes);
      const n = search.searchSites();
      if (n === TOO_MANY_SITES) {
        handedBack++;
        continue;
      }
      const lex = structuredLex(search, n, text, false);
      if (lex === null) {
        handedBack++;
        continue;
      }
      const lt = new LineTable(text);
      const got = lex.imports.map((st) => {
        const l = lt.lineOf(st.start);
        return JSON.stringify([l, st.start - lt.lineStart(l), st.kind === StmtKind.Import ? 'import' : 'from', st.module, st.level, st.names.map((x) => [x.name, x.asname])]);
      });
      const exp = rec.imports.map((i) => JSON.stringify([i.line, i.byte_col, i.kind, i.module, i.level, i.names]));
      imports += exp.length;
      if (JSON.stringify(got) !== JSON.stringify(exp) && wrong.length < 10) {
        const extra = got.filter((g) => !exp.includes(g));
        const missing = exp.filter((e) => !got.includes(e));
        wrong.push(`${rec.file}: missing ${missing.slice(0, 3).join(' ')}; extra ${extra.slice(0, 3).join(' ')}`);
      }
      // And the statements are the whole-file lexer's, spans included.
      if (wrong.length < 10) {
        const full = lexPython(text, {}).imports;
        if (JSON.stringify(full) !== JSON.stringify(lex.imports)) wrong.push(`${rec.file}: the statements differ from the lexer's`);
      }
    }
    expect(compared).toBeGreaterThan(5000);
    expect(imports).toBeGreaterThan(10000);
    expect(wrong).toEqual([]);
    // Statements after `;` or `:` and odd shapes go to the lexer: a few percent of the files.
    expect(handedBack / compared).toBeLessThan(0.06);
    console.log(`structure vs ast: ${compared} files, ${imports} imports, ${handedBack} handed to the lexer`);
  }, 300_000);

  test('analysis finds the same either way, with moves on stdlib modules', () => {
    const { stdlib, files, table, index, ctx, pre, options } = stdlibAnalysis([
      { kind: 'symbol', index: 0, id: 'os.path:join', fromModule: 'os.path', fromName: 'join', toModule: 'posixpath', toName: 'join' },
      { kind: 'symbol', index: 1, id: 'typing:List', fromModule: 'typing', fromName: 'List', toModule: 'builtins', toName: 'list' },
      { kind: 'symbol', index: 2, id: 'collections:OrderedDict', fromModule: 'collections', fromName: 'OrderedDict', toModule: 'builtins', toName: 'dict' },
      { kind: 'module', index: 3, id: 'email.utils', fromModule: 'email.utils', toModule: 'email._utils' },
      { kind: 'module', index: 4, id: 'unittest.mock', fromModule: 'unittest.mock', toModule: 'mock' },
    ]);
    const common = new Set(['os', 'sys', 're', 'path']);
    let usesCompared = 0;
    let usesHandedBack = 0;
    let analyzed = 0;
    let findings = 0;
    const wrong: string[] = [];
    for (const f of files) {
      const bytes = readFileSync(join(stdlib, f));
      pre.load(bytes);
      if (!pre.mustLex(index, f)) continue;
      analyzed++;
      const text = bytes.toString('latin1');
      const lex = pre.lex(text, options);
      // The uses of common names, found through the structural pass, are the lexer's.
      if (lex.attrsOf) {
        const got = lex.attrsOf(common);
        if (got === null) usesHandedBack++;
        else {
          usesCompared += got.length;
          if (JSON.stringify(got) !== JSON.stringify(lexPython(text, { watch: common }).attrs) && wrong.length < 5) wrong.push(`${f}: the uses of os, sys, re, path differ from the lexer's`);
        }
      }
      const cheap = analyzeFile(f, text, ctx, lex);
      const whole = analyzeFile(f, text, ctx, lexPython(text, options));
      findings += whole.length;
      if (JSON.stringify(cheap) !== JSON.stringify(whole) && wrong.length < 5) wrong.push(`${f}: ${cheap.length} findings, the lexer's way ${whole.length}`);
    }
    expect(analyzed).toBeGreaterThan(400);
    expect(findings).toBeGreaterThan(300);
    expect(usesCompared).toBeGreaterThan(5000);
    expect(usesHandedBack / analyzed).toBeLessThan(0.1);
    expect(wrong).toEqual([]);
    console.log(`analysis: ${analyzed} files, ${findings} findings, ${pre.fullyLexed} lexed whole; ${usesCompared} uses compared, ${usesHandedBack} files handed to the lexer for them`);
  }, 300_000);
});

describe('the prefilter passes over no file with findings', () => {
  test('whole-word needles, with moves whose last names are parts of many other names (stdlib)', () => {
    // `path` is inside `pathlib` and `_path`, `parse` inside `urlparse`, `utils` inside `_utils`,
    // `decoder` inside `JSONDecoder`: files that spell only those are passed over.
    const { stdlib, files, table, index, ctx, pre, options } = stdlibAnalysis([
      { kind: 'symbol', index: 0, id: 'os.path:join', fromModule: 'os.path', fromName: 'join', toModule: 'posixpath', toName: 'join' },
      { kind: 'symbol', index: 1, id: 'urllib.parse:urlparse', fromModule: 'urllib.parse', fromName: 'urlparse', toModule: 'urllib.request', toName: 'urlparse' },
      { kind: 'module', index: 2, id: 'email.utils', fromModule: 'email.utils', toModule: 'email._utils' },
      { kind: 'module', index: 3, id: 'json.decoder', fromModule: 'json.decoder', toModule: 'json.scanner' },
      // Packages whose own files reach them by relative imports that spell no needle
      // (`from ._re import ...` in tomllib/_parser.py, `from .. import fixer_base` in lib2to3/fixes/).
      { kind: 'module', index: 4, id: 'tomllib', fromModule: 'tomllib', toModule: 'tomli' },
      { kind: 'module', index: 5, id: 'lib2to3.fixes', fromModule: 'lib2to3.fixes', toModule: 'lib2to3.fixers' },
    ]);
    const substring = new NeedleSearch(table.needles());
    let passedOver = 0;
    let partsOnly = 0;
    let findings = 0;
    const missed: string[] = [];
    for (const f of files) {
      const bytes = readFileSync(join(stdlib, f));
      pre.load(bytes);
      const text = bytes.toString('latin1');
      const whole = analyzeFile(f, text, ctx, lexPython(text, options));
      findings += whole.length;
      if (pre.mustLex(index, f)) continue;
      passedOver++;
      substring.load(bytes);
      if (substring.search() === -1) partsOnly++;
      if (whole.length > 0 && missed.length < 5) missed.push(`${f}:${whole[0]!.line}: ${whole[0]!.statement}`);
    }
    expect(missed).toEqual([]);
    expect(findings).toBeGreaterThan(300);
    // The whole-word search is worth having: files a substring search would have let through.
    expect(partsOnly).toBeGreaterThan(50);
    console.log(`prefilter: ${files.length} files, ${passedOver} passed over (${partsOnly} spell a needle only inside other names), ${findings} findings`);
  }, 300_000);
});

describe('edges', () => {
  const classify = (src: string, at: number[]): number[] => {
    const s = new NeedleSearch([]);
    s.load(Buffer.from(src, 'latin1'));
    s.useSites(at.map((p) => p * 2));
    expect(s.structure(at.length, 0)).toBe(0);
    return at.map((_, k) => s.siteClass(k));
  };

  test('escapes, prefixes, triple quotes and line breaks', () => {
    const src = `a = '\\\\' # c\nb = "\\"x" + r'\\'' + rb"y"\nc = '''x\n'y''' ; d = f"{'#'}" ; e = 'open\nf = 1 # "\n`;
    const at = (needle: string, from = 0): number => src.indexOf(needle, from);
    expect(classify(src, [at('# c'), at('\\"x'), at("r'"), at('rb"'), at('y"'), at("'y'''") + 1, at('{'), at('open'), at('f = 1')]))
      .toEqual([2, 3, 3, 3, 3, 3, 4, 3, 0]);
  });

  test('brackets: depth counted in code only; an unmatched one is reported', () => {
    const src = 'x = (1, "(", # (\n  2)\ny = 3\n';
    expect(classify(src, [src.indexOf('1'), src.indexOf('2'), src.indexOf('y')])).toEqual([1, 1, 0]);
    const s = new NeedleSearch([]);
    s.load(Buffer.from('x = 1)\n', 'latin1'));
    s.useSites([]);
    expect(s.structure(0, 0)).toBe(1);
    s.load(Buffer.from('x = (1\n', 'latin1'));
    expect(s.structure(0, 0)).toBe(1);
  });

  test('a string literal cut by the end of the file, whatever the memory held after it', () => {
    const s = new NeedleSearch([]);
    s.load(Buffer.from('"' + 'x'.repeat(200) + '"', 'latin1'));
    s.load(Buffer.from('"abc', 'latin1'));
    s.useSites([2 * 2]);
    expect(s.structure(1, 0)).toBe(0);
    expect(s.siteClass(0)).toBe(3);
    expect(s.siteSpan(0, 5)).toBe(1 + 8);
  });

  test('statements the path hands to the lexer', () => {
    const search = new NeedleSearch(['legacy']);
    const lexOf = (src: string) => {
      search.load(Buffer.from(src, 'latin1'));
      return structuredLex(search, search.searchSites(), src, true);
    };
    // After `;` or `:`, when the line alone cannot vouch that the mark is in code outside brackets.
    expect(lexOf('x = "a"; import legacy\n')).toBeNull();
    expect(lexOf("if x == ')': import legacy\n")).toBeNull();
    expect(lexOf('f(a,\n  b); import legacy\n')).toBeNull();
    expect(lexOf('x = [\n1]; import legacy\n')).toBeNull();
    expect(lexOf('x = 1 + \\\n  2; import legacy\n')).toBeNull();
    expect(lexOf('x = 1; \\\nimport legacy\n')).toBeNull();
    expect(lexOf('f(\nimport legacy)\n')).toBeNull();
    // Two statements run together (invalid code): read back past another `import`.
    expect(lexOf('x = 1; from svc import corefrom svc.legacy import canonical\n')).toBeNull();
    const ok = lexOf('from . \\\n  legacy import (a,\n b)  # import legacy\nx = "a.legacy.B"\n');
    expect(ok?.imports.map((i) => [i.module, i.level, i.names.map((n) => n.name)])).toEqual([['legacy', 1, ['a', 'b']]]);
    expect(ok?.strings.map((s) => s.value)).toEqual(['a.legacy.B']);
    expect(ok?.attrsUnknown).toBe(true);
  });

  test('statements after `;` or `:` on a line that vouches for itself: read as the lexer reads them', () => {
    const search = new NeedleSearch(['legacy']);
    const sources = [
      'import os; import legacy\n',
      'import os;from legacy import a\n',
      'if sys.version_info >= (3, 8): from svc.legacy import Config\n',
      'def f():\n    if x[0]: import legacy as l; from . import legacy\n',
      '\ufeffif x: import legacy\n',
      'try: import legacy\r\nexcept ImportError: legacy = None\r\n',
      'class A:\r  y = {1: 2}; from legacy \\\r import (b,\r c)\r',
      // After a byte-order mark, the first statement is read too.
      '\ufeffimport legacy; import os\n',
      '\ufefffrom legacy import a; import os\n',
      '\tif a: from .legacy import b\n',
    ];
    for (const src of sources) {
      const text = Buffer.from(src, 'utf8').toString('latin1');
      search.load(Buffer.from(text, 'latin1'));
      const got = structuredLex(search, search.searchSites(), text, true);
      expect(got, src).not.toBeNull();
      const whole = lexPython(text, {});
      expect(whole.problems, src).toEqual([]);
      expect(got!.imports, src).toEqual(whole.imports);
      expect(got!.imports.some((st) => st.inline), src).toBe(true);
    }
  });
});
