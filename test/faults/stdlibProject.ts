// A project of a few hundred real files nobody here wrote: this machine's standard library (files
// under 40 KB), copied under `lib/`, with symbol moves of names many of them import (to modules
// that exist only by name, so verify calls them divergent and fix runs with --allow-divergent).
// Built once per test file as a git repository; each fault run works on a copy.

import { cpSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { pythonFiles, requirePythonPaths } from '../helpers/corpus.js';
import { gitInit } from '../helpers/project.js';

const MOVED: [module: string, name: string][] = [
  ['collections', 'namedtuple'],
  ['collections', 'defaultdict'],
  ['functools', 'wraps'],
  ['functools', 'partial'],
  ['typing', 'Any'],
  ['io', 'StringIO'],
  ['itertools', 'chain'],
  ['contextlib', 'contextmanager'],
  ['abc', 'abstractmethod'],
  ['enum', 'Enum'],
  ['dataclasses', 'dataclass'],
];

const CONFIG = `src = ["."]
${MOVED.map(([m, n]) => `\n[[move]]\nfrom = "${m}:${n}"\nto = "zzcanon.${m}:${n}"\n`).join('')}`;

/**
 * Every stdlib file that imports from a moved module, and every 10th of the others (sorted paths:
 * the same files on every run), under `lib/` in a new git repository; returns its path.
 */
export function stdlibProject(): { root: string; files: string[] } {
  const std = requirePythonPaths().stdlib;
  const re = new RegExp(`^from (${[...new Set(MOVED.map(([m]) => m))].join('|')}) import `, 'm');
  const small = pythonFiles(std, ['site-packages', '__pycache__']).filter((p) => statSync(p).size < 40_000);
  const importing = small.filter((p) => re.test(readFileSync(p, 'latin1')));
  const others = small.filter((p) => !importing.includes(p)).filter((_, i) => i % 10 === 0);
  const root = mkdtempSync(join(tmpdir(), 'canon-faults-'));
  const files: string[] = [];
  for (const p of [...importing, ...others].slice(0, 320)) {
    const rel = `lib/${relative(std, p).split('\\').join('/')}`;
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    cpSync(p, join(root, rel));
    files.push(rel);
  }
  writeFileSync(join(root, 'canon.toml'), CONFIG);
  gitInit(root);
  return { root, files: files.sort() };
}

/** A fresh copy of a project (its git repository included). */
export function copyProject(root: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'canon-faults-'));
  cpSync(root, dir, { recursive: true });
  return dir;
}
