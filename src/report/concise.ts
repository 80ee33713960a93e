// `--format concise` (ruff's name): one `path:line:col: CODE message` line per violation and one
// summary line; none of text's tables or string-reference list.

import { isViolation } from '../core/summary.js';
import type { ScanReport } from './model.js';
import { foundLine, violationLine } from './text.js';

export function conciseReport(r: ScanReport): string {
  const lines = r.findings.filter((f) => isViolation(f, r.strings)).map((f) => violationLine(r, f));
  if (!r.quiet) lines.push(foundLine(r));
  return lines.length ? lines.join('\n') + '\n' : '';
}
