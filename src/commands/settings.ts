// --show-settings (ruff's): the configuration a command would run with, every default filled in, as
// TOML that canon reads back to the same settings (the [tool.canon] table's content, for a
// pyproject.toml).

import { relative } from 'node:path';
import { canonicalPath } from '../core/moveTable.js';
import type { Config } from '../config/types.js';

const str = (s: string): string => JSON.stringify(s);
const list = (xs: readonly string[]): string => `[${xs.map(str).join(', ')}]`;
/** A TOML key: bare when it can be, else quoted. */
const key = (k: string): string => (/^[A-Za-z0-9_-]+$/.test(k) ? k : str(k));

export function settingsText(config: Config, cwd: string): string {
  const shown = relative(cwd, config.configFile).split('\\').join('/') || config.configFile;
  const out: string[] = [
    `# Settings from ${shown}, defaults filled in (project root: ${config.root})`,
    `src = ${list(config.src)}`,
    `include = ${list(config.include)}`,
    `exclude = ${list(config.exclude)}   # exclude, then extend-exclude`,
    '',
    '[per-file-ignores]',
  ];
  for (const e of config.perFileIgnores) out.push(`${key(e.negated ? `!${e.pattern}` : e.pattern)} = ${list(e.codes)}`);
  for (const m of config.moves) out.push('', '[[move]]', `from = ${str(m.id)}`, `to = ${str(canonicalPath(m))}`);
  for (const a of config.areas) out.push('', '[[area]]', `name = ${str(a.name)}`, `paths = ${list(a.paths)}`, `priority = ${str(a.priority)}`);
  out.push('', '# Files in no area: area "other", priority "low".');
  const m = config.migrate;
  out.push('', '[migrate]');
  out.push(m.validate === null ? '# validate: not set' : `validate = ${str(m.validate)}`);
  out.push(`batch-size = ${m.batchSize}`);
  out.push(m.timeout === null ? '# timeout: none' : `timeout = ${m.timeout}`);
  out.push(m.junit === null ? '# junit: not set' : `junit = ${str(m.junit)}`);
  out.push('', '[shim]', `category = ${str(config.shim.category)}`);
  return out.join('\n') + '\n';
}
