// The usage log the shims write (one JSON line per use, see template.ts) read back and summed up:
// uses by legacy path and by caller, callers the static scan did not see, shims nobody used.
//
// A record: {"legacy": "pkg.old:Name", "canonical": "pkg.new:Name", "file": "/abs/caller.py",
// "line": 12, "pid": 4242, "time": 1718000000.25} (time in seconds since the epoch).

import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { Finding } from '../core/finding.js';
import { UsageError } from '../core/errors.js';
import { errnoReason } from '../core/faults.js';
import { NotRegularFileError, readRegularFile } from '../fs/input.js';
import type { InstalledShim } from './inventory.js';

export interface UseRecord {
  legacy: string;
  canonical: string;
  file: string;
  line: number;
  pid: number;
  time: number;
}

export interface UsageLogs {
  records: UseRecord[];
  /** Lines that are not a record (a crash mid-write, another tool's output): skipped, counted. */
  badLines: { log: string; line: number }[];
}

export function readUsageLogs(paths: readonly string[], cwd: string): UsageLogs {
  const out: UsageLogs = { records: [], badLines: [] };
  for (const p of paths) {
    let text: string;
    try {
      text = readRegularFile(resolve(cwd, p)).toString('utf8');
    } catch (e) {
      const why = e instanceof NotRegularFileError ? `it is ${e.kind}, not a regular file` : errnoReason(e);
      if (why === null) throw e;
      throw new UsageError(`cannot read usage log ${p}: ${why}; name the file CANON_SHIM_LOG pointed at`);
    }
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i].trim();
      if (l === '') continue;
      const r = parseRecord(l);
      if (r) out.records.push(r);
      else out.badLines.push({ log: p, line: i + 1 });
    }
  }
  return out;
}

function parseRecord(line: string): UseRecord | null {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof v !== 'object' || v === null) return null;
  const o = v as Record<string, unknown>;
  if (typeof o.legacy !== 'string' || typeof o.canonical !== 'string' || typeof o.file !== 'string') return null;
  if (typeof o.line !== 'number' || typeof o.pid !== 'number' || typeof o.time !== 'number') return null;
  return { legacy: o.legacy, canonical: o.canonical, file: o.file, line: o.line, pid: o.pid, time: o.time };
}

export interface LegacyUse {
  legacy: string;
  canonical: string;
  uses: number;
  /** Distinct `file:line` sites. */
  callers: number;
  processes: number;
  first: number;
  last: number;
}

export interface CallerUse {
  /** Root-relative POSIX path when the caller is inside the project, else as recorded. */
  file: string;
  line: number;
  inProject: boolean;
  uses: number;
  legacy: string[];
}

export interface UnusedShim {
  /** `module:Name`, or the module of a forwarding shim. */
  legacy: string;
  file: string;
}

export interface UsageSummary {
  records: number;
  byLegacy: LegacyUse[];
  byCaller: CallerUse[];
  /** Callers with no scan finding for that legacy path at that line: dynamic imports, patches, code outside the project. */
  unseen: CallerUse[];
  unused: UnusedShim[];
}

/** The module part of `module:Name` (a module path stays itself). */
export function legacyModule(legacy: string): string {
  const i = legacy.indexOf(':');
  return i < 0 ? legacy : legacy.slice(0, i);
}

export function summarizeUsage(records: readonly UseRecord[], root: string, findings: readonly Finding[], shims: readonly InstalledShim[]): UsageSummary {
  const byLegacy = new Map<string, LegacyUse & { sites: Set<string>; pids: Set<number> }>();
  const byCaller = new Map<string, CallerUse>();
  for (const r of records) {
    let l = byLegacy.get(r.legacy);
    if (!l) {
      l = { legacy: r.legacy, canonical: r.canonical, uses: 0, callers: 0, processes: 0, first: r.time, last: r.time, sites: new Set(), pids: new Set() };
      byLegacy.set(r.legacy, l);
    }
    l.uses++;
    l.sites.add(`${r.file}:${r.line}`);
    l.pids.add(r.pid);
    l.first = Math.min(l.first, r.time);
    l.last = Math.max(l.last, r.time);

    const { file, inProject } = callerFile(r.file, root);
    const key = `${file}:${r.line}`;
    let c = byCaller.get(key);
    if (!c) byCaller.set(key, (c = { file, line: r.line, inProject, uses: 0, legacy: [] }));
    c.uses++;
    if (!c.legacy.includes(r.legacy)) c.legacy.push(r.legacy);
  }

  const callers = [...byCaller.values()].sort((a, b) => b.uses - a.uses || cmp(a.file, b.file) || a.line - b.line);
  for (const c of callers) c.legacy.sort();
  const unseen = callers.filter((c) => !c.inProject || c.legacy.some((l) => !seenByScan(c, l, findings)));

  const used = new Set(records.map((r) => r.legacy));
  const usedModules = new Set(records.map((r) => legacyModule(r.legacy)));
  const unused: UnusedShim[] = [];
  for (const s of shims) {
    if (s.forward !== null) {
      if (!usedModules.has(s.module)) unused.push({ legacy: s.module, file: s.file });
      continue;
    }
    for (const row of s.rows) if (!used.has(`${s.module}:${row.name}`)) unused.push({ legacy: `${s.module}:${row.name}`, file: s.file });
  }

  return {
    records: records.length,
    byLegacy: [...byLegacy.values()]
      .map(({ sites, pids, ...l }) => ({ ...l, callers: sites.size, processes: pids.size }))
      .sort((a, b) => b.uses - a.uses || cmp(a.legacy, b.legacy)),
    byCaller: callers,
    unseen,
    unused,
  };
}

function callerFile(recorded: string, root: string): { file: string; inProject: boolean } {
  const abs = isAbsolute(recorded) ? recorded : resolve(root, recorded);
  const rel = relative(root, abs);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return { file: recorded, inProject: false };
  return { file: rel.split(sep).join('/'), inProject: true };
}

/**
 * Did the scan report this use? Same file, same legacy path (a module finding covers its
 * names), and the line within the statement: Python reports a multi-line import at its first line.
 */
function seenByScan(c: CallerUse, legacy: string, findings: readonly Finding[]): boolean {
  for (const f of findings) {
    if (f.file !== c.file) continue;
    if (f.legacy !== legacy && !(f.legacy.indexOf(':') < 0 && legacyModule(legacy) === f.legacy)) continue;
    const span = f.statement.split('\n').length - 1;
    if (c.line >= f.line - span && c.line <= f.endLine + span) return true;
  }
  return false;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
