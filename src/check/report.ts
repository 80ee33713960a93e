// check's output. json, markdown, sarif and github are scan's reporters run over the findings
// check reports (with a baseline: only the new violations); text is a short gate log. JSON adds a
// `check` object after scan's keys:
//
//   "check": {
//     "passed": boolean,
//     "changedSince": string | null,       // --changed-since REV
//     "violations": number,                // all violations found, known ones included
//     "new": number,                       // violations that fail the gate (= violations without a baseline)
//     "baseline": null | {
//       "file": string,                    // as given, relative to the working directory
//       "known": number,                   // violations the baseline accounts for (not in `findings`)
//       "fixed": number,                   // recorded violations no longer found
//       "strict": boolean,
//       "stale": boolean,                  // strict and fixed > 0: fails the gate
//       "fixedEntries": [{ "file", "legacy", "recorded", "found" }]
//     }
//   }

import { plural } from '../core/text.js';
import { relative, resolve } from 'node:path';
import type { Config } from '../config/types.js';
import type { Finding } from '../core/finding.js';
import { isViolation, summarize } from '../core/summary.js';
import type { Colors } from '../report/colors.js';
import { reporters, type ScanFormat } from '../report/index.js';
import type { ScanReport } from '../report/model.js';
import { displayPath, findingMessage } from '../report/text.js';
import { DEFAULT_BASELINE } from './baseline.js';
import type { CheckResult } from './run.js';

export interface CheckRender {
  stdout: string;
  stderr: string;
}

export function renderCheck(
  r: CheckResult,
  config: Config,
  opts: { format: ScanFormat; cwd: string; colors: Colors; version: string; strict: boolean },
): CheckRender {
  const summary = summarize(r.reported, r.verdicts, config.areas, r.stats, r.strings);
  const report: ScanReport = {
    findings: r.reported, summary, verdicts: r.verdicts, strings: r.strings, root: config.root, cwd: opts.cwd,
    colors: opts.colors, version: opts.version,
  };
  const verdict = verdictLines(r, report, (s) => s).join('\n') + '\n';
  switch (opts.format) {
    case 'text':
      return { stdout: checkText(r, report), stderr: '' };
    case 'json': {
      const doc = JSON.parse(reporters.json(report)) as Record<string, unknown>;
      doc['check'] = checkJson(r, opts.cwd, opts.strict);
      return { stdout: JSON.stringify(doc, null, 2) + '\n', stderr: '' };
    }
    case 'github':
      return { stdout: reporters.github(report) + githubNotes(r, opts.cwd), stderr: verdict };
    default:
      return { stdout: reporters[opts.format](report), stderr: verdict };
  }
}

/** The failing violations, one `path:line:col: CODE message` line each (scan's text format). */
function checkText(r: CheckResult, report: ScanReport): string {
  const c = report.colors;
  const out: string[] = [];
  for (const f of r.reported) {
    if (!isViolation(f, r.strings)) continue;
    const loc = `${c.bold(displayPath(report, f.file))}${c.cyan(':')}${f.line}${c.cyan(':')}${f.column}${c.cyan(':')}`;
    const tail = f.fixable || f.kind === 'unresolved' ? '' : c.yellow(` [not fixable: ${f.reason}]`);
    out.push(`${loc} ${c.red(f.code)} ${findingMessage(f)}${tail}`);
  }
  const fixed = r.baseline?.comparison.fixed ?? [];
  if (fixed.length > 0) {
    if (out.length > 0) out.push('');
    out.push(c.bold('Fixed since the baseline:'));
    for (const e of fixed) out.push(`  ${displayPath(report, e.file)}: \`${e.legacy}\` ${e.recorded} -> ${e.found}`);
  }
  if (out.length > 0) out.push('');
  out.push(...verdictLines(r, report, (s) => (r.passed ? c.green(s) : c.bold(c.red(s)))));
  return out.join('\n') + '\n';
}

function verdictLines(r: CheckResult, report: ScanReport, paint: (s: string) => string): string[] {
  const lines: string[] = [];
  const b = r.baseline;
  if (b) {
    lines.push(`Baseline ${shownPath(report.cwd, b.file)}: ${plural(b.comparison.known.length, 'known violation')} (not shown), ${b.comparison.fixedCount} fixed.`);
  }
  const failing = r.reported.filter((f) => isViolation(f, r.strings));
  const problems: string[] = [];
  if (failing.length > 0) {
    const files = new Set(failing.map((f) => f.file)).size;
    const fixable = failing.filter((f) => f.fixable).length;
    problems.push(`${plural(failing.length, b ? 'new violation' : 'violation')} (${fixable} fixable) in ${plural(files, 'file')}`);
  }
  if (r.stale && b) problems.push(`the baseline is stale (${plural(b.comparison.fixedCount, 'fixed violation')} still recorded)`);
  const scope = `Scanned ${plural(r.stats.filesScanned, 'file')}${r.changedSince !== null ? ` changed since ${r.changedSince}` : ''}.`;
  const head = problems.length > 0 ? `check failed: ${problems.join('; ')}.` : `check passed: ${b ? 'no new violations' : 'no violations'}.`;
  lines.push(`${paint(head)} ${scope}`);
  if (b && b.comparison.fixedCount > 0) {
    // Repeat --baseline in the hint only when the file is not the default one.
    const flag = b.file === resolve(report.root, DEFAULT_BASELINE) ? '' : ` --baseline ${shownPath(report.cwd, b.file)}`;
    lines.push(`Run \`canon baseline${flag}\` to tighten the baseline.`);
  }
  return lines;
}

/** A path as the user would type it from cwd, POSIX separators. */
function shownPath(cwd: string, file: string): string {
  return relative(cwd, file).split('\\').join('/') || file;
}

function githubNotes(r: CheckResult, cwd: string): string {
  const b = r.baseline;
  if (!b || b.comparison.fixedCount === 0) return '';
  const shown = shownPath(cwd, b.file);
  const msg = `${plural(b.comparison.fixedCount, 'baselined violation')} fixed; run canon baseline to tighten ${shown}`;
  return `::${r.stale ? 'error' : 'notice'} title=canon check::${msg.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')}\n`;
}

function checkJson(r: CheckResult, cwd: string, strict: boolean): unknown {
  const failing: Finding[] = r.reported.filter((f) => isViolation(f, r.strings));
  const b = r.baseline;
  return {
    passed: r.passed,
    changedSince: r.changedSince,
    violations: r.violations,
    new: failing.length,
    baseline: b
      ? {
          file: shownPath(cwd, b.file),
          known: b.comparison.known.length,
          fixed: b.comparison.fixedCount,
          strict,
          stale: r.stale,
          fixedEntries: b.comparison.fixed.map((e) => ({ file: e.file, legacy: e.legacy, recorded: e.recorded, found: e.found })),
        }
      : null,
  };
}

