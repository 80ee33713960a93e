// Writes a fix plan: each changed file atomically (temporary file + rename, mode kept), and only
// when its bytes on disk are still those the plan was made from. Nothing is renamed into place
// until every new text is durably on disk.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFilesAtomic } from '../fs/atomic.js';
import type { FixPlan } from './api.js';

/**
 * Write every changed file of the plan. A file that changed on disk since it was planned (another
 * editor, another run) is not written: it is moved from `plan.files` to `plan.errors`.
 */
export async function writeFixPlan(root: string, plan: FixPlan): Promise<void> {
  const written = [];
  for (const f of plan.files) {
    if (f.before.equals(f.after)) continue;
    const path = join(root, f.file);
    let now: Buffer | null = null;
    try {
      now = readFileSync(path);
    } catch {
      now = null;
    }
    if (now === null || !now.equals(f.before)) {
      plan.errors.push({ file: f.file, message: 'changed on disk since canon read it; not written (run canon fix again)' });
      continue;
    }
    written.push(f);
  }
  // All at once: one flush of the file system instead of one fsync per file.
  await writeFilesAtomic(written.map((f) => ({ path: join(root, f.file), data: f.after })));
  plan.files = written;
}
