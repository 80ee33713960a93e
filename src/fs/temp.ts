// Where canon's temporary files go and how they are named, so that a run killed mid-write leaves
// nothing git would pick up and nothing a later run cannot find and remove.
//
// A temporary file is renamed over its target, so it must be on the target's file system (a rename
// across file systems is a copy, not atomic). Under the project that is almost always the case for
// `.canon/tmp/`, which holds a `.gitignore` of `*`: temporaries go there, named
// `<pid>_<start>-<n>.<target name>.tmp` (the process that made them, see core/process.ts). A target
// on another file system (a mount inside the project) gets its temporary beside it instead, named
// `.<target name>.<pid>_<start>-<n>.canon-tmp`, and its path is first appended to
// `.canon/tmp/<pid>_<start>.beside`, so a later run finds it. `removeStaleTemporaries` (run by
// every command that writes, with the project lock held) removes what dead processes left.

import { dirname, join } from 'node:path';
import { selfToken, tokenRunning } from '../core/process.js';
import { CANON_DIR, confinedPath, makeDirs } from './confine.js';
import { io } from './io.js';

export const SCRATCH_DIR = '.canon/tmp';
const GITIGNORE = '# canon: temporary files and the lock of the run in progress; safe to delete when no canon runs\n*\n';

let seq = 0;
const devices = new Map<string, number>();

const confined = new Map<string, string>();

/**
 * The project's scratch folder, made (with its .gitignore) when missing. canon's own: inside a real
 * `.canon/` folder, reached through no symbolic link (else OutsideRootError, before anything is written).
 */
export function scratchDir(root: string): string {
  let dir = confined.get(root);
  if (dir === undefined) {
    dir = confinedPath(root, SCRATCH_DIR, { key: '', under: CANON_DIR });
    confined.set(root, dir);
  }
  const fs = io();
  try {
    fs.statSync(join(dir, '.gitignore'));
  } catch {
    makeDirs(dir);
    let fd: number;
    try {
      fd = fs.openSync(join(dir, '.gitignore'), 'wx');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') return dir;
      throw e;
    }
    try {
      fs.writeSync(fd, GITIGNORE);
    } finally {
      fs.closeSync(fd);
    }
  }
  return dir;
}

function device(dir: string): number {
  let dev = devices.get(dir);
  if (dev === undefined) {
    dev = io().statSync(dir).dev;
    devices.set(dir, dev);
  }
  return dev;
}

/**
 * A fresh name for a temporary file that will be renamed over `target` (or linked beside it):
 * under `scratch` when that is on the target's file system, else beside the target (recorded in
 * the scratch folder's list first, when there is one).
 */
export function tempFor(target: string, scratch: string | null): string {
  const name = target.slice(target.lastIndexOf('/') + 1);
  const token = selfToken();
  const n = seq++;
  const dir = dirname(target);
  if (scratch !== null && device(scratch) === device(dir)) return join(scratch, `${token}-${n}.${name}.tmp`);
  const beside = join(dir, `.${name}.${token}-${n}.canon-tmp`);
  if (scratch !== null) io().appendFileSync(join(scratch, `${token}.beside`), beside + '\n');
  return beside;
}

/** Forget what is known of folders' file systems (tests that move folders between them). */
export function forgetDevices(): void {
  devices.clear();
}

const SCRATCH_ENTRY = /^(\d+_\d+)[-.]/;
const BESIDE_ENTRY = /\.(\d+_\d+)-\d+\.canon-tmp$/;

/**
 * Remove the temporary files of canon processes that are no longer running, in the scratch folder
 * and beside targets on other file systems; returns how many. Files of running processes stay.
 */
export function removeStaleTemporaries(root: string): number {
  const fs = io();
  const dir = join(root, SCRATCH_DIR);
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return 0;
  }
  let removed = 0;
  const live = new Map<string, boolean>();
  const running = (token: string): boolean => {
    let r = live.get(token);
    if (r === undefined) live.set(token, (r = tokenRunning(token)));
    return r;
  };
  for (const name of names) {
    const m = SCRATCH_ENTRY.exec(name);
    if (!m || running(m[1])) continue;
    const path = join(dir, name);
    if (name.endsWith('.beside')) {
      let listed: string[] = [];
      try {
        listed = fs.readFileSync(path, 'utf8').split('\n');
      } catch {
        // unreadable: only the list goes
      }
      for (const p of listed) {
        // Only canon's own names, of that process: a damaged list cannot make canon delete anything else.
        if (BESIDE_ENTRY.exec(p)?.[1] !== m[1]) continue;
        try {
          fs.unlinkSync(p);
          removed++;
        } catch {
          // already gone
        }
      }
    }
    try {
      fs.rmSync(path, { force: true });
      if (!name.endsWith('.beside')) removed++;
    } catch {
      // another canon removed it first
    }
  }
  return removed;
}
