// Writes a fix plan: each changed file atomically (temporary file + rename, mode kept), and only
// while its bytes on disk are still those the plan was made from: checked when the write starts,
// and again immediately before each file's rename (see fs/replace.ts). Nothing is renamed into
// place until every new text is durably on disk.

import { join } from 'node:path';
import { writeFilesChecked } from '../fs/atomic.js';
import { scratchDir } from '../fs/temp.js';
import type { FixPlan } from './api.js';

const CHANGED = 'changed on disk since canon read it; not written (run canon fix again)';

/**
 * Write every changed file of the plan. A file that changed on disk since it was planned (another
 * editor, another run), before or during the write, is not written: it is moved from `plan.files`
 * to `plan.errors`. A full disk or a permission error throws a MachineFault; every file is then
 * whole, its old bytes or its new ones, and the fault says how many were written.
 */
export async function writeFixPlan(root: string, plan: FixPlan): Promise<void> {
  const changing = plan.files.filter((f) => !f.before.equals(f.after));
  if (changing.length === 0) return;
  const byPath = new Map(changing.map((f) => [join(root, f.file), f]));
  const out = writeFilesChecked(
    changing.map((f) => ({ path: join(root, f.file), data: f.after, expected: f.before })),
    scratchDir(root),
    (p) => byPath.get(p)?.file ?? p,
  );
  const changed = new Set(out.changed);
  for (const p of out.changed) plan.errors.push({ file: byPath.get(p)!.file, message: CHANGED });
  plan.files = plan.files.filter((f) => !changed.has(join(root, f.file)));
}
