// history as JSON, a public contract (version 1):
// { version: 1, strings, areas: [name...], moves: [from...], commits: HistoryPoint[] } (model.ts),
// commits oldest first.

import type { HistoryReport } from './format.js';

export function historyJson(r: HistoryReport): string {
  const commits = r.points.map((p) => ({
    commit: p.commit,
    date: p.date,
    author: p.author,
    subject: p.subject,
    files: p.files,
    violations: p.violations,
    byKind: p.byKind,
    suppressed: p.suppressed,
    byArea: p.byArea,
    byPriority: p.byPriority,
    byMove: p.byMove,
  }));
  return JSON.stringify({ version: 1, strings: r.strings, areas: r.areas, moves: r.moves, commits }, null, 2) + '\n';
}
