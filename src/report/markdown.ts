// A Markdown report a person pastes into an issue: summary, by area, by priority, by move with its
// verify verdict, the files with the most violations, and the violations themselves.

import { isViolation } from '../core/summary.js';
import type { ScanReport } from './model.js';
import { findingMessage } from './text.js';

const TOP_FILES = 10;
const MAX_ROWS = 200;

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

export function markdownReport(r: ScanReport): string {
  const s = r.summary;
  const out: string[] = ['# canon scan report', ''];
  out.push('## Summary', '');
  out.push(`- **Files scanned**: ${s.filesScanned}`);
  out.push(`- **Violations**: ${s.violations} (${s.fixable} fixable) in ${s.filesWithViolations} files`);
  out.push(`- **Legacy imports**: ${s.byKind['legacy-import']}; **unresolved imports**: ${s.byKind.unresolved}; **string references**: ${s.byKind['string-reference']}${r.strings ? '' : ' (not counted)'}`);
  if (s.suppressed > 0) out.push(`- **Suppressed** (\`# canon: ignore\`, \`# noqa: CAN…\`, per-file-ignores): ${s.suppressed}`);
  out.push('');
  out.push('## Moves', '', '| legacy | canonical | verify | violations |', '|---|---|---|---:|');
  for (const m of s.byMove) out.push(`| \`${m.move}\` | \`${m.canonical}\` | ${m.verdict} | ${m.violations} |`);
  out.push('');
  if (s.byArea.length > 0) {
    out.push('## By area', '', '| area | priority | violations | fixable | files |', '|---|---|---:|---:|---:|');
    for (const a of s.byArea) out.push(`| ${cell(a.area)} | ${a.priority} | ${a.violations} | ${a.fixable} | ${a.files} |`);
    out.push('', '## By priority', '', '| priority | violations |', '|---|---:|');
    for (const [p, n] of Object.entries(s.byPriority)) out.push(`| ${p} | ${n} |`);
    out.push('');
    const perFile = new Map<string, number>();
    for (const f of r.findings) if (isViolation(f, r.strings)) perFile.set(f.file, (perFile.get(f.file) ?? 0) + 1);
    const top = [...perFile.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, TOP_FILES);
    out.push('## Top files', '', '| file | violations |', '|---|---:|');
    for (const [file, n] of top) out.push(`| \`${cell(file)}\` | ${n} |`);
    out.push('');
    const rows = r.findings.filter((f) => isViolation(f, r.strings));
    out.push('## Violations', '', '| location | code | message | fixable |', '|---|---|---|---|');
    for (const f of rows.slice(0, MAX_ROWS)) {
      out.push(`| \`${cell(f.file)}:${f.line}:${f.column}\` | ${f.code} | ${cell(findingMessage(f))} | ${f.fixable ? 'yes' : cell(`no: ${f.reason}`)} |`);
    }
    if (rows.length > MAX_ROWS) out.push('', `…and ${rows.length - MAX_ROWS} more (see \`canon scan --format json\`).`);
    out.push('');
  } else {
    out.push('No violations.', '');
  }
  return out.join('\n');
}
