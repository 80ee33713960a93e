// The git question check asks: which files changed since a revision (committed, staged or not).
// Untracked files come from the project listing (project/files.ts).
//
// `git diff REV` would answer it, but it compares every file of the work tree (a stat of each),
// which the listing's `git status` does too. So the answer is put together from the commits since
// REV (`git diff REV HEAD`: trees only, no file touched) and the status's changes against HEAD; a
// file in both may have been changed back to what REV holds, and only those few are compared with
// REV file by file. The files named are exactly those `git diff REV` names.

import { UsageError } from '../core/errors.js';
import { prefetchGit, runGit, splitPaths, type GitRun } from '../project/git.js';
import { workTreeStatus } from '../project/status.js';

const DIFF = ['diff', '--name-only', '-z', '--no-renames', '--relative'];
/** The commits since `rev`: HEAD's tree against rev's. */
const diffArgs = (rev: string): string[] => [...DIFF, rev, 'HEAD', '--'];
/** The work tree against `rev`, limited by the pathspecs that follow. */
const fullDiff = (rev: string): string[] => [...DIFF, rev, '--'];

const NO_COMMITS: GitRun = { code: 0, stdout: Buffer.alloc(0), stderr: '' };

/** Start the diff now (see prefetchGit); `changedSince` with the same revision picks it up. */
export function prefetchChanged(root: string, rev: string): void {
  if (rev !== '' && rev !== 'HEAD' && !rev.startsWith('-')) prefetchGit(diffArgs(rev), root);
}

/**
 * Root-relative POSIX paths of tracked files under `root` that differ from `rev`: what `git diff
 * REV` sees (commits since REV plus staged and unstaged edits, renames as delete + add; deleted
 * files too). Returns null when the repository has no commit yet and `rev` is HEAD: then
 * everything is new.
 */
export async function changedSince(root: string, rev: string): Promise<string[] | null> {
  if (rev === '' || rev.startsWith('-')) throw new UsageError(`--changed-since: not a revision: ${JSON.stringify(rev)}`);
  // Since HEAD (a pre-commit hook's question) there are no commits to compare: the status answers.
  const [diff, status] = await Promise.all([rev === 'HEAD' ? NO_COMMITS : runGit(diffArgs(rev), root), workTreeStatus(root)]);
  if (rev === 'HEAD' && status?.unborn) return null;
  if (diff.code === 0 && status !== null) {
    const since = new Set(splitPaths(diff.stdout));
    // Changed since REV and again since HEAD (perhaps back to REV), or unsure: compared with REV.
    const recheck = [...status.changed.filter((f) => since.has(f)), ...status.unsure];
    for (const f of status.changed) since.add(f);
    if (recheck.length > 0) {
      for (const f of recheck) since.delete(f);
      const whole = recheck.length > 500;
      const again = await runGit([...fullDiff(rev), ...(whole ? [] : recheck.map((f) => `:(literal)${f}`))], root);
      // (Should git fail here, every such file counts as changed: a few more files are checked.)
      const differ = again.code === 0 ? splitPaths(again.stdout) : recheck;
      if (whole) return differ;
      for (const f of differ) since.add(f);
    }
    return [...since];
  }
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
