// The two git questions check asks: which files changed since a revision (committed, staged or
// not), and which files git does not track yet. Argument arrays only; failures carry git's stderr.

import { execFile } from 'node:child_process';
import { UsageError } from '../core/errors.js';

interface GitRun {
  code: number;
  stdout: Buffer;
  stderr: string;
}

function git(args: string[], cwd: string): Promise<GitRun> {
  return new Promise((done) => {
    execFile('git', args, { cwd, encoding: 'buffer', maxBuffer: 1 << 30, windowsHide: true }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : -1) : 0;
      done({ code, stdout, stderr: stderr.toString('utf8').trim() });
    });
  });
}

function paths(out: Buffer): string[] {
  return out.toString('utf8').split('\0').filter((s) => s !== '');
}

export interface ChangedFiles {
  /** Root-relative POSIX paths changed since the revision (deleted ones too), tracked by git. */
  tracked: string[];
  /** Untracked, not ignored files under the root. */
  untracked: string[];
}

/**
 * Files under `root` that differ from `rev`: what `git diff REV` sees (commits since REV plus
 * staged and unstaged edits, renames as delete + add) and untracked files git does not ignore.
 * Returns null when the repository has no commit yet and `rev` is HEAD: then everything is new.
 */
export async function changedSince(root: string, rev: string): Promise<ChangedFiles | null> {
  if (rev === '' || rev.startsWith('-')) throw new UsageError(`--changed-since: not a revision: ${JSON.stringify(rev)}`);
  const [diff, others] = await Promise.all([
    git(['diff', '--name-only', '-z', '--no-renames', '--relative', rev, '--'], root),
    git(['ls-files', '-z', '--others', '--exclude-standard'], root),
  ]);
  if (diff.code !== 0 || others.code !== 0) {
    const inside = await git(['rev-parse', '--is-inside-work-tree'], root);
    if (inside.code !== 0 || inside.stdout.toString('utf8').trim() !== 'true') {
      throw new UsageError(`--changed-since needs a git work tree; ${root} is not in one`);
    }
    if (others.code !== 0) throw new UsageError(`git ls-files failed (exit ${others.code}): ${others.stderr}`);
    const head = await git(['rev-parse', '--verify', '--quiet', 'HEAD'], root);
    if (head.code !== 0 && rev === 'HEAD') return null;
    throw new UsageError(`--changed-since: git cannot compare with ${JSON.stringify(rev)} (exit ${diff.code}): ${diff.stderr.split('\n')[0]}`);
  }
  return { tracked: paths(diff.stdout), untracked: paths(others.stdout) };
}

/** Whether git ignores `file` (relative to cwd); false outside a work tree. */
export async function isIgnored(file: string, cwd: string): Promise<boolean> {
  const r = await git(['check-ignore', '--quiet', '--', file], cwd);
  return r.code === 0;
}
