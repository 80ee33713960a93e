// `canon fix` on real packages, with their own tests as the judge (issue 12, "How to prove it").
// Copies of standard-library packages and their stdlib tests, moves between each package and
// the submodules its __init__.py re-exports from (both directions), and CPython deciding: every
// module still imports and binds the same objects, every import binding and read keeps its
// target (ast + symtable), every test that passed still passes. See test/real/harness.ts.
//
// `npm test` runs the fast slice (json + concurrent, both directions: ~15 s idle); `npm run
// test:real` (CANON_REAL=full) runs every package of packages.ts (~10 min on a loaded machine).
// CANON_REAL_REPORT=path writes the report; CANON_REAL_KEEP=1 keeps the temporary trees.
//
// Failures are sorted by the finding that explains them (findings.ts, FINDINGS.md). "nothing
// outside the known findings" must pass; each finding still open on main is an `it.fails`
// naming it, listed in OPEN below: when a fix lands, that test starts failing, and the finding
// comes out of OPEN.

import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classify, FINDINGS, type FindingId } from './findings.js';
import { Harness, type Baseline, type Direction, type DirectionResult } from './harness.js';
import { FAST, FULL } from './packages.js';
import { renderReport } from './report.js';

const MODE = process.env.CANON_REAL === 'full' ? 'full' : 'fast';
const NAMES = MODE === 'full' ? FULL : FAST;
const DIRECTIONS: Direction[] = ['up', 'down'];

/** Findings that still fail on main, per run. */
const OPEN: Record<'fast' | 'full', Record<Direction, FindingId[]>> = {
  fast: { up: [], down: [] },
  full: { up: [], down: [] },
};

describe(`canon fix on stdlib packages (${MODE}: ${NAMES.join(', ')})`, () => {
  const h = new Harness({ names: NAMES, keep: process.env.CANON_REAL_KEEP === '1', optional: MODE === 'full' });
  let baseline: Baseline;
  const runs = new Map<Direction, DirectionResult>();

  beforeAll(async () => {
    const t0 = Date.now();
    baseline = await h.baseline();
    for (const d of DIRECTIONS) runs.set(d, await h.direction(d));
    const report = renderReport(NAMES, baseline, [...runs.values()]) + `\nTotal: ${((Date.now() - t0) / 1000).toFixed(1)} s (${h.dir}).\n`;
    console.log(report);
    if (process.env.CANON_REAL_REPORT) writeFileSync(process.env.CANON_REAL_REPORT, report);
  }, 4 * 3600_000);
  afterAll(() => h.dispose());

  it('the baseline is real: every package module imports from the copy, and the tests pass', () => {
    const shadowed = Object.entries(baseline.probe).filter(([, p]) => p.ok);
    expect(shadowed.length).toBeGreaterThan(baseline.probed.length * 0.9);
    for (const [m, p] of shadowed) expect(p.file.startsWith(baseline.root), `${m} came from ${p.file}`).toBe(true);
    const passing = Object.values(baseline.tests).filter(([o]) => o === 'pass').length;
    expect(passing).toBeGreaterThan(MODE === 'full' ? 6000 : 200);
  });

  for (const d of DIRECTIONS) {
    describe(d, () => {
      it('canon fix ran and rewrote, a second run changes nothing, no file CPython rejects was touched', () => {
        const r = runs.get(d)!;
        expect(r.moves.length).toBeGreaterThan(MODE === 'full' ? 100 : 10);
        expect(r.fix.doc, r.fix.stderr).not.toBeNull();
        expect([0, 1]).toContain(r.fix.code);
        expect(r.fix.doc!.summary.fixed).toBeGreaterThan(0);
        expect(r.fix.doc!.errors).toEqual([]);
        expect(r.secondFix.doc?.summary.filesChanged).toBe(0);
        expect(r.rejectedRewritten).toEqual([]);
        expect(r.targets.bindings).toBeGreaterThan(0);
        expect(r.targets.uses).toBeGreaterThan(0);
      });

      it('nothing fails outside the known findings', () => {
        const unknown = classify(runs.get(d)!).filter((c) => c.finding === 'unknown').map((c) => c.what);
        expect(unknown, unknown.slice(0, 20).join('\n')).toEqual([]);
      });

      it('a documented change is only a module import that went: every module still imports', () => {
        const r = runs.get(d)!;
        const documented = classify(r).filter((c) => c.finding === 'documented');
        if (documented.length > 0) expect(r.importFailures).toEqual([]);
      });

      for (const f of Object.keys(FINDINGS).filter((k) => k !== 'unknown' && k !== 'documented') as FindingId[]) {
        const open = OPEN[MODE][d].includes(f);
        (open ? it.fails : it)(`[${f}] ${FINDINGS[f]}: ${open ? 'still open (it.fails)' : 'none'}`, () => {
          const mine = classify(runs.get(d)!).filter((c) => c.finding === f).map((c) => c.what);
          expect(mine, mine.slice(0, 20).join('\n')).toEqual([]);
        });
      }
    });
  }
});
