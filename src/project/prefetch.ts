// Work started early for a caller that will ask for it soon (the command line starts git and the
// folder walk before it loads the code that needs them). A result is handed out once, to the first
// caller asking with the same key, and only while fresh: a later caller does the work again and
// sees the tree as it is then.

/** A prefetched result older than this is not handed out: the tree may have changed since. */
const FRESH_MS = 5000;

export class Prefetched<T> {
  private readonly early = new Map<string, { at: number; value: T }>();

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
