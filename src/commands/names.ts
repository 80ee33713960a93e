// The commands, in the order `canon --help` lists them, and which one a command line names. Shared
// by the command line (src/cli.ts) and the bundle's dispatcher (scripts/bundle.mjs), which loads
// only the named command's file.

export const COMMAND_NAMES = ['scan', 'verify', 'fix', 'shim', 'usage', 'migrate', 'report', 'check', 'baseline', 'init', 'discover', 'history'] as const;

export type CommandName = (typeof COMMAND_NAMES)[number];

/** The function a command's file (`commands/<name>.ts`) exports to register it: `registerScan`. */
export function registerOf(name: CommandName): string {
  return `register${name[0]!.toUpperCase()}${name.slice(1)}`;
}

export function isCommandName(name: string | null): name is CommandName {
  return name !== null && (COMMAND_NAMES as readonly string[]).includes(name);
}

/** The options of the program itself (cli.ts) that take a value, which may come before the command. */
export const GLOBAL_VALUE_OPTIONS: readonly string[] = ['--config', '--output-file', '-o'];

/** The subcommand named on the command line (the first word that is not an option), if any. */
export function commandIn(argv: readonly string[]): string | null {
  for (let i = 2; i < argv.length; i++) {
    const a = argv[i]!;
    if (GLOBAL_VALUE_OPTIONS.includes(a)) {
      i++;
      continue;
    }
    if (a.startsWith('-')) continue;
    return a;
  }
  return null;
}
