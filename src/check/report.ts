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
//     },
//     "fix": { "filesChanged", "fixed", "refused", "errors" }   // with --fix only
//   }

import { plural } from '../core/text.js';
import { relative, resolve } from 'node:path';
import type { Config } from '../config/types.js';
import type { Finding } from '../core/finding.js';
import { isViolation, summarize } from '../core/summary.js';
import type { Colors } from '../report/colors.js';
import { reporters, type ScanFormat } from '../report/index.js';
import type { ScanReport } from '../report/model.js';
import { statisticsJson, statisticsText } from '../report/statistics.js';
import { displayPath, violationLine } from '../report/text.js';
import { DEFAULT_BASELINE } from './baseline.js';
import type { CheckResult } from './run.js';

export interface CheckRender {
  stdout: string;
  stderr: string;
}

/** What `check --fix` did before the check ran. */
export interface CheckFix {
  filesChanged: number;
  fixed: number;
  refused: number;
  errors: number;
}

export interface CheckRenderOptions {
  format: ScanFormat;
  cwd: string;
  colors: Colors;
  version: string;
  strict: boolean;
  /** List every fixed baseline entry, however many. */
  verbose?: boolean;
  /** The failing violations only. */
  quiet?: boolean;
  /** Counts per code and move instead of the violations (text or json). */
  statistics?: boolean;
  fix?: CheckFix;
}

/** Up to this many fixed baseline entries are listed; beyond, the verdict counts them (--verbose lists them). */
const FIXED_LISTED = 5;

export function renderCheck(r: CheckResult, config: Config, opts: CheckRenderOptions): CheckRender {
  const summary = summarize(r.reported, r.verdicts, config.areas, r.stats, r.strings);
  const report: ScanReport = {
    findings: r.reported, summary, verdicts: r.verdicts, strings: r.strings, root: config.root, cwd: opts.cwd,
    colors: opts.colors, version: opts.version, quiet: opts.quiet,
  };
  // Beside a machine format, the verdict goes to stderr (not with --quiet).
  const verdict = opts.quiet ? '' : verdictLines(r, report, (s) => s, opts).join('\n') + '\n';
  if (opts.statistics) {
    if (opts.format === 'json') return { stdout: statisticsJson(report), stderr: '' };
    const table = statisticsText(report);
    if (opts.quiet) return { stdout: table, stderr: '' };
    return { stdout: table + (table ? '\n' : '') + verdictLines(r, report, paintVerdict(r, report), opts).join('\n') + '\n', stderr: '' };
  }
  switch (opts.format) {
    case 'text':
      return { stdout: checkText(r, report, opts), stderr: '' };
    case 'concise': {
      const lines = failing(r).map((f) => violationLine(report, f));
      if (!opts.quiet) lines.push(...verdictLines(r, report, paintVerdict(r, report), opts));
      return { stdout: lines.length ? lines.join('\n') + '\n' : '', stderr: '' };
    }
    case 'json': {
      const doc = JSON.parse(reporters.json(report)) as Record<string, unknown>;
      doc['check'] = checkJson(r, opts.cwd, opts.strict, opts.fix);
      return { stdout: JSON.stringify(doc, null, 2) + '\n', stderr: '' };
    }
    case 'github':
      return { stdout: reporters.github(report) + githubNotes(r, opts.cwd), stderr: verdict };
    default:
      return { stdout: reporters[opts.format](report), stderr: verdict };
  }
}

function failing(r: CheckResult): Finding[] {
  return r.reported.filter((f) => isViolation(f, r.strings));
}

function paintVerdict(r: CheckResult, report: ScanReport): (s: string) => string {
  const c = report.colors;
  return (s) => (r.passed ? c.green(s) : c.bold(c.red(s)));
}

/** The failing violations, one `path:line:col: CODE message` line each (scan's text format). */
function checkText(r: CheckResult, report: ScanReport, opts: CheckRenderOptions): string {
  const c = report.colors;
  const out: string[] = failing(r).map((f) => violationLine(report, f));
  if (opts.quiet) return out.length ? out.join('\n') + '\n' : '';
  const fixed = r.baseline?.comparison.fixed ?? [];
  if (fixed.length > 0 && (fixed.length <= FIXED_LISTED || opts.verbose)) {
    if (out.length > 0) out.push('');
    out.push(c.bold('Fixed since the baseline:'));
    for (const e of fixed) out.push(`  ${displayPath(report, e.file)}: \`${e.legacy}\` ${e.recorded} -> ${e.found}`);
  }
  if (out.length > 0) out.push('');
  out.push(...verdictLines(r, report, paintVerdict(r, report), opts));
  return out.join('\n') + '\n';
}

function verdictLines(r: CheckResult, report: ScanReport, paint: (s: string) => string, opts: CheckRenderOptions): string[] {
  const lines: string[] = [];
  if (opts.fix) lines.push(fixLine(opts.fix));
  const b = r.baseline;
  if (b) {
    const fixed = b.comparison.fixed;
    // A long list of fixed entries is counted here instead of listed (text and concise; --verbose lists them).
    const files = new Set(fixed.map((e) => e.file)).size;
    const where = fixed.length > FIXED_LISTED && !opts.verbose && (opts.format === 'text' || opts.format === 'concise') ? ` in ${plural(files, 'file')} (--verbose lists them)` : '';
    lines.push(`Baseline ${shownPath(report.cwd, b.file)}: ${plural(b.comparison.known.length, 'known violation')} (not shown), ${b.comparison.fixedCount} fixed${where}.`);
  }
  const fails = failing(r);
  const problems: string[] = [];
  if (fails.length > 0) {
    const files = new Set(fails.map((f) => f.file)).size;
    const fixable = fails.filter((f) => f.fixable).length;
    problems.push(`${plural(fails.length, b ? 'new violation' : 'violation')} (${fixable} fixable) in ${plural(files, 'file')}`);
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

/** `Fixed 20 imports in 9 files; 2 refused (\`canon fix\` says why).` */
function fixLine(f: CheckFix): string {
  const parts = [`Fixed ${plural(f.fixed, 'import')} in ${plural(f.filesChanged, 'file')}`];
  if (f.refused > 0) parts.push(`${f.refused} refused`);
  if (f.errors > 0) parts.push(`${plural(f.errors, 'file')} left as ${f.errors === 1 ? 'it was' : 'they were'} (a rewrite failed its checks)`);
  return `${parts.join('; ')}${f.refused > 0 || f.errors > 0 ? ' (`canon fix` says why)' : ''}.`;
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

function checkJson(r: CheckResult, cwd: string, strict: boolean, fix: CheckFix | undefined): unknown {
  const fails = failing(r);
  const b = r.baseline;
  return {
    passed: r.passed,
    changedSince: r.changedSince,
    violations: r.violations,
    new: fails.length,
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
    ...(fix ? { fix } : {}),
  };
}

