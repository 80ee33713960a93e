// ruff-like text: `path:line:col: CODE message` per finding, then tables by area and priority.

import { relative, join } from 'node:path';
import type { Finding } from '../core/finding.js';
import { isViolation } from '../core/summary.js';
import type { ScanReport } from './model.js';
import { plural } from '../core/text.js';

export function findingMessage(f: Finding): string {
  switch (f.kind) {
    case 'legacy-import': {
      const what = f.form === 'attribute' ? 'legacy attribute use' : f.form === 'star' ? 'legacy star-import' : 'legacy import';
      const use = f.canonical ? `; use \`${f.canonical}\`` : '';
      return `${what} \`${f.legacy}\`${use}`;
    }
    case 'unresolved':
      return `unresolved import: module \`${f.legacy}\` does not exist`;
    case 'string-reference':
      return `string reference to \`${f.legacy}\`${f.canonical ? `; canonical \`${f.canonical}\`` : ''}`;
  }
}

export function displayPath(r: ScanReport, file: string): string {
  const rel = relative(r.cwd, join(r.root, file)).split('\\').join('/');
  return rel === '' ? file : rel;
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

function padStart(s: string | number, n: number): string {
  const t = String(s);
  return t.length >= n ? t : ' '.repeat(n - t.length) + t;
}

/** One violation as `path:line:col: CODE message`, the line every text format (and check) prints. */
export function violationLine(r: ScanReport, f: Finding): string {
  const c = r.colors;
  const loc = `${c.bold(displayPath(r, f.file))}${c.cyan(':')}${f.line}${c.cyan(':')}${f.column}${c.cyan(':')}`;
  const tail = f.fixable || f.kind === 'unresolved' ? '' : c.yellow(` [not fixable: ${f.reason}]`);
  return `${loc} ${c.red(f.code)} ${findingMessage(f)}${tail}`;
}

/** `Found 22 violations (20 fixable) in 10 files.`, or `No violations.` */
export function foundLine(r: ScanReport): string {
  const s = r.summary;
  const c = r.colors;
  return s.violations === 0
    ? c.green('No violations.')
    : c.bold(`Found ${plural(s.violations, 'violation')} (${s.fixable} fixable) in ${plural(s.filesWithViolations, 'file')}.`);
}

export function textReport(r: ScanReport): string {
  const c = r.colors;
  const lines: string[] = [];
  const info: Finding[] = [];
  for (const f of r.findings) {
    if (f.suppressed) continue;
    if (!isViolation(f, r.strings)) {
      info.push(f);
      continue;
    }
    lines.push(violationLine(r, f));
  }
  // --quiet: the violations, nothing else.
  if (r.quiet) return lines.length ? lines.join('\n') + '\n' : '';
  if (info.length > 0) {
    if (lines.length > 0) lines.push('');
    lines.push(`String references (not counted; --strings counts them):`);
    for (const f of info) lines.push(`  ${displayPath(r, f.file)}:${f.line}:${f.column}: ${f.code} ${findingMessage(f)}`);
  }
  const s = r.summary;
  if (s.byArea.length > 0) {
    const w = Math.max(4, ...s.byArea.map((a) => a.area.length));
    lines.push('', c.bold('By area:'));
    lines.push(`  ${pad('area', w)}  ${pad('priority', 8)}  ${padStart('violations', 10)}  ${padStart('fixable', 7)}  ${padStart('files', 5)}`);
    for (const a of s.byArea) {
      lines.push(`  ${pad(a.area, w)}  ${pad(a.priority, 8)}  ${padStart(a.violations, 10)}  ${padStart(a.fixable, 7)}  ${padStart(a.files, 5)}`);
    }
    lines.push('', c.bold('By priority:'));
    for (const [p, n] of Object.entries(s.byPriority)) lines.push(`  ${pad(p, 8)}  ${padStart(n, 6)}`);
  }
  lines.push('');
  const head = foundLine(r);
  const extra: string[] = [];
  if (s.byKind['string-reference'] > 0 && !r.strings) extra.push(`${plural(s.byKind['string-reference'], 'string reference')}`);
  if (s.suppressed > 0) extra.push(`${s.suppressed} suppressed`);
  lines.push(`${head} Scanned ${plural(s.filesScanned, 'file')}${extra.length ? `; ${extra.join(', ')}` : ''}.`);
  return lines.join('\n') + '\n';
}
