// Colour only for a terminal that wants it: NO_COLOR wins, FORCE_COLOR forces, else the stream's
// TTY-ness; and never for stdout when it goes to a file (--output-file).

import pc from 'picocolors';

export type Colors = ReturnType<typeof pc.createColors>;

/** Set when stdout's text goes to --output-file: a file gets no colour codes. */
let stdoutToFile = false;

export function stdoutGoesToFile(): void {
  stdoutToFile = true;
}

/** Does stdout reach a terminal (not a pipe, a file, or --output-file)? */
export function stdoutIsTerminal(): boolean {
  return !stdoutToFile && process.stdout.isTTY === true;
}

export function colorsFor(stream: NodeJS.WriteStream = process.stdout, env: NodeJS.ProcessEnv = process.env): Colors {
  if (stream === process.stdout && stdoutToFile) return pc.createColors(false);
  return pc.createColors(colorsWanted(stream, env));
}

export function colorsWanted(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv = process.env): boolean {
  return env.NO_COLOR === undefined && (env.FORCE_COLOR !== undefined || (stream.isTTY === true && env.TERM !== 'dumb'));
}
