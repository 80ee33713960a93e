// The few git operations migrate needs, each an argument array run in the project root. Paths in and
// out are root-relative POSIX paths, even when the root is a subfolder of the repository.

import { spawn } from 'node:child_process';
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { UsageError } from '../core/errors.js';
import { faultPoint } from '../core/fault.js';
import { makeDirs } from '../fs/confine.js';

export interface GitResult {
  /** -1 when git was ended by a signal. */
  code: number;
  /** The signal that ended git (a Ctrl-C reaches the whole process group), or null. */
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * A git command that failed: what the user sees is git's own reason (a full disk, a lock another
 * git holds, a broken repository), so it is a user error, exit 2, wherever it stops migrate.
 */
export class GitError extends UsageError {
  constructor(
    readonly args: string[],
    readonly result: GitResult,
  ) {
    super(
      result.signal !== null
        ? `git ${args[0]} was stopped by ${result.signal}`
        : `git ${args.map(shown).join(' ')} failed (exit ${result.code}): ${result.stderr.trim() || result.stdout.trim()}`,
    );
  }

  /** The signal that ended git, or null when it exited. */
  get signal(): NodeJS.Signals | null {
    return this.result.signal;
  }
}

/** An argument as the one-line message shows it: a commit message (several lines) is left out. */
function shown(arg: string): string {
  return arg.includes('\n') ? '<message>' : arg;
}

export function runGit(cwd: string, args: string[]): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    // No pager, no prompts, and a stable language for messages we show.
    const env = { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_PAGER: 'cat', LC_ALL: 'C' };
    const child = spawn('git', args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code: code ?? -1, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
  });
}

async function gitOk(cwd: string, args: string[]): Promise<string> {
  const r = await runGit(cwd, args);
  if (r.code !== 0) throw new GitError(args, r);
  return r.stdout;
}

export interface RepoInfo {
  /** The repository's top folder. */
  toplevel: string;
  /** The root's path inside the repository, `''` or ending in `/`. */
  prefix: string;
  /** null before the first commit. */
  head: string | null;
}

/** The repository holding `root`, or null when it is not inside a git work tree. */
export async function repoInfo(root: string): Promise<RepoInfo | null> {
  const r = await runGit(root, ['rev-parse', '--show-toplevel', '--show-prefix']);
  if (r.code !== 0) return null;
  const [toplevel = '', prefix = ''] = r.stdout.split('\n');
  const h = await runGit(root, ['rev-parse', '--verify', '-q', 'HEAD']);
  return { toplevel, prefix, head: h.code === 0 ? h.stdout.trim() : null };
}

export async function head(root: string): Promise<string> {
  return (await gitOk(root, ['rev-parse', 'HEAD'])).trim();
}

/**
 * Files under the root with uncommitted changes to tracked content (staged or not). Untracked files
 * do not make the tree dirty: migrate never touches them (see `trackedFiles`).
 */
export async function dirtyFiles(root: string, info: RepoInfo): Promise<string[]> {
  const out = await gitOk(root, ['status', '--porcelain=v1', '-z', '--untracked-files=no', '--', '.']);
  const parts = out.split('\0');
  const files: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const entry = parts[i];
    if (entry.length < 4) continue;
    const xy = entry.slice(0, 2);
    files.push(entry.slice(3));
    // A rename or copy names its source in the next field; the source is changed too.
    if (xy[0] === 'R' || xy[0] === 'C') files.push(parts[++i]);
  }
  return files.filter((f) => f.startsWith(info.prefix)).map((f) => f.slice(info.prefix.length));
}

/** Files under the root that git does not track and does not ignore, root-relative. */
export async function untrackedFiles(root: string): Promise<string[]> {
  const out = await gitOk(root, ['ls-files', '-z', '--others', '--exclude-standard', '--', '.']);
  return out.split('\0').filter(Boolean);
}

/**
 * Keep `pattern` out of git's view through .git/info/exclude, unless something already ignores
 * `probe`. Returns the exclude file's path when it added the pattern (so the caller can say so),
 * else null.
 */
export async function ensureExcluded(root: string, probe: string, pattern: string): Promise<string | null> {
  const ignored = await runGit(root, ['check-ignore', '-q', '--no-index', probe]);
  if (ignored.code === 0) return null;
  let path = (await gitOk(root, ['rev-parse', '--git-path', 'info/exclude'])).trim();
  if (!isAbsolute(path)) path = join(root, path);
  let text = '';
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    // No exclude file yet: appending creates it.
  }
  if (text.split('\n').includes(pattern)) return null;
  makeDirs(dirname(path));
  appendFileSync(path, `${text === '' || text.endsWith('\n') ? '' : '\n'}# added by canon migrate\n${pattern}\n`);
  return path;
}

/** Commit exactly `files` (their work-tree bytes), whatever else is staged; returns the new commit. */
export async function commitFiles(root: string, files: string[], message: string): Promise<string> {
  faultPoint('git.add.before');
  await gitOk(root, ['add', '--', ...files]);
  faultPoint('git.commit.before');
  await gitOk(root, ['commit', '-q', '--only', '-m', message, '--', ...files]);
  faultPoint('git.commit.after');
  return head(root);
}

/**
 * The commit whose message carries `Canon-Batch: <key>` among the commits after `since` (the run's
 * first HEAD; the last 200 commits when unknown), or null: did an attempt's commit land?
 */
export async function findBatchCommit(root: string, key: string, since: string | null): Promise<{ sha: string; subject: string } | null> {
  const args = ['log', '--format=%H%x00%s', '--fixed-strings', `--grep=Canon-Batch: ${key}`];
  // A range from a commit history no longer holds (rewritten since) falls back to the last commits.
  const r = since ? await runGit(root, [...args, `${since}..HEAD`]) : null;
  const out = r !== null && r.code === 0 ? r.stdout : await gitOk(root, [...args, '-n', '200', 'HEAD']);
  const first = out.split('\n').find(Boolean);
  if (!first) return null;
  const [sha, subject = ''] = first.split('\0');
  return { sha, subject };
}

/** Put the index entries of `files` back to HEAD (after an interrupted commit staged them). */
export async function unstage(root: string, files: string[]): Promise<void> {
  if (files.length > 0) await gitOk(root, ['reset', '-q', 'HEAD', '--', ...files]);
}
