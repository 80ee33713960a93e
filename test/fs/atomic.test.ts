// Atomic writes: new bytes and kept modes on success, temporaries under .canon/tmp/ (beside the
// target only on another file system, and listed so a later run finds them); on a failure before
// the renames every target keeps its old bytes and no temporary file is left; a file that no longer
// holds the expected bytes is never replaced; what dead processes left is cleaned up.

import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { MachineFault } from '../../src/core/errors.js';
import { failingWrites } from '../../src/core/fault.js';
import { writeFileAtomic, writeFileChecked, writeFilesChecked } from '../../src/fs/atomic.js';
import { realFileSystem, useFileSystem } from '../../src/fs/io.js';
import { removeChecked } from '../../src/fs/replace.js';
import { removeStaleTemporaries, scratchDir, SCRATCH_DIR } from '../../src/fs/temp.js';
import { makeProject } from '../helpers/project.js';

let restore: (() => void) | null = null;
afterEach(() => {
  restore?.();
  restore = null;
});

const b = (s: string): Buffer => Buffer.from(s);
const scratchEntries = (dir: string): string[] => readdirSync(join(dir, SCRATCH_DIR)).filter((n) => n !== '.gitignore' && n !== 'lock');

/** A pid no process has (the highest pids are not given out here). */
function deadPid(): number {
  const r = spawnSync('sh', ['-c', 'echo $$']);
  return Number(r.stdout.toString().trim());
}

describe('writes', () => {
  test('writeFileAtomic replaces the bytes and keeps the mode; its temporary is in .canon/tmp and gone', () => {
    const dir = makeProject({ 'a.py': 'old\n' });
    chmodSync(join(dir, 'a.py'), 0o755);
    writeFileAtomic(join(dir, 'a.py'), b('new\r\n'), scratchDir(dir));
    expect(readFileSync(join(dir, 'a.py'), 'latin1')).toBe('new\r\n');
    expect(statSync(join(dir, 'a.py')).mode & 0o777).toBe(0o755);
    expect(readdirSync(dir).sort()).toEqual(['.canon', 'a.py']);
    expect(scratchEntries(dir)).toEqual([]);
    // The scratch folder keeps itself out of git.
    expect(readFileSync(join(dir, SCRATCH_DIR, '.gitignore'), 'utf8')).toMatch(/^\*$/m);
  });

  test('writeFilesChecked writes every file, keeps modes exactly (umask aside), leaves no temporary file', () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 30; i++) files[`pkg/m${i}.py`] = `x = ${i}\n`;
    const dir = makeProject(files);
    chmodSync(join(dir, 'pkg/m3.py'), 0o600);
    chmodSync(join(dir, 'pkg/m4.py'), 0o666);
    const out = writeFilesChecked(
      Object.keys(files).map((f, i) => ({ path: join(dir, f), data: b(`y = ${i}\n`), expected: b(files[f]) })),
      scratchDir(dir),
    );
    expect(out.changed).toEqual([]);
    expect(out.written).toHaveLength(30);
    for (const [i, f] of Object.keys(files).entries()) expect(readFileSync(join(dir, f), 'utf8')).toBe(`y = ${i}\n`);
    expect(statSync(join(dir, 'pkg/m3.py')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'pkg/m4.py')).mode & 0o777).toBe(0o666);
    expect(readdirSync(join(dir, 'pkg')).filter((n) => !n.endsWith('.py'))).toEqual([]);
    expect(scratchEntries(dir)).toEqual([]);
  });

  test('a file that no longer holds the expected bytes is left alone; a new file is never written over one made meanwhile', () => {
    const dir = makeProject({ 'a.py': 'a = 1\n', 'b.py': 'b = 1\n', 'c.py': 'mine\n' });
    const out = writeFilesChecked(
      [
        { path: join(dir, 'a.py'), data: b('a = 2\n'), expected: b('a = 1\n') },
        { path: join(dir, 'b.py'), data: b('b = 2\n'), expected: b('b = 0\n') },
        { path: join(dir, 'c.py'), data: b('canon\n'), expected: null },
      ],
      scratchDir(dir),
    );
    expect(out.written).toEqual([join(dir, 'a.py')]);
    expect(out.changed.sort()).toEqual([join(dir, 'b.py'), join(dir, 'c.py')]);
    expect(readFileSync(join(dir, 'b.py'), 'utf8')).toBe('b = 1\n');
    expect(readFileSync(join(dir, 'c.py'), 'utf8')).toBe('mine\n');
    expect(writeFileChecked(join(dir, 'd.py'), b('new\n'), null, scratchDir(dir))).toBe('replaced');
    expect(readFileSync(join(dir, 'd.py'), 'utf8')).toBe('new\n');
    expect(scratchEntries(dir)).toEqual([]);
  });

  test('a failure before the renames changes no target and leaves no temporary file', () => {
    const dir = makeProject({ 'a.py': 'a = 1\n', 'b.py': 'b = 1\n' });
    const batch = [
      { path: join(dir, 'a.py'), data: b('a = 2\n'), expected: b('a = 1\n') },
      { path: join(dir, 'missing/dir/c.py'), data: b('c = 2\n'), expected: null },
      { path: join(dir, 'b.py'), data: b('b = 2\n'), expected: b('b = 1\n') },
    ];
    expect(() => writeFilesChecked(batch, scratchDir(dir))).toThrow(MachineFault);
    expect(readFileSync(join(dir, 'a.py'), 'utf8')).toBe('a = 1\n');
    expect(readFileSync(join(dir, 'b.py'), 'utf8')).toBe('b = 1\n');
    expect(readdirSync(dir).sort()).toEqual(['.canon', 'a.py', 'b.py']);
    expect(scratchEntries(dir)).toEqual([]);
  });

  test('a full disk at every write call of a 5-file write: each file old or new, a MachineFault, no temporary left', () => {
    const names = ['a', 'b', 'c', 'd', 'e'];
    let faults = 0;
    for (let n = 1; ; n++) {
      const dir = makeProject(Object.fromEntries(names.map((x) => [`${x}.py`, `${x} = 1\n`])));
      const scratch = scratchDir(dir);
      const layer = failingWrites(realFileSystem, n);
      restore = useFileSystem(layer);
      let fault: unknown = null;
      try {
        writeFilesChecked(names.map((x) => ({ path: join(dir, `${x}.py`), data: b(`${x} = 2\n`), expected: b(`${x} = 1\n`) })), scratch);
      } catch (e) {
        fault = e;
      }
      restore();
      restore = null;
      const now = names.map((x) => readFileSync(join(dir, `${x}.py`), 'utf8'));
      for (const [i, x] of names.entries()) expect([`${x} = 1\n`, `${x} = 2\n`]).toContain(now[i]);
      expect(scratchEntries(dir)).toEqual([]);
      rmSync(dir, { recursive: true, force: true });
      if (fault === null) {
        expect(layer.calls).toBeLessThan(n);
        expect(now).toEqual(names.map((x) => `${x} = 2\n`));
        break;
      }
      faults++;
      expect(fault).toBeInstanceOf(MachineFault);
      expect((fault as MachineFault).code).toBe('ENOSPC');
      expect((fault as MachineFault).message).toMatch(/no space left on the device \(ENOSPC\)/);
      // Before the renames nothing changed; during them, the fault counts what was written.
      const written = now.filter((t, i) => t === `${names[i]} = 2\n`).length;
      expect((fault as MachineFault).details.join('\n')).toContain(written === 0 ? 'no file was changed' : `${written} of 5 files were written before the error`);
    }
    expect(faults).toBeGreaterThan(10);
  });
});

describe('an edit racing the write', () => {
  /** The real file system with `action` run once just before (or after) the first call of `call`. */
  function hooked(call: 'chmodSync' | 'linkSync' | 'renameSync', when: 'before' | 'after', action: () => void): void {
    let done = false;
    const real = realFileSystem[call] as (...a: unknown[]) => unknown;
    restore = useFileSystem({
      ...realFileSystem,
      [call]: (...args: unknown[]) => {
        if (!done && when === 'before') {
          done = true;
          action();
        }
        const r = real.apply(realFileSystem, args);
        if (!done && when === 'after') {
          done = true;
          action();
        }
        return r;
      },
    });
  }

  const setup = (): { dir: string; target: string } => {
    const dir = makeProject({ 'a.py': 'original\n' });
    scratchDir(dir);
    return { dir, target: join(dir, 'a.py') };
  };

  test('a save in place between the last check and the rename is caught and put back', () => {
    const { dir, target } = setup();
    // chmod of canon's file is the step right after the check.
    hooked('chmodSync', 'before', () => writeFileSync(target, 'saved in place\n'));
    expect(writeFileChecked(target, b('canon\n'), b('original\n'), scratchDir(dir))).toBe('changed');
    expect(readFileSync(target, 'utf8')).toBe('saved in place\n');
    expect(scratchEntries(dir)).toEqual([]);
  });

  test('a save by rename between the last check and the link is caught and put back', () => {
    const { dir, target } = setup();
    hooked('chmodSync', 'before', () => {
      writeFileSync(join(dir, 'editor.tmp'), 'saved by rename\n');
      realFileSystem.renameSync(join(dir, 'editor.tmp'), target);
    });
    expect(writeFileChecked(target, b('canon\n'), b('original\n'), scratchDir(dir))).toBe('changed');
    expect(readFileSync(target, 'utf8')).toBe('saved by rename\n');
    expect(scratchEntries(dir)).toEqual([]);
  });

  test('a write through a descriptor opened before the rename, landing after it, is caught and put back', () => {
    const { dir, target } = setup();
    let fd = -1;
    restore = useFileSystem({
      ...realFileSystem,
      // The editor opens the file just before canon's rename...
      linkSync: (...a: Parameters<typeof realFileSystem.linkSync>) => {
        realFileSystem.linkSync(...a);
        fd = realFileSystem.openSync(target, 'r+');
      },
      // ...and its write lands just after it, in the file canon replaced.
      renameSync: (...a: Parameters<typeof realFileSystem.renameSync>) => {
        realFileSystem.renameSync(...a);
        if (fd >= 0) {
          realFileSystem.writeSync(fd, 'EDITED\n', 0);
          realFileSystem.closeSync(fd);
          fd = -1;
        }
      },
    });
    expect(writeFileChecked(target, b('canon\n'), b('original\n'), scratchDir(dir))).toBe('changed');
    expect(readFileSync(target, 'utf8')).toBe('EDITED\nl\n');
    expect(scratchEntries(dir)).toEqual([]);
  });

  test('what remains: a save by rename landing between the link and the rename is replaced (the README says so)', () => {
    const { dir, target } = setup();
    hooked('linkSync', 'after', () => {
      writeFileSync(join(dir, 'editor.tmp'), 'saved by rename\n');
      realFileSystem.renameSync(join(dir, 'editor.tmp'), target);
    });
    expect(writeFileChecked(target, b('canon\n'), b('original\n'), scratchDir(dir))).toBe('replaced');
    expect(readFileSync(target, 'utf8')).toBe('canon\n');
  });
});

describe('removing a file only canon wrote', () => {
  test('a file that changed is not removed; one saved while canon moved it aside is put back', () => {
    const dir = makeProject({ 'a.py': 'shim\n', 'b.py': 'shim\n', 'c.py': 'edited\n' });
    const scratch = scratchDir(dir);
    expect(removeChecked(join(dir, 'a.py'), b('shim\n'), scratch)).toEqual({ outcome: 'removed', kept: null });
    expect(existsSync(join(dir, 'a.py'))).toBe(false);
    expect(removeChecked(join(dir, 'c.py'), b('shim\n'), scratch)).toEqual({ outcome: 'changed', kept: null });
    // An in-place save between the check and the move aside lands in the file moved: it goes back.
    let once = false;
    restore = useFileSystem({
      ...realFileSystem,
      renameSync: (...a: Parameters<typeof realFileSystem.renameSync>) => {
        if (!once) {
          once = true;
          writeFileSync(join(dir, 'b.py'), 'saved\n');
        }
        realFileSystem.renameSync(...a);
      },
    });
    expect(removeChecked(join(dir, 'b.py'), b('shim\n'), scratch)).toEqual({ outcome: 'changed', kept: null });
    expect(readFileSync(join(dir, 'b.py'), 'utf8')).toBe('saved\n');
    expect(readFileSync(join(dir, 'c.py'), 'utf8')).toBe('edited\n');
    expect(scratchEntries(dir)).toEqual([]);
  });
});

describe('temporary files', () => {
  test("temporaries of dead processes are removed, a running one's stay; beside a file on another file system too", () => {
    const dir = makeProject({ 'a.py': 'a\n' });
    const scratch = scratchDir(dir);
    const dead = `${deadPid()}_1`;
    const live = `${process.pid}_0`;
    writeFileSync(join(scratch, `${dead}-0.a.py.tmp`), 'half');
    writeFileSync(join(scratch, `${dead}-1.a.py.tmp`), 'half');
    writeFileSync(join(scratch, `${live}-0.a.py.tmp`), 'mine');
    writeFileSync(join(scratch, 'notes.txt'), 'not canon');
    // A target elsewhere: its temporary beside it, listed in the dead process's list.
    const other = mkdtempSync(join('/dev/shm', 'canon-test-'));
    const beside = join(other, `.b.py.${dead}-2.canon-tmp`);
    writeFileSync(beside, 'half');
    writeFileSync(join(other, 'keep.py'), 'x');
    writeFileSync(join(scratch, `${dead}.beside`), `${beside}\n${join(other, 'keep.py')}\n`);
    expect(removeStaleTemporaries(dir)).toBe(3);
    expect(readdirSync(scratch).sort()).toEqual([`${live}-0.a.py.tmp`, '.gitignore', 'notes.txt'].sort());
    // Only canon's names are removed, whatever a list says.
    expect(readdirSync(other)).toEqual(['keep.py']);
    rmSync(other, { recursive: true, force: true });
  });

  test('a target on another file system gets its temporary beside it, listed first; the write is atomic there too', () => {
    const dir = makeProject({ 'a.py': 'a\n' });
    const other = mkdtempSync(join('/dev/shm', 'canon-test-'));
    const target = join(other, 'x.py');
    writeFileSync(target, 'x = 1\n');
    if (statSync(other).dev === statSync(dir).dev) return; // one file system here: nothing to test
    expect(writeFileChecked(target, b('x = 2\n'), b('x = 1\n'), scratchDir(dir))).toBe('replaced');
    expect(readFileSync(target, 'utf8')).toBe('x = 2\n');
    expect(readdirSync(other)).toEqual(['x.py']);
    const list = readdirSync(join(dir, SCRATCH_DIR)).filter((n) => n.endsWith('.beside'));
    expect(list).toHaveLength(1);
    expect(readFileSync(join(dir, SCRATCH_DIR, list[0]), 'utf8')).toMatch(/\/\.x\.py\.\d+_\d+-\d+\.canon-tmp\n/);
    rmSync(other, { recursive: true, force: true });
  });
});
