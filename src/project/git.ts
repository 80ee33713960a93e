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

const prefetched = new Prefetched<Promise<GitRun>>('git');

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

/** The index's entries with their modes: the project's tracked files (files.ts gitListing). */
const LIST_TRACKED = ['ls-files', '-z', '--stage'];

/** The tracked regular files under a folder: `ls-files` run and read. */
export interface TrackedFiles {
  /** git's exit code; -1 when it could not be started. */
  code: number;
  /** Root-relative POSIX paths in the index's order, once each. */
  files: string[];
}

const trackedEarly = new Prefetched<Promise<TrackedFiles>>('tracked');

function readTracked(root: string): Promise<TrackedFiles> {
  return spawnGit(LIST_TRACKED, root).then((r) => ({ code: r.code, files: r.code === 0 ? regularEntries(r.stdout) : [] }));
}

/**
 * The tracked regular files under `root`. A prefetched listing is read as soon as git's output
 * arrives, while the command line still loads its code: then the 20,000 paths of a large project
 * are strings before `git status` is done, instead of after.
 */
export function trackedFiles(root: string): Promise<TrackedFiles> {
  return trackedEarly.take(root, () => readTracked(root));
}

/**
 * The paths of `ls-files -z --stage` entries (`<mode> <object> <stage>\t<path>\0`) that are regular
 * files (mode 100644 or 100755: not a symlink 120000, not a submodule 160000), once each (a
 * conflicted file has an entry per stage, one after another). Decoded once, then cut with string
 * searches: per-entry Buffer calls cost twice as much, and this runs on every file of the project.
 */
export function regularEntries(out: Buffer): string[] {
  const text = out.toString('utf8');
  const paths: string[] = [];
  let last = '';
  for (let at = 0; at < text.length; ) {
    let end = text.indexOf('\0', at);
    if (end < 0) end = text.length;
    const tab = text.indexOf('\t', at);
    // `100`: a regular file.
    if (tab > at && tab < end && text.startsWith('100', at)) {
      const path = text.slice(tab + 1, end);
      if (path !== last) paths.push((last = path));
    }
    at = end + 1;
  }
  return paths;
}
/**
 * The work tree's status (status.ts): untracked files and tracked ones deleted. Without
 * `--no-optional-locks`: like a user's own `git status`, it writes back the index it refreshed when
 * it can take the lock, so files whose stat data went stale (a `touch`, a copy) are hashed once,
 * not on every run; when the lock is taken (a commit running its hooks) it just does not write.
 */
export const LIST_STATUS = ['status', '--porcelain=v2', '-z', '--branch', '--untracked-files=all', '--no-renames', '--ignore-submodules=all', '--', '.'];

/** Start listing the project in `root` now. */
export function prefetchListing(root: string): void {
  trackedEarly.start(root, () => readTracked(root));
  prefetchGit(LIST_STATUS, root);
}

/** NUL-separated paths (`-z` output). */
export function splitPaths(out: Buffer): string[] {
  return out.toString('utf8').split('\0').filter((s) => s !== '');
}
