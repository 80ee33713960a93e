// canon migrate's engine: preflight, recovery of a batch a crash left in flight, the plan, the
// baseline, then each batch in turn (see batch.ts). Everything it does is recorded in the journal
// before it is done; it prints nothing and reports through events.

import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { Config, Priority } from '../config/types.js';
import { EXIT_CLEAN, EXIT_FINDINGS, UsageError } from '../core/errors.js';
import { withPath } from '../core/faults.js';
import { summarize } from '../core/summary.js';
import { CANON_DIR, confinedPath } from '../fs/confine.js';
import { readRegularFile } from '../fs/input.js';
import { REPORT_DIR } from '../report/consolidation/write.js';
import { runScan } from '../scan/runScan.js';
import { VERSION } from '../version.js';
import { Interrupted, recordKept, runBatch, type BatchContext } from './batch.js';
import { dirtyFiles, ensureExcluded, GitError, head, headMessage, repoInfo, unstage, untrackedFiles, type RepoInfo } from './git.js';
import { Journal, JOURNAL_DIR, LockedError } from './journal.js';
import { planBatches, planTotals, scanSnapshot, type Plan } from './plan.js';
import type { EventSink, Fixer, MigrateEvent, RunKind, RunOptionsRecord, RunRecord, ScanSnapshot, Skip, ValidationRecord } from './types.js';
import { judgeRun, junitPlan, passingTests, runCommand } from './validate.js';
import { plural } from '../core/text.js';

export interface MigrateRequest {
  config: Config;
  fixer: Fixer;
  sink: EventSink;
  options: RunOptionsRecord;
  /** Continue the last interrupted run instead of starting a new one. */
  resume: boolean;
  /** Flags given with --resume that replace the interrupted run's own (undefined = keep). */
  overrides?: { validate?: string; timeout?: number; junit?: string };
  cwd: string;
  /** Listen for SIGINT/SIGTERM (the CLI does). */
  signals?: boolean;
}

/** The validation command does not pass on the untouched tree (and there is no JUnit to compare). */
class BaselineError extends UsageError {}

export interface MigrateResult {
  run: RunRecord;
  exitCode: number;
}

/**
 * The plan, and the scan figures the run records. The figures are the whole project's even when
 * paths or filters narrow the plan: the report's "before" is the project's.
 */
export async function computePlan(config: Config, options: RunOptionsRecord, cwd: string, exclude: Map<string, string>): Promise<{ plan: Plan; scan: ScanSnapshot }> {
  const narrowed = options.paths.length + options.areas.length + options.priorities.length + options.moves.length > 0;
  const result = await runScan(config, { paths: options.paths, cwd, areas: options.areas, priorities: options.priorities as Priority[], moves: options.moves });
  if (result.problems.length > 0) throw new UsageError('bad path argument:', result.problems.map((p) => `${p.path}: ${p.message}`));
  const whole = narrowed ? await runScan(config) : result;
  const summary = summarize(whole.findings, whole.verdicts, config.areas, whole.stats, options.strings);
  const plan = planBatches({ findings: result.findings, areas: config.areas, batchSize: options.batchSize, strings: options.strings, exclude });
  return { plan, scan: scanSnapshot(summary) };
}

/** Files migrate leaves alone, with the reason: uncommitted changes, or not tracked by git. */
export async function untouchable(root: string, dirty: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const f of await untrackedFiles(root)) out.set(f, 'not tracked by git');
  for (const f of dirty) out.set(f, 'uncommitted changes (--allow-dirty leaves it alone)');
  return out;
}

export async function runMigrate(req: MigrateRequest): Promise<MigrateResult> {
  const root = req.config.root;
  const info = await repoInfo(root);
  if (!info) {
    throw new UsageError(`${root} is not inside a git repository`, [
      'canon migrate commits each batch that passes and needs git to tell what you changed yourself;',
      'run `git init && git add -A && git commit -m "before canon"` first',
    ]);
  }
  if (!info.head) throw new UsageError('the repository has no commit yet', ['commit the project first: canon migrate commits each batch on top of it']);
  // The journal (journal.ts) and the report are canon's own: in a real .canon/ folder, through no
  // symbolic link, before anything is written there.
  for (const rel of [JOURNAL_DIR, ...['runs', 'backup', 'logs', 'lock', 'active.json'].map((p) => `${JOURNAL_DIR}/${p}`), REPORT_DIR]) {
    confinedPath(root, rel, { key: '', under: CANON_DIR });
  }
  const excluded = await ensureExcluded(root, `${JOURNAL_DIR}/run`, '.canon/');
  if (excluded !== null) req.sink.emit({ type: 'excluded', file: relative(root, excluded).split(sep).join('/') || excluded, pattern: '.canon/' });
  const journal = new Journal(root);
  try {
    journal.lock();
  } catch (e) {
    if (e instanceof LockedError) throw new UsageError(e.message, ['wait for it to finish, or stop it (Ctrl-C) and run `canon migrate --resume`']);
    throw withPath(e, join(journal.dir, 'lock'));
  }
  try {
    return await new Migration(req, journal, info).run();
  } finally {
    journal.unlock();
    req.sink.close();
  }
}

class Migration {
  private readonly root: string;
  private signal: string | null = null;
  private readonly controller = new AbortController();
  private seq = 0;
  private commits = { count: 0 };

  constructor(
    private readonly req: MigrateRequest,
    private readonly journal: Journal,
    private readonly info: RepoInfo,
  ) {
    this.root = req.config.root;
    this.emit = (e) => req.sink.emit(e);
  }

  private readonly emit: (e: MigrateEvent) => void;

  async run(): Promise<MigrateResult> {
    const runs = this.journal.runs();
    await this.recover(runs);
    const unfinished = runs.filter((r) => r.status === 'running' || r.status === 'interrupted').pop();
    if (this.req.resume && !unfinished) {
      throw new UsageError('nothing to resume: no interrupted canon migrate in .canon/migrate', ['run `canon migrate` to rescan and migrate what is left']);
    }
    if (!this.req.resume) {
      for (const r of runs) {
        if (r.status !== 'running' && r.status !== 'interrupted') continue;
        r.status = 'superseded';
        this.journal.saveRun(r);
      }
    }
    const o = this.req.overrides ?? {};
    const options: RunOptionsRecord =
      this.req.resume && unfinished
        ? {
            ...unfinished.options,
            validate: o.validate ?? unfinished.options.validate,
            timeout: o.timeout ?? unfinished.options.timeout,
            junit: o.junit ?? unfinished.options.junit,
            allowDirty: this.req.options.allowDirty,
          }
        : this.req.options;
    if (!options.validate) {
      throw new UsageError('no validation command', ['set `validate` under [migrate] in the config, or pass --validate CMD (it must exit 0 on the untouched tree, or write JUnit XML)']);
    }

    // Files kept uncommitted (--no-commit) by the run being resumed are its own changes, not the user's.
    const own = new Set(unfinished && this.req.resume ? unfinished.batches.flatMap((b) => b.changes.filter((c) => c.commit === null).map((c) => c.file)) : []);
    const dirty = (await dirtyFiles(this.root, this.info)).filter((f) => !own.has(f));
    if (dirty.length > 0 && !options.allowDirty) {
      const shown = dirty.slice(0, 10).map((f) => `  ${f}`);
      if (dirty.length > 10) shown.push(`  …and ${dirty.length - 10} more`);
      throw new UsageError(`the working tree has uncommitted changes in ${plural(dirty.length, 'file')}:`, [
        ...shown,
        'commit or stash them first, or pass --allow-dirty (canon then never touches those files)',
      ]);
    }
    const exclude = await untouchable(this.root, dirty);

    let run: RunRecord;
    if (this.req.resume && unfinished) {
      run = unfinished;
      run.resumes++;
      run.status = 'running';
      run.error = null;
      run.finishedAt = null;
      run.options = options;
      this.seq = (run.baseline ? 1 : 0) + run.batches.reduce((s, b) => s + b.runs.length, 0);
    } else {
      const { plan, scan } = await computePlan(this.req.config, options, this.req.cwd, exclude);
      run = newRun(options, scan, plan.batches, plan.skipped, await head(this.root));
    }
    this.journal.saveRun(run);
    const totals = planTotals(run.plan);
    const finished = run.batches.filter((b) => b.status !== 'running');
    const changes = run.batches.flatMap((b) => b.changes);
    const done = {
      batches: finished.length,
      files: changes.length,
      imports: changes.reduce((s, c) => s + c.imports, 0),
      durationsMs: finished.map((b) => b.durationMs),
    };
    this.emit({ type: 'start', runId: run.id, resumed: this.req.resume, batches: run.plan.length, files: totals.files, imports: totals.imports, skipped: run.skipped, done });

    const onSignal = (sig: NodeJS.Signals): void => {
      // A second Ctrl-C means now: the journal rolls the batch back on the next start.
      if (this.signal !== null) process.exit(sig === 'SIGTERM' ? 143 : 130);
      this.signal = sig;
      this.controller.abort();
    };
    if (this.req.signals) {
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
    }
    try {
      await this.migrate(run, options, exclude);
      run.status = 'done';
    } catch (e) {
      const rolledBack = await this.rollBack();
      if (e instanceof Interrupted) {
        run.status = 'interrupted';
        run.error = e.message;
        this.emit({ type: 'interrupted', signal: e.signal, rolledBack });
        return { run, exitCode: e.signal === 'SIGTERM' ? 143 : 130 };
      }
      // A failing baseline ends the run for good (a rerun starts over); anything else stopped it
      // like a crash would, and --resume continues it.
      run.status = e instanceof BaselineError ? 'failed' : 'interrupted';
      run.error = e instanceof Error ? e.message : String(e);
      if (e instanceof GitError) throw new UsageError(e.message, [`the batch's files were put back (${rolledBack.length} restored); fix the problem and run \`canon migrate --resume\``]);
      throw e;
    } finally {
      if (this.req.signals) {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
      run.finishedAt = new Date().toISOString();
      this.journal.saveRun(run);
    }
    const quarantined = run.batches.reduce((s, b) => s + b.quarantined.length, 0);
    return { run, exitCode: quarantined > 0 ? EXIT_FINDINGS : EXIT_CLEAN };
  }

  private async migrate(run: RunRecord, options: RunOptionsRecord, exclude: Map<string, string>): Promise<void> {
    if (run.plan.length === 0) return;
    const junit = junitPlan(options.validate, options.junit, this.root, this.journal.dir);
    let baselinePassing = run.baselinePassing ? new Set(run.baselinePassing) : null;
    const validate = async (kind: RunKind, files: string[]): Promise<ValidationRecord> => {
      this.checkAbort();
      const log = this.journal.logFile(run.id, ++this.seq, kind);
      // canon's own report file (under .canon/) is removed before each run; one the user named is
      // never touched: it counts only if this run wrote it (its stamp changed).
      if (junit.path && junit.added) rmSync(junit.path, { force: true });
      const before = junit.path ? stampAt(junit.path) : null;
      if (kind === 'baseline') this.emit({ type: 'baseline-start' });
      this.emit({ type: 'validate-start', kind, files, timeout: options.timeout });
      const raw = await runCommand(junit.cmd, { cwd: this.root, timeout: options.timeout, logFile: log.abs, signal: this.controller.signal });
      if (raw.interrupted) throw new Interrupted(this.signal ?? 'SIGINT');
      const after = junit.path ? stampAt(junit.path) : null;
      const report = junit.path && after !== null && after !== before ? readRegularFile(junit.path).toString('utf8') : null;
      const record = judgeRun({ kind, files, raw, junit: report, baselinePassing, timeout: options.timeout, log: log.rel });
      if (kind === 'baseline' && report !== null) baselinePassing = new Set(passingTests(report) ?? []);
      this.emit({ type: 'validate-end', run: record });
      return record;
    };

    if (!run.baseline) {
      const base = await validate('baseline', []);
      run.baseline = base;
      run.baselinePassing = baselinePassing ? [...baselinePassing] : null;
      this.journal.saveRun(run);
      this.emit({ type: 'baseline', run: base });
      if (!base.passed && (base.timedOut || baselinePassing === null)) {
        const why = base.timedOut ? `times out (${base.reason})` : `fails (${base.reason})`;
        throw new BaselineError(`the validation command ${why} on the untouched tree, so canon cannot tell what a batch breaks`, [
          base.timedOut
            ? 'raise --timeout (or [migrate] timeout), or narrow the command'
            : 'make it pass first, or have it write JUnit XML (--junit PATH; canon adds --junitxml to a plain pytest command) so canon compares test by test',
          `output: ${base.log}`,
        ]);
      }
    }

    const ctx: BatchContext = {
      root: this.root,
      run,
      journal: this.journal,
      fixer: this.req.fixer,
      emit: this.emit,
      validate,
      exclude,
      checkAbort: () => this.checkAbort(),
      commits: this.commits,
      save: () => this.journal.saveRun(run),
    };
    for (const b of run.plan) {
      const done = run.batches.find((r) => r.n === b.n);
      if (done && done.status !== 'running') continue;
      this.checkAbort();
      await runBatch(ctx, b);
    }
  }

  private checkAbort(): void {
    if (this.signal !== null) throw new Interrupted(this.signal);
  }

  /** Put back the attempt in flight, if any (an interruption or an error stopped it). */
  private async rollBack(): Promise<string[]> {
    const active = this.journal.active();
    if (!active) return [];
    const restored = this.journal.restore(active);
    if (active.phase === 'committing') await unstage(this.root, active.files.map((f) => f.file));
    this.journal.finish(active);
    return restored;
  }

  /**
   * Settle an attempt a previous canon left in flight: if its commit landed (HEAD carries its
   * trailer) or it was being kept uncommitted, record it; otherwise put its files back exactly.
   */
  private async recover(runs: RunRecord[]): Promise<void> {
    const active = this.journal.active();
    if (!active) return;
    const run = runs.find((r) => r.id === active.runId);
    const batch = run?.batches.find((b) => b.n === active.batch);
    let kept = batch?.changes.some((c) => c.attempt === active.key) ?? false;
    if (!kept && run && batch) {
      const message = active.phase === 'committing' ? await headMessage(this.root) : '';
      if (message.includes(`Canon-Batch: ${active.key}`)) {
        const files = active.files.map((f) => f.file);
        recordKept(batch, active, { sha: await head(this.root), subject: message.split('\n')[0], files, imports: active.files.reduce((s, f) => s + f.imports, 0) });
        kept = true;
      } else if (active.phase === 'keeping') {
        recordKept(batch, active, null);
        kept = true;
      }
      if (kept) this.journal.saveRun(run);
    }
    if (kept) {
      this.journal.finish(active);
      this.emit({ type: 'recovered', runId: active.runId, files: active.files.map((f) => f.file), committed: true });
      return;
    }
    await this.rollBack();
    if (run && run.status === 'running') {
      run.status = 'interrupted';
      run.error = 'canon stopped without finishing (crash or kill); the batch in flight was rolled back';
      this.journal.saveRun(run);
    }
    this.emit({ type: 'recovered', runId: active.runId, files: active.files.map((f) => f.file), committed: false });
  }
}

/** A file's identity and last change (`ino:size:mtime:ctime`, nanoseconds), or null when there is none. */
function stampAt(path: string): string | null {
  try {
    const st = statSync(path, { bigint: true });
    return `${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
  } catch {
    return null;
  }
}

function runId(): string {
  const d = new Date();
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}-${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}-${p(d.getUTCMilliseconds(), 3)}`;
}

function newRun(options: RunOptionsRecord, scan: ScanSnapshot, plan: RunRecord['plan'], skipped: Skip[], headSha: string): RunRecord {
  return {
    version: 1,
    id: runId(),
    canonVersion: VERSION,
    startedAt: new Date().toISOString(),
    finishedAt: null,
    status: 'running',
    error: null,
    head: headSha,
    options,
    scan,
    plan,
    baseline: null,
    baselinePassing: null,
    batches: [],
    skipped,
    resumes: 0,
  };
}
