// Running git: one-shot commands with argument arrays (never a shell), answered as data (exit code,
// stdout, stderr) rather than thrown. A command can be started early (`prefetchGit`, see
// prefetch.ts): the command line starts the project listing before it loads the code that needs
// it, so that git works on the other core meanwhile.

import { execFile } from 'node:child_process';
import { Prefetched } from './prefetch.js';

export interface GitRun {
  /** Exit code; -1 when git could not be started or was killed. */
  code: number;
  stdout: Buffer;
  stderr: string;
}

const prefetched = new Prefetched<Promise<GitRun>>();

const keyOf = (args: readonly string[], cwd: string): string => JSON.stringify([cwd, args]);

function spawnGit(args: readonly string[], cwd: string): Promise<GitRun> {
  return new Promise((done) => {
    execFile('git', [...args], { cwd, encoding: 'buffer', maxBuffer: 1 << 30, windowsHide: true }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : -1) : 0;
      done({ code, stdout, stderr: stderr.toString('utf8').trim() });
    });
  });
}

/** Run `git args` in `cwd`. */
export function runGit(args: readonly string[], cwd: string): Promise<GitRun> {
  return prefetched.take(keyOf(args, cwd), () => spawnGit(args, cwd));
}

/** Start `git args` in `cwd` now, for a `runGit` with the same arguments soon after. */
export function prefetchGit(args: readonly string[], cwd: string): void {
  prefetched.start(keyOf(args, cwd), () => spawnGit(args, cwd));
}

/** The commands that list a project's files (files.ts gitListing). */
export const LIST_TRACKED = ['ls-files', '-z', '--stage'];
/**
 * The work tree's status (status.ts): untracked files and tracked ones deleted. Without
 * `--no-optional-locks`: like a user's own `git status`, it writes back the index it refreshed when
 * it can take the lock, so files whose stat data went stale (a `touch`, a copy) are hashed once,
 * not on every run; when the lock is taken (a commit running its hooks) it just does not write.
 */
export const LIST_STATUS = ['status', '--porcelain=v2', '-z', '--untracked-files=all', '--no-renames', '--ignore-submodules=all', '--', '.'];

/** Start listing the project in `root` now. */
export function prefetchListing(root: string): void {
  for (const args of [LIST_TRACKED, LIST_STATUS]) prefetchGit(args, root);
}

/** NUL-separated paths (`-z` output). */
export function splitPaths(out: Buffer): string[] {
  return out.toString('utf8').split('\0').filter((s) => s !== '');
}
