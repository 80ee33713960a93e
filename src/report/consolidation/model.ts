// The consolidation report's data: what the migration journal says about every run so far, joined
// with a fresh scan and verify of the project as it is now. The JSON report is this object as it
// is (a public contract: version 1, fields only ever added).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config, Priority } from '../../config/types.js';
import type { Summary } from '../../core/summary.js';
import type { MoveVerdict } from '../../core/verify.js';
import { validationSummary } from '../../migrate/batch.js';
import { scanSnapshot } from '../../migrate/plan.js';
import type { RunRecord, ScanSnapshot, TestCounts } from '../../migrate/types.js';
import type { ModuleIndex } from '../../python/moduleIndex.js';
import { listInstalledShims } from '../../shim/inventory.js';
import { canonicalPath } from '../../core/moveTable.js';

export type MetricStatus = 'met' | 'partial' | 'not met';

export interface ConsolidationReport {
  version: 1;
  generatedAt: string;
  canonVersion: string;
  configFile: string;
  /** `not started` (no run yet), `in progress` (a run was interrupted), `completed`, `completed with quarantine`. */
  status: 'not started' | 'in progress' | 'completed' | 'completed with quarantine';
  headline: {
    importsRewritten: number;
    filesMigrated: number;
    batches: number;
    batchesPassed: number;
    validationRuns: number;
    bisectRuns: number;
    quarantined: number;
    /** e.g. `7/7 passed`, or null before any baseline. */
    baseline: string | null;
    /** The last validation of kept changes, e.g. `7/7 passed`. */
    lastValidation: string | null;
    violationsBefore: number | null;
    violationsNow: number;
    fixableNow: number;
  };
  canonical: { move: string; kind: string; canonical: string; verdict: string; reason: string | null; violationsNow: number }[];
  scan: { before: ScanSnapshot | null; now: ScanSnapshot };
  /**
   * One row per legacy module of a move: `canon shim` (a block `canon shim` wrote; `serves` are the
   * names it serves, `forward` the module it forwards to), `warns` (hand-written, calls warn()),
   * `no shim` (neither a canon shim nor a warning), or `removed` (the module is gone).
   */
  shims: { legacyModule: string; file: string | null; state: 'canon shim' | 'warns' | 'no shim' | 'removed'; serves: string[]; forward: string | null; moves: string[] }[];
  batches: {
    run: string;
    n: number;
    of: number;
    priority: Priority;
    area: string;
    status: string;
    files: number;
    imports: number;
    validation: string;
    runs: number;
    durationMs: number;
    commits: string[];
  }[];
  changes: { file: string; imports: number; moves: string[]; details: string[]; commit: string | null; run: string; batch: number }[];
  quarantined: { file: string; imports: number; moves: string[]; reason: string; failingTests: string[]; excerpt: string; log: string; run: string; batch: number }[];
  /** Planned files migrate left as they were without validating them (fix refused or failed, uncommitted changes). */
  leftAlone: { file: string; reason: string; run: string; batch: number | null }[];
  remaining: { area: string; priority: Priority; violations: number; fixable: number; files: number }[];
  metrics: { metric: string; target: string; achieved: string; status: MetricStatus }[];
  runs: { id: string; status: string; startedAt: string; finishedAt: string | null; resumes: number; validate: string; error: string | null }[];
}

export interface ReportInput {
  config: Config;
  runs: RunRecord[];
  summary: Summary;
  verdicts: MoveVerdict[];
  index: ModuleIndex;
  canonVersion: string;
  now?: Date;
}

function countsText(c: TestCounts | null, passed: boolean): string {
  return c ? `${c.passed}/${c.total} passed` : passed ? 'passed' : 'failed';
}

type ShimRow = ConsolidationReport['shims'][number];

/** The legacy modules of the moves and what stands there now. */
function shimsOf(config: Config, index: ModuleIndex): ShimRow[] {
  const installed = new Map(listInstalledShims(config.root, index).map((s) => [s.module, s]));
  const rows = new Map<string, ShimRow>();
  for (const m of config.moves) {
    const row = rows.get(m.fromModule);
    if (row) {
      row.moves.push(m.id);
      continue;
    }
    const file = index.get(m.fromModule)?.file ?? null;
    const shim = installed.get(m.fromModule);
    let state: ShimRow['state'] = 'removed';
    if (shim && shim.damaged === null) state = 'canon shim';
    else if (file !== null) {
      try {
        state = /\bwarnings\.warn\(|\bwarn\(/.test(readFileSync(join(config.root, file), 'utf8')) ? 'warns' : 'no shim';
      } catch {
        state = 'removed';
      }
    }
    rows.set(m.fromModule, { legacyModule: m.fromModule, file, state, serves: shim?.rows.map((r) => r.name) ?? [], forward: shim?.forward ?? null, moves: [m.id] });
  }
  return [...rows.values()];
}

export function buildConsolidation(input: ReportInput): ConsolidationReport {
  const { runs, summary, config } = input;
  const counted = runs.filter((r) => r.status !== 'superseded' || r.batches.length > 0);
  const before = runs.length > 0 ? runs[0].scan : null;

  // Later runs settle files earlier runs quarantined: a file is quarantined only if nothing after migrated it.
  const changes: ConsolidationReport['changes'] = [];
  const quarantine = new Map<string, ConsolidationReport['quarantined'][number]>();
  const leftAlone = new Map<string, ConsolidationReport['leftAlone'][number]>();
  const batches: ConsolidationReport['batches'] = [];
  let validationRuns = 0;
  let bisectRuns = 0;
  let lastValidation: string | null = null;
  for (const r of counted) {
    if (r.baseline) validationRuns++;
    for (const x of r.skipped) leftAlone.set(x.file, { file: x.file, reason: x.reason, run: r.id, batch: null });
    for (const b of r.batches) {
      validationRuns += b.runs.length;
      bisectRuns += b.runs.filter((x) => x.kind === 'bisect').length;
      for (const x of b.skipped) leftAlone.set(x.file, { file: x.file, reason: x.reason, run: r.id, batch: b.n });
      for (const c of b.changes) {
        changes.push({ file: c.file, imports: c.imports, moves: c.moves, details: c.details, commit: c.commit, run: r.id, batch: b.n });
        quarantine.delete(c.file);
        leftAlone.delete(c.file);
      }
      for (const q of b.quarantined) quarantine.set(q.file, { ...q, run: r.id, batch: b.n });
      const kept = b.runs.filter((x) => x.passed);
      const last = kept[kept.length - 1];
      if (last) lastValidation = countsText(last.counts, true);
      const first = b.runs[0];
      batches.push({
        run: r.id,
        n: b.n,
        of: b.of,
        priority: b.priority,
        area: b.area,
        status: b.status,
        files: b.changes.length + b.quarantined.length,
        imports: b.changes.reduce((s, c) => s + c.imports, 0) + b.quarantined.reduce((s, q) => s + q.imports, 0),
        validation: first ? (b.runs.length > 1 ? `${validationSummary(first)}; bisect: ${b.runs.length - 1} more run${b.runs.length === 2 ? '' : 's'}` : validationSummary(first)) : 'not run',
        runs: b.runs.length,
        durationMs: Math.round(b.durationMs),
        commits: b.commits.map((c) => c.sha),
      });
    }
  }
  const baselineRun = [...counted].reverse().find((r) => r.baseline)?.baseline ?? null;
  const quarantined = [...quarantine.values()];
  const importsRewritten = changes.reduce((s, c) => s + c.imports, 0);
  const filesMigrated = new Set(changes.map((c) => c.file)).size;
  const batchesPassed = batches.filter((b) => b.status === 'passed').length;

  const byMove = new Map(summary.byMove.map((m) => [m.move, m.violations]));
  const canonical = input.verdicts.map((v) => ({
    move: v.move.id,
    kind: v.move.kind,
    canonical: canonicalPath(v.move),
    verdict: v.verdict,
    reason: v.reason,
    violationsNow: byMove.get(v.move.id) ?? 0,
  }));
  const shims = shimsOf(config, input.index);

  const interrupted = runs.length > 0 && (runs[runs.length - 1].status === 'interrupted' || runs[runs.length - 1].status === 'running');
  const status: ConsolidationReport['status'] =
    runs.length === 0 ? 'not started' : interrupted ? 'in progress' : quarantined.length > 0 ? 'completed with quarantine' : 'completed';

  const metric = (name: string, target: string, achieved: string, status: MetricStatus) => ({ metric: name, target, achieved, status });
  const planned = before?.fixable ?? 0;
  const metrics: ConsolidationReport['metrics'] = [
    metric(
      'Validation',
      baselineRun ? `baseline holds (${countsText(baselineRun.counts, baselineRun.passed)})` : 'baseline holds',
      lastValidation ? `${lastValidation} after every kept batch` : 'no batch kept yet',
      lastValidation ? 'met' : 'partial',
    ),
    // Every commit migrate makes follows a passing validation run, so this holds by construction.
    metric('Breaking changes committed', '0', '0', 'met'),
    metric('Import replacements', `${planned} fixable at start`, `${importsRewritten} rewritten`, importsRewritten >= planned && planned > 0 ? 'met' : importsRewritten > 0 ? 'partial' : 'not met'),
    metric('Quarantined files', '0', String(quarantined.length), quarantined.length === 0 ? 'met' : 'not met'),
    metric('Remaining fixable violations', '0', String(summary.fixable), summary.fixable === 0 ? 'met' : 'partial'),
    metric(
      'Backward compatibility',
      'legacy paths importable while consumers remain',
      `${shims.filter((s) => s.state !== 'removed').length}/${shims.length} legacy modules in place`,
      shims.every((s) => s.state !== 'removed' || s.moves.every((m) => (byMove.get(m) ?? 0) === 0)) ? 'met' : 'not met',
    ),
  ];

  return {
    version: 1,
    generatedAt: (input.now ?? new Date()).toISOString(),
    canonVersion: input.canonVersion,
    configFile: config.configFile,
    status,
    headline: {
      importsRewritten,
      filesMigrated,
      batches: batches.length,
      batchesPassed,
      validationRuns,
      bisectRuns,
      quarantined: quarantined.length,
      baseline: baselineRun ? countsText(baselineRun.counts, baselineRun.passed) : null,
      lastValidation,
      violationsBefore: before?.violations ?? null,
      violationsNow: summary.violations,
      fixableNow: summary.fixable,
    },
    canonical,
    scan: { before, now: scanSnapshot(summary) },
    shims,
    batches,
    changes,
    quarantined,
    leftAlone: [...leftAlone.values()],
    remaining: summary.byArea.map((a) => ({ area: a.area, priority: a.priority, violations: a.violations, fixable: a.fixable, files: a.files })),
    metrics,
    runs: runs.map((r) => ({ id: r.id, status: r.status, startedAt: r.startedAt, finishedAt: r.finishedAt, resumes: r.resumes, validate: r.options.validate, error: r.error })),
  };
}
