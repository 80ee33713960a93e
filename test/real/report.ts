// The harness's results as a report a person reads (markdown): what was copied and run, what
// canon did and refused, what the oracles checked, and every failure under the finding that
// explains it. Printed by the tests, and written to $CANON_REAL_REPORT when that is set.

import { refusalCounts, type Baseline, type DirectionResult, type Outcomes } from './harness.js';
import { classify, exemptTests, FINDINGS, tally, type FindingId } from './findings.js';

function outcomeCounts(o: Outcomes): string {
  const c: Record<string, number> = {};
  for (const [x] of Object.values(o)) c[x] = (c[x] ?? 0) + 1;
  return Object.entries(c).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${v} ${k}`).join(', ') || 'none run';
}

const passed = (o: Outcomes): number => Object.values(o).filter(([x]) => x === 'pass').length;

export function renderReport(names: readonly string[], b: Baseline, runs: DirectionResult[], opts: { maxItems?: number } = {}): string {
  const max = opts.maxItems ?? 12;
  const lines: string[] = [];
  const ok = Object.values(b.probe).filter((p) => p.ok);
  lines.push(`# stdlib harness: ${names.join(', ')}`, '');
  lines.push(`Copied ${b.modules.length} modules (packages, their tests, test.support) in ${b.seconds.copy} s.`);
  lines.push(
    `Baseline: ${ok.length} of ${b.probed.length} package modules import from the copy ` +
      `(${ok.filter((p) => p.how === 'exec').length} frozen ones executed from the copy's source; ` +
      `failing: ${Object.entries(b.probe).filter(([, p]) => !p.ok).map(([m, p]) => `${m} (${p.error})`).join('; ') || 'none'}), ` +
      `${b.seconds.probe} s; tests: ${b.units.length} units, ${Object.keys(b.tests).length} results (${outcomeCounts(b.tests)}), ${b.seconds.tests} s.`,
    '',
  );
  for (const r of runs) {
    const s = r.fix.doc?.summary;
    const items = classify(r);
    const t = tally(items);
    lines.push(`## ${r.direction}: ${r.moves.length} moves`, '');
    lines.push(`- canon fix: exit ${r.fix.code}; ${s ? `${s.filesChanged} files changed, ${s.fixed} fixed, ${s.refused} refused, ${s.errors} errors` : 'no JSON'}; ` +
      `second run: ${r.secondFix.doc?.summary.filesChanged ?? '?'} files changed; ${r.seconds.fix} s for both.`);
    const refusals = Object.entries(refusalCounts(r.fix.doc));
    if (refusals.length > 0) {
      lines.push('- refusals by reason:');
      for (const [k, v] of refusals) lines.push(`  - ${v} × ${k}`);
    }
    lines.push(`- rejected by CPython before and changed: ${r.rejectedRewritten.length} (of ${r.targets.skipped.length} such files)`);
    lines.push(`- static oracle: ${r.targets.compared} files, ${r.targets.bindings} import bindings, ${r.targets.uses} reads compared; ` +
      `${r.targets.diffs.length} differences (${r.targets.isolated.length} in files judged alone); ${r.seconds.targets} s.`);
    const okAfter = b.probed.filter((m) => r.probe[m]?.ok).length;
    lines.push(`- imports: ${ok.length} modules imported before, ${okAfter} after; ${r.namesCompared} module-level names compared, ` +
      `${r.nameChanges.length} changed; ${r.importFailures.length} failures; ${r.seconds.probe} s.`);
    if (Object.keys(r.tests).length > 0) {
      lines.push(`- tests: ${passed(b.tests)} passed before, ${passed(r.tests)} after (${outcomeCounts(r.tests)}); ` +
        `${r.regressions.length} regressions, ${r.flaky.length} flaky, ${exemptTests(r).length} exempt (read their own source); ${r.seconds.tests} s.`);
    }
    const failures = Object.entries(t).filter(([k]) => k !== 'documented');
    lines.push(`- failures by finding: ${failures.map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}${t.documented ? `; documented changes: ${t.documented}` : ''}`, '');
    for (const f of Object.keys(FINDINGS) as FindingId[]) {
      const mine = items.filter((i) => i.finding === f);
      if (mine.length === 0) continue;
      lines.push(`### ${f}: ${FINDINGS[f]} (${mine.length})`, '');
      for (const i of mine.slice(0, max)) lines.push(`- ${i.what}`);
      if (mine.length > max) lines.push(`- … ${mine.length - max} more`);
      lines.push('');
    }
    if (r.flaky.length > 0) lines.push(`Flaky (passed in one of the re-runs): ${r.flaky.join(', ')}`, '');
  }
  return lines.join('\n');
}
