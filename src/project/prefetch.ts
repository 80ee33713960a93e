// Work started early for a caller that will ask for it soon (the command line starts git and the
// folder walk before it loads the code that needs them). A result is handed out once, to the first
// caller asking with the same key, and only while fresh: a later caller does the work again and
// sees the tree as it is then.
//
// What is started early is kept process-wide, not per module instance: in the bundle, the
// dispatcher (dist/bin/canon.js) starts the work and the command's file takes it, and each file
// carries its own copy of these modules (scripts/bundle.mjs).

/** One value per process for `name`, whichever copy of a module asks. */
export function processWide<T>(name: string, make: () => T): T {
  const g = globalThis as unknown as Record<symbol, T | undefined>;
  const key = Symbol.for(`canon.${name}`);
  let v = g[key];
  if (v === undefined) g[key] = v = make();
  return v;
}

/** A prefetched result older than this is not handed out: the tree may have changed since. */
const FRESH_MS = 5000;

export class Prefetched<T> {
  private readonly early: Map<string, { at: number; value: T }>;

  /** `name`: what is prefetched, unique in the program (the process-wide slot). */
  constructor(name: string) {
    this.early = processWide(`prefetched.${name}`, () => new Map());
  }

  /** Start `make()` now for `key`, unless it is already waiting. */
  start(key: string, make: () => T): void {
    if (!this.early.has(key)) this.early.set(key, { at: performance.now(), value: make() });
  }

  /** The waiting result for `key` if fresh (taken), else `make()`. */
  take(key: string, make: () => T): T {
    const e = this.early.get(key);
    if (e === undefined) return make();
    this.early.delete(key);
    return performance.now() - e.at < FRESH_MS ? e.value : make();
  }
}
