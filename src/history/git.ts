// git as history needs it: one-shot commands with argument arrays (never a shell), failures that
// carry the exit code and stderr, and the commits to visit with their metadata.

import { execFile } from 'node:child_process';
import { UsageError } from '../core/errors.js';

/** git's own reason (a bad --rev, a broken repository) is the user's to act on: exit 2, no trace. */
export class GitError extends UsageError {
  constructor(
    readonly args: readonly string[],
    readonly code: number | string | null,
    readonly stderr: string,
  ) {
    super(`git ${args.join(' ')} failed (${code === null ? 'killed' : `exit ${code}`})${stderr.trim() ? `: ${stderr.trim()}` : ''}`);
  }
}

export function git(args: string[], cwd: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    execFile('git', args, { cwd, encoding: 'buffer', maxBuffer: 1 << 30, windowsHide: true }, (err, stdout, stderr) => {
      if (err) {
        const code = (err as NodeJS.ErrnoException & { code?: number | string }).code ?? null;
        reject(new GitError(args, code, stderr ? stderr.toString('utf8') : err.message));
      } else resolve(stdout);
    });
  });
}

export interface CommitInfo {
  /** Full object name. */
  commit: string;
  /** Committer date, ISO 8601 with the committer's offset (`%cI`). */
  date: string;
  author: string;
  subject: string;
}

export interface CommitSelection {
  /** Only commits at or after this date (anything `git log --since` accepts; a bare `2025-09-01` is
   * that day at the current time of day, as git reads it: add ` 00:00:00` for the day's start). */
  since?: string;
  /** At most the last N commits. */
  commits?: number;
  /** Where to start walking back from (default HEAD). */
  rev?: string;
}

/**
 * The commits to visit, oldest first: the first-parent line of `rev` (the mainline, not the
 * commits merged into it), limited by date and count.
 */
export async function listCommits(repoDir: string, sel: CommitSelection): Promise<CommitInfo[]> {
  const args = ['log', '--first-parent', '-z', '--format=%H%x1f%cI%x1f%an%x1f%s'];
  if (sel.since !== undefined) args.push(`--since=${sel.since}`);
  if (sel.commits !== undefined) args.push(`--max-count=${sel.commits}`);
  args.push(sel.rev ?? 'HEAD', '--');
  const out = (await git(args, repoDir)).toString('utf8');
  const commits: CommitInfo[] = [];
  for (const rec of out.split('\0')) {
    const line = rec.replace(/^\n/, '');
    if (line === '') continue;
    const [commit, date, author, subject] = line.split('\x1f');
    commits.push({ commit, date, author, subject: subject ?? '' });
  }
  return commits.reverse();
}

export interface RepoLocation {
  /** The work tree's top folder. */
  top: string;
  /** The project root relative to it, POSIX, without a trailing slash ('' at the top). */
  prefix: string;
  /** Bytes of an object name in tree objects: 20 (SHA-1) or 32 (SHA-256). */
  hashBytes: number;
}

/**
 * Where `root` sits in its git repository; null when it is not in a work tree. A UsageError when
 * git itself cannot be run.
 */
export async function locateRepo(root: string): Promise<RepoLocation | null> {
  let out: string;
  try {
    out = (await git(['rev-parse', '--show-toplevel', '--show-prefix'], root)).toString('utf8');
  } catch (e) {
    if (e instanceof GitError && e.code === 'ENOENT') throw new UsageError('canon history needs git, which is not on PATH');
    return null;
  }
  const [top, prefix] = out.split('\n');
  let hashBytes = 20;
  try {
    // SHA-256 repositories (git >= 2.29); older gits know only SHA-1 and reject the flag.
    if ((await git(['rev-parse', '--show-object-format'], root)).toString('utf8').trim() === 'sha256') hashBytes = 32;
  } catch {
    // SHA-1
  }
  return { top, prefix: prefix.replace(/\/$/, ''), hashBytes };
}
