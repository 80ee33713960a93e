// confinedPath: the one check every writer makes, on real folders and links; makeDirs: mkdir -p
// that ends where node's recursive mkdir spins (/proc).

import { existsSync, mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, test } from 'vitest';
import { confinedPath, makeDirs, OutsideRootError } from '../../src/fs/confine.js';

let top: string;
let root: string;
let outside: string;
beforeEach(() => {
  top = realpathSync(mkdtempSync(join(tmpdir(), 'canon-confine-unit-')));
  root = join(top, 'root');
  outside = join(top, 'outside');
  mkdirSync(join(root, 'app'), { recursive: true });
  mkdirSync(outside);
});

function reason(path: string, under?: string): string {
  try {
    confinedPath(root, path, { key: 'k', under });
  } catch (e) {
    if (e instanceof OutsideRootError) return e.message;
    throw e;
  }
  return 'ok';
}

describe('confinedPath', () => {
  test('inside, existing or not, is the absolute path', () => {
    expect(confinedPath(root, 'app/x.py', { key: 'k' })).toBe(join(root, 'app/x.py'));
    expect(confinedPath(root, 'new/deeper/x.py', { key: 'k' })).toBe(join(root, 'new/deeper/x.py'));
    expect(confinedPath(root, join(root, 'app'), { key: 'k' })).toBe(join(root, 'app'));
  });

  test('`..` and absolute paths out of the root', () => {
    const tail = '; canon writes and deletes files only inside it';
    expect(reason('../x')).toBe(`k: "../x" is outside the project root${tail}`);
    expect(reason('app/../../x')).toBe(`k: "app/../../x" is outside the project root${tail}`);
    expect(reason(join(outside, 'x'))).toBe(`k: ${JSON.stringify(join(outside, 'x'))} is outside the project root${tail}`);
    expect(reason('app/../x')).toBe('ok');
  });

  test('a link out of the root, anywhere on the way, with the link named', () => {
    symlinkSync(outside, join(root, 'app/vendor'));
    expect(reason('app/vendor/x.py')).toBe(
      `k: "app/vendor/x.py" leads outside the project root: app/vendor is a symbolic link to ${outside}; canon writes and deletes files only inside the root`,
    );
    // The last part a link out: a write would replace it, a read would follow it.
    symlinkSync(join(outside, 'f'), join(root, 'app/f.py'));
    writeFileSync(join(outside, 'f'), '');
    expect(reason('app/f.py')).toMatch(/^k: "app\/f.py" leads outside the project root: app\/f.py is a symbolic link to /);
  });

  test('a link that stays inside is fine; a broken one is not', () => {
    mkdirSync(join(root, 'lib'));
    symlinkSync('../lib', join(root, 'app/lib'));
    expect(reason('app/lib/x.py')).toBe('ok');
    symlinkSync(join(top, 'nowhere'), join(root, 'app/gone'));
    expect(reason('app/gone/x.py')).toBe(`k: "app/gone/x.py" leads through app/gone, a broken symbolic link (to ${join(top, 'nowhere')})`);
  });

  test('the root itself reached through a link is still the root', () => {
    symlinkSync(root, join(top, 'alias'));
    expect(confinedPath(join(top, 'alias'), 'app/x.py', { key: 'k' })).toBe(join(top, 'alias/app/x.py'));
  });

  test('`under`: no link at all, even one that stays in the root', () => {
    mkdirSync(join(root, 'build'));
    symlinkSync('build', join(root, '.canon'));
    expect(reason('.canon/report', '.canon')).toBe(
      'k: .canon is a symbolic link (to build); canon keeps its own files in a real .canon/ folder in the project root: remove the link',
    );
    expect(reason('app/x', '.canon')).toBe('k: "app/x" must be inside .canon/');
  });
});

describe('makeDirs', () => {
  test('makes every missing folder; an existing one is fine', () => {
    makeDirs(join(root, 'a/b/c'));
    expect(existsSync(join(root, 'a/b/c'))).toBe(true);
    makeDirs(join(root, 'a/b/c'));
  });

  test('a file on the way: ENOTDIR from mkdir, with the folder it could not make', () => {
    writeFileSync(join(root, 'afile'), '');
    expect(() => makeDirs(join(root, 'afile/sub/deeper'))).toThrow(expect.objectContaining({ code: 'ENOTDIR', syscall: 'mkdir', path: join(root, 'afile/sub') }));
  });

  test('where mkdir answers ENOENT below an existing folder (/proc), it throws instead of spinning', () => {
    expect(() => makeDirs('/proc/canon-nope/deeper')).toThrow(expect.objectContaining({ code: 'ENOENT', syscall: 'mkdir', path: '/proc/canon-nope' }));
  });
});
