// Colour only for a terminal that wants it: NO_COLOR wins, FORCE_COLOR forces, else stdout's TTY-ness.

import pc from 'picocolors';

export type Colors = ReturnType<typeof pc.createColors>;

export function colorsFor(stream: NodeJS.WriteStream = process.stdout, env: NodeJS.ProcessEnv = process.env): Colors {
  const enabled = env.NO_COLOR === undefined && (env.FORCE_COLOR !== undefined || (stream.isTTY === true && env.TERM !== 'dumb'));
  return pc.createColors(enabled);
}
