// Shared by the shim tests: a small project with every kind of legacy path, and running Python
// (python3, standard library only) against it.

import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeProject } from '../helpers/project.js';

export const CANON_TOML = `src = ["."]

[[move]]
from = "legacy.mod:Thing"
to = "newpkg.core:Thing"

[[move]]
from = "legacy.mod:helper"
to = "newpkg.core:helper"

[[move]]
from = "legacy:Thing"
to = "newpkg.core:Thing"

[[move]]
from = "gone.mod:Thing"
to = "newpkg.core:Thing"

[[move]]
from = "legacy.gone:Thing"
to = "newpkg.core:Thing"

[[move]]
from = "legacy.deep.mod:helper"
to = "newpkg.core:helper"

[[move]]
from = "oldpkg"
to = "newpkg"

[[move]]
from = "legacy.diverge:Thing"
to = "newpkg.core:Thing"
`;

export const FILES: Record<string, string> = {
  'canon.toml': CANON_TOML,
  'newpkg/__init__.py': 'from .core import Thing, helper\n\n__all__ = ["Thing", "helper"]\n',
  'newpkg/core.py': [
    '"""The canonical home."""',
    '',
    'OTHER = 41',
    '',
    '',
    'class Thing:',
    '    def __init__(self, n=0):',
    '        self.n = n',
    '',
    '',
    'def helper():',
    '    return "help"',
    '',
  ].join('\n'),
  'newpkg/sub.py': 'def f():\n    return "sub"\n',
  // A package __init__ re-exporting Thing and, from its own submodule, something that stays.
  'legacy/__init__.py': '"""Legacy package."""\nfrom newpkg.core import Thing, OTHER\nfrom .mod import KEEP\n',
  // No __all__: star-imports must still give the moved names and the module's other globals.
  'legacy/mod.py': [
    '"""Legacy module: Thing and helper moved to newpkg.core."""',
    'from __future__ import annotations',
    '',
    'import os',
    'from newpkg.core import (',
    '    OTHER,  # stays',
    '    Thing,  # moved',
    '    helper,',
    ')',
    '',
    'KEEP = OTHER + 1',
    '',
    '',
    'def keep_me() -> str:',
    '    return os.sep',
    '',
  ].join('\n'),
  'legacy/diverge.py': 'from newpkg.core import Thing as _Base\n\n\nclass Thing(_Base):\n    pass\n',
  // The wholesale-moved package: re-exports only.
  'oldpkg/__init__.py': 'from newpkg import Thing, helper\n\n__all__ = ["Thing", "helper"]\n',
  'oldpkg/sub.py': 'from newpkg.sub import f\n',
  // Consumers the scan sees.
  'app/use.py': [
    'from legacy.mod import Thing',
    'from legacy import Thing as T2',
    'from legacy.gone import Thing as T3',
    'from legacy.deep.mod import helper as h3',
    'from oldpkg.sub import f',
    'import oldpkg',
    '',
    'X = oldpkg.helper',
    '',
  ].join('\n'),
};

export function makeFixture(extra: Record<string, string> = {}): string {
  return makeProject({ ...FILES, ...extra });
}

export interface PyResult {
  stdout: string;
  stderr: string;
  code: number;
}

/** Run a Python script (written to a file in `cwd`, so warnings name it) with the project on sys.path. */
export function python(cwd: string, name: string, source: string, env: Record<string, string> = {}, args: string[] = [], interpreter = 'python3'): PyResult {
  writeFileSync(join(cwd, name), source);
  const r = spawnSync(interpreter, [...args, name], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1', PYTHONPATH: cwd, ...env },
    timeout: 60_000,
  });
  return { stdout: r.stdout, stderr: r.stderr, code: r.status ?? -1 };
}

/** Run a script that prints one JSON document; fail loudly with its stderr otherwise. */
export function pythonJson<T = unknown>(cwd: string, name: string, source: string, env: Record<string, string> = {}, interpreter = 'python3'): T {
  const r = python(cwd, name, source, env, [], interpreter);
  if (r.code !== 0) throw new Error(`${interpreter} ${name} exited ${r.code}:\n${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

/** The oldest Python the generated shims support (PEP 562's module __getattr__). */
export const OLDEST_SUPPORTED: [number, number] = [3, 7];

/**
 * The oldest interpreter on this machine at or above OLDEST_SUPPORTED: `python3.N` on PATH, or
 * one of pyenv's versions (this project's machines carry 3.6 to 3.13 under ~/.pyenv). Null when
 * only newer ones are here.
 */
export function oldestPython(): { path: string; version: [number, number] } | null {
  const candidates: string[] = [];
  for (let minor = OLDEST_SUPPORTED[1]; minor <= 13; minor++) candidates.push(`python3.${minor}`);
  const pyenv = process.env.PYENV_ROOT ?? join(process.env.HOME ?? '/root', '.pyenv');
  try {
    for (const v of readdirSync(join(pyenv, 'versions'))) candidates.push(join(pyenv, 'versions', v, 'bin', 'python3'));
  } catch {
    // no pyenv
  }
  let best: { path: string; version: [number, number] } | null = null;
  for (const path of candidates) {
    const r = spawnSync(path, ['-c', 'import sys; print(*sys.version_info[:2])'], { encoding: 'utf8', env: { ...process.env, PYENV_VERSION: '' } });
    if (r.status !== 0) continue;
    const [major, minor] = r.stdout.trim().split(' ').map(Number);
    if (major !== 3 || minor < OLDEST_SUPPORTED[1]) continue;
    if (best === null || minor < best.version[1]) best = { path, version: [major, minor] };
  }
  return best;
}
