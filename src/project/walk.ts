// Listing a folder that is not in a git work tree: a walk honouring .gitignore files the way git
// does. The command line starts it before it loads the rest (prefetchWalk), so this module stays
// small: the .gitignore parser is loaded only when a .gitignore is found.

import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Ignore } from 'ignore';
import { Prefetched } from './prefetch.js';

/** Folders that are never project source, skipped unless git tracks files in them. */
export const SKIP_DIRS = new Set(['.git', 'node_modules', '__pycache__', '.venv', 'venv', '.tox']);

interface IgnoreLevel {
  /** Root-relative folder holding the .gitignore ('' for the root). */
  base: string;
  rules: Ignore;
}

/** Walks started early (see prefetchWalk), for the first listing of the same folder soon after. */
const walked = new Prefetched<Promise<string[]>>('walk');

/**
 * Start walking `root` now: the command line does it, for a folder outside any git work tree,
 * before it loads the code that lists the project (the walk's system calls run on node's threads).
 */
export function prefetchWalk(root: string): void {
  walked.start(root, () => walkFiles(root));
}

/** The prefetched walk of `root` if fresh (handed out once), else a new one. */
export function walkOf(root: string): Promise<string[]> {
  return walked.take(root, () => walkFiles(root));
}

/**
 * Without git: every file under `root`, honouring .gitignore files the way git does. Folders are
 * read concurrently (their order does not matter: the listing is sorted after).
 */
async function walkFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  const ignorecase = process.platform === 'darwin' || process.platform === 'win32';
  const visit = async (dir: string, levels: IgnoreLevel[]): Promise<void> => {
    let entries;
    try {
      entries = await readdir(join(root, dir), { withFileTypes: true });
    } catch {
      return; // unreadable folder: nothing to list
    }
    if (entries.some((e) => e.name === '.gitignore' && e.isFile())) {
      try {
        const text = await readFile(join(root, dir, '.gitignore'), 'utf8');
        // The parser is loaded only for a tree that has .gitignore files.
        const { default: ignore } = await import('ignore');
        levels = [...levels, { base: dir, rules: ignore({ ignorecase }).add(text) }];
      } catch {
        // unreadable .gitignore: its rules cannot apply
      }
    }
    const below: Promise<void>[] = [];
    for (const e of entries) {
      const rel = dir === '' ? e.name : `${dir}/${e.name}`;
      // Symlinks are neither: not followed (cycles), not listed (double edits).
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name) && !isIgnored(levels, rel, true)) below.push(visit(rel, levels));
      } else if (e.isFile() && !isIgnored(levels, rel, false)) {
        out.push(rel);
      }
    }
    await Promise.all(below);
  };
  await visit('', []);
  return out;
}

/**
 * Git's precedence: the last matching pattern wins, and deeper .gitignore files come later.
 * Ignored folders are never entered, so "a file in an excluded folder cannot be re-included" holds.
 */
function isIgnored(levels: IgnoreLevel[], rel: string, isDir: boolean): boolean {
  let ignored = false;
  for (const { base, rules } of levels) {
    const sub = base === '' ? rel : rel.slice(base.length + 1);
    const r = rules.test(isDir ? `${sub}/` : sub);
    if (r.ignored) ignored = true;
    else if (r.unignored) ignored = false;
  }
  return ignored;
}

