// Gathers what the HTML report shows from the project as it is: a scan (headline, charts, remaining
// findings), verify's verdicts, the shims in place with their recorded use, and the burn-down
// from git history. Reads only; the caller writes the page.

import type { Config } from '../../config/types.js';
import { UsageError } from '../../core/errors.js';
import { summarize } from '../../core/summary.js';
import { collectHistory } from '../../history/api.js';
import type { ScanResult } from '../../scan/runScan.js';
import { listInstalledShims } from '../../shim/inventory.js';
import { readUsageLogs } from '../../shim/usageLog.js';
import type { HtmlHistoryPoint, HtmlReportInput, HtmlShim, HtmlUsage } from './page.js';
import { canonicalPath } from '../../core/moveTable.js';

export interface HtmlOptions {
  /** Commits of history for the burn-down (0: none). */
  historyCommits: number;
  usageLogs: string[];
  linkBase: string;
  strings: boolean;
  cwd: string;
  now?: Date;
}

export async function buildHtmlInput(config: Config, scan: ScanResult, opts: HtmlOptions): Promise<HtmlReportInput> {
  const summary = summarize(scan.findings, scan.verdicts, config.areas, scan.stats, opts.strings);
  const uses = new Map<string, number>();
  const records = opts.usageLogs.length > 0 ? readUsageLogs(opts.usageLogs, opts.cwd).records : [];
  for (const r of records) uses.set(r.legacy, (uses.get(r.legacy) ?? 0) + 1);
  const shims: HtmlShim[] = [];
  for (const s of listInstalledShims(config.root, scan.index)) {
    if (s.damaged !== null) continue;
    if (s.forward !== null) {
      shims.push({ legacy: s.module, canonical: s.forward, file: s.file, uses: opts.usageLogs.length ? sumPrefix(uses, s.module) : null });
    }
    for (const row of s.rows) {
      const legacy = `${s.module}:${row.name}`;
      shims.push({ legacy, canonical: `${row.module}:${row.attr}`, file: s.file, uses: opts.usageLogs.length ? (uses.get(legacy) ?? 0) : null });
    }
  }
  const usage = opts.usageLogs.length > 0 ? usageRows(records, shims) : null;
  let history: HtmlHistoryPoint[] = [];
  if (opts.historyCommits > 0) {
    try {
      history = (await collectHistory(config, { commits: opts.historyCommits, strings: opts.strings })).map((p) => ({
        commit: p.commit,
        date: p.date,
        violations: p.violations,
      }));
    } catch (e) {
      // Not a git repository: the page says there is no history rather than failing.
      if (!(e instanceof UsageError)) throw e;
    }
  }
  return {
    title: `canon consolidation report: ${config.root.split('/').pop()}`,
    generatedAt: (opts.now ?? new Date()).toISOString(),
    summary,
    findings: scan.findings,
    moves: scan.verdicts.map((v) => ({
      move: v.move.id,
      canonical: canonicalPath(v.move),
      verdict: v.verdict,
      reason: v.reason,
    })),
    shims,
    usage,
    history,
    linkBase: opts.linkBase,
  };
}

/**
 * Every legacy path the logs recorded, most used first: with or without a shim in place now (the
 * log may come from before `shim --remove`, or from another checkout).
 */
function usageRows(records: readonly { legacy: string; canonical: string; file: string; line: number }[], shims: readonly HtmlShim[]): HtmlUsage[] {
  const byLegacy = new Map<string, { canonical: string; uses: number; callers: Set<string> }>();
  for (const r of records) {
    let u = byLegacy.get(r.legacy);
    if (!u) byLegacy.set(r.legacy, (u = { canonical: r.canonical, uses: 0, callers: new Set() }));
    u.uses++;
    u.callers.add(`${r.file}:${r.line}`);
  }
  const inPlace = (legacy: string): boolean =>
    shims.some((s) => s.legacy === legacy || (!s.legacy.includes(':') && (legacy.startsWith(s.legacy + '.') || legacy.startsWith(s.legacy + ':'))));
  return [...byLegacy]
    .map(([legacy, u]) => ({ legacy, canonical: u.canonical, uses: u.uses, callers: u.callers.size, inPlace: inPlace(legacy) }))
    .sort((a, b) => b.uses - a.uses || (a.legacy < b.legacy ? -1 : a.legacy > b.legacy ? 1 : 0));
}

/** Uses recorded for a forwarding module: every legacy path at or under it. */
function sumPrefix(uses: Map<string, number>, module: string): number {
  let n = 0;
  for (const [legacy, c] of uses) if (legacy === module || legacy.startsWith(module + '.') || legacy.startsWith(module + ':')) n += c;
  return n;
}
