// The command line run from tsc's output (`node dist/main.js`): each command's code is imported
// only when that command runs; `--help` imports them all. The shipped command line is the bundle
// (dist/bin/canon.js, scripts/bundle.mjs), which splits the same way by file.

import { runCommandLine, type Commands, type Register } from './cli.js';
import { COMMAND_NAMES, registerOf } from './commands/names.js';

const COMMANDS: Commands = Object.fromEntries(
  COMMAND_NAMES.map((name) => [name, async () => ((await import(`./commands/${name}.js`)) as Record<string, Register>)[registerOf(name)]!]),
);

runCommandLine(COMMANDS);
