// The real-code corpus tests run against: this machine's Python standard library and site-packages,
// found through python3 itself, and a deterministic walk over their `.py` files.

import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

export interface PythonPaths {
  stdlib: string;
  purelib: string;
}

/** python3's stdlib and purelib (site-packages) folders, or null without python3. */
export function pythonPaths(): PythonPaths | null {
  const r = spawnSync('python3', ['-c', "import sysconfig; p = sysconfig.get_paths(); print(p['stdlib']); print(p['purelib'])"], {
    encoding: 'utf8',
  });
  if (r.status !== 0) return null;
  const [stdlib, purelib] = r.stdout.split('\n').map((s) => s.trim());
  return { stdlib, purelib };
}

/** python3's paths, or an error that says python3 is needed (tests that cannot run without it). */
export function requirePythonPaths(): PythonPaths {
  const p = pythonPaths();
  if (p === null) throw new Error('python3 is needed for this test (the Python standard library is its corpus)');
  return p;
}

/**
 * Every regular `.py` file under `root`, absolute, in a fixed order (names sorted at each level);
 * folders named in `skip` are not entered, symlinks are not followed, unreadable folders are passed.
 */
export function pythonFiles(root: string, skip: readonly string[] = []): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const p = join(dir, e.name);
      if (e.isDirectory()) {
        if (!skip.includes(e.name)) walk(p);
      } else if (e.isFile() && e.name.endsWith('.py')) out.push(p);
    }
  };
  walk(root);
  return out;
}
