// Reading and summing up usage logs: uses by legacy path and caller, callers the scan did not see
// (a multi-line import is reported by Python at its first line), shims nobody used, bad lines.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { Finding } from '../../src/core/finding.js';
import type { InstalledShim } from '../../src/shim/inventory.js';
import { readUsageLogs, summarizeUsage, type UseRecord } from '../../src/shim/usageLog.js';
import { makeProject } from '../helpers/project.js';

const ROOT = '/proj';

function rec(legacy: string, file: string, line: number, pid = 1, time = 100): UseRecord {
  return { legacy, canonical: legacy.replace('old', 'new'), file, line, pid, time };
}

function finding(file: string, line: number, endLine: number, legacy: string, statement: string): Finding {
  return {
    file, line, column: 1, endLine, endColumn: 1, start: 0, end: 0, code: 'CAN001', kind: 'legacy-import', form: 'from-import', legacy, canonical: null,
    move: legacy, area: 'other', priority: 'low', fixable: true, reason: null, statement, suppressed: false,
  };
}

function shim(module: string, names: string[], forward: string | null = null): InstalledShim {
  return {
    file: `${module.replace(/\./g, '/')}.py`, module, isPackage: false, bom: '', text: '', span: null, damaged: null, forward,
    rows: names.map((n) => ({ name: n, module: 'new', attr: n })),
  };
}

describe('summarizeUsage', () => {
  const findings = [
    // `from old import (\n    A,\n)`: the item is on line 11, Python reports line 10.
    finding('app/a.py', 11, 11, 'old:A', 'from old import (\n    A,\n)'),
    finding('app/b.py', 3, 3, 'oldpkg', 'from oldpkg import f'),
  ];
  const records = [
    rec('old:A', '/proj/app/a.py', 10, 1, 100),
    rec('old:A', '/proj/app/a.py', 10, 2, 200),
    rec('old:A', '/proj/app/dyn.py', 7, 2, 150),
    rec('oldpkg:f', '/proj/app/b.py', 3, 3, 120),
    rec('old:A', '/usr/lib/python3.11/unittest/mock.py', 1408, 3, 130),
  ];
  const s = summarizeUsage(records, ROOT, findings, [shim('old', ['A', 'B']), shim('oldpkg', ['f'], 'newpkg'), shim('quiet', [], 'newquiet')]);

  test('uses by legacy path, with callers, processes and first/last times', () => {
    expect(s.records).toBe(5);
    expect(s.byLegacy).toEqual([
      { legacy: 'old:A', canonical: 'new:A', uses: 4, callers: 3, processes: 3, first: 100, last: 200 },
      { legacy: 'oldpkg:f', canonical: 'newpkg:f', uses: 1, callers: 1, processes: 1, first: 120, last: 120 },
    ]);
  });

  test('uses by caller, project files made root-relative', () => {
    expect(s.byCaller.map((c) => `${c.uses} ${c.file}:${c.line} ${c.inProject}`)).toEqual([
      '2 app/a.py:10 true',
      '1 /usr/lib/python3.11/unittest/mock.py:1408 false',
      '1 app/b.py:3 true',
      '1 app/dyn.py:7 true',
    ]);
  });

  test('callers the scan did not see: a dynamic import and code outside the project', () => {
    expect(s.unseen.map((c) => `${c.file}:${c.line}`)).toEqual(['/usr/lib/python3.11/unittest/mock.py:1408', 'app/dyn.py:7']);
  });

  test('shims with no recorded use: rows, and forwarding modules as a whole', () => {
    expect(s.unused).toEqual([
      { legacy: 'old:B', file: 'old.py' },
      { legacy: 'quiet', file: 'quiet.py' },
    ]);
  });
});

describe('readUsageLogs', () => {
  test('skips and counts lines that are not records', () => {
    const dir = makeProject({});
    const good = JSON.stringify(rec('old:A', '/proj/x.py', 1));
    writeFileSync(join(dir, 'a.jsonl'), `${good}\nnot json\n{"legacy": 1}\n\n${good}\n{"legacy": "old:A", "canon`);
    const logs = readUsageLogs(['a.jsonl'], dir);
    expect(logs.records.length).toBe(2);
    expect(logs.badLines).toEqual([
      { log: 'a.jsonl', line: 2 },
      { log: 'a.jsonl', line: 3 },
      { log: 'a.jsonl', line: 6 },
    ]);
  });
});
