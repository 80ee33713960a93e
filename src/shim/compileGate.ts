// The same promise fix keeps, for shim: a legacy module CPython rejects is never rewritten, and a
// shim is written only when CPython compiles it. python3 compiles the whole original and the whole
// result from their bytes (fix/python.ts); without python3 the bytes must at least decode as
// CPython would decode them (the planner has already parsed the module with tree-sitter).

import { compileAll, pythonCommand } from '../fix/python.js';
import { pythonDecodeError } from '../python/source.js';
import type { ShimFile, ShimPlan } from './api.js';

const SHIM_BEGIN = '# canon: begin shim';

/** Take out of `plan` every change python3 (or, without it, the decoding check) says must not be made. */
export async function gateShimPlan(plan: ShimPlan, python: string | null = pythonCommand()): Promise<void> {
  const changed = plan.files.filter((f) => f.after !== null && (f.before === null || !f.before.equals(f.after)));
  if (changed.length === 0) return;
  const jobs: { f: ShimFile; which: 'before' | 'after'; bytes: Buffer }[] = [];
  for (const f of changed) {
    if (f.before !== null) jobs.push({ f, which: 'before', bytes: f.before });
    jobs.push({ f, which: 'after', bytes: f.after! });
  }
  const compiled = await compileAll(python, jobs.map((j) => ({ path: j.f.file, bytes: j.bytes })));
  const problems = new Map<ShimFile, string>();
  jobs.forEach((j, i) => {
    if (problems.has(j.f)) return;
    const error = compiled === 'unavailable' ? pythonDecodeError(j.bytes.toString('latin1')) : compiled[i];
    if (error === null) return;
    problems.set(j.f, j.which === 'before'
      ? `${j.f.file} ${compiled === 'unavailable' ? `cannot be decoded as CPython would (${error})` : `does not compile with python3 (${error})`}; canon never touches such a file`
      : `the shim of ${j.f.file} does not compile (${error}); a bug in canon, the file is left as it was`);
  });
  for (const [f, reason] of problems) {
    const stale = f.before !== null && f.before.includes(SHIM_BEGIN);
    plan.refused.push({ move: null, legacy: f.module, file: f.file, reason, stale });
    // Left exactly as it is (or not created).
    f.after = f.before;
    f.action = 'unchanged';
  }
  plan.files = plan.files.filter((f) => f.before !== null || f.after !== null);
}
