// canon migrate's engine: preflight, recovery of a batch a crash left in flight, the plan, the
// baseline, then each batch in turn (see batch.ts). Everything it does is recorded in the journal
// before it is done; it prints nothing and reports through events.

import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { Config, Priority } from '../config/types.js';
import { EXIT_CLEAN, EXIT_FINDINGS, machineFault, UsageError } from '../core/errors.js';
import { summarize } from '../core/summary.js';
import { CANON_DIR, confinedPath } from '../fs/confine.js';
import { readRegularFile } from '../fs/input.js';
import { SCRATCH_DIR } from '../fs/temp.js';
import { lockProject } from '../project/lock.js';
import { REPORT_DIR } from '../report/consolidation/write.js';
import { runScan } from '../scan/runScan.js';
import { VERSION } from '../version.js';
import { Interrupted, recordKept, runBatch, type BatchContext } from './batch.js';
import { ConflictError, type Conflict } from './conflict.js';
import { dirtyFiles, ensureExcluded, findBatchCommit, GitError, head, repoInfo, unstage, untrackedFiles, type RepoInfo } from './git.js';
import { Journal, JOURNAL_DIR } from './journal.js';
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
  // The journal (journal.ts), the report and the scratch folder are canon's own: in a real .canon/
  // folder, through no symbolic link, before anything is written there.
  for (const rel of [JOURNAL_DIR, ...['runs', 'backup', 'logs', 'conflicts', 'active.json'].map((p) => `${JOURNAL_DIR}/${p}`), REPORT_DIR, SCRATCH_DIR]) {
    confinedPath(root, rel, { key: '', under: CANON_DIR });
  }
  const lock = lockProject(root, 'migrate');
  try {
    const excluded = await ensureExcluded(root, `${JOURNAL_DIR}/run`, '.canon/');
    if (excluded !== null) req.sink.emit({ type: 'excluded', file: relative(root, excluded).split(sep).join('/') || excluded, pattern: '.canon/' });
    return await new Migration(req, new Journal(root), info).run();
  } catch (e) {
    throw machineFault(e, 'canon migrate stopped', [
      'every file is whole: as it was, or as canon rewrote it; the journal under .canon/migrate says which',
      'once the cause is fixed, `canon migrate --resume` settles the batch in flight first',
    ]);
  } finally {
    lock.release();
    req.sink.close();
  }
}

/** The signal a failure stands for: canon's own interruption, or git ended by a Ctrl-C to the process group. */
function signalOf(e: unknown, own: string | null): string | null {
  if (e instanceof Interrupted) return e.signal;
  if (own !== null) return own;
  if (e instanceof GitError && (e.signal === 'SIGINT' || e.signal === 'SIGTERM' || e.signal === 'SIGHUP')) return e.signal;
  return null;
}

/** What settling an attempt did. */
interface Settled {
  files: string[];
  kept: boolean;
  restored: string[];
  conflicts: Conflict[];
  batch: number;
}

class Migration {
  private readonly root: string;
  private signal: string | null = null;
  private readonly controller = new AbortController();
  private seq = 0;

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
    this.journal.removeOrphanBackups();
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
    // Set while an error leaves this method: the last save of the run must not hide it.
    let failing = false;
    try {
      await this.migrate(run, options, exclude);
      run.status = 'done';
    } catch (e) {
      failing = true;
      const signal = signalOf(e, this.signal);
      // A failing baseline ends the run for good (a rerun starts over); anything else stopped it
      // like a crash would, and --resume continues it.
      run.status = e instanceof BaselineError ? 'failed' : 'interrupted';
      run.error = signal !== null ? `interrupted by ${signal}` : e instanceof Error ? e.message : String(e);
      const settled = await this.settle(run);
      const conflicts = [...(e instanceof ConflictError ? e.conflicts : []), ...(settled?.conflicts ?? [])];
      if (conflicts.length > 0) {
        const err = new ConflictError(conflicts, e instanceof ConflictError ? e.batch : settled!.batch);
        run.error = err.message;
        throw err;
      }
      if (signal !== null) {
        failing = false;
        this.emit({ type: 'interrupted', signal, rolledBack: settled?.restored ?? [] });
        return { run, exitCode: signal === 'SIGTERM' ? 143 : 130 };
      }
      if (e instanceof GitError) {
        const what = settled?.kept ? 'its commit had landed and was kept' : `the batch's files were put back (${settled?.restored.length ?? 0} restored)`;
        throw new UsageError(e.message, [`${what}; fix the problem and run \`canon migrate --resume\``]);
      }
      throw e;
    } finally {
      if (this.req.signals) {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
      run.finishedAt = new Date().toISOString();
      try {
        this.journal.saveRun(run);
      } catch (e) {
        // On a full disk the first fault says the most; the journal still holds the run's last save.
        if (!failing) throw e;
      }
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

  /**
   * Settle the attempt in flight, if any, by its phase (see journal.ts): one this process was in
   * when an error or an interruption stopped it, or one a canon that died left. Once its commit has
   * landed it is kept, whatever failed after; before, its files are put back (only canon's own bytes).
   */
  private async settle(run: RunRecord | undefined): Promise<Settled | null> {
    const active = this.journal.active();
    if (!active) return null;
    const files = active.files.map((f) => f.file);
    const batch = run?.batches.find((b) => b.n === active.batch);
    let kept = batch?.changes.some((c) => c.attempt === active.key) ?? false;
    if (!kept && (active.phase === 'committing' || active.phase === 'committed')) {
      // `committed` with no commit to be found (history rewritten since): still never reverted.
      const landed = (await findBatchCommit(this.root, active.key, run?.head ?? null)) ?? (active.commit ? { sha: active.commit, subject: '' } : null);
      if (landed && batch) recordKept(batch, active, { sha: landed.sha, subject: landed.subject, files, imports: active.files.reduce((s, f) => s + f.imports, 0) });
      kept = landed !== null;
    } else if (!kept && active.phase === 'keeping') {
      if (batch) recordKept(batch, active, null);
      kept = true;
    }
    if (kept) {
      if (run) this.journal.saveRun(run);
      this.journal.finish(active);
      return { files, kept: true, restored: [], conflicts: [], batch: active.batch };
    }
    // An interrupted commit may have staged the files.
    if (active.phase === 'committing') await unstage(this.root, files);
    const r = this.journal.restore(active);
    this.journal.finish(active);
    return { files, kept: false, ...r, batch: active.batch };
  }

  /** At the start: settle what a previous canon left in flight, and say so. */
  private async recover(runs: RunRecord[]): Promise<void> {
    const active = this.journal.active();
    if (!active) return;
    const run = runs.find((r) => r.id === active.runId);
    const settled = (await this.settle(run))!;
    if (!settled.kept && run && run.status === 'running') {
      run.status = 'interrupted';
      run.error = 'canon stopped without finishing (crash or kill); the batch in flight was rolled back';
      this.journal.saveRun(run);
    }
    const conflicts = settled.conflicts.map((c) => c.file);
    this.emit({ type: 'recovered', runId: active.runId, files: settled.files, committed: settled.kept, ...(conflicts.length > 0 ? { conflicts } : {}) });
    if (settled.conflicts.length > 0) {
      const err = new ConflictError(settled.conflicts, settled.batch);
      if (run) {
        if (run.status === 'running') run.status = 'interrupted';
        run.error = err.message;
        this.journal.saveRun(run);
      }
      throw err;
    }
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
