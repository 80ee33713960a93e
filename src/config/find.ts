// Where the config is: the nearest folder (cwd, then its parents) holding `canon.toml`, or a
// `pyproject.toml` with a `[tool.canon]` table. The walk is here, without a TOML parser, so that
// the command line can find the project root before it loads anything else (see cli.ts).

import { readFileSync, statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';

export type ConfigKind = 'canon.toml' | 'pyproject';

export interface FoundConfig {
  /** Absolute path of the config file. */
  file: string;
  kind: ConfigKind;
}

const CANON_TOML = 'canon.toml';
const PYPROJECT = 'pyproject.toml';

/** Does this pyproject.toml have a `[tool.canon]` table? */
export type CanonTableTest = (file: string) => boolean;

/** A cheap guess at CanonTableTest: the text names a `tool.canon` table. */
export const MENTIONS_TOOL_CANON = /^[ \t]*(\[\[?[ \t]*tool[ \t]*\.[ \t]*["']?canon["']?[ \t]*[.\]]|tool[ \t]*\.[ \t]*canon[ \t]*[.=])/m;

export function mentionsToolCanon(file: string): boolean {
  try {
    return MENTIONS_TOOL_CANON.test(readFileSync(file, 'utf8'));
  } catch {
    return false;
  }
}

/**
 * The config for `cwd`; canon.toml wins within one folder. `explicit` (--config PATH, relative to
 * cwd) skips the search: a file is taken as is (even if missing, so loading reports it), a folder
 * is searched without walking up.
 */
export function findConfigWith(hasCanonTable: CanonTableTest, cwd: string, explicit?: string): FoundConfig | null {
  if (explicit !== undefined) {
    const file = resolve(cwd, explicit);
    if (statOf(file)?.isDirectory()) return configIn(file, hasCanonTable);
    return { file, kind: basename(file) === PYPROJECT ? 'pyproject' : 'canon.toml' };
  }
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    const found = configIn(dir, hasCanonTable);
    if (found) return found;
    if (dirname(dir) === dir) return null;
  }
}

function configIn(dir: string, hasCanonTable: CanonTableTest): FoundConfig | null {
  const canon = resolve(dir, CANON_TOML);
  if (statOf(canon)?.isFile()) return { file: canon, kind: 'canon.toml' };
  const py = resolve(dir, PYPROJECT);
  if (statOf(py)?.isFile() && hasCanonTable(py)) return { file: py, kind: 'pyproject' };
  return null;
}

function statOf(p: string) {
  try {
    return statSync(p);
  } catch {
    return null;
  }
}
