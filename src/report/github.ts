// GitHub Actions workflow commands: one annotation per finding, shown inline on pull requests.

import { findingMessage } from './text.js';
import { isViolation } from '../core/summary.js';
import type { ScanReport } from './model.js';

function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function githubReport(r: ScanReport): string {
  const out: string[] = [];
  for (const f of r.findings) {
    if (f.suppressed) continue;
    const level = isViolation(f, r.strings) ? 'error' : 'notice';
    const props = `file=${escapeProperty(f.file)},line=${f.line},col=${f.column},endLine=${f.endLine},endColumn=${f.endColumn},title=${escapeProperty(`canon ${f.code}`)}`;
    const msg = findingMessage(f) + (f.fixable || f.kind === 'unresolved' ? '' : ` (not fixable: ${f.reason})`);
    out.push(`::${level} ${props}::${escapeData(msg)}`);
  }
  return out.length ? out.join('\n') + '\n' : '';
}
