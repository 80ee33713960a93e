// canon's command line: parses arguments into typed options, runs the command, prints its result,
// and maps user mistakes and the machine's faults (full disk, no permission: core/faults.ts) to
// `error: ...` with exit code 2; anything else is a bug in canon, printed with its trace, exit 3. Its entry points hand it the commands:
// src/main.ts loads the named one on demand (tsc's output), and each file of the bundle
// (scripts/bundle.mjs) holds one command, or all of them for `canon --help`.

import { setFlagsFromString } from 'node:v8';
import { V8_FLAGS } from './codeCache.js';
import { Command, CommanderError } from 'commander';
import { EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE, MachineFault, UsageError } from './core/errors.js';
import { faultMessage } from './core/faults.js';
import { sep } from 'node:path';
import { restoreLaunchEnv } from './core/launcher.js';
import { startEarly } from './early.js';
import { loadProjectConfig } from './commands/context.js';
import type { CommandResult } from './commands/scan.js';
import { commandIn } from './commands/names.js';
import { prepareOutputFile, writeOutputFile } from './commands/outputFile.js';
import { settingsText } from './commands/settings.js';
import { stdoutGoesToFile } from './report/colors.js';
import { VERSION } from './version.js';

// canon runs for a fraction of a second to a few seconds, and V8's optimizing compiler is tuned for
// long-running programs: with its default inlining budget it spends more time compiling canon's
// hot functions (on the cores canon is using) than the inlined code then saves. A smaller budget
// (measured with `npm run bench`: scan -7%, check -8%, fix -14%, discover -28%, history -20%) must
// be set before any function is optimized, hence here, first. The bundle's dispatcher sets it
// before it compiles the command's file (codeCache.ts: a code cache fits the flags it was made under).
setFlagsFromString(V8_FLAGS);

export type Runner = (p: Promise<CommandResult>) => Promise<void>;
export type Register = (program: Command, run: Runner) => void;
/** Command name -> its registration, loaded when asked for (each command file pulls in its implementation). */
export type Commands = Record<string, () => Promise<Register>>;

/** The program's own options, which every command takes (before or after its name). */
interface ProgramOptions {
  config?: string;
  outputFile?: string;
  exitZero?: boolean;
  quiet?: boolean;
  showSettings?: boolean;
}

/** Thrown once --show-settings has printed: the command does not run. */
class SettingsShown extends Error {}

export async function buildProgram(commands: Commands, run: Runner, argv: string[] = process.argv): Promise<Command> {
  const program = new Command('canon')
    .description('Move a Python codebase onto one canonical import path per symbol, safely and fast.')
    .version(VERSION)
    .option('--config <path>', 'config file (default: canon.toml or pyproject.toml [tool.canon], found walking up)')
    // ruff's names for what a ruff user reaches for (README, "Options every command takes").
    .option('-o, --output-file <path>', 'write what the command prints on stdout to this file instead (no colour)')
    .option('-e, --exit-zero', 'exit 0 even when there are findings (1 becomes 0; usage errors still exit 2)')
    .option('-q, --quiet', 'print the findings only: no summaries, tables, notes or progress')
    .option('--show-settings', 'print the resolved configuration (defaults filled in) and exit')
    .configureHelp({ showGlobalOptions: true })
    // As ruff and cargo do: the error and one line on where the usage is, not the whole help.
    .showHelpAfterError("(run 'canon <command> --help' for its options, 'canon --help' for the commands)")
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
  let program: Command | null = null;
  // Where stdout goes (--output-file), checked before the command runs.
  let outputFile: { abs: string; shown: string } | null = null;
  const run = async (p: Promise<CommandResult>): Promise<void> => {
    const r = await p;
    const g = program!.opts() as ProgramOptions;
    if (r.stderr) process.stderr.write(r.stderr);
    if (outputFile) writeOutputFile(outputFile.abs, outputFile.shown, r.stdout);
    else if (r.stdout) process.stdout.write(r.stdout);
    exitCode = g.exitZero && r.exitCode === EXIT_FINDINGS ? EXIT_CLEAN : r.exitCode;
  };
  program = await buildProgram(commands, run, argv);
  for (const cmd of program.commands) cmd.exitOverride();
  program.hook('preAction', (_program, action) => {
    const g = action.optsWithGlobals() as ProgramOptions;
    if (g.outputFile !== undefined) {
      if (action.name() === 'migrate') {
        throw new UsageError('--output-file: migrate prints a live log of its batches; redirect it (`canon migrate > migrate.log`), and see `canon report` for the results');
      }
      outputFile = { abs: prepareOutputFile(g.outputFile, process.cwd()), shown: g.outputFile };
      stdoutGoesToFile();
    }
    if (g.showSettings) showSettings(g);
  });
  /** Print the settings (to --output-file, if given) and stop: SettingsShown. */
  const showSettings = (g: ProgramOptions): never => {
    if (g.outputFile !== undefined && outputFile === null) outputFile = { abs: prepareOutputFile(g.outputFile, process.cwd()), shown: g.outputFile };
    const text = settingsText(loadProjectConfig({ config: g.config }), process.cwd());
    if (outputFile) writeOutputFile(outputFile.abs, outputFile.shown, text);
    else process.stdout.write(text);
    throw new SettingsShown();
  };
  try {
    // `canon --show-settings` alone: no command runs, so no hook would.
    if (commandIn(argv) === null && argv.includes('--show-settings') && !argv.includes('--help') && !argv.includes('-h')) {
      program.parseOptions(argv.slice(2));
      showSettings(program.opts() as ProgramOptions);
    }
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof SettingsShown) return EXIT_CLEAN;
    if (e instanceof CommanderError) {
      // --help and --version are not errors; `canon` alone shows the help too, as a usage error.
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return EXIT_CLEAN;
      if (e.code === 'commander.help') return e.exitCode === 0 ? EXIT_CLEAN : EXIT_USAGE;
      return EXIT_USAGE;
    }
    // A machine fault in a writer: the boundary's one line for its system error (what, where, what
    // to do), then what the writer says it left behind. A system error on a descriptor names no
    // file, one on a temporary under .canon/tmp/ none of the user's: the file being written does.
    if (e instanceof MachineFault && e.cause !== null) {
      const cause = e.cause as NodeJS.ErrnoException & { dest?: string };
      const named = cause.syscall === 'rename' && cause.dest !== undefined ? cause.dest : cause.path;
      const onTemp = named === undefined || /[/\\]\.canon[/\\]tmp[/\\]/.test(named);
      const cwd = workingFolder();
      const line = faultMessage(cause, { cwd, command: commandIn(argv), target: onTemp ? e.target : null });
      if (line !== null) {
        const shown = (d: string): string => (cwd === null ? d : d.split(`${cwd}${sep}`).join(''));
        process.stderr.write(`error: ${line}\n${e.state.map((d) => `  ${shown(d)}\n`).join('')}`);
        if (process.env.CANON_DEBUG) process.stderr.write(`${e.stack}\n`);
        return EXIT_USAGE;
      }
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

let outputGuarded = false;

/**
 * `canon scan | head`: the reader went away (EPIPE). As rg and ruff do, what is left to print is
 * dropped without a word and the command finishes as it would have (a migrate in the middle of a
 * batch must not stop because its log's reader did); the exit code is the command's. Any other
 * failure to write the output (a full disk under `> file`) is a fault of the machine: one line,
 * exit 2.
 */
function guardOutput(): void {
  if (outputGuarded) return;
  outputGuarded = true;
  const streams: [NodeJS.WriteStream, string][] = [
    [process.stdout, 'standard output'],
    [process.stderr, 'standard error'],
  ];
  for (const [stream, name] of streams) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE' || e.code === 'ERR_STREAM_DESTROYED') return;
      if (stream !== process.stderr) {
        try {
          process.stderr.write(`error: cannot write ${name}: ${e.message}\n`);
        } catch {
          // nothing left to say it on
        }
      }
      process.exit(EXIT_USAGE);
    });
  }
}

/** Run the command line `argv` with these commands; sets the exit code. */
export function runCommandLine(commands: Commands, argv: string[] = process.argv): void {
  guardOutput();
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
