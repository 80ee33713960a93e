// The cheap import-site check must be conservative: whenever the full analysis finds an unresolved
// import, the check must have said "maybe". Tested on the Python standard library with a module
// index from which a tenth of the modules were removed, so that many real imports are unresolved.

import { readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect, test } from 'vitest';
import { MoveTable } from '../../src/core/moveTable.js';
import { ModuleIndex } from '../../src/python/moduleIndex.js';
import { analyzeFile } from '../../src/scan/analyze.js';
import { Prefilter } from '../../src/scan/prefilter.js';
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
