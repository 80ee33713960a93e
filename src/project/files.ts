// Which Python files the project holds: git's view (tracked + untracked-not-ignored) when in a work
// tree, else a walk honouring .gitignore files; then `include`/`exclude` and optional CLI paths.

import { realpathSync, statSync } from 'node:fs';
import { lstat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import picomatch from 'picomatch';
import type { Config } from '../config/types.js';
import { isSorted, sortedIncludes } from '../core/sorted.js';
import { trackedFiles } from './git.js';
import { workTreeStatus } from './status.js';
import { SKIP_DIRS, walkOf } from './walk.js';
import { workTreeTop } from './workTree.js';

/** A CLI path argument that cannot narrow the listing; `path` is the argument as given. */
export interface PathProblem {
  path: string;
  message: string;
}

export interface FileListing {
  /** POSIX paths relative to config.root, sorted, no duplicates. */
  files: string[];
  problems: PathProblem[];
}


/**
 * The project's Python files. `narrow` are CLI path arguments (files or folders, relative to `cwd`
 * or absolute): only files at or under them are kept. A path outside the root, missing, or naming a
 * file the listing does not select becomes a problem rather than silently matching nothing.
 * Symlinked files are left out: editing one would edit its target a second time.
 */
export async function listPythonFiles(
  config: Config,
  narrow?: string[],
  cwd: string = process.cwd(),
): Promise<FileListing & { untracked: string[] | null }> {
  const root = config.root;
  // Outside any work tree git is not asked at all (it would only fail).
  const git = workTreeTop(root) === null ? null : await gitListing(root);
  const candidates = git ? await presentFiles(root, git) : await walkOf(root);
  const include = makeGlobMatcher(config.include);
  const exclude = makeGlobMatcher(config.exclude);
  // Tracked and untracked files are apart by definition, and each list holds a file once.
  const selected = candidates.filter((f) => include(f) && !exclude(f));

  // Deleted and symlinked files were already dropped by the lister (see gitListing/walkFiles):
  // no per-file system call here, which matters on a 20,000-file tree.
  return { ...narrowFiles(config, selected.sort(), narrow, cwd), untracked: git ? git.untracked : null };
}

/**
 * Keep the files of a listing (sorted, root-relative, already filtered by include/exclude) that lie
 * at or under the path arguments; a path that cannot narrow the listing becomes a problem.
 * Exported so that a caller holding the project's listing narrows it without listing again.
 */
export function narrowFiles(config: Config, files: string[], narrow: string[] | undefined, cwd: string = process.cwd()): FileListing {
  if (!narrow || narrow.length === 0) return { files, problems: [] };
  const include = makeGlobMatcher(config.include);
  const exclude = makeGlobMatcher(config.exclude);
  const problems: PathProblem[] = [];
  // Listings are sorted: a few arguments are looked up by binary search, not through a set of
  // every file (the common case of a pre-commit hook's few files in a large project).
  const sorted = narrow.length < 64 && isSorted(files);
  const fileSet = sorted ? { has: (f: string) => sortedIncludes(files, f) } : new Set(files);
  const keep = new Set<string>();
  for (const arg of narrow) {
    // A listed file named plainly (a pre-commit hook's or fix's many arguments): no system call.
    const plain = relative(config.root, resolve(cwd, arg)).split(sep).join('/');
    if (fileSet.has(plain)) {
      keep.add(plain);
      continue;
    }
    const target = rootRelative(config.root, cwd, arg);
    if ('problem' in target) {
      problems.push({ path: arg, message: target.problem });
      continue;
    }
    const rel = target.rel;
    if (!target.isDir) {
      if (fileSet.has(rel)) keep.add(rel);
      else problems.push({ path: arg, message: whyNotSelected(rel, include, exclude) });
      continue;
    }
    for (const f of files) if (rel === '' || f.startsWith(rel + '/')) keep.add(f);
  }
  return { files: sorted && keep.size < 64 ? [...keep].sort() : files.filter((f) => keep.has(f)), problems };
}

function whyNotSelected(rel: string, include: (f: string) => boolean, exclude: (f: string) => boolean): string {
  if (!include(rel)) return 'not selected: it does not match `include`';
  if (exclude(rel)) return 'not selected: it matches `exclude`';
  return 'not selected: it is ignored (.gitignore) or a symlink';
}

/** A CLI path as a root-relative POSIX path ('' = the root itself). */
function rootRelative(
  root: string,
  cwd: string,
  arg: string,
): { rel: string; isDir: boolean } | { problem: string } {
  const abs = resolve(cwd, arg);
  let st;
  try {
    st = statSync(abs);
  } catch {
    return { problem: 'no such file or directory' };
  }
  let rel = relative(root, abs);
  if (isOutside(rel)) {
    // The same place reached through a symlink (macOS /tmp -> /private/tmp) is still inside.
    try {
      rel = relative(realpathSync(root), realpathSync(abs));
    } catch {
      // keep the outside verdict
    }
  }
  if (isOutside(rel)) return { problem: `outside the project root (${root})` };
  return { rel: rel.split(sep).join('/'), isDir: st.isDirectory() };
}

function isOutside(rel: string): boolean {
  return rel === '..' || rel.startsWith('..' + sep) || isAbsolute(rel);
}

/** What git says about a folder's files, root-relative. */
export interface GitListing {
  /** Tracked regular files present in the work tree. */
  tracked: string[];
  /** Untracked files git does not ignore, outside the always-skipped folders (symlinks included). */
  untracked: string[];
}

/**
 * Tracked and untracked-but-not-ignored files under `root`; null when `root` is not in a git work
 * tree or git is unavailable (then the caller walks the folder instead).
 */
export async function gitListing(root: string): Promise<GitListing | null> {
  // Two git runs (each costs the command line a spawn): the index's files with their modes, and
  // the work tree's status (untracked files, tracked ones deleted). The always-skipped folders
  // apply only to untracked files: a tracked package that happens to be named `venv` is still source.
  const [staged, status] = await Promise.all([trackedFiles(root), workTreeStatus(root)]);
  // Outside a work tree (or without git) both fail.
  if (staged.code !== 0 || status === null) return null;
  const untracked = status.untracked.filter((f) => !f.split('/').some((part) => SKIP_DIRS.has(part)));
  const entries = staged.files;
  // git keeps files deleted from the work tree in the index until the deletion is staged; drop those.
  const tracked = status.missing.size === 0 ? entries : entries.filter((f) => !status.missing.has(f));
  return { tracked, untracked };
}

/** The files of a git listing that are regular files (tracked ones are known to be). */
async function presentFiles(root: string, listing: GitListing): Promise<string[]> {
  // Untracked files are few; checking each for a symlink costs little.
  const plain = await Promise.all(
    listing.untracked.map(async (f) => {
      try {
        return (await lstat(join(root, f))).isFile();
      } catch {
        return false;
      }
    }),
  );
  return [...listing.tracked, ...listing.untracked.filter((_, i) => plain[i])];
}

/**
 * One predicate for a list of globs over root-relative POSIX paths, .gitignore-like: a pattern that
 * matches a folder matches everything in it (`build`, `**\/migrations`, `app/legacy/`), and dot
 * files/folders are matched like any other. Folder verdicts are cached, since files share folders.
 */
export function makeGlobMatcher(patterns: readonly string[]): (file: string) => boolean {
  if (patterns.length === 0) return () => false;
  const globs = patterns.map((p) => p.replace(/^(\.\/)+/, '').replace(/\/+$/, ''));
  // `**/*.py` (the default include) is a suffix test: what picomatch answers, without a regex.
  const suffixes = globs.map((g) => /^\*\*\/\*(\.[A-Za-z0-9_]+)$/.exec(g)?.[1] ?? null);
  if (suffixes.every((s) => s !== null)) {
    // Suffix tests only (the default): the path ends with one, or a folder above it does, which is
    // the suffix followed by a slash. One loop, no folder cache: this runs on every listed file.
    const folders = suffixes.map((s) => `${s}/`);
    return (file) => {
      for (let i = 0; i < suffixes.length; i++) if (file.endsWith(suffixes[i]!) || file.includes(folders[i]!)) return true;
      return false;
    };
  }
  const matchers = globs.map((glob, i): ((path: string) => boolean) => {
    const suffix = suffixes[i];
    if (suffix) return (path) => path.endsWith(suffix);
    return picomatch(glob === '' ? '**' : glob, { dot: true });
  });
  const test = (p: string) => matchers.some((m) => m(p));
  const folders = new Map<string, boolean>();
  const folderMatches = (dir: string): boolean => {
    let hit = folders.get(dir);
    if (hit === undefined) {
      const slash = dir.lastIndexOf('/');
      hit = (slash >= 0 && folderMatches(dir.slice(0, slash))) || test(dir);
      folders.set(dir, hit);
    }
    return hit;
  };
  return (file) => {
    if (test(file)) return true;
    const slash = file.lastIndexOf('/');
    return slash >= 0 && folderMatches(file.slice(0, slash));
  };
}
