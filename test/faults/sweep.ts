// What the fault tests share: running the built CLI as a process that a fault may kill or stop
// (CANON_FAULT, see src/core/fault.ts), reading the points a run reaches, and choosing which to
// sweep: a few in the suite, every one with `npm run test:faults` (CANON_FAULTS=full), or those
// listed (CANON_FAULTS=12,40).

import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { CLI } from '../helpers/project.js';

export const FULL = process.env.CANON_FAULTS === 'full';
/** CANON_FAULTS=12,40: exactly those points (to look again at one a sweep reported). */
export const ONLY = /^\d+(,\d+)*$/.test(process.env.CANON_FAULTS ?? '') ? process.env.CANON_FAULTS!.split(',').map(Number) : null;

export interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The built canon (node on dist/bin/canon.js, no launcher: the pid is node's), with `env` added. */
export function canon(args: string[], cwd: string, env: Record<string, string> = {}, onStart?: (pid: number) => void): Promise<Run> {
  return new Promise((resolve) => {
    const e: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ...env };
    delete e.FORCE_COLOR;
    if (!('CANON_FAULT' in env)) delete e.CANON_FAULT;
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env: e, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    if (child.pid !== undefined) onStart?.(child.pid);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** The points a run reached, in order, from a CANON_FAULT=trace:FILE file. */
export function tracePoints(file: string): string[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => l.slice(l.indexOf(' ') + 1));
}

/** Is `name` one of `prefixes` (a name, or below it: `journal` covers `journal.run.after`)? */
export const under = (name: string, prefixes: string[]): boolean => prefixes.some((p) => name === p || name.startsWith(`${p}.`));

/**
 * Which of `points` (1-based positions into the list) to inject a fault at: every one with FULL;
 * else the first and last of each name, or with `names` (`name` or `name#n`, its n-th) those only.
 */
export function choose(points: string[], names?: string[]): number[] {
  if (FULL) return points.map((_, i) => i + 1);
  if (ONLY) return ONLY.filter((k) => k >= 1 && k <= points.length);
  const out = new Set<number>();
  if (names) {
    for (const spec of names) {
      // `name#n`: its n-th occurrence.
      const [n, nth = '1'] = spec.split('#');
      const at = points.flatMap((p, i) => (p === n ? [i + 1] : []));
      if (at.length < Number(nth)) throw new Error(`no point ${spec} in the trace`);
      out.add(at[Number(nth) - 1]);
    }
  } else {
    for (const n of new Set(points)) {
      out.add(points.indexOf(n) + 1);
      out.add(points.lastIndexOf(n) + 1);
    }
  }
  return [...out].sort((a, b) => a - b);
}

/** Wait until process `pid` has stopped itself (SIGSTOP); false when it ended instead. */
export async function stopped(pid: number, ms = 60_000): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    let state: string;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
      state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    } catch {
      return false;
    }
    if (state === 'T' || state === 't') return true;
    if (state === 'Z' || state === 'X') return false;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`process ${pid} neither stopped nor ended`);
}

/** Every file under `dir` (relative, `/`-separated), skipping `.git`. */
export function filesUnder(dir: string, skip: string[] = ['.git']): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) {
        if (!skip.includes(relative(dir, p))) walk(p);
      } else out.push(relative(dir, p).split('\\').join('/'));
    }
  };
  walk(dir);
  return out.sort();
}

/** Files canon's temporaries could be mistaken for: anything named like one, anywhere. */
export function strayTemporaries(dir: string): string[] {
  return filesUnder(dir).filter((f) => /\.canon-tmp$|\.tmp$/.test(f) || /\.canon-\d+-\d+\.tmp$/.test(f));
}

export function removeTree(dir: string): void {
  try {
    if (statSync(dir).isDirectory()) rmSync(dir, { recursive: true, force: true });
  } catch {
    // gone
  }
}

/** A line for the test log: what a sweep injected and how long it took (the machine is shared: wall time only). */
export function report(what: string, faults: number, t0: number, sampled = !FULL): void {
  const how = sampled ? ' (sampled; npm run test:faults sweeps all)' : FULL ? ' (full sweep)' : '';
  console.log(`${what}: ${faults} faults injected in ${((performance.now() - t0) / 1000).toFixed(1)} s wall${how}`);
}
