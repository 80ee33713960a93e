// A file of a batch that changed under canon migrate (an editor's save while the batch validated, an
// edit after a crash): canon replaces only bytes it wrote itself, so the file is left as it is, both
// its version before the batch and the one canon found are kept under .canon/migrate/conflicts/,
// and the run stops (it stays resumable) with this error.

import { UsageError } from '../core/errors.js';
import { plural } from '../core/text.js';

export interface Conflict {
  file: string;
  /** The file's bytes before the batch, kept under .canon/ (root-relative); null if they could not be kept. */
  before: string | null;
  /** The version canon found, kept under .canon/ (root-relative); null when the file was deleted or could not be copied. */
  yours: string | null;
  /** The file was gone. */
  deleted: boolean;
}

export class ConflictError extends UsageError {
  constructor(
    readonly conflicts: Conflict[],
    readonly batch: number,
  ) {
    const n = conflicts.length;
    const them = n === 1 ? 'it' : 'them';
    const lines = conflicts.map((c) => {
      const kept = [c.before ? `before the batch: ${c.before}` : null, c.yours ? `yours: ${c.yours}` : null].filter(Boolean).join('; ');
      return `${c.file}${c.deleted ? ' (deleted)' : ''}${kept ? ` (${kept})` : ''}`;
    });
    super(`canon migrate stopped: ${plural(n, 'file')} of batch ${batch} changed while canon was working on ${them}, and canon left ${them} as ${n === 1 ? 'it is' : 'they are'}:`, [
      ...lines,
      "the batch's other files are as they were before it;",
      'keep your changes (commit or stash them), then run `canon migrate --resume` (add --allow-dirty to leave uncommitted files out)',
    ]);
  }
}
