// history as CSV (RFC 4180), one row per commit, oldest first. The columns, a public contract:
//   commit, date, author, subject, files, violations, legacy_imports, unresolved, string_references,
//   suppressed, area:<name> for each area (config order, then area:other),
//   priority:critical, priority:high, priority:medium, priority:low, move:<from> for each move.
// Area, priority and move columns count violations; the kind columns count findings not suppressed.

import { PRIORITIES } from '../config/types.js';
import type { HistoryReport } from './format.js';

function field(v: string | number): string {
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function historyCsv(r: HistoryReport): string {
  const head = [
    'commit', 'date', 'author', 'subject', 'files', 'violations', 'legacy_imports', 'unresolved', 'string_references', 'suppressed',
    ...r.areas.map((a) => `area:${a}`), ...PRIORITIES.map((p) => `priority:${p}`), ...r.moves.map((m) => `move:${m}`),
  ];
  const rows = [head.map(field).join(',')];
  for (const p of r.points) {
    const row = [
      p.commit, p.date, p.author, p.subject, p.files, p.violations,
      p.byKind['legacy-import'], p.byKind.unresolved, p.byKind['string-reference'], p.suppressed,
      ...r.areas.map((a) => p.byArea[a] ?? 0), ...PRIORITIES.map((q) => p.byPriority[q]), ...r.moves.map((m) => p.byMove[m] ?? 0),
    ];
    rows.push(row.map(field).join(','));
  }
  return rows.join('\r\n') + '\r\n';
}
