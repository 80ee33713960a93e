// Writing a shim plan: each changed file atomically (new folders made), deleted files unlinked.

import { mkdirSync, unlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '../fs/atomic.js';
import type { ShimPlan, WriteResult } from './api.js';

export function writeShims(root: string, plan: ShimPlan): WriteResult {
  const out: WriteResult = { written: [], deleted: [], errors: [] };
  for (const f of plan.files) {
    if (f.action === 'unchanged') continue;
    const path = join(root, f.file);
    try {
      if (f.after === null) {
        unlinkSync(path);
        out.deleted.push(f.file);
      } else {
        mkdirSync(dirname(path), { recursive: true });
        writeFileAtomic(path, f.after);
        out.written.push(f.file);
      }
    } catch (e) {
      out.errors.push({ file: f.file, message: e instanceof Error ? e.message : String(e) });
    }
  }
  return out;
}
