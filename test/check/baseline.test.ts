import { describe, expect, test } from 'vitest';
import { baselineOf, BaselineError, fingerprint, parseBaseline, serializeBaseline } from '../../src/check/baseline.js';
import { compareWithBaseline, tightenBaseline } from '../../src/check/compare.js';
import type { Finding } from '../../src/core/finding.js';

let offset = 0;
function finding(file: string, legacy: string, statement: string, line = 1): Finding {
  offset += 10;
  return {
    file, line, column: 1, endLine: line, endColumn: 10, start: offset, end: offset + 5, code: 'CAN001',
    kind: 'legacy-import', form: 'from-import', legacy, canonical: 'new:X', move: legacy, area: 'other',
    priority: 'low', fixable: true, reason: null, statement, suppressed: false,
  };
}

const IMPORT_X = 'from old import X';
const IMPORT_Y = 'from old import Y';

describe('baseline file', () => {
  test('is sorted, stable JSON whatever the order of the findings', () => {
    const a = finding('b.py', 'old:X', IMPORT_X);
    const b = finding('a.py', 'old:Y', IMPORT_Y);
    const c = finding('a.py', 'old:X', IMPORT_X);
    const one = serializeBaseline(baselineOf([a, b, c], false));
    const two = serializeBaseline(baselineOf([c, a, b], false));
    expect(one).toBe(two);
    expect(one).toBe(
      [
        '{',
        '  "version": 1,',
        '  "strings": false,',
        '  "files": {',
        '    "a.py": {',
        '      "old:X": {',
        '        "count": 1,',
        `        "fingerprints": [`,
        `          "${fingerprint(c)}"`,
        '        ]',
        '      },',
        '      "old:Y": {',
        '        "count": 1,',
        '        "fingerprints": [',
        `          "${fingerprint(b)}"`,
        '        ]',
        '      }',
        '    },',
        '    "b.py": {',
        '      "old:X": {',
        '        "count": 1,',
        '        "fingerprints": [',
        `          "${fingerprint(a)}"`,
        '        ]',
        '      }',
        '    }',
        '  }',
        '}',
        '',
      ].join('\n'),
    );
  });

  test('round-trips through parse', () => {
    const b = baselineOf([finding('a.py', 'old:X', IMPORT_X), finding('a.py', 'old:X', 'import old')], true);
    const text = serializeBaseline(b);
    expect(serializeBaseline(parseBaseline(text))).toBe(text);
    expect(parseBaseline(text).strings).toBe(true);
  });

  test('fingerprints ignore layout but not content', () => {
    const one = fingerprint({ statement: 'from old import (\n    X,\n)' });
    expect(fingerprint({ statement: 'from old import ( X, )' })).toBe(one);
    expect(fingerprint({ statement: 'from old import (Y,)' })).not.toBe(one);
    expect(one).toMatch(/^[0-9a-f]{12}$/);
  });

  test('names every problem with its place', () => {
    const bad = JSON.stringify({ version: 2, strings: 'no', files: { 'a.py': { 'old:X': { count: -1 }, 'old:Y': [] } } });
    let err: unknown;
    try {
      parseBaseline(bad);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(BaselineError);
    expect((err as BaselineError).message).toBe('invalid baseline (4 problems):');
    expect((err as BaselineError).details).toEqual([
      'version: expected 1, got 2',
      'strings: expected true or false, got "no"',
      'files["a.py"]["old:X"].count: expected an integer >= 0, got -1',
      'files["a.py"]["old:Y"]: expected {"count": N, "fingerprints": [...]}',
    ]);
  });

  test('spots merge-conflict markers', () => {
    expect(() => parseBaseline('{\n<<<<<<< HEAD\n  "version": 1\n=======\n>>>>>>> main\n}')).toThrow(/merge-conflict markers/);
  });
});

describe('compareWithBaseline', () => {
  const all = () => true;

  test('code moving up or down changes nothing', () => {
    const before = [finding('a.py', 'old:X', IMPORT_X, 3), finding('a.py', 'old:Y', IMPORT_Y, 9)];
    const b = baselineOf(before, false);
    const after = [finding('a.py', 'old:Y', IMPORT_Y, 1), finding('a.py', 'old:X', IMPORT_X, 40)];
    const c = compareWithBaseline(after, b, all);
    expect(c.fresh).toEqual([]);
    expect(c.known).toHaveLength(2);
    expect(c.fixed).toEqual([]);
  });

  test('a new occurrence is the one whose text the baseline does not hold', () => {
    const b = baselineOf([finding('a.py', 'old:X', IMPORT_X, 3)], false);
    const added = finding('a.py', 'old:X', 'import old.X as X', 1);
    const c = compareWithBaseline([added, finding('a.py', 'old:X', IMPORT_X, 5)], b, all);
    expect(c.fresh).toEqual([added]);
  });

  test('the same text added again: the last occurrence is the new one', () => {
    const b = baselineOf([finding('a.py', 'old:X', IMPORT_X, 3)], false);
    const last = finding('a.py', 'old:X', IMPORT_X, 30);
    const c = compareWithBaseline([finding('a.py', 'old:X', IMPORT_X, 3), last], b, all);
    expect(c.fresh).toEqual([last]);
  });

  test('counts per (file, legacy path): the same import in another file is new', () => {
    const b = baselineOf([finding('a.py', 'old:X', IMPORT_X)], false);
    const other = finding('b.py', 'old:X', IMPORT_X);
    expect(compareWithBaseline([other], b, all).fresh).toEqual([other]);
  });

  test('fixed violations are counted, only in scope', () => {
    const b = baselineOf([finding('a.py', 'old:X', IMPORT_X), finding('a.py', 'old:X', IMPORT_X), finding('b.py', 'old:Y', IMPORT_Y)], false);
    const c = compareWithBaseline([finding('a.py', 'old:X', IMPORT_X)], b, all);
    expect(c.fixed).toEqual([
      { file: 'a.py', legacy: 'old:X', recorded: 2, found: 1 },
      { file: 'b.py', legacy: 'old:Y', recorded: 1, found: 0 },
    ]);
    expect(c.fixedCount).toBe(2);
    expect(c.recorded).toBe(3);
    const scoped = compareWithBaseline([finding('a.py', 'old:X', IMPORT_X)], b, (f) => f === 'a.py');
    expect(scoped.fixed).toEqual([{ file: 'a.py', legacy: 'old:X', recorded: 2, found: 1 }]);
    expect(scoped.recorded).toBe(2);
  });
});

describe('tightenBaseline', () => {
  test('only ratchets down: fixed ones leave, new ones stay out', () => {
    const old = baselineOf([finding('a.py', 'old:X', IMPORT_X), finding('a.py', 'old:X', IMPORT_X), finding('b.py', 'old:Y', IMPORT_Y)], false);
    const fresh = finding('c.py', 'old:X', IMPORT_X);
    const { baseline, leftOut } = tightenBaseline(old, [finding('a.py', 'old:X', IMPORT_X), finding('b.py', 'old:Y', IMPORT_Y), fresh]);
    expect(leftOut).toEqual([fresh]);
    expect(serializeBaseline(baseline)).toBe(
      serializeBaseline(baselineOf([finding('a.py', 'old:X', IMPORT_X), finding('b.py', 'old:Y', IMPORT_Y)], false)),
    );
  });
});
