// The state a migration of the fixture (test/migrate/fixture.ts) must end in after any fault and
// the runs that resume it: checked against the journal, git, and the user's edit when there was one.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { git } from '../helpers/project.js';
import { CONSUMERS, FILES } from '../migrate/fixture.js';
import { filesUnder } from './sweep.js';

/** The batch file the fault tests edit as the user would. */
export const EDITED = 'pkg/svc/d.py';
export const QUARANTINED = 'pkg/svc/e.py';
/** Cheaper than the fixture's unittest run and as decisive: e.py's rewrite is what "breaks the tests". */
// Fails once e.py no longer names the legacy module (its rewrite says `from pkg import new`).
export const VALIDATE = 'grep -q pkg.old pkg/svc/e.py';

/** What canon writes for a consumer: `from pkg.new import thing`, and for e.py (a module alias of the
 * legacy module) an import of the canonical module under a free name, its use rewritten through it. */
export const rewrite = (f: string): string =>
  f === QUARANTINED ? 'from pkg import new\n\n\ndef value():\n    return new.thing() * 2\n' : FILES[f].replace('pkg.old', 'pkg.new');

/** What the end state must be, checked against the journal and, when given, the user's bytes of EDITED. */
export function checkMigrated(dir: string, label: string, userBytes: string | null): string[] {
  const bad: string[] = [];
  const say = (m: string): void => void bad.push(`${label}: ${m}`);
  const runsDir = join(dir, '.canon/migrate/runs');
  const runs = readdirSync(runsDir).map((f) => JSON.parse(readFileSync(join(runsDir, f), 'utf8')));
  // The run that did the work, and after a fault at its very end a plain rerun that found only
  // what was left (the quarantined file, again): every one done.
  const live = runs.filter((r) => r.status !== 'superseded');
  if (live.length === 0 || live.length > 2 || live.some((r) => r.status !== 'done')) say(`runs: ${runs.map((r) => r.status).join(', ')}`);
  const batches = live.flatMap((r) => r.batches);
  const changes: { file: string; commit: string }[] = batches.flatMap((b: { changes: unknown[] }) => b.changes);
  const quarantined = [...new Set<string>(batches.flatMap((b: { quarantined: { file: string }[] }) => b.quarantined.map((q) => q.file)))];
  if (quarantined.join() !== QUARANTINED) say(`quarantined ${quarantined.join(', ')}`);
  // Every change the journal records is in its commit, as the rewrite.
  for (const c of changes) {
    const inCommit = git(dir, 'show', `${c.commit}:${c.file}`);
    if (inCommit !== rewrite(c.file)) say(`${c.file} in ${c.commit.slice(0, 8)} is not the rewrite`);
  }
  const changed = new Set(changes.map((c) => c.file));
  for (const f of CONSUMERS) {
    const tree = readFileSync(join(dir, f), 'utf8');
    const head = git(dir, 'show', `HEAD:${f}`);
    const canonCommits = git(dir, 'log', '--format=%s', '--', f).split('\n').filter((s) => s.startsWith('canon:')).length;
    if (f === QUARANTINED) {
      if (tree !== FILES[f] || head !== FILES[f] || canonCommits !== 0) say(`${f} was touched`);
    } else if (f === EDITED && userBytes !== null) {
      if (tree !== userBytes) say(`${f} is not as the user left it`);
      if (changed.has(f) ? head !== rewrite(f) : head !== FILES[f]) say(`${f}: HEAD does not match the journal`);
    } else {
      if (!changed.has(f)) say(`${f} is not recorded as changed`);
      if (tree !== rewrite(f) || head !== rewrite(f)) say(`${f} is not the committed rewrite`);
      if (canonCommits !== 1) say(`${f} is in ${canonCommits} canon commits`);
    }
  }
  // Commits hold consumer files only; the tree has nothing uncommitted but the user's edit.
  const initial = git(dir, 'rev-list', '--max-parents=0', 'HEAD').trim();
  const touched = new Set(git(dir, 'log', '--format=', '--name-only', `${initial}..HEAD`).split('\n').filter(Boolean));
  for (const f of touched) if (!CONSUMERS.includes(f)) say(`a commit holds ${f}`);
  const status = git(dir, 'status', '--porcelain', '--untracked-files=all').replace(/^.*__pycache__.*\n/gm, '');
  if (status !== (userBytes !== null ? ` M ${EDITED}\n` : '')) say(`git status: ${JSON.stringify(status)}`);
  const left = filesUnder(dir).filter((f) => f === '.canon/migrate/active.json' || f.startsWith('.canon/migrate/backup/') || (f.startsWith('.canon/tmp/') && f !== '.canon/tmp/.gitignore') || /\.tmp$|canon-tmp$/.test(f));
  if (left.length > 0) say(`left behind: ${left.join(', ')}`);
  return bad;
}
