// Flags several commands share, declared once.

import { Option, type Command } from 'commander';
import { BUILD_ID } from '../bundle.js';
import { UsageError } from '../core/errors.js';

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

/**
 * `--format` and its alias `--output-format` (ruff's name), both checked against `formats`; the
 * command reads the one given with formatOf, and applies the default itself, so that giving both
 * flags can be told from giving one.
 */
export function formatOption(cmd: Command, formats: readonly string[], fallback: string | undefined, description = 'output format'): Command {
  const oneOf = (v: string): string => {
    if (!formats.includes(v)) throw new UsageError(`--output-format: unknown format ${JSON.stringify(v)} (expected one of ${formats.join(', ')})`);
    return v;
  };
  return cmd
    .addOption(new Option('--format <format>', fallback === undefined ? description : `${description} (default: ${fallback})`).choices([...formats]))
    .addOption(new Option('--output-format <format>', 'the same as --format (ruff\'s name)').argParser(oneOf));
}

/** The format asked for with --format or --output-format; both, differing, is a usage error. */
export function formatOf(o: { format?: string; outputFormat?: string }): string | undefined {
  if (o.format !== undefined && o.outputFormat !== undefined && o.format !== o.outputFormat) {
    throw new UsageError(`--format ${o.format} and --output-format ${o.outputFormat} disagree; --output-format is another name for --format: give one`);
  }
  return o.format ?? o.outputFormat;
}

/** --jobs N: a whole number of threads, at least 1. */
export function parseJobs(v: string): number {
  if (!/^\d+$/.test(v.trim()) || Number(v) < 1) throw new UsageError(`--jobs: expected an integer >= 1, got ${JSON.stringify(v)}`);
  return Number(v);
}

export function jobsOption(cmd: Command, description = 'worker threads (default: by amount of work)'): Command {
  return cmd.option('--jobs <n>', description, parseJobs);
}

/** What every command reads of the program's own options (cli.ts). */
export interface GlobalOptions {
  config?: string;
  /** --quiet: the findings only, no summaries, notes or progress. */
  quiet?: boolean;
}

export function globalOptions(cmd: Command): GlobalOptions {
  const g = cmd.optsWithGlobals() as GlobalOptions;
  return { config: g.config, quiet: g.quiet === true };
}
