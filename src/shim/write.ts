// Writing a shim plan: each changed file atomically (new folders made), deleted files removed, each
// only while it holds the bytes the plan was made from (a file saved meanwhile is left alone and
// reported). Every path is checked first (fs/confine.ts): a legacy module's folder that is a
// symbolic link out of the project stops the whole plan before anything is written. A full disk or
// a permission error stops the writing at once: a MachineFault saying which files were written;
// every file is whole.

import { dirname } from 'node:path';
import { machineFault } from '../core/errors.js';
import { writeFileChecked } from '../fs/atomic.js';
import { confinedPath, makeDirs } from '../fs/confine.js';
import { removeChecked } from '../fs/replace.js';
import { scratchDir } from '../fs/temp.js';
import type { ShimFile, ShimPlan, WriteResult } from './api.js';

const CHANGED = 'changed on disk since canon read it; left as it is (run canon shim again)';

/**
 * Write the plan's changed files. `keyOf` names, in an error, the setting a file comes from (by
 * default the file itself). Throws OutsideRootError, having written nothing, when a path leads
 * outside the root.
 */
export function writeShims(root: string, plan: ShimPlan, keyOf: (f: ShimFile) => string = (f) => f.file): WriteResult {
  const out: WriteResult = { written: [], deleted: [], errors: [] };
  const todo = plan.files.filter((f) => f.action !== 'unchanged');
  if (todo.length === 0) return out;
  const paths = todo.map((f) => confinedPath(root, f.file, { key: keyOf(f) }));
  let scratch: string;
  try {
    scratch = scratchDir(root);
  } catch (e) {
    throw machineFault(e, `cannot write in ${root}`, ['no shim file was written']);
  }
  todo.forEach((f, i) => {
    const path = paths[i]!;
    try {
      if (f.after === null) {
        const r = removeChecked(path, f.before!, scratch);
        if (r.outcome === 'removed') out.deleted.push(f.file);
        else out.errors.push({ file: f.file, message: r.kept ? `${CHANGED}; the version canon moved aside is ${r.kept}` : CHANGED });
      } else {
        makeDirs(dirname(path));
        if (writeFileChecked(path, f.after, f.before, scratch) === 'replaced') out.written.push(f.file);
        else out.errors.push({ file: f.file, message: CHANGED });
      }
    } catch (e) {
      const done = out.written.length + out.deleted.length;
      throw machineFault(e, `cannot write ${f.file}`, [`${done} of ${todo.length} shim files were written before the error, each whole; run canon shim again to finish`], path);
    }
  });
  return out;
}
