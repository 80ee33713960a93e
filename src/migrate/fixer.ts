// The real fixer behind migrate: `canon fix`'s planFix, narrowed to a batch's files and to the same
// filters as the migration. Planning reads the files as they are when the batch starts.

import type { Config } from '../config/types.js';
import type { FixOptions } from '../fix/api.js';
import { planFix } from '../fix/plan.js';
import type { Fixer } from './types.js';

export function projectFixer(config: Config, opts: Omit<FixOptions, 'files' | 'paths' | 'cwd'>): Fixer {
  return { plan: (files) => planFix(config, { ...opts, files }) };
}
