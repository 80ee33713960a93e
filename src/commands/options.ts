// Flags several commands share, declared once.

import type { Command } from 'commander';
import { BUILD_ID } from '../bundle.js';

export const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

/** --area, --priority, --move: the filters of scan, fix, migrate and check. */
export function filterOptions(cmd: Command): Command {
  return cmd
    .option('--area <name>', 'only findings in this area (repeatable, or comma-separated)', collect)
    .option('--priority <level>', 'only findings of this priority: critical|high|medium|low (repeatable)', collect)
    .option('--move <from>', 'only findings of this move, named by its `from` (repeatable)', collect);
}

/** The global --config, readable from any subcommand's action. */
export function globalConfig(cmd: Command): string | undefined {
  let c: Command | null = cmd;
  while (c) {
    const v = c.opts().config as string | undefined;
    if (v) return v;
    c = c.parent;
  }
  return undefined;
}

/**
 * The scan cache's key for this run: the bundle's build id, unless --no-cache (`cache` false) or
 * canon runs unbundled (tsc's output or the sources: no id that changes with the code, so no cache).
 */
export function cacheFor(cache: boolean | undefined): string | undefined {
  return cache === false ? undefined : (BUILD_ID ?? undefined);
}
