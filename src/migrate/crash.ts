// FOR TESTS ONLY. `CANON_TEST_CRASH_AFTER=<point>:<n>` makes canon kill itself with SIGKILL at a
// fixed point, so the tests can check what a crash leaves and that the next start repairs it:
//   write:N     after writing the N-th file of one attempt (a batch or a bisect half)
//   write:N@B   the same, only in batch B
//   commit:N    right after the N-th commit of this process, before the journal records it
// Unset (always, outside the tests), this does nothing.

export type CrashPoint = 'write' | 'commit';

const spec = /^(write|commit):(\d+)(?:@(\d+))?$/.exec(process.env.CANON_TEST_CRASH_AFTER ?? '');

export function crashAt(point: CrashPoint, count: number, batch?: number): void {
  if (!spec || spec[1] !== point || Number(spec[2]) !== count) return;
  if (spec[3] !== undefined && Number(spec[3]) !== batch) return;
  process.kill(process.pid, 'SIGKILL');
}
