// The migration plan: fixable findings grouped by file; files ordered by priority (critical first),
// then area order, then path; cut into batches of `batchSize` files that never mix areas, so each
// batch (and its commit) names one area and one priority.

import { PRIORITIES, type Area } from '../config/types.js';
import type { Finding } from '../core/finding.js';
import { isViolation, type Summary } from '../core/summary.js';
import type { PlannedBatch, PlannedFile, ScanSnapshot, Skip } from './types.js';
import { plural } from '../core/text.js';


export interface PlanInput {
  findings: readonly Finding[];
  areas: readonly Area[];
  batchSize: number;
  strings: boolean;
  /** Files migrate must not touch, with the reason (uncommitted changes, untracked, ...). */
  exclude: ReadonlyMap<string, string>;
}

export interface Plan {
  batches: PlannedBatch[];
  /** Files with fixable findings left out, and why. */
  skipped: Skip[];
}

/** Would migrate rewrite this finding? */
export function isMigratable(f: Finding, strings: boolean): boolean {
  return f.fixable && isViolation(f, strings);
}

export function planBatches(input: PlanInput): Plan {
  const areaOrder = new Map(input.areas.map((a, i) => [a.name, i]));
  const byFile = new Map<string, { file: PlannedFile; area: string; priority: Finding['priority']; moves: Set<string> }>();
  const skipped = new Map<string, string>();
  for (const f of input.findings) {
    if (!isMigratable(f, input.strings)) continue;
    const why = input.exclude.get(f.file);
    if (why !== undefined) {
      skipped.set(f.file, why);
      continue;
    }
    let entry = byFile.get(f.file);
    if (!entry) {
      entry = { file: { file: f.file, imports: 0, moves: [] }, area: f.area, priority: f.priority, moves: new Set() };
      byFile.set(f.file, entry);
    }
    entry.file.imports++;
    if (f.move) entry.moves.add(f.move);
  }
  const rank = (p: Finding['priority']): number => PRIORITIES.indexOf(p);
  const order = (a: string): number => areaOrder.get(a) ?? input.areas.length;
  const files = [...byFile.values()].sort(
    (a, b) => rank(a.priority) - rank(b.priority) || order(a.area) - order(b.area) || (a.file.file < b.file.file ? -1 : a.file.file > b.file.file ? 1 : 0),
  );
  const batches: PlannedBatch[] = [];
  let current: PlannedBatch | null = null;
  for (const e of files) {
    e.file.moves = [...e.moves].sort();
    if (!current || current.area !== e.area || current.files.length >= input.batchSize) {
      current = { n: batches.length + 1, area: e.area, priority: e.priority, files: [] };
      batches.push(current);
    }
    current.files.push(e.file);
  }
  return { batches, skipped: [...skipped].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([file, reason]) => ({ file, reason })) };
}

/** The scan figures a run records (and the report shows as "before"). */
export function scanSnapshot(s: Summary): ScanSnapshot {
  const { byKind: _k, suppressed: _s, filesLexed: _l, ...rest } = s;
  return rest;
}

export function planTotals(batches: readonly PlannedBatch[]): { files: number; imports: number } {
  let files = 0;
  let imports = 0;
  for (const b of batches) {
    files += b.files.length;
    for (const f of b.files) imports += f.imports;
  }
  return { files, imports };
}

/** `1 file`, `2 files`. */

export { plural };

export function batchTitle(b: PlannedBatch, of: number): string {
  const imports = b.files.reduce((s, f) => s + f.imports, 0);
  return `batch ${b.n}/${of} [${b.priority}] ${b.area}: ${plural(b.files.length, 'file')}, ${plural(imports, 'import')}`;
}

export function planText(plan: Plan): string {
  const t = planTotals(plan.batches);
  const out: string[] = [];
  for (const b of plan.batches) {
    out.push(batchTitle(b, plan.batches.length));
    for (const f of b.files) out.push(`  ${f.file}  (${plural(f.imports, 'import')}: ${f.moves.join(', ')})`);
  }
  if (plan.skipped.length > 0) {
    out.push('', 'Left out:');
    for (const s of plan.skipped) out.push(`  ${s.file}: ${s.reason}`);
  }
  out.push('', `${plural(plan.batches.length, 'batch', 'batches')}, ${plural(t.files, 'file')}, ${plural(t.imports, 'import')}.`);
  return out.join('\n') + '\n';
}

/** `{version: 1, batches: [{n, area, priority, files: [{file, imports, moves}]}], skipped, totals}`. */
export function planJson(plan: Plan): string {
  return JSON.stringify({ version: 1, batches: plan.batches, skipped: plan.skipped, totals: { batches: plan.batches.length, ...planTotals(plan.batches) } }, null, 2) + '\n';
}

export function planMarkdown(plan: Plan): string {
  const t = planTotals(plan.batches);
  const out = ['# canon migration plan', '', `${plural(plan.batches.length, 'batch', 'batches')}, ${plural(t.files, 'file')}, ${plural(t.imports, 'import')}.`, ''];
  out.push('| batch | priority | area | file | imports | moves |', '|---:|---|---|---|---:|---|');
  for (const b of plan.batches) {
    for (const f of b.files) out.push(`| ${b.n} | ${b.priority} | ${b.area} | \`${f.file}\` | ${f.imports} | ${f.moves.map((m) => `\`${m}\``).join(', ')} |`);
  }
  if (plan.skipped.length > 0) {
    out.push('', '## Left out', '');
    for (const s of plan.skipped) out.push(`- \`${s.file}\`: ${s.reason}`);
  }
  return out.join('\n') + '\n';
}
