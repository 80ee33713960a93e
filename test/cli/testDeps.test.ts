// scripts/test-deps.mjs, npm test's pretest: what it finds on this machine, and what it says when
// it cannot install what is missing (its install path runs for real on a fresh machine: CI).
import { execFileSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
// @ts-expect-error: a plain .mjs script, without types
import { NEEDS, provide } from '../../scripts/test-deps.mjs';

interface Need {
  what: string;
  debian: string;
  find: () => string | null;
  misset?: () => string | null;
}

function run(needs: Need[], opts: { root: boolean; aptGet: string | null }): { code: number; said: string } {
  let said = '';
  const code = provide(needs, { ...opts, log: (s: string) => (said += s) });
  return { code, said };
}

describe('test-deps', () => {
  test("lists what it provides: Chromium, pytest, pre-commit, black, the stdlib's tests and venv, each a Debian package", () => {
    const v = execFileSync('python3', ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])'], { encoding: 'utf8' }).trim();
    expect((NEEDS as Need[]).map((n) => n.debian)).toEqual(['chromium', 'python3-pytest', 'pre-commit', 'black', `libpython${v}-testsuite`, `python${v}-venv`]);
  });

  test('everything found: nothing said, nothing installed', () => {
    expect(run([{ what: 'a', debian: 'a', find: () => '/bin/sh' }], { root: true, aptGet: '/nonexistent/apt-get' })).toEqual({ code: 0, said: '' });
  });

  test('missing and not root: what to install, and exit 1', () => {
    const needs: Need[] = [
      { what: 'a browser', debian: 'chromium', find: () => null, hint: 'or set CHROMIUM_PATH' } as Need,
      { what: 'a linter', debian: 'pre-commit', find: () => '/usr/bin/true', hint: '' } as Need,
      { what: 'pytest', debian: 'python3-pytest', find: () => null, hint: 'or pip install pytest' } as Need,
    ];
    expect(run(needs, { root: false, aptGet: '/usr/bin/apt-get' })).toEqual({
      code: 1,
      said:
        'test-deps: the tests need what this machine lacks:\n' +
        '  - a browser: Debian package chromium (or set CHROMIUM_PATH)\n' +
        '  - pytest: Debian package python3-pytest (or pip install pytest)\n' +
        'Install them (as root: apt-get update && apt-get install -y chromium python3-pytest), then run npm test again.\n',
    });
  });

  test('a CHROMIUM_PATH that names no executable is reported, not papered over by an install', () => {
    const saved = process.env.CHROMIUM_PATH;
    process.env.CHROMIUM_PATH = '/nonexistent/chrome';
    try {
      const r = run([NEEDS[0] as Need], { root: true, aptGet: '/usr/bin/apt-get' });
      expect(r).toEqual({ code: 1, said: 'test-deps: CHROMIUM_PATH is set to /nonexistent/chrome, which is not an executable file: fix it or unset it, then run npm test again.\n' });
    } finally {
      if (saved === undefined) delete process.env.CHROMIUM_PATH;
      else process.env.CHROMIUM_PATH = saved;
    }
  });
});
