// `canon fix --format json`: the plan as one JSON document on stdout (version 1, fields only ever
// added): what changed, every finding rewritten or refused and why, notes, errors, and with --diff
// the diff that was not applied.

import type { Config } from '../config/types.js';
import { findingJson } from '../report/json.js';
import type { FixPlan } from './api.js';
import { allRefusals } from './plan.js';
import { canonicalPath } from '../core/moveTable.js';

export function fixJson(plan: FixPlan, config: Config, opts: { dryRun: boolean; diff?: string }): string {
  const refusals = allRefusals(plan).sort((a, b) => a.finding.file.localeCompare(b.finding.file) || a.finding.start - b.finding.start);
  const perMove = config.moves
    .map((m) => {
      const fixed = plan.files.flatMap((f) => f.fixed.filter((x) => x.move === m.id).map(() => f.file));
      return { move: m.id, canonical: canonicalPath(m), fixed: fixed.length, files: new Set(fixed).size };
    })
    .filter((m) => m.fixed > 0);
  const d = plan.details;
  const doc = {
    version: 1,
    dryRun: opts.dryRun,
    files: plan.files.map((f) => ({ file: f.file, fixed: f.fixed.map(findingJson) })),
    refused: refusals.map((r) => ({ ...findingJson(r.finding), refusal: r.reason })),
    errors: plan.errors.map((e) => ({ file: e.file, message: e.message })),
    notes: (d?.notes ?? []).map((n) => ({ file: n.file, line: n.line, message: n.message })),
    overridden: d?.overridden ?? [],
    summary: {
      filesChanged: plan.files.length,
      fixed: plan.files.reduce((n, f) => n + f.fixed.length, 0),
      refused: refusals.length,
      errors: plan.errors.length,
      byMove: perMove,
      compiled: d?.stats.compiled ?? null,
    },
    ...(d?.importCheck ? { importCheck: d.importCheck } : {}),
    ...(opts.diff !== undefined ? { diff: opts.diff } : {}),
  };
  return JSON.stringify(doc, null, 2) + '\n';
}
