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
