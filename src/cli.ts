// canon's command line: parses arguments into typed options, runs the command, prints its result,
// and maps user mistakes to `error: ...` with exit code 2.

import { dirname } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { Command, CommanderError } from 'commander';
import { prefetchChanged } from './check/git.js';
import { findConfigWith, mentionsToolCanon } from './config/find.js';
import { prefetchListing } from './project/git.js';
import { prefetchWalk } from './project/walk.js';
import { workTreeTop } from './project/workTree.js';
import { startWorkerAhead } from './scan/threads.js';
import { EXIT_USAGE, UsageError } from './core/errors.js';
import { restoreLaunchEnv } from './core/launcher.js';
import type { CommandResult } from './commands/scan.js';
import { VERSION } from './version.js';

// canon runs for a fraction of a second to a few seconds, and V8's optimizing compiler is tuned for
// long-running programs: with its default inlining budget it spends more time compiling canon's
// hot functions (on the cores canon is using) than the inlined code then saves. A smaller budget
// (measured with `npm run bench`: scan -7%, check -8%, fix -14%, discover -28%, history -20%) must
// be set before any function is optimized, hence here, first.
setFlagsFromString('--max-inlined-bytecode-size-cumulative=100');

export type Runner = (p: Promise<CommandResult>) => Promise<void>;
type Register = (program: Command, run: Runner) => void;

/**
 * One entry per command, loaded on demand: a run imports only the command it runs (each command
 * file registers its subcommand and pulls in its implementation), so start-up stays short — it
 * matters for `canon check --changed-since` in a pre-commit hook. `--help` loads them all.
 */
const COMMANDS: Record<string, () => Promise<Register>> = {
  scan: async () => (await import('./commands/scan.js')).registerScan,
  verify: async () => (await import('./commands/verify.js')).registerVerify,
  fix: async () => (await import('./commands/fix.js')).registerFix,
  shim: async () => (await import('./commands/shim.js')).registerShim,
  usage: async () => (await import('./commands/usage.js')).registerUsage,
  migrate: async () => (await import('./commands/migrate.js')).registerMigrate,
  report: async () => (await import('./commands/report.js')).registerReport,
  check: async () => (await import('./commands/check.js')).registerCheck,
  baseline: async () => (await import('./commands/baseline.js')).registerBaseline,
  init: async () => (await import('./commands/init.js')).registerInit,
  discover: async () => (await import('./commands/discover.js')).registerDiscover,
  history: async () => (await import('./commands/history.js')).registerHistory,
};

/** The subcommand named on the command line (the first word that is not an option), if any. */
function commandIn(argv: string[]): string | null {
  for (let i = 2; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--config') {
      i++;
      continue;
    }
    if (a.startsWith('-')) continue;
    return a;
  }
  return null;
}

/** The value of an option (`--name V` or `--name=V`) anywhere on the command line; the last wins. */
function optionIn(argv: string[], name: string): string | undefined {
  let value: string | undefined;
  for (let i = 2; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') break;
    if (a === name && i + 1 < argv.length) value = argv[++i];
    else if (a.startsWith(name + '=')) value = a.slice(name.length + 1);
  }
  return value;
}

/** Does the command line name paths after the command (a narrowed, usually small, run)? */
function hasPathArgument(argv: string[], command: string): boolean {
  const at = argv.indexOf(command);
  for (let i = at + 1; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') return i + 1 < argv.length;
    if (a.startsWith('-')) {
      // Options of these commands that take a value.
      if (!a.includes('=') && ['--format', '--area', '--priority', '--move', '--jobs', '--baseline', '--config', '--changed-since'].includes(a)) i++;
      continue;
    }
    return true;
  }
  return false;
}

/** Commands whose first step is listing the project's files with git. */
const LISTS_PROJECT = new Set(['scan', 'check', 'verify', 'fix', 'baseline', 'shim', 'migrate', 'report']);

/**
 * Start the git commands the named command will run first, before its code is loaded: git then
 * works on the other core while node loads modules. Only a guess at the project root (the config
 * is parsed later, and any mistake reported then); a wrong guess costs a few idle git processes.
 */
function prefetch(argv: string[], command: string | null): void {
  if (command === null || !LISTS_PROJECT.has(command) || argv.includes('--help') || argv.includes('-h')) return;
  const found = findConfigWith(mentionsToolCanon, process.cwd(), optionIn(argv, '--config'));
  if (!found) return;
  const root = dirname(found.file);
  // Outside a work tree the folder is walked instead: start that.
  if (workTreeTop(root) === null) prefetchWalk(root);
  else prefetchListing(root);
  const rev = command === 'check' ? optionIn(argv, '--changed-since') : undefined;
  if (rev !== undefined) prefetchChanged(root, rev);
  // A whole-project scan shares its work with a thread: start it while this one loads.
  if ((command === 'scan' || command === 'check' || command === 'baseline') && rev === undefined && !hasPathArgument(argv, command)) startWorkerAhead();
}

export async function buildProgram(run: Runner, argv: string[] = process.argv): Promise<Command> {
  const program = new Command('canon')
    .description('Move a Python codebase onto one canonical import path per symbol, safely and fast.')
    .version(VERSION)
    .option('--config <path>', 'config file (default: canon.toml or pyproject.toml [tool.canon], found walking up)')
    .showHelpAfterError()
    .exitOverride();
  const named = commandIn(argv);
  const wanted = named !== null && named in COMMANDS ? [named] : Object.keys(COMMANDS);
  for (const name of wanted) (await COMMANDS[name]())(program, run);
  return program;
}

async function main(argv: string[]): Promise<number> {
  // Before any process is started: they get the environment the user gave canon.
  restoreLaunchEnv();
  prefetch(argv, commandIn(argv));
  let exitCode = 0;
  const run = async (p: Promise<CommandResult>): Promise<void> => {
    const r = await p;
    if (r.stderr) process.stderr.write(r.stderr);
    if (r.stdout) process.stdout.write(r.stdout);
    exitCode = r.exitCode;
  };
  const program = await buildProgram(run, argv);
  for (const cmd of program.commands) cmd.exitOverride();
  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version are not errors.
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
      return EXIT_USAGE;
    }
    if (e instanceof UsageError) {
      process.stderr.write(`error: ${e.message}\n${e.details.map((d) => `  ${d}\n`).join('')}`);
      return EXIT_USAGE;
    }
    throw e;
  }
  return exitCode;
}

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`canon: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 3;
  },
);
