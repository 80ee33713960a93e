// What every discover reporter shares: the report it receives, and how paths, kinds, counts and
// the paste-ready [[move]] tables are written.

import { relative, join } from 'node:path';
import type { Colors } from '../report/colors.js';
import type { Consolidation, DiscoverResult, SuggestedMove } from './model.js';
import { plural } from '../core/text.js';


export interface DiscoverReport {
  result: DiscoverResult;
  /** Absolute project root; file paths are shown relative to `cwd`. */
  root: string;
  cwd: string;
  colors: Colors;
}

export type DiscoverReporter = (r: DiscoverReport) => string;


export { plural };

export function displayFile(r: DiscoverReport, file: string): string {
  const rel = relative(r.cwd, join(r.root, file)).split('\\').join('/');
  return rel === '' ? file : rel;
}

/** `class, line 25` / `defined outside the project`. */
export function describeKind(c: { kind: string; line: number | null }): string {
  if (c.kind === 'external') return 'outside the project';
  return `${c.kind === 'value' ? 'assignment' : c.kind}, line ${c.line}`;
}

/** The `[[move]]` tables, one comment per canonical target; configured ones are left out. */
export function moveToml(result: DiscoverResult): string[] {
  const out: string[] = [];
  const byTarget = new Map<string, SuggestedMove[]>();
  for (const m of result.moves) {
    if (m.configured) continue;
    const list = byTarget.get(m.to);
    if (list) list.push(m);
    else byTarget.set(m.to, [m]);
  }
  const info = new Map<string, Consolidation>(result.consolidation.map((c) => [c.canonical, c]));
  for (const [to, moves] of byTarget) {
    const c = info.get(to)!;
    if (out.length > 0) out.push('');
    out.push(`# ${c.target} (${describeKind(c)}); canonical by rule ${c.rule}`);
    moves.forEach((m, i) => {
      if (i > 0) out.push('');
      // `canon fix` must leave these alone too: they would import the canonical module while it
      // is still being initialized.
      if (m.kept > 0) out.push(`# ${plural(m.kept, 'import')} of ${m.from} to keep: importing ${m.to.split(':')[0]} runs ${m.kept === 1 ? 'its file' : 'their files'} (a cycle)`);
      out.push('[[move]]', `from = ${JSON.stringify(m.from)}`, `to = ${JSON.stringify(m.to)}`);
    });
  }
  return out;
}
