// How migrate shows its progress: one plain line per event (logs, CI), the same lines under a live
// status line on a terminal, or one JSON object per line (`--format json`, for machines).

import type { Colors } from '../report/colors.js';
import { progress, type Part } from '../report/progress.js';
import { validationSummary } from './batch.js';
import { plural } from './plan.js';
import type { EventSink, MigrateEvent } from './types.js';

type Write = (s: string) => void;

const secs = (ms: number): string => `${(ms / 1000).toFixed(1)}s`;

/** The line an event prints, or null for events only the live display uses. */
export function eventLine(e: MigrateEvent, c: Colors): string | null {
  switch (e.type) {
    case 'excluded':
      return `note: added ${e.pattern} to ${e.file} (git's own ignore list, never committed): migrate keeps its journal there`;
    case 'recovered':
      return e.committed
        ? `recovered: the commit of an interrupted batch (run ${e.runId}) had landed; recorded it`
        : e.conflicts?.length
          ? `recovered: rolled back an unfinished batch of run ${e.runId} (${plural(e.files.length - e.conflicts.length, 'file')} restored to their bytes; ${plural(e.conflicts.length, 'file')} changed since, left as ${e.conflicts.length === 1 ? 'it is' : 'they are'}: ${e.conflicts.join(', ')})`
          : `recovered: rolled back an unfinished batch of run ${e.runId} (${plural(e.files.length, 'file')} restored to their bytes)`;
    case 'start':
      return `${e.resumed ? 'resuming' : 'migrating'}: ${plural(e.batches, 'batch', 'batches')}, ${plural(e.files, 'file')}, ${plural(e.imports, 'import')} (run ${e.runId})${e.skipped.length ? `; left out ${plural(e.skipped.length, 'file')}: ${e.skipped.map((s) => `${s.file} (${s.reason})`).join(', ')}` : ''}`;
    case 'baseline-start':
      return 'baseline: validating the untouched tree';
    case 'baseline':
      return `baseline: ${e.run.passed ? c.green(validationSummary(e.run)) : c.yellow(validationSummary(e.run))}`;
    case 'batch-start':
      return c.bold(`batch ${e.n}/${e.of} [${e.priority}] ${e.area}: ${plural(e.files.length, 'file')}, ${plural(e.imports, 'import')}`);
    case 'validate-start':
      return e.kind === 'bisect' ? `  bisect: validating ${e.files.join(', ')}` : null;
    case 'validate-end':
      if (e.run.kind === 'baseline') return null;
      return `  validation: ${e.run.passed ? c.green(validationSummary(e.run)) : c.red(validationSummary(e.run))}`;
    case 'commit':
      return `  committed ${e.commit.sha.slice(0, 10)} ${e.commit.subject}`;
    case 'kept':
      return `  kept ${plural(e.files.length, 'file')}, ${plural(e.imports, 'import')} (not committed: --no-commit)`;
    case 'bisect':
      return `  bisecting ${plural(e.files.length, 'file')} to find what breaks validation`;
    case 'quarantine': {
      const tests = e.quarantine.failingTests.length ? ` (${e.quarantine.failingTests.slice(0, 3).join(', ')}${e.quarantine.failingTests.length > 3 ? ', …' : ''})` : '';
      return c.yellow(`  quarantined ${e.quarantine.file}: ${e.quarantine.reason}${tests}`);
    }
    case 'skip':
      return `  skipped ${e.skip.file}: ${e.skip.reason}`;
    case 'batch-end': {
      const b = e.batch;
      const parts = [`${plural(b.changes.length, 'file')} migrated`];
      if (b.quarantined.length) parts.push(`${b.quarantined.length} quarantined`);
      if (b.skipped.length) parts.push(`${b.skipped.length} skipped`);
      return `  batch ${b.n}/${b.of} ${b.status}: ${parts.join(', ')}, ${plural(b.runs.length, 'validation run')}, ${secs(b.durationMs)}`;
    }
    case 'interrupted':
      return c.yellow(`interrupted by ${e.signal}: ${e.rolledBack.length ? `rolled back ${plural(e.rolledBack.length, 'file')} of the batch in flight` : 'no file was in flight'}; run \`canon migrate --resume\` to continue`);
    case 'end':
      return null;
  }
}

export function plainSink(write: Write, c: Colors): EventSink {
  return {
    emit(e) {
      const line = eventLine(e, c);
      if (line !== null) write(line + '\n');
    },
    close() {},
  };
}

/** --quiet: only what needs the user's eye (quarantines, skipped files, an interruption), no status line. */
export function quietSink(write: Write, c: Colors): EventSink {
  const plain = plainSink(write, c);
  return {
    emit(e) {
      if (e.type === 'quarantine' || e.type === 'skip' || e.type === 'interrupted') plain.emit(e);
    },
    close() {},
  };
}

/** `--format json`: every event as one line of JSON, with the time it happened. */
export function jsonSink(write: Write): EventSink {
  return {
    emit(e) {
      write(JSON.stringify({ time: new Date().toISOString(), ...e }) + '\n');
    },
    close() {},
  };
}

/**
 * On a terminal: the plain lines, and below them the status line (report/progress.ts), redrawn every
 * second while validation runs: batch k/N, files and imports done, how long validation has been
 * running, and an ETA from past batch times. A narrow terminal loses the imports, then the
 * validation time, then the files; the batch and the ETA stay. A resumed run counts on from what
 * it had done.
 */
export function ttySink(out: Write, status: NodeJS.WriteStream, c: Colors, env: NodeJS.ProcessEnv = process.env): EventSink {
  let batch = '';
  let of = 0;
  let done = 0;
  let files = { done: 0, total: 0 };
  let imports = { done: 0, total: 0 };
  let validating: { kind: string; since: number } | null = null;
  const batchTimes: number[] = [];
  const line = progress(true, status, env);
  const draw = (): void => {
    if (of === 0) return;
    const parts: Part[] = [
      // Before the first batch starts (the baseline runs): how many are done, 0 unless resumed.
      { text: batch || `${done} of ${of} batches done` },
      { text: `${files.done}/${files.total} files`, drop: 2 },
      { text: `${imports.done}/${imports.total} imports`, drop: 4 },
    ];
    if (validating) parts.push({ text: `${validating.kind} running ${Math.round((Date.now() - validating.since) / 1000)}s`, drop: 3 });
    if (batchTimes.length > 0 && done < of) {
      const avg = batchTimes.reduce((s, t) => s + t, 0) / batchTimes.length;
      const eta = Math.round((avg * (of - done)) / 1000);
      parts.push({ text: `ETA ${Math.floor(eta / 60)}:${String(eta % 60).padStart(2, '0')}`, drop: 1 });
    }
    line.update(parts, true);
  };
  const timer = setInterval(() => validating && draw(), 1000);
  timer.unref();
  return {
    emit(e) {
      switch (e.type) {
        case 'start':
          of = e.batches;
          files = { done: e.done.files, total: e.files };
          imports = { done: e.done.imports, total: e.imports };
          done = e.done.batches;
          batchTimes.push(...e.done.durationsMs);
          break;
        case 'batch-start':
          batch = `batch ${e.n}/${e.of}`;
          break;
        case 'validate-start':
          validating = { kind: e.kind === 'baseline' ? 'baseline' : e.kind === 'bisect' ? 'bisect' : 'validation', since: Date.now() };
          break;
        case 'validate-end':
          validating = null;
          break;
        case 'commit':
          files.done += e.commit.files.length;
          imports.done += e.commit.imports;
          break;
        case 'kept':
          files.done += e.files.length;
          imports.done += e.imports;
          break;
        case 'batch-end':
          done = e.batch.n;
          batchTimes.push(e.batch.durationMs);
          break;
        default:
          break;
      }
      const text = eventLine(e, c);
      line.clear();
      if (text !== null) out(text + '\n');
      draw();
    },
    close() {
      clearInterval(timer);
      line.done();
    },
  };
}
