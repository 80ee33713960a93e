// The JSON document: a public contract (README, "JSON schema"). Keys in a fixed order, findings
// sorted by file then offset; never remove or rename a field within version 1.

import type { Finding } from '../core/finding.js';
import type { ScanReport } from './model.js';
import { canonicalPath } from '../core/moveTable.js';

/** One finding as the JSON documents spell it (scan, check, fix). */
export function findingJson(f: Finding): Record<string, unknown> {
  return {
    file: f.file,
    line: f.line,
    column: f.column,
    endLine: f.endLine,
    endColumn: f.endColumn,
    start: f.start,
    end: f.end,
    code: f.code,
    kind: f.kind,
    form: f.form,
    legacy: f.legacy,
    canonical: f.canonical,
    move: f.move,
    area: f.area,
    priority: f.priority,
    fixable: f.fixable,
    reason: f.reason,
    suppressed: f.suppressed,
    statement: f.statement,
  };
}

export function jsonReport(r: ScanReport): string {
  const findings = r.findings.map(findingJson);
  const moves = r.verdicts.map((v) => ({
    move: v.move.id,
    kind: v.move.kind,
    canonical: canonicalPath(v.move),
    verdict: v.verdict,
    reason: v.reason,
  }));
  return JSON.stringify({ version: 1, findings, moves, summary: r.summary }, null, 2) + '\n';
}
