// Every path canon writes or deletes on its own account is checked here first: resolved, symbolic
// links included, it must stay inside the project root, and canon's own files (.canon/) may not
// pass through a link at all. A path that escapes is a user error naming the setting it came from.
//
// Which paths: canon's own files under .canon/ (journal, reports, baseline, cache) with
// `under: CANON_DIR`; files the config makes canon write (shims) inside the root. Paths the user
// types as an output (--out, --baseline) are taken as given, outside the root too: canon only
// ever creates or replaces the files named there, and never deletes anything outside the root.

import { lstatSync, mkdirSync, readlinkSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { UsageError } from '../core/errors.js';
import { io } from './io.js';

/** canon's own folder in the project root. */
export const CANON_DIR = '.canon';

/** A path that leads outside where it must stay: `<key>: <reason>`, exit 2. */
export class OutsideRootError extends UsageError {
  constructor(
    /** The setting the path came from (`migrate.junit`, `canon.toml:4:8: move[0].from`, `.canon`). */
    readonly key: string,
    readonly reason: string,
  ) {
    super(key === '' ? reason : `${key}: ${reason}`);
  }
}

export interface ConfineOptions {
  /** Named in the error: the config key or option the path came from ('' for canon's own files). */
  key: string;
  /** A root-relative folder the path must be inside, through no symbolic link (canon's own: CANON_DIR). */
  under?: string;
}

/**
 * The absolute path of `path` (relative to `root`, or absolute), once checked: inside the root
 * after every symbolic link on the way is followed, and inside `under` without any. What does not
 * exist yet is fine (it will be made as a real folder or file). Throws OutsideRootError.
 */
export function confinedPath(root: string, path: string, opts: ConfineOptions): string {
  const abs = resolve(root, path);
  const rel = relative(root, abs);
  const given = JSON.stringify(path);
  if (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) {
    throw new OutsideRootError(opts.key, `${given} is outside the project root; canon writes and deletes files only inside it`);
  }
  const under = opts.under === undefined ? null : resolve(root, opts.under);
  if (under !== null && abs !== under && !abs.startsWith(under + sep)) {
    throw new OutsideRootError(opts.key, `${given} must be inside ${opts.under}${sep}`);
  }
  let realRoot: string;
  try {
    realRoot = realpathSync.native(root);
  } catch {
    return abs; // No root to escape from; writing there fails on its own, with its own message.
  }
  // Each existing entry on the way, from the root down.
  const parts = rel === '' ? [] : rel.split(sep);
  let at = root;
  for (const part of parts) {
    at = join(at, part);
    let isLink: boolean;
    try {
      isLink = lstatSync(at).isSymbolicLink();
    } catch {
      break; // The rest does not exist yet.
    }
    if (!isLink) continue;
    const shown = relative(root, at);
    if (under !== null && (at === under || at.startsWith(under + sep) || under.startsWith(at + sep))) {
      throw new OutsideRootError(
        opts.key,
        `${shown} is a symbolic link (to ${linkTarget(at)}); canon keeps its own files in a real ${opts.under}${sep} folder in the project root: remove the link`,
      );
    }
    let real: string;
    try {
      real = realpathSync.native(at);
    } catch {
      throw new OutsideRootError(opts.key, `${given} leads through ${shown}, a broken symbolic link (to ${linkTarget(at)})`);
    }
    if (real !== realRoot && !real.startsWith(realRoot + sep)) {
      throw new OutsideRootError(
        opts.key,
        `${given} leads outside the project root: ${shown} is a symbolic link to ${real}; canon writes and deletes files only inside the root`,
      );
    }
  }
  return abs;
}

function linkTarget(link: string): string {
  try {
    return readlinkSync(link);
  } catch {
    return '?';
  }
}

/**
 * `mkdir -p`. Node's recursive mkdirSync spins forever where mkdir answers ENOENT although the
 * folder above exists (a path under /proc): this one makes each missing folder from the top and
 * throws that ENOENT (or ENOTDIR, EACCES, ...) with the path it could not make.
 */
export function makeDirs(dir: string): void {
  const fs = io();
  const missing: string[] = [];
  for (let d = resolve(dir); ; d = dirname(d)) {
    try {
      fs.lstatSync(d);
      break;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      // ENOTDIR: a file on the way; mkdir then says so with the folder it could not make.
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || dirname(d) === d) throw e;
      missing.push(d);
    }
  }
  for (const d of missing.reverse()) {
    try {
      fs.mkdirSync(d);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}
