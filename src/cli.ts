// canon's command line: parses arguments into typed options, runs the command, prints its result,
// and maps user mistakes and the machine's faults (full disk, no permission: core/faults.ts) to
// `error: ...` with exit code 2; anything else is a bug in canon, printed with its trace, exit 3. Its entry points hand it the commands:
// src/main.ts loads the named one on demand (tsc's output), and each file of the bundle
// (scripts/bundle.mjs) holds one command, or all of them for `canon --help`.

import { setFlagsFromString } from 'node:v8';
import { Command, CommanderError } from 'commander';
import { EXIT_USAGE, UsageError } from './core/errors.js';
import { faultMessage } from './core/faults.js';
import { restoreLaunchEnv } from './core/launcher.js';
import { startEarly } from './early.js';
import type { CommandResult } from './commands/scan.js';
import { commandIn } from './commands/names.js';
import { VERSION } from './version.js';

// canon runs for a fraction of a second to a few seconds, and V8's optimizing compiler is tuned for
// long-running programs: with its default inlining budget it spends more time compiling canon's
// hot functions (on the cores canon is using) than the inlined code then saves. A smaller budget
// (measured with `npm run bench`: scan -7%, check -8%, fix -14%, discover -28%, history -20%) must
// be set before any function is optimized, hence here, first.
setFlagsFromString('--max-inlined-bytecode-size-cumulative=100');

export type Runner = (p: Promise<CommandResult>) => Promise<void>;
export type Register = (program: Command, run: Runner) => void;
/** Command name -> its registration, loaded when asked for (each command file pulls in its implementation). */
export type Commands = Record<string, () => Promise<Register>>;

export async function buildProgram(commands: Commands, run: Runner, argv: string[] = process.argv): Promise<Command> {
  const program = new Command('canon')
    .description('Move a Python codebase onto one canonical import path per symbol, safely and fast.')
    .version(VERSION)
    .option('--config <path>', 'config file (default: canon.toml or pyproject.toml [tool.canon], found walking up)')
    .showHelpAfterError()
    .exitOverride();
  const named = commandIn(argv);
  const wanted = named !== null && named in commands ? [named] : Object.keys(commands);
  for (const name of wanted) (await commands[name]!())(program, run);
  return program;
}

async function main(commands: Commands, argv: string[]): Promise<number> {
  // Before any process is started: they get the environment the user gave canon.
  restoreLaunchEnv();
  // Unless the bundle's dispatcher did already (then this finds it started). Only a head start:
  // should it fail (the working folder is gone), the command says why.
  try {
    startEarly(argv);
  } catch {
    // see above
  }
  let exitCode = 0;
  const run = async (p: Promise<CommandResult>): Promise<void> => {
    const r = await p;
    if (r.stderr) process.stderr.write(r.stderr);
    if (r.stdout) process.stdout.write(r.stdout);
    exitCode = r.exitCode;
  };
  const program = await buildProgram(commands, run, argv);
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
    const fault = faultMessage(e, { cwd: workingFolder(), command: commandIn(argv) });
    if (fault !== null) {
      process.stderr.write(`error: ${fault}\n`);
      // Where it happened, for a report of a fault that looks like canon's own doing.
      if (process.env.CANON_DEBUG) process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
      return EXIT_USAGE;
    }
    throw e;
  }
  return exitCode;
}

function workingFolder(): string | null {
  try {
    return process.cwd();
  } catch {
    return null;
  }
}

/** Run the command line `argv` with these commands; sets the exit code. */
export function runCommandLine(commands: Commands, argv: string[] = process.argv): void {
  main(commands, argv).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`canon: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 3;
    },
  );
}
