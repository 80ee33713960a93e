// What differs between the work tree, the index and HEAD under a folder: one `git status` run (one
// pass over the files' stats and one walk for untracked files) that both the project listing
// (untracked files, tracked files deleted from the work tree) and `check --changed-since` (files
// changed since HEAD) read. On a 20,000-file tree that pass is most of git's work; doing it once,
// rather than in `ls-files --deleted`, `ls-files --others` and `diff REV` each, halves git's CPU
// time in a pre-commit run, time it would otherwise take from canon on a two-core machine.

import { realpathSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { LIST_STATUS, runGit, type GitRun } from './git.js';
import { workTreeTop } from './workTree.js';

export interface WorkTreeStatus {
  /** Untracked files git does not ignore. */
  untracked: string[];
  /** Tracked files (in the index) missing from the work tree. */
  missing: Set<string>;
  /** Tracked files whose work-tree version surely differs from HEAD's (deletions included). */
  changed: string[];
  /**
   * Tracked files that differ from HEAD somewhere, but whose work-tree version may not: staged and
   * changed again (perhaps back), or unmerged.
   */
  unsure: string[];
  /** HEAD has no commit yet (a new repository): everything in the index is new. */
  unborn: boolean;
}

// The status of a root is shared by the callers that ask while it runs (the listing and
// `--changed-since` ask at once), and asked anew after: a later caller sees the tree as it is then.
const running = new Map<string, Promise<WorkTreeStatus | null>>();

/** The status under `root`, paths relative to `root`; null outside a work tree (or without git). */
export function workTreeStatus(root: string): Promise<WorkTreeStatus | null> {
  let p = running.get(root);
  if (p === undefined) {
    p = read(root);
    running.set(root, p);
    void p.finally(() => running.delete(root));
  }
  return p;
}

async function read(root: string): Promise<WorkTreeStatus | null> {
  // `git status` of the folder `.` (the root); its output names files from the top of the work tree.
  const run = await runGit(LIST_STATUS, root);
  if (run.code !== 0) return null;
  const prefix = await prefixOf(root);
  return prefix === null ? null : parseStatus(run, prefix, root);
}

/**
 * `root` relative to the top of its work tree, as a path prefix ('' at the top, `sub/dir/` below):
 * status names files from the top. Found as git finds it (workTree.ts), or asked of git when the
 * file system cannot tell.
 */
async function prefixOf(root: string): Promise<string | null> {
  const top = workTreeTop(root);
  if (top) {
    const rel = relative(top, realpathSync(root)).split(sep).join('/');
    return rel === '' ? '' : `${rel}/`;
  }
  const r = await runGit(['rev-parse', '--show-prefix'], root);
  return r.code === 0 ? r.stdout.toString('utf8').trim() : null;
}

/**
 * Reads `status --porcelain=v2 -z --branch` entries: `1 XY ... path`, `u XY ... path`, `? path`,
 * and the header `# branch.oid (initial)` of a repository without commits.
 */
function parseStatus(run: GitRun, prefix: string, root: string): WorkTreeStatus {
  const status: WorkTreeStatus = { untracked: [], missing: new Set(), changed: [], unsure: [], unborn: false };
  const out = run.stdout;
  const local = (path: string): string | null => (path.startsWith(prefix) ? path.slice(prefix.length) : null);
  for (let at = 0; at < out.length; ) {
    let end = out.indexOf(0, at);
    if (end < 0) end = out.length;
    const kind = out[at];
    if (kind === 35 /*#*/ && out.toString('utf8', at, end) === '# branch.oid (initial)') status.unborn = true;
    // Fields before the path: 8 for an ordinary change, 10 for an unmerged one.
    const fields = kind === 49 /*1*/ ? 8 : kind === 117 /*u*/ ? 10 : kind === 63 /*?*/ ? 1 : -1;
    if (fields > 0) {
      let p = at;
      for (let f = 0; f < fields && p < end; f++) p = out.indexOf(32, p) + 1;
      const path = p > at && p <= end ? local(out.toString('utf8', p, end)) : null;
      if (path !== null) {
        if (kind === 63) status.untracked.push(path);
        else {
          // `XY`: X is the index against HEAD, Y the work tree against the index ('.': the same).
          // D in Y means the file is gone; an unmerged file says nothing of the work tree: look.
          const x = out[at + 2];
          const y = out[at + 3];
          if (kind === 49 ? y === 68 /*D*/ : !isFile(join(root, path))) status.missing.add(path);
          if (kind === 49 && (x === 46 /*.*/ || y === 46)) status.changed.push(path);
          else status.unsure.push(path);
        }
      }
    }
    at = end + 1;
  }
  return status;
}

function isFile(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isFile() === true;
}
