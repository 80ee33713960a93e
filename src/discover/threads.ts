// discover's worker threads: started early (loading their code overlaps the listing of the
// project), then given jobs from one shared queue, two in flight each, while the main thread runs
// jobs from the same queue between its other work. A worker answers every request once, in order.

import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

/** Below this many files, starting threads costs more than it saves. */
export const PARALLEL_THRESHOLD = 400;

/** Threads in all for `files` files (`jobs`: as asked; 0 = by amount of work). */
export function threadsFor(files: number, jobs = 0): number {
  if (jobs > 0) return jobs;
  return files >= PARALLEL_THRESHOLD ? Math.min(availableParallelism(), 8) : 1;
}

class Thread {
  private readonly pending: { resolve(v: unknown): void; reject(e: unknown): void }[] = [];
  private failure: unknown = null;

  constructor(readonly worker: Worker) {
    worker.on('message', (m: unknown) => this.pending.shift()?.resolve(m));
    worker.on('error', (e) => {
      this.failure = e;
      for (const p of this.pending.splice(0)) p.reject(e);
    });
  }

  /** A message that gets no answer. */
  post(msg: unknown): void {
    this.worker.postMessage(msg);
  }

  request<R>(msg: unknown): Promise<R> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<R>((resolve, reject) => {
      this.pending.push({ resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage(msg);
    });
  }
}

export class ThreadPool {
  private readonly threads: Thread[];

  constructor(workers: number, script: URL) {
    this.threads = Array.from({ length: workers }, () => new Thread(new Worker(script)));
  }

  /** Worker threads (the main thread not counted). */
  get size(): number {
    return this.threads.length;
  }

  broadcast(msg: unknown): void {
    for (const t of this.threads) t.post(msg);
  }

  /** Send `msg` to every worker and wait for all answers. */
  gather<R>(msg: unknown): Promise<R[]> {
    return Promise.all(this.threads.map((t) => t.request<R>(msg)));
  }

  /**
   * Run every job once: workers get `remote(job)`, the main thread runs `local(job)` itself,
   * yielding between jobs so that answers are taken in and workers fed. `beforeLocal` runs on the
   * main thread once the workers have their first jobs. Results in no order. `onDone` hears how
   * many jobs are done after each one (for a progress line).
   */
  async run<J, R>(jobs: J[], remote: (j: J) => unknown, local: (j: J) => R, beforeLocal?: () => void, onDone?: (done: number, of: number) => void): Promise<R[]> {
    const results: R[] = [];
    let next = 0;
    const pump = async (t: Thread): Promise<void> => {
      while (next < jobs.length) {
        results.push(await t.request<R>(remote(jobs[next++])));
        onDone?.(results.length, jobs.length);
      }
    };
    const pumps = Promise.all(this.threads.flatMap((t) => [pump(t), pump(t)]));
    // Seen now, so that a worker failing while this thread works is not an unhandled rejection.
    let failed = false;
    pumps.catch(() => (failed = true));
    beforeLocal?.();
    while (next < jobs.length && !failed) {
      results.push(local(jobs[next++]));
      onDone?.(results.length, jobs.length);
      if (this.threads.length > 0) await new Promise((r) => setImmediate(r));
    }
    await pumps;
    return results;
  }

  stop(): void {
    for (const t of this.threads) void t.worker.terminate();
  }
}
