// One file's rewrite, planned in memory: from its text and the moves to apply to the edits, what
// each occurrence of a move became (rewritten, or refused and why) and what the result must bind.
// Pure apart from the project hooks: no verify, no disk. The property test drives it directly.

import { applyEdits, sortEdits } from './edits.js';
import { FileState, type FilePlanResult, type PlanFileInput } from './fileState.js';
import { planStatements } from './statements.js';
import { planStrings } from './strings.js';

export type { FilePlanResult, PlanFileInput, Occurrence, ExpectedBinding, ProjectHooks, ModuleSelf } from './fileState.js';

/** Plan the import rewrites of a file (phase 1). */
export function startFile(input: PlanFileInput): FileState {
  const fs = new FileState(input);
  planStatements(fs);
  return fs;
}

/** Plan its string references (phase 2: after every file's imports, so patch targets can be judged). */
export function finishFile(fs: FileState): FilePlanResult {
  if (fs.input.strings && !fs.broken && fs.error === null) planStrings(fs);
  const { conflict } = sortEdits(fs.edits);
  if (conflict && fs.error === null) {
    fs.error = `canon planned overlapping edits at bytes ${conflict.a.start} and ${conflict.b.start} (a bug in canon); the file is left as it was`;
  }
  return fs.result();
}

/** Both phases at once, and the new text (null when the file is left alone). */
export function planFile(input: PlanFileInput): FilePlanResult & { after: string | null } {
  const r = finishFile(startFile(input));
  if (r.error !== null || r.edits.length === 0) return { ...r, after: null };
  const after = applyEdits(input.text, r.edits);
  return { ...r, after: after === input.text ? null : after };
}
