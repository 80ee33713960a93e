// `--format gitlab`: GitLab's code quality report (a JSON array of issues), shown on merge requests.
// Violations are `major`; string references that are not counted (no --strings) are `info`. Paths
// are relative to $CI_PROJECT_DIR when GitLab sets it (the repository), else to the working folder.
// A fingerprint names an issue across pipelines, so it hangs on the file, the code, the legacy path
// and the statement's text, not on the line: code moving up or down keeps its issues.

import { createHash } from 'node:crypto';
import { isAbsolute, join, relative } from 'node:path';
import type { Finding } from '../core/finding.js';
import { isViolation } from '../core/summary.js';
import type { ScanReport } from './model.js';
import { findingMessage } from './text.js';

function pathFor(r: ScanReport, f: Finding): string {
  const base = process.env.CI_PROJECT_DIR;
  const from = base && isAbsolute(base) ? base : r.cwd;
  return relative(from, join(r.root, f.file)).split('\\').join('/') || f.file;
}

export function gitlabReport(r: ScanReport): string {
  const seen = new Map<string, number>();
  const issues = [];
  for (const f of r.findings) {
    if (f.suppressed) continue;
    const path = pathFor(r, f);
    const key = [path, f.code, f.legacy, f.statement].join('\0');
    const n = seen.get(key) ?? 0;
    seen.set(key, n + 1);
    issues.push({
      description: `${f.code} ${findingMessage(f)}${f.fixable || f.kind === 'unresolved' ? '' : ` (not fixable: ${f.reason})`}`,
      check_name: f.code,
      fingerprint: createHash('sha256').update(`${key}\0${n}`).digest('hex').slice(0, 32),
      severity: isViolation(f, r.strings) ? 'major' : 'info',
      location: { path, lines: { begin: f.line, end: f.endLine } },
    });
  }
  return JSON.stringify(issues, null, 2) + '\n';
}
