// The git question check asks: which files changed since a revision (committed, staged or not).
// Untracked files come from the project listing (project/files.ts), which asks git once for both.

import { UsageError } from '../core/errors.js';
import { prefetchGit, runGit, splitPaths } from '../project/git.js';

const diffArgs = (rev: string): string[] => ['diff', '--name-only', '-z', '--no-renames', '--relative', rev, '--'];

/** Start the diff now (see prefetchGit); `changedSince` with the same revision picks it up. */
export function prefetchChanged(root: string, rev: string): void {
  if (rev !== '' && !rev.startsWith('-')) prefetchGit(diffArgs(rev), root);
}

/**
 * Root-relative POSIX paths of tracked files under `root` that differ from `rev`: what `git diff
 * REV` sees (commits since REV plus staged and unstaged edits, renames as delete + add; deleted
 * files too). Returns null when the repository has no commit yet and `rev` is HEAD: then
 * everything is new.
 */
export async function changedSince(root: string, rev: string): Promise<string[] | null> {
  if (rev === '' || rev.startsWith('-')) throw new UsageError(`--changed-since: not a revision: ${JSON.stringify(rev)}`);
  const diff = await runGit(diffArgs(rev), root);
  if (diff.code === 0) return splitPaths(diff.stdout);
  const inside = await runGit(['rev-parse', '--is-inside-work-tree'], root);
  if (inside.code !== 0 || inside.stdout.toString('utf8').trim() !== 'true') {
    throw new UsageError(`--changed-since needs a git work tree; ${root} is not in one`);
  }
  const head = await runGit(['rev-parse', '--verify', '--quiet', 'HEAD'], root);
  if (head.code !== 0 && rev === 'HEAD') return null;
  throw new UsageError(`--changed-since: git cannot compare with ${JSON.stringify(rev)} (exit ${diff.code}): ${diff.stderr.split('\n')[0]}`);
}

/** Whether git ignores `file` (relative to cwd); false outside a work tree. */
export async function isIgnored(file: string, cwd: string): Promise<boolean> {
  const r = await runGit(['check-ignore', '--quiet', '--', file], cwd);
  return r.code === 0;
}
