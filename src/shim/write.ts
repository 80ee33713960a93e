// Writing a shim plan: each changed file atomically (new folders made), deleted files unlinked.
// Every path is checked first (fs/confine.ts): a legacy module's folder that is a symbolic link
// out of the project stops the whole plan before anything is written.

import { unlinkSync } from 'node:fs';
import { dirname } from 'node:path';
import { errnoReason, withPath } from '../core/faults.js';
import { writeFileAtomic } from '../fs/atomic.js';
import { confinedPath, makeDirs } from '../fs/confine.js';
import type { ShimFile, ShimPlan, WriteResult } from './api.js';

/**
 * Write the plan's changed files. `keyOf` names, in an error, the setting a file comes from (by
 * default the file itself). Throws OutsideRootError, having written nothing, when a path leads
 * outside the root; stops at the first file the machine cannot write (see core/faults.ts).
 */
export function writeShims(root: string, plan: ShimPlan, keyOf: (f: ShimFile) => string = (f) => f.file): WriteResult {
  const out: WriteResult = { written: [], deleted: [], errors: [] };
  const changed = plan.files.filter((f) => f.action !== 'unchanged');
  const paths = changed.map((f) => confinedPath(root, f.file, { key: keyOf(f) }));
  changed.forEach((f, i) => {
    const path = paths[i]!;
    try {
      if (f.after === null) {
        unlinkSync(path);
        out.deleted.push(f.file);
      } else {
        makeDirs(dirname(path));
        writeFileAtomic(path, f.after);
        out.written.push(f.file);
      }
    } catch (e) {
      // The machine's faults (a full disk, no permission) stop the run: the next file would fail
      // the same way, and the command boundary says what to do. Files written so far are whole.
      if (errnoReason(e) !== null) throw withPath(e, path);
      out.errors.push({ file: f.file, message: e instanceof Error ? e.message : String(e) });
    }
  });
  return out;
}
