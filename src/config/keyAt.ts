// Where a key of the loaded config is written, for errors found after loading (a move whose shim
// would land outside the root): `canon.toml:4:8: move[0].from`, as config problems are shown.

import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { formatConfigProblem } from './load.js';
import { formatKeyPath, locateToml, type KeySegment } from './locate.js';
import type { Config } from './types.js';

/** `file:line:col: key.path` of `path` in the config (the file relative to `cwd`). */
export function configKeyAt(config: Config, path: readonly KeySegment[], cwd: string): string {
  const prefix: KeySegment[] = basename(config.configFile) === 'pyproject.toml' ? ['tool', 'canon'] : [];
  let at = { line: 0, column: 0 };
  try {
    at = locateToml(readFileSync(config.configFile, 'utf8').replace(/^\uFEFF/, '')).value([...prefix, ...path]);
  } catch {
    // The file went away since it was loaded: the key path alone still says which setting.
  }
  const shown = formatConfigProblem({ file: config.configFile, ...at, keyPath: '', message: '' }, cwd);
  return `${shown}${formatKeyPath(path)}`;
}
