// Runs the project's validation command (a shell string from the config) in its own process group,
// so a timeout or canon's own interruption ends everything it started; then reads what it says.

import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { withPath } from '../core/faults.js';
import { parseJUnit } from './junit.js';
import type { RunKind, TestCounts, ValidationRecord } from './types.js';
import { plural } from '../core/text.js';
import { makeDirs } from '../fs/confine.js';

export interface RawRun {
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  interrupted: boolean;
  durationMs: number;
  /** The last part of stdout and stderr, interleaved as they came. */
  tail: string;
}

export interface RunCommandOptions {
  cwd: string;
  /** Seconds; null = wait as long as it takes. */
  timeout: number | null;
  /** Where the whole output goes. */
  logFile: string;
  /** Aborting ends the run as a timeout does (canon itself was interrupted). */
  signal?: AbortSignal;
  /** Between SIGTERM and SIGKILL. */
  graceMs?: number;
}

const TAIL_BYTES = 64 * 1024;
const DEFAULT_GRACE_MS = 2000;

/**
 * Is any process of group `pid` still running? kill(-pid, 0) also counts zombies, which a container's
 * init may leave unreaped for long; on Linux /proc tells them apart.
 */
function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
  } catch {
    return false;
  }
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return true;
  }
  for (const e of entries) {
    if (e.charCodeAt(0) > 57 /*9*/) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${e}/stat`, 'latin1');
    } catch {
      continue;
    }
    // `pid (comm) state ppid pgrp ...`; comm may hold spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[2]) === pid && fields[0] !== 'Z' && fields[0] !== 'X') return true;
  }
  return false;
}

function signalGroup(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(-pid, sig);
  } catch {
    // The group is already gone.
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** SIGTERM the whole group, wait up to `graceMs` for it to go, then SIGKILL what is left. */
export async function endGroup(pid: number, graceMs: number): Promise<void> {
  if (!groupAlive(pid)) return;
  signalGroup(pid, 'SIGTERM');
  const until = Date.now() + graceMs;
  while (groupAlive(pid) && Date.now() < until) await sleep(25);
  if (groupAlive(pid)) signalGroup(pid, 'SIGKILL');
}

export function runCommand(cmd: string, opts: RunCommandOptions): Promise<RawRun> {
  const grace = opts.graceMs ?? DEFAULT_GRACE_MS;
  makeDirs(dirname(opts.logFile));
  const log = createWriteStream(opts.logFile);
  // A log that cannot be written (a full disk) fails the run once it is over, with the file named;
  // unheard, the stream's error would end canon with a trace.
  let logError: unknown = null;
  log.on('error', (e) => {
    logError ??= withPath(e, opts.logFile);
  });
  const endLog = (): Promise<void> =>
    new Promise((r) => {
      if (logError !== null || log.destroyed) return r();
      log.once('error', () => r());
      log.end(() => r());
    });
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    // detached: a new session and process group, so Ctrl-C in the terminal reaches canon only and
    // canon decides what the command gets.
    const child = spawn('/bin/sh', ['-c', cmd], { cwd: opts.cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let tail = Buffer.alloc(0);
    const take = (b: Buffer): void => {
      log.write(b);
      tail = Buffer.concat([tail, b]);
      if (tail.length > TAIL_BYTES * 2) tail = tail.subarray(tail.length - TAIL_BYTES);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    const closed = new Promise<void>((r) => child.once('close', () => r()));
    let timedOut = false;
    let interrupted = false;
    let ending: Promise<void> | null = null;
    const stop = (): void => {
      if (child.pid !== undefined && ending === null) ending = endGroup(child.pid, grace);
    };
    const timer =
      opts.timeout !== null
        ? setTimeout(() => {
            timedOut = true;
            stop();
          }, opts.timeout * 1000)
        : null;
    const onAbort = (): void => {
      interrupted = true;
      stop();
    };
    if (opts.signal?.aborted) onAbort();
    else opts.signal?.addEventListener('abort', onAbort, { once: true });

    child.on('error', (e) => {
      if (timer) clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      void endLog();
      reject(e);
    });
    child.on('exit', (code, sig) => {
      if (timer) clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      const durationMs = performance.now() - t0;
      const pid = child.pid;
      void (async () => {
        // Whatever the command left running in its group is part of this run: end it too, so
        // nothing holds our pipes open or outlives the run.
        if (pid !== undefined) await (ending ?? endGroup(pid, grace));
        // Output still in the pipes arrives before 'close'; a grandchild that escaped the group may
        // hold them open forever, so do not wait long for it.
        await Promise.race([closed, sleep(1000)]);
        child.stdout.destroy();
        child.stderr.destroy();
        await endLog();
        if (logError !== null) return reject(logError);
        resolve({ exitCode: code, signal: sig, timedOut, interrupted, durationMs, tail: tail.toString('utf8') });
      })();
    });
  });
}

/** `Ran 7 tests` + `OK` / `FAILED (failures=1)` (unittest), or pytest's `1 failed, 6 passed in 0.1s`. */
export function parseCounts(output: string): TestCounts | null {
  const ran = [...output.matchAll(/^Ran (\d+) tests? in [\d.]+s\s*$/gm)].pop();
  if (ran) {
    const total = Number(ran[1]);
    const after = output.slice((ran.index ?? 0) + ran[0].length);
    const verdict = /^(OK|FAILED)\b(?: \(([^)]*)\))?/m.exec(after);
    const n = (key: string): number => Number(new RegExp(`(?:^|, )${key}=(\\d+)`).exec(verdict?.[2] ?? '')?.[1] ?? 0);
    const failed = n('failures') + n('unexpected successes');
    const errors = n('errors');
    const skipped = n('skipped') + n('expected failures');
    return { total, passed: total - failed - errors - skipped, failed, errors, skipped, source: 'unittest' };
  }
  const summary = [...output.matchAll(/^=*\s*((?:\d+ [a-z]+(?:, )?)+) in [\d.]+s\b.*$/gm)].pop();
  if (summary) {
    const n = (re: RegExp): number => Number(re.exec(summary[1])?.[1] ?? 0);
    const passed = n(/(\d+) passed/);
    const failed = n(/(\d+) failed/);
    const errors = n(/(\d+) errors?/);
    const skipped = n(/(\d+) skipped/) + n(/(\d+) xfailed/);
    return { total: passed + failed + errors + skipped, passed, failed, errors, skipped, source: 'pytest' };
  }
  return null;
}

/** Names of failing tests as the runner prints them: unittest's `FAIL: name (id)`, pytest's `FAILED id`. */
export function failingFromOutput(output: string): string[] {
  const out = new Set<string>();
  for (const m of output.matchAll(/^(?:FAIL|ERROR): (\S+) \(([^)]+)\)/gm)) out.add(m[2].endsWith(`.${m[1]}`) ? m[2] : `${m[2]}.${m[1]}`);
  // pytest's short summary names a node id (`path.py::test`) or, for a collection error, a path.
  for (const m of output.matchAll(/^(?:FAILED|ERROR) (\S+\.py(?:::\S+)?)/gm)) out.add(m[1]);
  return [...out];
}

const EXCERPT_LINES = 40;

/** What to show of a failing run: unittest's failure blocks when there are some, else the last lines. */
export function excerptOf(output: string): string {
  const blocks = [...output.matchAll(/^={20,}\n((?:FAIL|ERROR): [\s\S]*?)(?=^={20,}$|^-{20,}\nRan |(?![\s\S]))/gm)].map((m) => m[1].trimEnd());
  const text = blocks.length > 0 ? blocks.join('\n\n') : output.trimEnd();
  const lines = text.split('\n');
  return lines.length > EXCERPT_LINES ? (blocks.length > 0 ? [...lines.slice(0, EXCERPT_LINES), '…'] : ['…', ...lines.slice(-EXCERPT_LINES)]).join('\n') : text;
}

export interface JudgeInput {
  kind: RunKind;
  files: string[];
  raw: RawRun;
  /** The JUnit report the run wrote, or null when it wrote none (or none is expected). */
  junit: string | null;
  /** With JUnit: the tests that passed at baseline (null before the baseline, or without JUnit). */
  baselinePassing: ReadonlySet<string> | null;
  timeout: number | null;
  log: string;
}

/**
 * Did the run pass? A timeout or a kill never passes. With a JUnit baseline, a run passes when
 * every test that passed at baseline ran and did not fail; otherwise it passes when it exits 0.
 */
export function judgeRun(i: JudgeInput): ValidationRecord {
  const { raw } = i;
  const cases = i.junit !== null ? parseJUnit(i.junit) : null;
  const counts: TestCounts | null = cases
    ? {
        total: cases.length,
        passed: cases.filter((c) => c.outcome === 'passed').length,
        failed: cases.filter((c) => c.outcome === 'failed').length,
        errors: cases.filter((c) => c.outcome === 'error').length,
        skipped: cases.filter((c) => c.outcome === 'skipped').length,
        source: 'junit',
      }
    : parseCounts(raw.tail);
  const failingTests = cases ? cases.filter((c) => c.outcome === 'failed' || c.outcome === 'error').map((c) => c.id) : failingFromOutput(raw.tail);
  let newlyFailing: string[] = [];
  let passed: boolean;
  let reason: string | null = null;
  if (raw.timedOut) {
    passed = false;
    reason = `timed out after ${i.timeout}s`;
  } else if (raw.signal !== null) {
    passed = false;
    reason = `killed by ${raw.signal}`;
  } else if (i.baselinePassing !== null && i.kind !== 'baseline') {
    if (cases === null) {
      passed = false;
      reason = `wrote no JUnit report (exit ${raw.exitCode})`;
    } else {
      const ok = new Set(cases.filter((c) => c.outcome === 'passed' || c.outcome === 'skipped').map((c) => c.id));
      newlyFailing = [...i.baselinePassing].filter((id) => !ok.has(id));
      passed = newlyFailing.length === 0;
      if (!passed) reason = `${plural(newlyFailing.length, 'test')} that passed at baseline failed`;
    }
  } else {
    passed = raw.exitCode === 0;
    if (!passed) reason = `exit ${raw.exitCode}`;
  }
  return {
    kind: i.kind,
    files: i.files,
    exitCode: raw.exitCode,
    signal: raw.signal,
    timedOut: raw.timedOut,
    interrupted: raw.interrupted,
    durationMs: Math.round(raw.durationMs),
    passed,
    reason,
    counts,
    failingTests,
    newlyFailing,
    log: i.log,
    excerpt: passed ? '' : excerptOf(raw.tail),
  };
}

/** The ids of the tests a JUnit report says passed. */
export function passingTests(junit: string): string[] | null {
  const cases = parseJUnit(junit);
  return cases ? cases.filter((c) => c.outcome === 'passed').map((c) => c.id) : null;
}

const SHELL_SPECIAL = /[;&|<>()`$\n\\]/;

/**
 * The command to run and the JUnit report to read. An explicit path wins; a command that already
 * passes --junitxml is read where it writes; a plain pytest command gets --junitxml added under
 * .canon/ (only a simple command: appended to a pipeline or list it would land on the wrong part).
 */
export function junitPlan(cmd: string, junit: string | null, root: string, scratch: string): { cmd: string; path: string | null; added: boolean } {
  if (junit !== null) return { cmd, path: resolve(root, junit), added: false };
  const given = /--junit-?xml[= ](?:"([^"]+)"|'([^']+)'|(\S+))/.exec(cmd);
  if (given) return { cmd, path: resolve(root, given[1] ?? given[2] ?? given[3]), added: false };
  if (/(^|[\s/])(pytest|py\.test)(\s|$)/.test(cmd) && !SHELL_SPECIAL.test(cmd)) {
    const path = join(scratch, 'junit.xml');
    return { cmd: `${cmd} --junitxml='${path.replace(/'/g, `'\\''`)}'`, path, added: true };
  }
  return { cmd, path: null, added: false };
}
