// Which known finding (test/real/FINDINGS.md) explains each failure the harness saw, so a test
// can assert "nothing outside the known findings" (which must hold now) apart from "finding F1
// is gone" (which holds once it is fixed). A failure no rule explains is `unknown`: a new bug,
// or a finding that needs its own entry.

import type { DirectionResult, TargetDiff } from './harness.js';

export const FINDINGS = {
  F1: 'a package __init__.py is rewritten to import a name from itself',
  F2: 'a symbol move rebinds a name bound to a module to another module',
  F3: 'verify follows only the last of two star-imports in if/else branches',
  documented: 'not a failure: a module-level import whose every use moved is gone (README, fix: "the old import goes only when nothing else uses it"), and every module still imports',
  unknown: 'not explained by a known finding',
} as const;

export type FindingId = keyof typeof FINDINGS;

/**
 * Tests that read their own source text (a traceback's line, inspect.getsource) and so fail when
 * any move rewrites that line, whatever canon does: the move changed the text they assert on.
 */
export const SOURCE_TEXT_TESTS: { pattern: RegExp; why: string }[] = [
  {
    pattern: /^test\.test_asyncio\.test_tasks\.\w+\.test_cancel_traceback_for_future_(result|exception)$/,
    why: 'asserts the traceback contains the source text `await asyncio.sleep(10)`, which the down move rewrites to asyncio.tasks.sleep',
  },
];

export interface Classified {
  finding: FindingId;
  what: string;
}

const labels = (s: string | number | undefined): string[] => String(s ?? '').split(' | ').filter(Boolean);

/** The module a file path holds (`json/__init__.py` -> `json`). */
function moduleOfPath(path: string): string {
  return path.replace(/\/__init__\.py$/, '').replace(/\.py$/, '').split('/').join('.');
}

/** Labels a read resolves to: the part of a `use` key after its scope. */
const readLabels = (d: TargetDiff): string[] => labels(d.read?.split('|').slice(1).join('|'));

/**
 * The finding behind each static difference, given the other differences of the same run (a
 * changed read shows as one key losing a count and another gaining it; the pair tells what
 * happened).
 */
export function classifyDiffs(diffs: TargetDiff[]): FindingId[] {
  const narrowed = (a: string[], b: string[]): boolean => a.length > 0 && a.length < b.length && a.every((l) => b.includes(l));
  return diffs.map((d) => {
    const self = moduleOfPath(d.file);
    const after = d.kind === 'use' ? readLabels(d) : labels(d.after);
    const before = labels(d.before);
    if (d.file.endsWith('__init__.py') && after.some((l) => l.startsWith(`cycle:${self}.`))) return 'F1';
    // canon drops an import of a module once every use of it moved, unless another file reads the
    // name from this module (then it stays): the probe's imports show that no module lost it.
    if (d.kind === 'removed' && before.length > 0 && before.every((l) => l.startsWith('module:'))) return 'documented';
    if (d.kind === 'binding' && before.length === 1 && after.length === 1 && before[0].startsWith('module:') && after[0].startsWith('module:')) return 'F2';
    if (d.kind === 'binding' && narrowed(after, before)) return 'F3';
    if (d.kind === 'use') {
      const scope = d.read?.split('|')[0];
      const mine = readLabels(d);
      const others = diffs.filter((o) => o !== d && o.kind === 'use' && o.file === d.file && o.read?.split('|')[0] === scope);
      if (d.file.endsWith('__init__.py') && others.some((o) => readLabels(o).some((l) => l.startsWith(`cycle:${self}.`)))) return 'F1';
      if (others.some((o) => narrowed(mine, readLabels(o)) || narrowed(readLabels(o), mine))) return 'F3';
    }
    return 'unknown';
  });
}

/** Every failure of one direction, with the finding that explains it. */
export function classify(r: DirectionResult): Classified[] {
  const out: Classified[] = [];
  if (r.fix.doc === null) out.push({ finding: 'unknown', what: `canon fix printed no JSON (exit ${r.fix.code}): ${r.fix.stderr.slice(0, 300)}` });
  for (const e of r.fix.doc?.errors ?? []) out.push({ finding: 'unknown', what: `canon fix error: ${e.file}: ${e.message}` });
  if ((r.secondFix.doc?.summary.filesChanged ?? 0) > 0) out.push({ finding: 'unknown', what: `a second canon fix changed ${r.secondFix.doc!.summary.filesChanged} files` });
  for (const f of r.rejectedRewritten) out.push({ finding: 'unknown', what: `${f}: CPython rejects it, yet the fix changed it` });

  // Static: each rewritten file judged alone points at its own rewrite.
  const fileFinding = new Map<string, Set<FindingId>>();
  const isolatedFindings = classifyDiffs(r.targets.isolated);
  const combinedFindings = classifyDiffs(r.targets.diffs);
  for (const [i, d] of r.targets.isolated.entries()) {
    const f = isolatedFindings[i];
    if (!fileFinding.has(d.file)) fileFinding.set(d.file, new Set());
    fileFinding.get(d.file)!.add(f);
    out.push({ finding: f, what: `${d.file}:${d.line ?? '?'}: ${describeDiff(d)}` });
  }
  const isolatedKeys = new Set(r.targets.isolated.map(diffKey));
  const known = [...fileFinding.values()].flatMap((s) => [...s]).filter((f) => f !== 'unknown' && f !== 'documented');
  // Scopes where a read now reaches a cycle: a name another file's rewrite broke, read here.
  const scopeOf = (d: TargetDiff): string => `${d.file}\u0000${d.kind === 'use' ? d.read?.split('|')[0] : d.scope}`;
  const cyclic = new Set(
    r.targets.diffs.filter((d) => (d.kind === 'use' ? readLabels(d) : labels(d.after)).some((l) => l.startsWith('cycle:'))).map(scopeOf),
  );
  for (const [i, d] of r.targets.diffs.entries()) {
    if (isolatedKeys.has(diffKey(d))) continue;
    if (known.length > 0 && cyclic.has(scopeOf(d))) {
      out.push({ finding: known.includes('F1') ? 'F1' : known[0], what: `${d.file}:${d.line ?? '?'}: (through another file's rewrite) ${describeDiff(d)}` });
    } else {
      out.push({ finding: combinedFindings[i], what: `${d.file}:${d.line ?? '?'}: (whole tree) ${describeDiff(d)}` });
    }
  }

  // Imports: the rewritten file that breaks a module when applied alone.
  const blame = new Map<string, string[]>();
  for (const x of r.isolatedImports) blame.set(x.module, [...(blame.get(x.module) ?? []), x.file]);
  // A documented change explains no failure.
  const findingOfFiles = (files: string[]): FindingId => {
    const fs = files.flatMap((f) => [...(fileFinding.get(f) ?? [])]);
    return fs.includes('F1') ? 'F1' : fs.find((f) => f !== 'unknown' && f !== 'documented') ?? 'unknown';
  };
  const importFindings = new Set<FindingId>();
  for (const x of r.importFailures) {
    const files = blame.get(x.module) ?? [];
    const f = findingOfFiles(files);
    importFindings.add(f);
    out.push({ finding: f, what: `import ${x.module} fails${files.length ? ` (alone: ${files.join(', ')})` : ' (only with the whole fix)'}: ${x.error.slice(0, 200)}` });
  }
  for (const c of r.nameChanges) {
    if (c.after === '(unbound)' && c.before.startsWith('module:') && r.importFailures.length === 0) {
      out.push({ finding: 'documented', what: `${c.module}.${c.name} was ${c.before}, is no longer bound` });
      continue;
    }
    const f = findingOfFiles(blame.get(c.module) ?? []);
    importFindings.add(f);
    out.push({ finding: f, what: `${c.module}.${c.name} was ${c.before}, is ${c.after}` });
  }

  // Tests: while modules fail to import, the tests that need them fail with them.
  const masking = [...importFindings];
  for (const t of r.regressions) {
    if (SOURCE_TEXT_TESTS.some((s) => s.pattern.test(t.id))) continue;
    const f: FindingId = masking.length > 0 ? (masking.includes('F1') ? 'F1' : masking[0]) : 'unknown';
    out.push({ finding: f, what: `test ${t.id}: passed before, ${t.after} after: ${lastLine(t.detail)}` });
  }
  return out;
}

export function exemptTests(r: DirectionResult): { id: string; why: string }[] {
  return r.regressions.flatMap((t) => SOURCE_TEXT_TESTS.filter((s) => s.pattern.test(t.id)).map((s) => ({ id: t.id, why: s.why })));
}

function diffKey(d: TargetDiff): string {
  return [d.kind, d.file, d.scope, d.name, d.read, d.before, d.after].join('\u0000');
}

export function describeDiff(d: TargetDiff): string {
  switch (d.kind) {
    case 'binding':
      return `\`${d.name}\` (scope ${d.scope || 'module'}) was ${d.before}, is ${d.after}`;
    case 'removed':
      return `module-level \`${d.name}\` (${d.before}) is no longer bound`;
    case 'use':
      return `${d.before} -> ${d.after} reads of ${d.read}${d.text ? ` (e.g. \`${d.text}\`)` : ''}`;
    case 'compile':
      return `no longer compiles: ${d.error}`;
    default:
      return `scope ${d.scope} is gone`;
  }
}

function lastLine(s: string): string {
  const lines = s.trim().split('\n');
  return (lines[lines.length - 1] ?? '').slice(0, 200);
}

/** Counts per finding. */
export function tally(items: Classified[]): Partial<Record<FindingId, number>> {
  const t: Partial<Record<FindingId, number>> = {};
  for (const i of items) t[i.finding] = (t[i.finding] ?? 0) + 1;
  return t;
}
