// The baseline: the violations a project has agreed to live with for now, so that `canon check
// --baseline` fails only on new ones. Keyed on (file, legacy path) with a count, so code moving up
// or down a file never breaks it; each occurrence's text is fingerprinted only to tell, in reports,
// which occurrences are the new ones.
//
// File format (a public contract; `version` changes only if a field's meaning does):
//
//   {
//     "version": 1,
//     "strings": false,            // recorded with --strings: string references are violations too
//     "files": {                   // root-relative POSIX paths, sorted by code unit
//       "app/routes/ws.py": {
//         "app.core.manager:Manager": {   // the finding's `legacy`, sorted by code unit
//           "count": 2,                   // how many violations may remain (the gate)
//           "fingerprints": ["3f0c9a1be27d", "9b1e44d0a6c2"]   // one per occurrence, sorted
//         }
//       }
//     }
//   }
//
// A fingerprint is the first 12 hex digits of SHA-256 over the occurrence's statement text with
// every run of whitespace collapsed to one space. The writer emits keys in this order, two-space
// indentation and a final newline, so the same violations always give the same bytes and two
// branches touching different files merge without conflict.

import { createHash } from 'node:crypto';
import { errnoReason } from '../core/faults.js';
import type { Finding } from '../core/finding.js';
import { NotRegularFileError, readRegularFile } from '../fs/input.js';
import { plural } from '../core/text.js';

export const BASELINE_VERSION = 1;
export const DEFAULT_BASELINE = '.canon/baseline.json';

export interface BaselineEntry {
  count: number;
  fingerprints: string[];
}

export interface Baseline {
  strings: boolean;
  /** file -> legacy -> entry. */
  files: Map<string, Map<string, BaselineEntry>>;
}

export function fingerprint(f: Pick<Finding, 'statement'>): string {
  const text = f.statement.replace(/\s+/g, ' ').trim();
  return createHash('sha256').update(text, 'latin1').digest('hex').slice(0, 12);
}

/** The baseline that records exactly `violations`. */
export function baselineOf(violations: readonly Finding[], strings: boolean): Baseline {
  const files = new Map<string, Map<string, BaselineEntry>>();
  for (const f of violations) {
    let byLegacy = files.get(f.file);
    if (!byLegacy) files.set(f.file, (byLegacy = new Map()));
    let e = byLegacy.get(f.legacy);
    if (!e) byLegacy.set(f.legacy, (e = { count: 0, fingerprints: [] }));
    e.count++;
    e.fingerprints.push(fingerprint(f));
  }
  return { strings, files };
}

/** Total violations recorded. */
export function recordedCount(b: Baseline): number {
  let n = 0;
  for (const byLegacy of b.files.values()) for (const e of byLegacy.values()) n += e.count;
  return n;
}

const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The file's bytes: sorted, stable JSON (see the format above). Entries with count 0 are left out. */
export function serializeBaseline(b: Baseline): string {
  const files: Record<string, Record<string, { count: number; fingerprints: string[] }>> = {};
  for (const file of [...b.files.keys()].sort(byCodeUnit)) {
    const byLegacy = b.files.get(file)!;
    const out: Record<string, { count: number; fingerprints: string[] }> = {};
    for (const legacy of [...byLegacy.keys()].sort(byCodeUnit)) {
      const e = byLegacy.get(legacy)!;
      if (e.count > 0) out[legacy] = { count: e.count, fingerprints: [...e.fingerprints].sort(byCodeUnit) };
    }
    if (Object.keys(out).length > 0) files[file] = out;
  }
  return JSON.stringify({ version: BASELINE_VERSION, strings: b.strings, files }, null, 2) + '\n';
}

/** Why a baseline file cannot be used: the message, and one line per problem. */
export class BaselineError extends Error {
  constructor(
    message: string,
    readonly details: string[] = [],
  ) {
    super(message);
  }
}

/** Reads and checks a baseline file; null when it does not exist. Throws BaselineError when it is unusable. */
export function readBaseline(path: string): Baseline | null {
  let text: string;
  try {
    text = readRegularFile(path).toString('utf8');
  } catch (e) {
    // No such file, or a file where a folder of its path should be: there is no baseline there.
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    const why = e instanceof NotRegularFileError ? `it is ${e.kind}, not a regular file` : (errnoReason(e) ?? (e instanceof Error ? e.message : String(e)));
    throw new BaselineError(`cannot read the baseline: ${why}`);
  }
  return parseBaseline(text);
}

export function parseBaseline(text: string): Baseline {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    const conflict = /^(<<<<<<<|>>>>>>>) /m.test(text) ? ' (it holds merge-conflict markers; re-create it with `canon baseline --reset`)' : '';
    throw new BaselineError(`the baseline is not valid JSON${conflict}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const problems: string[] = [];
  if (!isObject(doc)) throw new BaselineError('the baseline must be a JSON object');
  if (doc['version'] !== BASELINE_VERSION) problems.push(`version: expected ${BASELINE_VERSION}, got ${JSON.stringify(doc['version'])}`);
  const strings = doc['strings'] ?? false;
  if (typeof strings !== 'boolean') problems.push(`strings: expected true or false, got ${JSON.stringify(strings)}`);
  const files = new Map<string, Map<string, BaselineEntry>>();
  const rawFiles = doc['files'];
  if (!isObject(rawFiles)) problems.push('files: expected an object of file -> legacy path -> entry');
  else {
    for (const [file, rawByLegacy] of Object.entries(rawFiles)) {
      const at = `files[${JSON.stringify(file)}]`;
      if (!isObject(rawByLegacy)) {
        problems.push(`${at}: expected an object of legacy path -> entry`);
        continue;
      }
      const byLegacy = new Map<string, BaselineEntry>();
      for (const [legacy, e] of Object.entries(rawByLegacy)) {
        const eat = `${at}[${JSON.stringify(legacy)}]`;
        if (!isObject(e)) {
          problems.push(`${eat}: expected {"count": N, "fingerprints": [...]}`);
          continue;
        }
        const count = e['count'];
        const fps = e['fingerprints'] ?? [];
        if (typeof count !== 'number' || !Number.isInteger(count) || count < 0) problems.push(`${eat}.count: expected an integer >= 0, got ${JSON.stringify(count)}`);
        else if (!Array.isArray(fps) || !fps.every((x) => typeof x === 'string')) problems.push(`${eat}.fingerprints: expected an array of strings`);
        else byLegacy.set(legacy, { count, fingerprints: fps as string[] });
      }
      files.set(file, byLegacy);
    }
  }
  if (problems.length > 0) throw new BaselineError(`invalid baseline (${plural(problems.length, 'problem')}):`, problems);
  return { strings: strings as boolean, files };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
