// history as a table for a terminal, fitted to its width: one row per commit, oldest first, with the
// violations, the change since the row above, and the subject (cut to fit). Columns per priority,
// area and move would make it hundreds of characters wide, so each breakdown gets a short table of
// its own (oldest and newest commit, and the change); the CSV and JSON formats hold every count at
// every commit.

import { PRIORITIES } from '../config/types.js';
import type { HistoryReport } from './format.js';
import { plural } from '../core/text.js';

/** Without a terminal to measure: $COLUMNS, else this. */
export const DEFAULT_WIDTH = 100;
/** A subject is never cut shorter than this (the row is wider than the terminal then). */
const MIN_SUBJECT = 12;

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

function padStart(s: string | number, n: number): string {
  const t = String(s);
  return t.length >= n ? t : ' '.repeat(n - t.length) + t;
}

/** `s` in at most `n` characters: the end cut (`…`), or with `keepEnd` the start. */
function cut(s: string, n: number, keepEnd = false): string {
  if (s.length <= n) return s;
  if (n <= 1) return '…';
  return keepEnd ? '…' + s.slice(s.length - (n - 1)) : s.slice(0, n - 1) + '…';
}

function signed(n: number): string {
  return n > 0 ? `+${n}` : String(n);
}

export function historyText(r: HistoryReport): string {
  if (r.points.length === 0) return 'No commits in the range.\n';
  const width = r.width ?? DEFAULT_WIDTH;
  const head = ['commit', 'date', 'violations', 'change', 'subject'];
  const rows: string[][] = [];
  let prev: number | null = null;
  for (const p of r.points) {
    const change = prev === null ? '' : p.violations === prev ? '0' : signed(p.violations - prev);
    prev = p.violations;
    rows.push([p.commit.slice(0, 10), p.date.slice(0, 10), String(p.violations), change, p.subject]);
  }
  const last = head.length - 1;
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const fixed = widths.slice(0, last).reduce((n, w) => n + w + 2, 0);
  const subject = Math.max(MIN_SUBJECT, width - fixed);
  const line = (cells: string[]): string =>
    cells.map((c, i) => (i === last ? cut(c, subject) : i < 2 ? pad(c, widths[i]) : padStart(c, widths[i]))).join('  ').trimEnd();
  const first = r.points[0];
  const end = r.points[r.points.length - 1];
  const out = [line(head), ...rows.map(line)];

  const span = r.points.length === 1 ? 'at the commit' : `oldest -> newest commit`;
  out.push('', `By priority (${span}):`, ...changes(PRIORITIES.map((q) => [q, first.byPriority[q], end.byPriority[q]]), width));
  out.push('', `By area (${span}):`, ...changes(r.areas.map((a) => [a, first.byArea[a] ?? 0, end.byArea[a] ?? 0]), width));
  if (r.moves.length > 0) out.push('', `By move (${span}):`, ...changes(r.moves.map((m) => [m, first.byMove[m] ?? 0, end.byMove[m] ?? 0]), width));

  const delta = end.violations - first.violations;
  out.push('', `${plural(r.points.length, 'commit')}: ${first.violations} -> ${end.violations} violations (${delta > 0 ? '+' : ''}${delta}).`);
  return out.join('\n') + '\n';
}

/** `  name  first -> last  (change)` rows, the names cut from the start to fit (their end tells them apart). */
function changes(rows: [string, number, number][], width: number): string[] {
  const a = Math.max(...rows.map((x) => String(x[1]).length));
  const b = Math.max(...rows.map((x) => String(x[2]).length));
  const tail = 2 + a + 4 + b + 2 + 2 + Math.max(...rows.map((x) => signed(x[2] - x[1]).length));
  const name = Math.min(Math.max(...rows.map((x) => x[0].length)), Math.max(MIN_SUBJECT, width - 2 - tail));
  return rows.map(([n, from, to]) => {
    const change = from === to ? '' : `  (${signed(to - from)})`;
    return `  ${pad(cut(n, name, true), name)}  ${padStart(from, a)} -> ${padStart(to, b)}${change}`.trimEnd();
  });
}
