// Whether a folder lies in a git work tree, told from the file system as git itself would find it
// (the nearest `.git` above, not above GIT_CEILING_DIRECTORIES): the command line must know before
// it starts git (a folder outside any work tree is walked instead), and `git status` names files
// from the work tree's top.

import { existsSync, realpathSync } from 'node:fs';
import { delimiter, dirname, join, resolve, sep } from 'node:path';

/**
 * The top folder of the work tree holding `root` (real path); null when there is none; undefined
 * when only git can tell (GIT_DIR or GIT_WORK_TREE point it elsewhere).
 */
export function workTreeTop(root: string): string | null | undefined {
  if (process.env.GIT_DIR !== undefined || process.env.GIT_WORK_TREE !== undefined) return undefined;
  let dir: string;
  try {
    dir = realpathSync(root);
  } catch {
    return null;
  }
  // Git does not look in a ceiling folder or above it (the nearest ceiling above `root` counts).
  let ceiling = -1;
  for (const c of (process.env.GIT_CEILING_DIRECTORIES ?? '').split(delimiter)) {
    if (c === '') continue;
    let real: string;
    try {
      real = realpathSync(c);
    } catch {
      real = resolve(c);
    }
    const prefix = real.endsWith(sep) ? real : real + sep;
    if (dir.startsWith(prefix)) ceiling = Math.max(ceiling, real.length);
  }
  for (;;) {
    if (existsSync(join(dir, '.git'))) return dir;
    const parent = dirname(dir);
    if (parent === dir || parent.length <= ceiling) return null;
    dir = parent;
  }
}
