// `--format junit`: JUnit XML as CI servers read test results (ruff's layout): one <testsuite> per
// file with violations, one failing <testcase> per violation; a single passing test case when there
// are none, so that the report is never empty.

import { isViolation } from '../core/summary.js';
import type { Finding } from '../core/finding.js';
import type { ScanReport } from './model.js';
import { displayPath, findingMessage } from './text.js';

function xml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

export function junitReport(r: ScanReport): string {
  const violations = r.findings.filter((f) => isViolation(f, r.strings));
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="canon" tests="${Math.max(1, violations.length)}" failures="${violations.length}" errors="0">`];
  if (violations.length === 0) {
    out.push('  <testsuite name="canon" tests="1" failures="0" errors="0">', '    <testcase name="No violations found" classname="canon"/>', '  </testsuite>');
  }
  const byFile = new Map<string, Finding[]>();
  for (const f of violations) byFile.set(f.file, [...(byFile.get(f.file) ?? []), f]);
  for (const [file, list] of byFile) {
    const path = xml(displayPath(r, file));
    out.push(`  <testsuite name="${path}" tests="${list.length}" failures="${list.length}" errors="0">`);
    for (const f of list) {
      const msg = findingMessage(f) + (f.fixable || f.kind === 'unresolved' ? '' : ` (not fixable: ${f.reason})`);
      out.push(`    <testcase name="canon.${f.code}" classname="${path}" line="${f.line}" column="${f.column}">`);
      out.push(`      <failure message="${xml(msg)}">line ${f.line}, col ${f.column}, ${xml(msg)}</failure>`);
      out.push('    </testcase>');
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return out.join('\n') + '\n';
}
