// Progress for long commands (history, discover, migrate): one status line on stderr, redrawn at
// most ten times a second, fitted to the terminal's width, and erased before other output and at
// the end. Only on a terminal: never when stderr is piped or the terminal is `dumb`, and callers
// leave it off for machine formats and --quiet. Dim, unless NO_COLOR.

import { colorsWanted } from './colors.js';
import pc from 'picocolors';

/** One piece of a status line; when the line is too wide, the pieces with the highest `drop` go first. */
export interface Part {
  text: string;
  drop?: number;
}

export interface Progress {
  /** Show these parts (at once when `now`, else when the last redraw is 100 ms old). */
  update(parts: readonly (Part | string)[], now?: boolean): void;
  /** Erase the line; the next update draws it again. */
  clear(): void;
  /** Erase the line for good. */
  done(): void;
}

const SEPARATOR = ' · ';
const INTERVAL_MS = 100;

/** A Progress that never draws. */
export const NO_PROGRESS: Progress = { update() {}, clear() {}, done() {} };

/** Should a command show progress on `stream`? Also false for machine formats and --quiet (callers' say). */
export function progressWanted(stream: NodeJS.WriteStream = process.stderr, env: NodeJS.ProcessEnv = process.env): boolean {
  return stream.isTTY === true && env.TERM !== 'dumb';
}

/** The status line on `stream`, or NO_PROGRESS when `enabled` is false. */
export function progress(enabled: boolean, stream: NodeJS.WriteStream = process.stderr, env: NodeJS.ProcessEnv = process.env): Progress {
  if (!enabled) return NO_PROGRESS;
  // picocolors' default instance decides on its own (it colours whenever CI is set): ours decides.
  const dim = colorsWanted(stream, env) ? pc.createColors(true).dim : (s: string) => s;
  let shown = false;
  let last = 0;
  let closed = false;
  return {
    update(parts, now = false) {
      if (closed) return;
      const t = Date.now();
      if (!now && shown && t - last < INTERVAL_MS) return;
      last = t;
      const width = stream.columns && stream.columns > 0 ? stream.columns : 80;
      stream.write(`\r\x1b[K${dim(fitLine(parts.map((p) => (typeof p === 'string' ? { text: p } : p)), width - 1))}`);
      shown = true;
    },
    clear() {
      if (shown) stream.write('\r\x1b[K');
      shown = false;
    },
    done() {
      this.clear();
      closed = true;
    },
  };
}

/**
 * The parts joined, within `width` characters: the parts with the highest `drop` are left out first
 * (ties: the later one), and a first part too long on its own is cut with `…`.
 */
export function fitLine(parts: readonly Part[], width: number): string {
  const kept = parts.map((p, i) => ({ ...p, i }));
  const length = (): number => kept.reduce((n, p) => n + p.text.length, 0) + SEPARATOR.length * Math.max(0, kept.length - 1);
  while (kept.length > 1 && length() > width) {
    let worst = kept.length - 1;
    for (let k = kept.length - 1; k >= 0; k--) if ((kept[k].drop ?? 0) > (kept[worst].drop ?? 0)) worst = k;
    kept.splice(worst, 1);
  }
  const line = kept.map((p) => p.text).join(SEPARATOR);
  return line.length <= width ? line : width <= 1 ? line.slice(0, Math.max(0, width)) : line.slice(0, width - 1) + '…';
}
