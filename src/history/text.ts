// history as a table for a terminal: one row per commit, oldest first, with the change in
// violations since the row above, violations by priority and by area, and the subject.

import { PRIORITIES } from '../config/types.js';
import type { HistoryReport } from './format.js';
import { plural } from '../core/text.js';

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

function padStart(s: string | number, n: number): string {
  const t = String(s);
  return t.length >= n ? t : ' '.repeat(n - t.length) + t;
}

export function historyText(r: HistoryReport): string {
  if (r.points.length === 0) return 'No commits in the range.\n';
  const head = ['commit', 'date', 'violations', 'change', ...PRIORITIES, ...r.areas, 'subject'];
  const rows: string[][] = [];
  let prev: number | null = null;
  for (const p of r.points) {
    const change = prev === null ? '' : p.violations === prev ? '0' : p.violations > prev ? `+${p.violations - prev}` : String(p.violations - prev);
    prev = p.violations;
    rows.push([
      p.commit.slice(0, 10), p.date.slice(0, 10), String(p.violations), change,
      ...PRIORITIES.map((q) => String(p.byPriority[q])), ...r.areas.map((a) => String(p.byArea[a] ?? 0)), p.subject,
    ]);
  }
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const last = head.length - 1;
  const line = (cells: string[]): string =>
    cells.map((c, i) => (i === last ? c : i < 2 ? pad(c, widths[i]) : padStart(c, widths[i]))).join('  ').trimEnd();
  const first = r.points[0];
  const end = r.points[r.points.length - 1];
  const delta = end.violations - first.violations;
  const summary = `${plural(r.points.length, 'commit')}: ${first.violations} -> ${end.violations} violations (${delta > 0 ? '+' : ''}${delta}).`;
  return [line(head), ...rows.map(line), '', summary].join('\n') + '\n';
}
