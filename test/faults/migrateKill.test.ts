// SIGKILL of `canon migrate` at the steps of its journal (before and after every durable write of
// the journal, every file checked and renamed, git add and commit: CANON_FAULT=kill:N:NAMES), with
// and without a user's edit to a batch file at that moment (CANON_FAULT=stop:N stops canon there;
// the test edits, then kills). Then `--resume` (again after a conflict stop, with --allow-dirty when
// the user edited) must end in a state the journal accounts for: every committed change holds the
// rewrite in its commit, no committed file is reverted, the quarantined file is untouched, the
// user's edit is exactly as the user left it, nothing is left in flight and no temporary file stays.

import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { git } from '../helpers/project.js';
import { CONSUMERS, FILES, fixtureRepo, UNITTEST } from '../migrate/fixture.js';
import { checkMigrated, EDITED, rewrite, VALIDATE } from './migrateState.js';
import { copyProject } from './stdlibProject.js';
import { canon, choose, FULL, removeTree, report, stopped, tracePoints, under, type Run } from './sweep.js';

/** The steps swept: the journal's writes, the project files' renames, git. */
const NAMES = ['journal', 'replace', 'migrate', 'git'];

let base = '';
let points: string[] = [];

beforeAll(async () => {
  base = fixtureRepo({ 'canon.toml': FILES['canon.toml'].replace(UNITTEST, VALIDATE) });
  const ref = copyProject(base);
  const trace = join(tmpdir(), `canon-migrate-trace-${process.pid}`);
  rmSync(trace, { force: true });
  const r = await canon(['migrate'], ref, { CANON_FAULT: `trace:${trace}` });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(1);
  points = tracePoints(trace).filter((p) => under(p, NAMES));
  rmSync(trace, { force: true });
  removeTree(ref);
}, 300_000);

afterAll(() => removeTree(base));

/** Resume until done: `--resume` (a plain run when the kill came before any run was recorded), again after a conflict stop. */
async function resume(dir: string, allowDirty: boolean): Promise<Run[]> {
  const runs: Run[] = [];
  const extra = allowDirty ? ['--allow-dirty'] : [];
  for (let i = 0; i < 4; i++) {
    let r = await canon(['migrate', '--resume', ...extra], dir);
    if (r.code === 2 && r.stderr.includes('nothing to resume')) r = await canon(['migrate', ...extra], dir);
    runs.push(r);
    if (!(r.code === 2 && r.stderr.startsWith('error: canon migrate stopped:'))) break;
  }
  return runs;
}

describe('canon migrate killed at every journal step', () => {
  test('without an edit: every end state is the finished migration the journal records', async () => {
    const t0 = performance.now();
    const at = choose(points, ['journal.backup.after', 'replace.renamed', 'journal.phase.validating.after', 'git.commit.before', 'git.commit.after', 'journal.restore.after']);
    const bad: string[] = [];
    for (const k of at) {
      const dir = copyProject(base);
      const label = `kill:${k} (${points[k - 1]})`;
      const killed = await canon(['migrate'], dir, { CANON_FAULT: `kill:${k}:${NAMES.join(',')}` });
      if (killed.signal !== 'SIGKILL') bad.push(`${label}: not killed (${killed.code}): ${killed.stderr}`);
      // Right after the kill: each file whole, and nothing committed is reverted.
      for (const f of CONSUMERS) {
        const tree = readFileSync(join(dir, f), 'utf8');
        if (tree !== FILES[f] && tree !== rewrite(f)) bad.push(`${label}: ${f} is neither`);
        if (git(dir, 'show', `HEAD:${f}`) === rewrite(f) && tree !== rewrite(f)) bad.push(`${label}: committed ${f} reverted`);
      }
      const runs = await resume(dir, false);
      const last = runs.at(-1)!;
      if (last.code !== 1 || last.stderr !== '') bad.push(`${label}: resume exited ${last.code}: ${last.stderr}`);
      bad.push(...checkMigrated(dir, label, null));
      removeTree(dir);
      if (bad.length > 20) break;
    }
    expect(bad).toEqual([]);
    report(`migrate kill sweep (${points.length} journal steps)`, at.length, t0);
  }, FULL ? 6 * 3600_000 : 600_000);

  test('with a user edit to a batch file at that moment: the edit survives exactly, the rest as the journal says', async () => {
    const t0 = performance.now();
    // d.py in flight: just renamed into place (batch 2), validating, committed on its own (bisect),
    // and batch 2's rollback half done.
    const at = choose(points, ['replace.renamed#4', 'journal.phase.validating.after#2', 'git.commit.after#3', 'journal.restore.after#1']);
    const bad: string[] = [];
    let stops = 0;
    for (const k of at) {
      const dir = copyProject(base);
      const label = `stop:${k} (${points[k - 1]}) + edit`;
      let pid = 0;
      const run = canon(['migrate'], dir, { CANON_FAULT: `stop:${k}:${NAMES.join(',')}` }, (p) => (pid = p));
      if (!(await stopped(pid))) {
        bad.push(`${label}: canon ended before the point: ${(await run).stderr}`);
        removeTree(dir);
        continue;
      }
      const userBytes = readFileSync(join(dir, EDITED), 'utf8') + '# the user was here\n';
      writeFileSync(join(dir, EDITED), userBytes);
      process.kill(pid, 'SIGKILL');
      await run;
      const runs = await resume(dir, true);
      const last = runs.at(-1)!;
      if (last.code !== 1 || last.stderr !== '') bad.push(`${label}: resume exited ${last.code}: ${last.stderr}`);
      // A conflict stop, when there was one, named the file.
      for (const r of runs.slice(0, -1)) if (!r.stderr.includes(EDITED)) bad.push(`${label}: the stop did not name ${EDITED}: ${r.stderr}`);
      if (runs.length > 1) stops++;
      bad.push(...checkMigrated(dir, label, userBytes));
      removeTree(dir);
      if (bad.length > 20) break;
    }
    expect(bad).toEqual([]);
    // The edit landed on canon's rewrite in flight at least once: resumed, canon stopped and named it.
    expect(stops).toBeGreaterThan(0);
    report(`migrate kill sweep with an edit (${points.length} journal steps)`, at.length, t0);
  }, FULL ? 6 * 3600_000 : 600_000);
});
