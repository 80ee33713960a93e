// What every command starts from: the config found from the working directory (or --config),
// validated, or a UsageError listing every problem with its location.

import { findConfig, formatConfigProblem, loadConfig } from '../config/load.js';
import { PRIORITIES, type Config, type Priority } from '../config/types.js';
import { UsageError } from '../core/errors.js';
import { plural } from '../core/text.js';

export interface CommonOptions {
  config?: string;
  cwd?: string;
}

export function loadProjectConfig(opts: CommonOptions): Config {
  const cwd = opts.cwd ?? process.cwd();
  const found = findConfig(cwd, opts.config);
  if (!found) {
    if (opts.config) throw new UsageError(`config file not found: ${opts.config}`);
    throw new UsageError('no canon.toml or pyproject.toml with [tool.canon] found in this folder or above; run `canon init` or pass --config PATH');
  }
  const loaded = loadConfig(found.file);
  if ('problems' in loaded) {
    const n = loaded.problems.length;
    throw new UsageError(`invalid configuration (${plural(n, 'problem')}):`, loaded.problems.map((p) => formatConfigProblem(p, cwd)));
  }
  return loaded.config;
}

/** Filter flags (`--area a --area b` or `--area a,b`) checked against the config. */
export interface FilterOptions {
  area?: string[];
  priority?: string[];
  move?: string[];
}

export function checkFilters(config: Config, f: FilterOptions): { areas: string[]; priorities: Priority[]; moves: string[] } {
  const split = (v?: string[]): string[] => (v ?? []).flatMap((x) => x.split(',')).map((x) => x.trim()).filter(Boolean);
  const areas = split(f.area);
  const known = new Set([...config.areas.map((a) => a.name), 'other']);
  for (const a of areas) if (!known.has(a)) throw new UsageError(`--area: unknown area "${a}" (areas: ${[...known].join(', ')})`);
  const priorities = split(f.priority);
  for (const p of priorities) {
    if (!PRIORITIES.includes(p as Priority)) throw new UsageError(`--priority: unknown priority "${p}" (expected one of ${PRIORITIES.join(', ')})`);
  }
  const moves = split(f.move);
  const ids = new Set(config.moves.map((m) => m.id));
  for (const m of moves) if (!ids.has(m)) throw new UsageError(`--move: no move with from = "${m}" in the config`);
  return { areas, priorities: priorities as Priority[], moves };
}

export function checkFormat<T extends string>(format: string | undefined, allowed: readonly T[], fallback: T): T {
  const f = format ?? fallback;
  if (!allowed.includes(f as T)) throw new UsageError(`--format: unknown format "${f}" (expected one of ${allowed.join(', ')})`);
  return f as T;
}
