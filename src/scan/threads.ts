// The scan's worker threads: where their script is, whether there is one (canon run from its
// TypeScript sources scans in-thread), and one thread started ahead of time. The command line
// starts it before it loads the scan's code (early.ts), so that the worker's own start-up (~60 ms)
// overlaps the main thread's; runScan takes it, or starts one itself.

import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { workerUrl } from '../bundle.js';
import { processWide } from '../project/prefetch.js';

const WORKER = workerUrl('scan-worker.js', new URL('./worker.js', import.meta.url));

/** Workers run the compiled worker script; from TypeScript sources (tests), canon scans in-thread. */
export const CAN_THREAD = existsSync(fileURLToPath(WORKER));

/**
 * Cores a machine needs before a scan shares its work with a worker thread unasked (`--jobs N`
 * still asks). Measured on two cores (callgrind, the realistic benchmark tree, cold): one thread
 * runs 4.8 G instructions on the main thread and 2.2 G on V8's own helper threads (collector,
 * compiler); with a worker, the main thread's share drops to 3.2 G but the worker and the helpers
 * add up to 5.8 G more: 9.0 G of work for two cores, no less than what one thread needs alone.
 * With four cores or more the helpers have room; that case is not measured here.
 */
export const SHARE_MIN_CORES = 4;

export function sharesByDefault(): boolean {
  return availableParallelism() >= SHARE_MIN_CORES;
}

export function startWorker(): Worker {
  return new Worker(WORKER);
}

// Process-wide: the bundle's dispatcher starts it, the command's file takes it (see prefetch.ts).
const slot = processWide('scan-worker-ahead', (): { ahead: { worker: Worker; at: number } | null } => ({ ahead: null }));

/** Start a worker now for a scan that will likely want one (a whole-project scan on several cores). */
export function startWorkerAhead(): void {
  if (slot.ahead !== null || !CAN_THREAD || !sharesByDefault()) return;
  const worker = startWorker();
  // Until a scan takes it, it must not keep the process alive (a command may stop before scanning).
  worker.unref();
  slot.ahead = { worker, at: performance.now() };
}

/** The worker started ahead, if any (once); one left waiting more than a few seconds is dropped. */
export function takeWorkerAhead(): Worker | null {
  const a = slot.ahead;
  slot.ahead = null;
  if (a === null) return null;
  if (performance.now() - a.at > 5000) {
    void a.worker.terminate();
    return null;
  }
  a.worker.ref();
  return a.worker;
}
