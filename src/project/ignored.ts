// The files and folders git ignores under a folder, as one predicate: `git ls-files --others
// --ignored --exclude-standard --directory` (a wholly ignored folder is named once, `build/`).

import { runGit, splitPaths } from './git.js';

/** Is this root-relative POSIX path ignored by git (itself, or a folder above it)? Outside a work tree, nothing is. */
export async function ignoredPaths(root: string): Promise<(path: string) => boolean> {
  const r = await runGit(['ls-files', '-z', '--others', '--ignored', '--exclude-standard', '--directory'], root);
  if (r.code !== 0) return () => false;
  const files = new Set<string>();
  const folders = new Set<string>();
  for (const p of splitPaths(r.stdout)) (p.endsWith('/') ? folders : files).add(p.replace(/\/$/, ''));
  return (path) => {
    if (files.has(path) || folders.has(path)) return true;
    for (let at = path.indexOf('/'); at >= 0; at = path.indexOf('/', at + 1)) if (folders.has(path.slice(0, at))) return true;
    return false;
  };
}
