// TEST DOUBLE, not canon's fixer: rewrites legacy module names textually (`pkg.old` -> `pkg.new`)
// so migrate's orchestration can be tested on small fixtures whatever the state of `canon fix`.
// Each replaced occurrence counts as one fixed finding of the move given for it.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Finding } from '../../src/core/finding.js';
import type { FileFix, FixPlan } from '../../src/fix/api.js';
import type { Fixer } from '../../src/migrate/types.js';

export interface Replacement {
  from: string;
  to: string;
  /** The move id reported for each replacement. */
  move: string;
}

export function textFixer(root: string, replacements: Replacement[], opts: { failOn?: string[] } = {}): Fixer & { calls: string[][] } {
  const calls: string[][] = [];
  return {
    calls,
    async plan(files: string[]): Promise<FixPlan> {
      calls.push(files);
      const plan: FixPlan = { files: [], refused: [], errors: [] };
      for (const file of files) {
        if (opts.failOn?.includes(file)) {
          plan.errors.push({ file, message: 'rewrite does not compile (test double)' });
          continue;
        }
        const before = readFileSync(join(root, file));
        let text = before.toString('utf8');
        const fixed: Finding[] = [];
        for (const r of replacements) {
          const re = new RegExp(`\\b${r.from.replace(/\./g, '\\.')}\\b`, 'g');
          text = text.replace(re, (m: string, offset: number) => {
            const line = text.slice(0, offset).split('\n').length;
            fixed.push(finding(file, line, offset, m, r));
            return r.to;
          });
        }
        if (fixed.length === 0) continue;
        const fix: FileFix = { file, before, after: Buffer.from(text, 'utf8'), fixed, refused: [] };
        plan.files.push(fix);
      }
      return plan;
    },
  };
}

function finding(file: string, line: number, start: number, text: string, r: Replacement): Finding {
  return {
    file, line, column: 1, endLine: line, endColumn: 1 + text.length, start, end: start + text.length,
    code: 'CAN001', kind: 'legacy-import', form: 'from-import', legacy: r.move, canonical: r.move.replace(r.from, r.to), move: r.move,
    area: 'test', priority: 'high', fixable: true, reason: null, statement: text, suppressed: false,
  };
}
