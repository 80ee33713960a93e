// The WebAssembly byte search under the prefilter: checked against Buffer.indexOf on the Python
// standard library for several needle sets, on the edges of its 16-byte blocks and of its memory,
// and against its own source (the committed module must be what needles.wat compiles to).

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { NEEDLE_FOUND, NeedleSearch, TOO_MANY_SITES } from '../../src/scan/needleSearch.js';
import { NEEDLES_WASM } from '../../src/scan/wasm/needlesWasm.js';
import { pythonFiles, requirePythonPaths } from '../helpers/corpus.js';
// @ts-expect-error: a plain ES module script without types
import { render } from '../../scripts/wasm.mjs';

/** What the search must answer, by plain substring search. */
function reference(bytes: Buffer, needles: readonly string[]): number | number[] {
  if (needles.some((n) => bytes.indexOf(n, 0, 'latin1') >= 0)) return NEEDLE_FOUND;
  const sites: number[] = [];
  for (let at = bytes.indexOf('import'); at >= 0; at = bytes.indexOf('import', at + 1)) sites.push(at);
  return sites;
}

function answer(s: NeedleSearch): number | number[] {
  const found = s.search();
  if (found < 0) return found;
  return Array.from({ length: found }, (_, k) => s.site(k));
}

function searchOf(needles: string[], bytes: Buffer): number | number[] {
  const s = new NeedleSearch(needles);
  s.load(bytes);
  return answer(s);
}

test('the committed module is what needles.wat compiles to', async () => {
  const text: string = await render();
  expect(readFileSync(join(import.meta.dirname, '../../src/scan/wasm/needlesWasm.ts'), 'utf8')).toBe(text);
  expect(text).toContain(NEEDLES_WASM.slice(0, 96));
});

describe('agrees with Buffer.indexOf on the standard library', () => {
  const stdlib = requirePythonPaths().stdlib;
  const files = pythonFiles(stdlib, ['site-packages', '__pycache__']).sort().filter((_, i) => i % 3 === 0);
  const sets: [string, string[]][] = [
    ['no needle (import words only)', []],
    ['common words', ['os', 'sys']],
    ['module names', ['collections', 'typing', 'abc', 'warnings']],
    ['rare words', ['frobnicate', 'zzyzx']],
    // More needles than buckets: several share one, and each is still told apart.
    ['twelve needles', ['re', 'io', 'json', 'time', 'copy', 'enum', 'heapq', 'queue', 'struct', 'socket', 'select', 'signal']],
    ['a one-byte needle', ['Q']],
    ['non-ASCII (UTF-8 bytes as latin1)', [Buffer.from('é', 'utf8').toString('latin1')]],
    ['the import word itself', ['import']],
  ];
  for (const [label, needles] of sets) {
    test(label, () => {
      expect(files.length).toBeGreaterThan(400);
      const s = new NeedleSearch(needles);
      let hits = 0;
      const wrong: string[] = [];
      for (const f of files) {
        const bytes = readFileSync(f);
        s.load(bytes);
        const want = reference(bytes, needles);
        const got = answer(s);
        if (JSON.stringify(got) !== JSON.stringify(want)) wrong.push(`${f}: got ${JSON.stringify(got).slice(0, 80)}, want ${JSON.stringify(want).slice(0, 80)}`);
        if (want === NEEDLE_FOUND) hits++;
      }
      expect(wrong.slice(0, 5)).toEqual([]);
      // The set means something: some files hold a needle, or (no needles) none does.
      if (needles.length === 0 || label === 'rare words') expect(hits).toBe(0);
      else expect(hits).toBeGreaterThan(0);
    });
  }
});

describe('edges', () => {
  test('a needle at every offset around a block boundary, and at the very end', () => {
    for (let len = 1; len <= 40; len++) {
      for (let at = 0; at + 6 <= len; at++) {
        const bytes = Buffer.alloc(len, 0x20);
        bytes.write('legacy', at, 'latin1');
        expect(searchOf(['legacy'], bytes)).toBe(NEEDLE_FOUND);
        bytes.write('import', at, 'latin1');
        expect(searchOf(['legacy'], bytes)).toEqual([at]);
      }
    }
  });

  test('a needle cut by the end of the bytes is not found, whatever the memory holds after them', () => {
    const s = new NeedleSearch(['legacy']);
    s.load(Buffer.from('x'.repeat(100) + 'legacy' + 'x'.repeat(100), 'latin1'));
    expect(s.search()).toBe(NEEDLE_FOUND);
    // The next file is shorter: the memory past its end still holds the previous bytes.
    s.load(Buffer.from('x'.repeat(100) + 'leg', 'latin1'));
    expect(s.search()).toBe(0);
    s.load(Buffer.alloc(0));
    expect(s.search()).toBe(0);
  });

  test('files larger than the memory: it grows, for load and for readFile', () => {
    const big = Buffer.alloc(9 << 20, 0x61);
    big.write('oldapi', big.length - 6, 'latin1');
    expect(searchOf(['oldapi'], big)).toBe(NEEDLE_FOUND);
    const dir = mkdtempSync(join(tmpdir(), 'canon-needles-'));
    writeFileSync(join(dir, 'big.py'), big);
    const s = new NeedleSearch(['oldapi']);
    const stats = s.readFile(join(dir, 'big.py'), true);
    expect(stats?.size).toBe(big.length);
    expect(s.size).toBe(big.length);
    expect(s.search()).toBe(NEEDLE_FOUND);
    expect(s.bytes().equals(big)).toBe(true);
    expect(() => s.readFile(join(dir, 'missing.py'), false)).toThrow(/ENOENT/);
  });

  test('more import words than it keeps positions for', () => {
    const many = Buffer.from('import x\n'.repeat(20000), 'latin1');
    expect(searchOf([], many)).toBe(TOO_MANY_SITES);
    const fewer = Buffer.from('import x\n'.repeat(16384), 'latin1');
    expect((searchOf([], fewer) as number[]).length).toBe(16384);
  });

  test('text() is the bytes as latin1', () => {
    const bytes = Buffer.from('from é import ü\n', 'utf8');
    const s = new NeedleSearch([]);
    s.load(bytes);
    expect(s.text()).toBe(bytes.toString('latin1'));
  });
});

/** Is byte c part of an identifier, as the whole-word search reads it (ASCII letter, digit, `_`, 0x80 and up)? */
const identByte = (c: number | undefined): boolean =>
  c !== undefined && ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c >= 128);

/** Every site searchSites must give with `words`: whole-word needles (position * 2 + 1) and `import` words (position * 2). */
function wordReference(bytes: Buffer, needles: readonly string[]): number[] {
  const sites = new Set<number>();
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  for (const n of needles) {
    for (let at = bytes.indexOf(n, 0, 'latin1'); at >= 0; at = bytes.indexOf(n, at + 1, 'latin1')) {
      const before = at === 0 || (at === 3 && bom) ? false : identByte(bytes[at - 1]);
      if (!before && !identByte(bytes[at + n.length])) sites.add(at * 2 + 1);
    }
  }
  if (!needles.includes('import')) for (let at = bytes.indexOf('import'); at >= 0; at = bytes.indexOf('import', at + 1)) sites.add(at * 2);
  return [...sites].sort((a, b) => a - b);
}

function wordSites(s: NeedleSearch): number[] | number {
  const found = s.searchSites();
  if (found < 0) return found;
  return Array.from({ length: found }, (_, k) => s.site(k));
}

describe('whole words (the scan prefilter: `legacy` is not found in `legacy_tools`)', () => {
  test('agrees with a reference over the standard library, for names that are also parts of others', () => {
    const stdlib = requirePythonPaths().stdlib;
    const files = pythonFiles(stdlib, ['site-packages', '__pycache__']).sort().filter((_, i) => i % 3 === 1);
    // `path` is in `pathlib` and `os.path`; `utils` in `_utils`; `parse` in `urlparse`; `re` everywhere.
    const needles = ['path', 'utils', 'parse', 're', 'json', 'é'].map((n) => Buffer.from(n, 'utf8').toString('latin1'));
    const s = new NeedleSearch(needles, { words: true });
    const plain = new NeedleSearch(needles);
    let wordHits = 0;
    let partHits = 0;
    const wrong: string[] = [];
    for (const f of files) {
      const bytes = readFileSync(f);
      s.load(bytes);
      plain.load(bytes);
      const want = wordReference(bytes, needles);
      const got = wordSites(s);
      if (want.length > 16384 ? got !== TOO_MANY_SITES : JSON.stringify(got) !== JSON.stringify(want)) wrong.push(`${f}: got ${JSON.stringify(got).slice(0, 80)}, want ${JSON.stringify(want).slice(0, 80)}`);
      const words = want.some((v) => (v & 1) === 1);
      if (words) wordHits++;
      // A file the plain search finds a needle in and the whole-word one does not.
      else if (plain.search() === NEEDLE_FOUND) partHits++;
      if (s.search() !== (words ? NEEDLE_FOUND : want.length)) wrong.push(`${f}: search() disagrees with searchSites()`);
    }
    expect(wrong.slice(0, 5)).toEqual([]);
    expect(wordHits).toBeGreaterThan(100);
    expect(partHits).toBeGreaterThan(5);
  });

  test('the bytes on either side decide, at the edges of the file and of the blocks', () => {
    const one = (src: Buffer | string, needles = ['legacy']): number[] | number => {
      const s = new NeedleSearch(needles, { words: true });
      s.load(typeof src === 'string' ? Buffer.from(src, 'latin1') : src);
      return wordSites(s);
    };
    for (let len = 6; len <= 40; len++) {
      for (let at = 0; at + 6 <= len; at++) {
        const bytes = Buffer.alloc(len, 0x20);
        bytes.write('legacy', at, 'latin1');
        expect(one(bytes)).toEqual([at * 2 + 1]);
        if (at > 0) {
          for (const c of ['_', 'a', 'Z', '0', '\x80', '\xff']) {
            const b = Buffer.from(bytes);
            b.write(c, at - 1, 'latin1');
            expect(one(b)).toEqual([]);
          }
        }
        if (at + 6 < len) {
          for (const c of ['_', 'z', '9', '\xc3']) {
            const b = Buffer.from(bytes);
            b.write(c, at + 6, 'latin1');
            expect(one(b)).toEqual([]);
          }
        }
      }
    }
    for (const c of ['.', ':', '"', "'", '(', '\n', '\\', '#', '{', ' ']) expect(one(`x${c}legacy${c}y`)).toEqual([5]);
    // After a UTF-8 byte-order mark at the very start: a word; after the same bytes elsewhere: not.
    expect(one(Buffer.from('\ufefflegacy = 1\n', 'utf8'))).toEqual([7]);
    expect(one(Buffer.from('x\ufefflegacy = 1\n', 'utf8'))).toEqual([]);
    // Whatever the memory holds past the end is not read: a longer file leaves `_` behind.
    const s = new NeedleSearch(['legacy'], { words: true });
    s.load(Buffer.from('import legacy_tools\n', 'latin1'));
    expect(wordSites(s)).toEqual([0]);
    s.load(Buffer.from('import legacy', 'latin1'));
    expect(wordSites(s)).toEqual([0, 15]);
    // A non-ASCII needle, as its UTF-8 bytes: bounded the same way.
    const ee = Buffer.from('é', 'utf8').toString('latin1');
    expect(one(Buffer.from('x = é\n', 'utf8'), [ee])).toEqual([9]);
    expect(one(Buffer.from('x = éé\n', 'utf8'), [ee])).toEqual([]);
    // Without `words`, a needle inside a longer name is found, as before.
    const p = new NeedleSearch(['legacy']);
    p.load(Buffer.from('import legacy_tools\n', 'latin1'));
    expect(p.search()).toBe(NEEDLE_FOUND);
  });
});
