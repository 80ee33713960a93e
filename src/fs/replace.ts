// Replacing a file only while it holds the bytes canon expects, so that canon never overwrites
// bytes it did not write itself (an editor's save, another tool's output).
//
// There is no "rename if unchanged" system call, so the check and the rename are two steps, and the
// window between them is kept as small as it can be:
//   1. read the target and compare its bytes with the expected ones (not its stamp alone: file
//      times are coarse, an edit within the same tick keeps them);
//   2. hard-link the target to a second name (on its file system, see temp.ts);
//   3. rename canon's file over the target;
//   4. read the second name: the file canon replaced. If it is not the bytes checked in 1 (an editor
//      wrote in place, or saved by rename, between 1 and 3, or wrote through a descriptor opened
//      before 3), put it back where it was, unless the target changed again since, and report the
//      file as changed.
// What remains: a save by rename that lands between 2 and 3 (two consecutive system calls) is
// replaced and lost; an in-place write through a descriptor opened before 3 that lands after 4 goes
// to a file no longer in the tree. Where hard links are not supported, 1 is the last check.

import { faultPoint } from '../core/fault.js';
import { io } from './io.js';
import { tempFor } from './temp.js';

export interface Stamped {
  bytes: Buffer;
  ino: number;
  mode: number;
}

/** A file's bytes, inode and mode from one open; null when it does not exist. */
export function readStamped(path: string): Stamped | null {
  const fs = io();
  let fd: number;
  try {
    fd = fs.openSync(path, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw e;
  }
  try {
    const st = fs.fstatSync(fd);
    // One byte more than the size: a file that grew meanwhile is read whole too.
    let buf = Buffer.allocUnsafe(st.size + 1);
    let total = 0;
    for (;;) {
      if (total === buf.length) buf = Buffer.concat([buf, Buffer.allocUnsafe(buf.length)]);
      const want = buf.length - total;
      const n = fs.readSync(fd, buf, total, want, null);
      total += n;
      // A regular file reads short only at its end: no second call to learn it.
      if (n < want) break;
    }
    return { bytes: buf.subarray(0, total), ino: st.ino, mode: st.mode };
  } finally {
    fs.closeSync(fd);
  }
}

/** Does `now` hold what `expected` says (null: no file)? */
export function holds(now: Stamped | null, expected: Buffer | null): boolean {
  return expected === null ? now === null : now !== null && now.bytes.equals(expected);
}

export function unlinkQuietly(path: string): void {
  try {
    io().unlinkSync(path);
  } catch {
    // already gone
  }
}

const NO_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EMLINK', 'EXDEV']);

export type ReplaceOutcome = 'replaced' | 'changed';

/**
 * Put `source` (a file on the target's file system holding `data`: a temporary file canon wrote,
 * or a link to a backup) in place of `target`, only if the target holds `expected` (null: it must
 * not exist). On `changed` the target is left as it is and `source` is removed. The target keeps
 * its mode (source is given it). `scratch` is the project's scratch folder (see temp.ts).
 */
export function replaceChecked(source: string, target: string, expected: Buffer | null, data: Buffer, scratch: string | null): ReplaceOutcome {
  const fs = io();
  if (expected === null) return create(source, target);
  const now = readStamped(target);
  if (!holds(now, expected)) {
    unlinkQuietly(source);
    return 'changed';
  }
  fs.chmodSync(source, now!.mode & 0o7777);
  faultPoint('replace.checked');
  const keep = tempFor(target, scratch);
  let kept = true;
  try {
    fs.linkSync(target, keep);
  } catch (e) {
    if (!NO_LINKS.has((e as NodeJS.ErrnoException).code ?? '')) {
      unlinkQuietly(source);
      throw e;
    }
    kept = false;
  }
  try {
    fs.renameSync(source, target);
  } catch (e) {
    if (kept) unlinkQuietly(keep);
    unlinkQuietly(source);
    throw e;
  }
  faultPoint('replace.renamed');
  if (!kept) return 'replaced';
  try {
    const replaced = readStamped(keep);
    if (replaced !== null && replaced.bytes.equals(expected)) {
      unlinkQuietly(keep);
      return 'replaced';
    }
    // What canon replaced was not what it checked: someone wrote the file in the window. Theirs
    // goes back, unless the target has changed again since (then the latest write is theirs too).
    if (holds(readStamped(target), data)) fs.renameSync(keep, target);
    else unlinkQuietly(keep);
    return 'changed';
  } catch {
    // The second look failed (the machine's fault): the rename stands.
    unlinkQuietly(keep);
    return 'replaced';
  }
}

/** A new file: a link fails when the target exists, so a file made meanwhile is never replaced. */
function create(source: string, target: string): ReplaceOutcome {
  const fs = io();
  try {
    fs.linkSync(source, target);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? '';
    if (code === 'EEXIST') {
      unlinkQuietly(source);
      return 'changed';
    }
    if (!NO_LINKS.has(code)) {
      unlinkQuietly(source);
      throw e;
    }
    // No hard links here: check, then rename.
    if (readStamped(target) !== null) {
      unlinkQuietly(source);
      return 'changed';
    }
    fs.renameSync(source, target);
    faultPoint('replace.renamed');
    return 'replaced';
  }
  faultPoint('replace.renamed');
  unlinkQuietly(source);
  return 'replaced';
}

export type RemoveOutcome = 'removed' | 'changed';

/**
 * Delete `target` only if it holds `expected`: it is moved aside first (atomically), then what was
 * moved is compared, so an edit can never be deleted unseen; a changed file is put back. Returns
 * `changed` with the file left (or put back) in place; when a new file took its place meanwhile,
 * the moved one is kept at the returned `kept` path.
 */
export function removeChecked(target: string, expected: Buffer, scratch: string | null): { outcome: RemoveOutcome; kept: string | null } {
  const fs = io();
  if (!holds(readStamped(target), expected)) return { outcome: 'changed', kept: null };
  const aside = tempFor(target, scratch);
  fs.renameSync(target, aside);
  faultPoint('replace.renamed');
  if (holds(readStamped(aside), expected)) {
    unlinkQuietly(aside);
    return { outcome: 'removed', kept: null };
  }
  try {
    fs.linkSync(aside, target);
    unlinkQuietly(aside);
    return { outcome: 'changed', kept: null };
  } catch {
    // Something new is at the target: keep what was moved under a name no cleanup removes.
    const kept = aside.replace(/([^/]*)$/, 'kept-$1');
    fs.renameSync(aside, kept);
    return { outcome: 'changed', kept };
  }
}
