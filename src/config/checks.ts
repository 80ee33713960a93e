// Checks of config values that need more than their type: the file's encoding, globs that can
// match nothing or reach outside the root, config paths that leave the root, and moves whose
// target is itself moved. Each answers with the problem in words (load.ts places it), or null.

import picomatch from 'picomatch';
import { existsSync, statSync } from 'node:fs';
import { isAbsolute, posix, relative, resolve, sep } from 'node:path';
import { MoveTable } from '../core/moveTable.js';
import { confinedPath, OutsideRootError } from '../fs/confine.js';
import type { Move } from './types.js';

/** The text of a UTF-8 file, or where its first invalid byte is (1-based line, column in characters). */
export function decodeUtf8(bytes: Buffer): { text: string } | { line: number; column: number; message: string } {
  const bad = firstInvalidUtf8(bytes);
  if (bad < 0) return { text: bytes.toString('utf8') };
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return { line: 1, column: 1, message: 'the file is UTF-16; a TOML file must be UTF-8: save it with that encoding' };
  }
  const lineStart = bad === 0 ? 0 : bytes.lastIndexOf(10, bad - 1) + 1;
  let line = 1;
  for (let i = 0; i < lineStart; i++) if (bytes[i] === 10) line++;
  const column = [...bytes.subarray(lineStart, bad).toString('utf8')].length + 1;
  const hex = bytes[bad]!.toString(16).padStart(2, '0');
  return { line, column, message: `invalid UTF-8 (byte 0x${hex}); a TOML file must be UTF-8: save it with that encoding` };
}

/** Offset of the first byte that is not part of well-formed UTF-8 (no overlongs, no surrogates), or -1. */
function firstInvalidUtf8(b: Buffer): number {
  for (let i = 0; i < b.length; ) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    let n: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) n = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      n = 2;
      if (c === 0xe0) lo = 0xa0;
      if (c === 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      n = 3;
      if (c === 0xf0) lo = 0x90;
      if (c === 0xf4) hi = 0x8f;
    } else return i;
    for (let k = 1; k <= n; k++) {
      const d = b[i + k];
      if (d === undefined || d < (k === 1 ? lo : 0x80) || d > (k === 1 ? hi : 0xbf)) return i;
    }
    i += n + 1;
  }
  return -1;
}

/**
 * What is wrong with a glob over root-relative paths (include, exclude, area paths), or null.
 * picomatch takes almost anything: an unclosed `[` matches a literal bracket, an unclosed `{`
 * nothing at all, and `../x` or `/abs` can never match a root-relative path. All are refused.
 */
export function globProblem(glob: string, root: string): string | null {
  if (glob.includes('\0')) return 'must not contain a NUL character';
  if (/^[A-Za-z]:[\\/]/.test(glob)) return `must be relative to the project root, got ${JSON.stringify(glob)}`;
  if (glob.startsWith('/')) {
    const rel = relative(root, glob).split(sep).join('/');
    const inside = !rel.startsWith('..') && !isAbsolute(rel);
    return inside && rel !== ''
      ? `must be relative to the project root, where every glob is anchored: write ${JSON.stringify(rel)}`
      : `must be relative to the project root, got ${JSON.stringify(glob)}`;
  }
  if (/(^|[/{,])\.\.(?=$|[/},])/.test(glob)) return `${JSON.stringify(glob)} reaches outside the project root (".."); globs match files inside it`;
  if (glob.startsWith('!') && !glob.startsWith('!(')) return 'a leading "!" (negation) is not supported: select files with `include` and leave them out with `exclude`';
  if (/(^|\/)\.(\/|$)/.test(glob.replace(/^(\.\/)+/, ''))) {
    return `"." in the middle of a glob never matches: write ${JSON.stringify(posix.normalize(glob))}`;
  }
  const unbalanced = unbalancedIn(glob);
  if (unbalanced !== null) return unbalanced;
  let source: string;
  try {
    source = picomatch.makeRe(glob, { dot: true }).source;
  } catch (e) {
    return `not a valid glob: ${e instanceof Error ? e.message : String(e)}`;
  }
  return source === '$^' ? 'not a valid glob: it can match no path' : null;
}

/** An unclosed `[`, `{` or extglob `(`, or a trailing `\`: what to write instead. */
function unbalancedIn(glob: string): string | null {
  const opens: { c: string; at: number }[] = [];
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '\\') {
      if (i + 1 >= glob.length) return 'ends with a lone "\\" (an escape of nothing); write "/" between folders';
      i++;
    } else if (c === '[') {
      // `]` right after `[` or `[!` / `[^` is a member of the class, not its end.
      let j = i + 1;
      if (glob[j] === '!' || glob[j] === '^') j++;
      if (glob[j] === ']') j++;
      const close = glob.indexOf(']', j);
      if (close < 0) return `unclosed "[" at column ${i + 1}; write "\\\\[" for a literal bracket`;
      i = close;
    } else if (c === '{') opens.push({ c: '{', at: i });
    else if (c === '(' && i > 0 && '@!+*?'.includes(glob[i - 1]!)) opens.push({ c: '(', at: i });
    else if ((c === '}' || c === ')') && opens.length > 0 && opens[opens.length - 1]!.c === (c === '}' ? '{' : '(')) opens.pop();
  }
  const open = opens[0];
  if (open === undefined) return null;
  return `unclosed "${open.c}" at column ${open.at + 1}; close it with "${open.c === '{' ? '}' : ')'}"`;
}

/**
 * A path in the config that names a file inside the project (`migrate.junit`): not absolute, no
 * way out through `..` or a symbolic link, and a file (or nothing yet), not a folder.
 */
export function configPathProblem(root: string, path: string): string | null {
  if (path.includes('\0')) return 'must not contain a NUL character';
  if (isAbsolute(path) || /^[A-Za-z]:[\\/]/.test(path)) return `must be relative to the project root, got ${JSON.stringify(path)}`;
  const rel = posix.normalize(path.replace(/\\/g, '/'));
  if (rel === '..' || rel.startsWith('../')) return `${JSON.stringify(path)} is outside the project root; name a file inside it`;
  let abs: string;
  try {
    abs = confinedPath(root, path, { key: '' });
  } catch (e) {
    if (e instanceof OutsideRootError) return e.reason;
    throw e;
  }
  if (abs === resolve(root)) return 'names the project root; name a file';
  if (existsSync(abs) && !statSync(abs).isFile()) return `${JSON.stringify(path)} is not a file (a folder?); name the file itself`;
  return null;
}

/** An import root (already relative and inside the root): a folder, or nothing yet; never a file. */
export function srcRootProblem(root: string, entry: string, norm: string): string | null {
  if (entry.includes('\0')) return 'must not contain a NUL character';
  const abs = resolve(root, norm);
  if (existsSync(abs) && !statSync(abs).isDirectory()) return `${JSON.stringify(entry)} is a file; an import root is a folder`;
  return null;
}

/** A move whose target is itself a legacy path, and what to write instead. */
export interface MoveProblem {
  index: number;
  message: string;
}

/**
 * Moves whose `to` another move (or the same) moves again: a cycle (A -> B, B -> A), a chain
 * (A -> B, B -> C: not composed, because verify, scan and the report each judge one move: the
 * config says where A goes, and it should say C), or a module moved into its own subtree
 * (`app` -> `app.sub`, which `app`'s move would move again). One problem per move, a cycle's once.
 */
export function moveTargetProblems(moves: readonly Move[]): MoveProblem[] {
  const table = new MoveTable(moves);
  const next = (path: Target): { move: Move; to: Target } | null => {
    if (path.name !== null) {
      const s = table.symbol(path.module, path.name);
      if (s) return { move: s, to: { module: s.toModule, name: s.toName } };
    }
    const m = table.moduleMoveFor(path.module);
    return m ? { move: m, to: { module: MoveTable.mapModule(m, path.module), name: path.name } } : null;
  };
  const problems: MoveProblem[] = [];
  const cycles = new Set<string>();
  for (const move of moves) {
    const to: Target = move.kind === 'symbol' ? { module: move.toModule, name: move.toName } : { module: move.toModule, name: null };
    const first = next(to);
    if (first === null) continue;
    if (first.move === move && move.kind === 'module') {
      problems.push({
        index: move.index,
        message: `${JSON.stringify(move.toModule)} is inside ${JSON.stringify(move.fromModule)}, which this move moves: a module cannot move into its own subtree`,
      });
      continue;
    }
    // Follow the chain to its end, or back to a move already seen.
    const seen: Move[] = [move];
    let step: { move: Move; to: Target } | null = first;
    let end = to;
    while (step !== null && !seen.includes(step.move)) {
      seen.push(step.move);
      end = step.to;
      step = next(step.to);
    }
    if (step !== null) {
      // A cycle, reported once, at its first move; a chain into a cycle goes once the cycle does.
      const ring = seen.slice(seen.indexOf(step.move));
      const byIndex = [...ring].sort((a, b) => a.index - b.index);
      const key = byIndex.map((m) => m.index).join(',');
      if (cycles.has(key)) continue;
      cycles.add(key);
      const at = ring.indexOf(byIndex[0]!);
      const order = [...ring.slice(at), ...ring.slice(0, at)];
      const path = [...order.map((m) => m.id), order[0]!.id].join(' -> ');
      problems.push({
        index: byIndex[0]!.index,
        message: `${byIndex.map((m) => `move[${m.index}]`).join(' and ')} move these paths into each other (${path}); keep one of them`,
      });
      continue;
    }
    problems.push({
      index: move.index,
      message: `${JSON.stringify(spell(to))} is itself moved, by move[${first.move.index}]; moves are not chained: write to = ${JSON.stringify(spell(end))}`,
    });
  }
  return problems;
}

interface Target {
  module: string;
  name: string | null;
}

function spell(t: Target): string {
  return t.name === null ? t.module : `${t.module}:${t.name}`;
}
