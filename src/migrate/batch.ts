// One batch of a migration: rewrite its files (journal first), validate, then commit or keep them;
// on failure put them back and bisect until the files that break validation are isolated and
// quarantined, keeping every part that passes. Each bisect level costs one run (the smaller half;
// when it passes the other half is known to fail), plus one for a half nothing is known about:
// at most about 2*log2(batch size) extra runs per failing file. Only canon's own bytes are ever
// written over or put back: a batch file someone else changed stops the batch (conflict.ts).

import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { faultPoint } from '../core/fault.js';
import type { Finding } from '../core/finding.js';
import type { FileFix } from '../fix/api.js';
import { writeFileChecked } from '../fs/atomic.js';
import { holds, readStamped } from '../fs/replace.js';
import { scratchDir } from '../fs/temp.js';
import { ConflictError } from './conflict.js';
import { commitFiles } from './git.js';
import type { Journal } from './journal.js';
import { sha256 } from './journal.js';
import { batchTitle, plural } from './plan.js';
import type {
  ActiveRecord,
  BatchRecord,
  CommitRecord,
  FileChange,
  Fixer,
  MigrateEvent,
  PlannedBatch,
  Quarantine,
  RunKind,
  RunRecord,
  ValidationRecord,
} from './types.js';

/** Thrown when canon was asked to stop (SIGINT/SIGTERM): the caller rolls back and records it. */
export class Interrupted extends Error {
  constructor(readonly signal: string) {
    super(`interrupted by ${signal}`);
  }
}

/** What a batch needs from the run around it. */
export interface BatchContext {
  root: string;
  run: RunRecord;
  journal: Journal;
  fixer: Fixer;
  emit: (e: MigrateEvent) => void;
  /** Runs the validation command for these files (already applied) and judges the outcome. */
  validate: (kind: RunKind, files: string[]) => Promise<ValidationRecord>;
  /** Files migrate must not touch, with the reason. */
  exclude: ReadonlyMap<string, string>;
  /** Throws Interrupted when canon has been asked to stop. */
  checkAbort: () => void;
  save: () => void;
}

function rewritten(f: Finding): string {
  return `${f.legacy} -> ${f.canonical ?? '?'}`;
}

/** The record of batch `b`, created on first use (a resumed run finds it in the journal). */
function batchRecord(run: RunRecord, b: PlannedBatch): BatchRecord {
  let rec = run.batches.find((r) => r.n === b.n);
  if (!rec) {
    rec = { n: b.n, of: run.plan.length, area: b.area, priority: b.priority, status: 'running', runs: [], commits: [], changes: [], quarantined: [], skipped: [], durationMs: 0 };
    run.batches.push(rec);
  }
  return rec;
}

/** Files of `b` not yet settled by an earlier (interrupted) pass over it. */
function remainingFiles(rec: BatchRecord, b: PlannedBatch): string[] {
  const done = new Set([...rec.changes.map((c) => c.file), ...rec.quarantined.map((q) => q.file), ...rec.skipped.map((s) => s.file)]);
  return b.files.map((f) => f.file).filter((f) => !done.has(f));
}

export async function runBatch(ctx: BatchContext, b: PlannedBatch): Promise<BatchRecord> {
  return new BatchRun(ctx, b).run();
}

class BatchRun {
  private readonly rec: BatchRecord;
  /** Numbers the commits of a bisected batch: `bisect part 1`, `part 2`, ... */
  private part = 0;

  constructor(
    private readonly ctx: BatchContext,
    private readonly b: PlannedBatch,
  ) {
    this.rec = batchRecord(ctx.run, b);
  }

  async run(): Promise<BatchRecord> {
    const { ctx, b, rec } = this;
    const t0 = performance.now();
    const before = rec.durationMs;
    const remaining = remainingFiles(rec, b);
    // A batch a crash stopped after its last attempt was kept: nothing to announce, only to close.
    if (remaining.length === 0 && rec.changes.length + rec.quarantined.length > 0) return this.close(before, 0);
    rec.status = 'running';
    const wanted: string[] = [];
    for (const f of remaining) {
      const why = ctx.exclude.get(f);
      if (why !== undefined) this.skip(f, why);
      else wanted.push(f);
    }
    const imports = b.files.filter((f) => wanted.includes(f.file)).reduce((s, f) => s + f.imports, 0);
    ctx.emit({ type: 'batch-start', n: b.n, of: ctx.run.plan.length, area: b.area, priority: b.priority, files: wanted, imports });
    ctx.save();

    const fixes = wanted.length > 0 ? await this.planFixes(wanted) : [];
    if (fixes.length > 0) {
      const first = await this.attempt(fixes, 'batch');
      if (first.run.passed) await this.keep(first.active, fixes, false);
      else {
        restore(ctx, first.active, b.n);
        if (fixes.length > 1) ctx.emit({ type: 'bisect', n: b.n, files: fixes.map((f) => f.file) });
        await this.isolate(fixes, first.run);
      }
    }
    const out = this.close(before, performance.now() - t0);
    ctx.emit({ type: 'batch-end', batch: rec });
    return out;
  }

  private close(before: number, ms: number): BatchRecord {
    const rec = this.rec;
    rec.durationMs = before + ms;
    rec.status = rec.quarantined.length > 0 ? (rec.changes.length > 0 ? 'partial' : 'failed') : rec.changes.length > 0 ? 'passed' : 'empty';
    this.ctx.save();
    return rec;
  }

  private skip(file: string, reason: string): void {
    const s = { file, reason };
    this.rec.skipped.push(s);
    this.ctx.emit({ type: 'skip', n: this.b.n, skip: s });
  }

  private async planFixes(files: string[]): Promise<FileFix[]> {
    const plan = await this.ctx.fixer.plan(files);
    const byFile = new Map(plan.files.map((f) => [f.file, f]));
    const errors = new Map(plan.errors.map((e) => [e.file, e.message]));
    // Findings scan calls fixable that fix still refuses (e.g. a try/except pair of imports).
    const refused = new Map<string, string[]>();
    for (const r of [...plan.refused, ...plan.files.flatMap((f) => f.refused)]) {
      if (r.finding.fixable) refused.set(r.finding.file, [...(refused.get(r.finding.file) ?? []), `line ${r.finding.line}: ${r.reason}`]);
    }
    const fixes: FileFix[] = [];
    for (const file of files) {
      const fix = byFile.get(file);
      if (errors.has(file)) this.skip(file, `fix failed: ${errors.get(file)}`);
      else if (!fix || fix.fixed.length === 0) this.skip(file, refused.has(file) ? `fix refused: ${refused.get(file)!.join('; ')}` : 'nothing left to rewrite');
      else if (!sameBytes(this.ctx.root, fix)) this.skip(file, 'changed on disk while the fix was planned');
      else fixes.push(fix);
    }
    return fixes;
  }

  /** A set known to fail on its own (`evidence`), or inferred to fail without a run of its own (null). */
  private async isolate(fixes: FileFix[], evidence: ValidationRecord | null): Promise<void> {
    if (fixes.length === 1) {
      if (evidence === null) return this.trySet(fixes);
      return this.quarantine(fixes[0], evidence);
    }
    // The first half is the smaller one: when it passes, the rest is known to fail without a run.
    const half = Math.floor(fixes.length / 2);
    const a = fixes.slice(0, half);
    const rest = fixes.slice(half);
    const r = await this.attempt(a, 'bisect');
    if (r.run.passed) {
      await this.keep(r.active, a, true);
      return this.isolate(rest, null);
    }
    restore(this.ctx, r.active, this.b.n);
    await this.isolate(a, r.run);
    await this.trySet(rest);
  }

  /** A set nothing is known about: keep it if it passes, else isolate within it. */
  private async trySet(fixes: FileFix[]): Promise<void> {
    const r = await this.attempt(fixes, 'bisect');
    if (r.run.passed) return this.keep(r.active, fixes, true);
    restore(this.ctx, r.active, this.b.n);
    return this.isolate(fixes, r.run);
  }

  private quarantine(fix: FileFix, evidence: ValidationRecord): void {
    const q: Quarantine = {
      file: fix.file,
      imports: fix.fixed.length,
      moves: movesOf(fix),
      reason: evidence.reason ?? 'validation failed',
      failingTests: evidence.newlyFailing.length > 0 ? evidence.newlyFailing : evidence.failingTests,
      excerpt: evidence.excerpt,
      log: evidence.log,
    };
    this.rec.quarantined.push(q);
    this.ctx.save();
    this.ctx.emit({ type: 'quarantine', n: this.b.n, quarantine: q });
  }

  /** Journal, write, validate. The files stay applied; the caller keeps or restores them. */
  private async attempt(fixes: FileFix[], kind: RunKind): Promise<{ active: ActiveRecord; run: ValidationRecord }> {
    const { ctx, b } = this;
    ctx.checkAbort();
    const key = `${ctx.run.id}/${b.n}/${randomBytes(4).toString('hex')}`;
    const active = ctx.journal.begin(
      {
        version: 1,
        runId: ctx.run.id,
        batch: b.n,
        key,
        pid: process.pid,
        phase: 'writing',
        files: fixes.map((f) => ({
          file: f.file,
          before: sha256(f.before),
          after: sha256(f.after),
          imports: f.fixed.length,
          moves: movesOf(f),
          details: f.fixed.map((x) => `${x.line}: ${rewritten(x)}`),
        })),
      },
      fixes.map((f) => f.before),
    );
    const scratch = scratchDir(ctx.root);
    for (const f of fixes) {
      // Only over the bytes the fix was planned from: a file saved since is the user's (a conflict).
      if (writeFileChecked(join(ctx.root, f.file), f.after, f.before, scratch) === 'changed') stopOnChange(ctx, active, b.n, [f.file]);
      faultPoint('migrate.written');
    }
    ctx.journal.setPhase(active, 'validating');
    const run = await ctx.validate(kind, fixes.map((f) => f.file));
    this.rec.runs.push(run);
    ctx.save();
    return { active, run };
  }

  private async keep(active: ActiveRecord, fixes: FileFix[], bisected: boolean): Promise<void> {
    const { ctx, b, rec } = this;
    const files = fixes.map((f) => f.file);
    const imports = fixes.reduce((s, f) => s + f.fixed.length, 0);
    // What passed validation is canon's rewrite: a file saved since then is not committed or kept
    // as canon's. The batch stops, its other files put back.
    const changed = fixes.filter((f) => !holds(readStamped(join(ctx.root, f.file)), f.after));
    if (changed.length > 0) stopOnChange(ctx, active, b.n, changed.map((f) => f.file));
    if (ctx.run.options.commit) {
      ctx.journal.setPhase(active, 'committing');
      const message = commitMessage(b, ctx.run.plan.length, fixes, bisected ? ++this.part : null, rec.runs[rec.runs.length - 1], active.key);
      const sha = await commitFiles(ctx.root, files, message);
      // From here on the commit is done: whatever fails next, the next start keeps it (journal.ts).
      ctx.journal.setPhase(active, 'committed', sha);
      const commit = { sha, subject: message.split('\n')[0], files, imports };
      recordKept(rec, active, commit);
      ctx.save();
      ctx.emit({ type: 'commit', n: b.n, commit });
    } else {
      ctx.journal.setPhase(active, 'keeping');
      recordKept(rec, active, null);
      ctx.save();
      ctx.emit({ type: 'kept', n: b.n, files, imports });
    }
    ctx.journal.finish(active);
  }
}

function movesOf(f: FileFix): string[] {
  return [...new Set(f.fixed.map((x) => x.move).filter((m): m is string => m !== null))].sort();
}

function sameBytes(root: string, fix: FileFix): boolean {
  return holds(readStamped(join(root, fix.file)), fix.before);
}

/**
 * Put an attempt's files back to their bytes and forget it. A file someone else changed meanwhile
 * is left as it is, and stops the batch: ConflictError.
 */
export function restore(ctx: { journal: Journal; root: string }, active: ActiveRecord, batch: number): string[] {
  const r = ctx.journal.restore(active);
  ctx.journal.finish(active);
  if (r.conflicts.length > 0) throw new ConflictError(r.conflicts, batch);
  return r.restored;
}

/** Files changed under canon (`changed`): put the attempt's other files back and stop the batch. */
function stopOnChange(ctx: { journal: Journal }, active: ActiveRecord, batch: number, changed: string[]): never {
  const r = ctx.journal.restore(active);
  ctx.journal.finish(active);
  const conflicts = [...r.conflicts];
  for (const file of changed) if (!conflicts.some((c) => c.file === file)) conflicts.push({ file, before: null, yours: null, deleted: false });
  throw new ConflictError(conflicts, batch);
}

/** The commit message: the subject the issue asks for, the moves and files in the body, our trailer. */
export function commitMessage(b: PlannedBatch, of: number, fixes: FileFix[], part: number | null, run: ValidationRecord | undefined, key: string): string {
  const title = batchTitle({ ...b, files: fixes.map((f) => ({ file: f.file, imports: f.fixed.length, moves: [] })) }, of);
  const subject = `canon: ${title}${part !== null ? ` (bisect part ${part})` : ''}`;
  const moves = new Map<string, number>();
  for (const f of fixes) for (const x of f.fixed) moves.set(rewritten(x), (moves.get(rewritten(x)) ?? 0) + 1);
  const body = ['Moves:', ...[...moves].sort().map(([m, n]) => `  ${m} (${n})`), '', 'Files:', ...fixes.map((f) => `  ${f.file}: ${plural(f.fixed.length, 'import')}`)];
  if (run) body.push('', `Validation: ${validationSummary(run)}`);
  return `${subject}\n\n${body.join('\n')}\n\nCanon-Batch: ${key}\n`;
}

/** `7/7 passed in 1.2s`, or `failed (exit 1) in 0.8s` when the output gave no counts. */
export function validationSummary(r: ValidationRecord): string {
  const secs = `${(r.durationMs / 1000).toFixed(1)}s`;
  const counts = r.counts ? `${r.counts.passed}/${r.counts.total} passed` : r.passed ? 'passed' : 'failed';
  return r.passed ? `${counts} in ${secs}` : `${counts}, ${r.reason ?? 'failed'} in ${secs}`;
}

/** Note an attempt's files as changed for good (also used by recovery after a crash). */
export function recordKept(rec: BatchRecord, active: ActiveRecord, commit: CommitRecord | null): void {
  if (commit) rec.commits.push(commit);
  for (const f of active.files) {
    const change: FileChange = { file: f.file, imports: f.imports, moves: f.moves, details: f.details, commit: commit?.sha ?? null, attempt: active.key };
    rec.changes.push(change);
  }
}
