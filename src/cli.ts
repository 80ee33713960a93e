#!/usr/bin/env node
// canon's command line: parses arguments into typed options, runs the command, prints its result,
// and maps user mistakes to `error: ...` with exit code 2.

import { Command, CommanderError } from 'commander';
import { EXIT_USAGE, UsageError } from './core/errors.js';
import type { CommandResult } from './commands/scan.js';
import { registerScan } from './commands/scan.js';
import { registerVerify } from './commands/verify.js';
import { VERSION } from './version.js';

export type Runner = (p: Promise<CommandResult>) => Promise<void>;

/** One entry per command: each command file adds its subcommand to the program. */
const COMMANDS: ((program: Command, run: Runner) => void)[] = [registerScan, registerVerify];

export function buildProgram(run: Runner): Command {
  const program = new Command('canon')
    .description('Move a Python codebase onto one canonical import path per symbol, safely and fast.')
    .version(VERSION)
    .option('--config <path>', 'config file (default: canon.toml or pyproject.toml [tool.canon], found walking up)')
    .showHelpAfterError()
    .exitOverride();
  for (const register of COMMANDS) register(program, run);
  return program;
}

async function main(argv: string[]): Promise<number> {
  let exitCode = 0;
  const run = async (p: Promise<CommandResult>): Promise<void> => {
    const r = await p;
    if (r.stderr) process.stderr.write(r.stderr);
    if (r.stdout) process.stdout.write(r.stdout);
    exitCode = r.exitCode;
  };
  const program = buildProgram(run);
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
