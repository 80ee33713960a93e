// SIGKILL of `canon fix` at the points of its write phase (every temporary file written, the flush,
// every file checked and renamed: CANON_FAULT=kill:N), on a few hundred real stdlib files. After
// each kill every file is byte-identical to before or to the finished rewrite (and exactly the files
// renamed before the kill are rewritten), git sees nothing but rewritten files (no temporary file,
// no lock), and the next run finishes the job and leaves nothing behind.

import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { git } from '../helpers/project.js';
import { copyProject, stdlibProject } from './stdlibProject.js';
import { canon, choose, FULL, removeTree, report, tracePoints } from './sweep.js';

const FIX = ['fix', '--allow-divergent'];
let base = '';
let files: string[] = [];
const before = new Map<string, Buffer>();
const after = new Map<string, Buffer>();
let points: string[] = [];
let refExit: number | null = null;

const readAll = (dir: string, into: Map<string, Buffer>): void => {
  for (const f of files) into.set(f, readFileSync(join(dir, f)));
};

/** What git sees besides rewritten tracked files: must be nothing. */
const gitExtras = (dir: string): string[] =>
  git(dir, 'status', '--porcelain', '--untracked-files=all')
    .split('\n')
    .filter((l) => l !== '' && !/^ M lib\/.*\.py$/.test(l));

beforeAll(async () => {
  ({ root: base, files } = stdlibProject());
  readAll(base, before);
  const ref = copyProject(base);
  const trace = join(tmpdir(), `canon-fix-trace-${process.pid}`);
  rmSync(trace, { force: true });
  const r = await canon(FIX, ref, { CANON_FAULT: `trace:${trace}` });
  expect(r.stderr).toBe('');
  refExit = r.code;
  readAll(ref, after);
  points = tracePoints(trace);
  rmSync(trace, { force: true });
  removeTree(ref);
}, 600_000);

afterAll(() => removeTree(base));

test('canon fix killed at every step of its write phase: whole files, nothing for git, the next run finishes', async () => {
  const changed = files.filter((f) => !before.get(f)!.equals(after.get(f)!));
  expect(files.length).toBeGreaterThanOrEqual(200);
  expect(changed.length).toBeGreaterThan(80);
  // The write phase, as the trace shows it: a temporary per file, one flush, a check and a rename per file.
  const count = (name: string): number => points.filter((p) => p === name).length;
  expect([count('atomic.temp'), count('atomic.flushed'), count('replace.checked'), count('replace.renamed')]).toEqual([changed.length, 1, changed.length, changed.length]);
  expect(points.length).toBe(3 * changed.length + 1);

  const t0 = performance.now();
  const at = choose(points);
  const failures: string[] = [];
  for (const k of at) {
    const dir = copyProject(base);
    const killed = await canon(FIX, dir, { CANON_FAULT: `kill:${k}` });
    expect(killed.signal, `kill:${k}`).toBe('SIGKILL');
    const renamed = points.slice(0, k).filter((p) => p === 'replace.renamed').length;
    let rewritten = 0;
    for (const f of files) {
      const now = readFileSync(join(dir, f));
      if (now.equals(after.get(f)!) && !now.equals(before.get(f)!)) rewritten++;
      else if (!now.equals(before.get(f)!)) failures.push(`kill:${k} (${points[k - 1]}): ${f} is neither its old bytes nor the rewrite`);
    }
    if (rewritten !== renamed) failures.push(`kill:${k} (${points[k - 1]}): ${rewritten} files rewritten, ${renamed} renamed before the kill`);
    const extras = gitExtras(dir);
    if (extras.length > 0) failures.push(`kill:${k}: git sees ${extras.slice(0, 3).join(', ')}`);

    const next = await canon(FIX, dir);
    if (next.code !== refExit || next.stderr !== '') failures.push(`kill:${k}: the next run exited ${next.code}: ${next.stderr}`);
    for (const f of files) if (!readFileSync(join(dir, f)).equals(after.get(f)!)) failures.push(`kill:${k}: after the next run ${f} is not the rewrite`);
    const left = readdirSync(join(dir, '.canon/tmp')).filter((n) => n !== '.gitignore');
    if (left.length > 0) failures.push(`kill:${k}: after the next run .canon/tmp holds ${left.slice(0, 3).join(', ')}`);
    if (gitExtras(dir).length > 0) failures.push(`kill:${k}: after the next run git sees ${gitExtras(dir).join(', ')}`);
    removeTree(dir);
    if (failures.length > 20) break;
  }
  expect(failures).toEqual([]);
  expect(at.length).toBeGreaterThanOrEqual(FULL ? points.length : 7);
  report(`fix kill sweep (${files.length} stdlib files, ${changed.length} rewritten, ${points.length} write-phase points)`, at.length, t0);
}, FULL ? 6 * 3600_000 : 900_000);
