// Nothing written or deleted outside the project root: every path canon writes or deletes on its
// own account, from the config or its own .canon/ folder, with `..`, absolute and symbolic-link
// variants. Each case runs the built binary on a small project beside a folder with a sentinel
// file, and checks the exit code, the exact message, and that the folder outside is untouched.

import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { git, gitInit, runCli } from '../helpers/project.js';

const SENTINEL = 'victim.txt';
const SENTINEL_TEXT = 'not canon’s to touch\n';

const MOVE = '[[move]]\nfrom = "app.old:X"\nto = "app.new:X"\n';
const FILES: Record<string, string> = {
  'app/__init__.py': '',
  'app/new.py': 'X = 1\n',
  'app/old.py': 'from app.new import X\n',
  'app/use.py': 'from app.old import X\n',
};

interface Sandbox {
  /** The project root. */
  root: string;
  /** A folder beside it, holding the sentinel file. */
  outside: string;
}

/** A project (`root`) and a folder beside it (`outside`) holding the sentinel. */
function sandbox(config: string, files: Record<string, string> = FILES, opts: { git?: boolean } = {}): Sandbox {
  const top = mkdtempSync(join(tmpdir(), 'canon-confine-'));
  const root = join(top, 'project');
  const outside = join(top, 'outside');
  mkdirSync(outside, { recursive: true });
  writeFileSync(join(outside, SENTINEL), SENTINEL_TEXT);
  for (const [rel, text] of Object.entries({ 'canon.toml': config, ...files })) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
  if (opts.git) gitInit(root);
  return { root, outside };
}

/** The folder outside holds the sentinel, unchanged, and nothing else. */
function expectOutsideUntouched(s: Sandbox): void {
  expect(readdirSync(s.outside)).toEqual([SENTINEL]);
  expect(readFileSync(join(s.outside, SENTINEL), 'utf8')).toBe(SENTINEL_TEXT);
}

function link(s: Sandbox, rel: string, target: string): void {
  mkdirSync(dirname(join(s.root, rel)), { recursive: true });
  symlinkSync(target, join(s.root, rel));
}

describe('migrate.junit', () => {
  test('outside the root (`..`): a config error, and the file is not deleted', () => {
    const s = sandbox(`${MOVE}[migrate]\nvalidate = "true"\njunit = "../outside/${SENTINEL}"\n`, FILES, { git: true });
    const r = runCli(['migrate'], { cwd: s.root });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'error: invalid configuration (1 problem):\n' +
        `  canon.toml:6:9: migrate.junit: "../outside/${SENTINEL}" is outside the project root; name a file inside it\n`,
    );
    expectOutsideUntouched(s);
  });

  test('absolute: a config error, and the file is not deleted', () => {
    const s = sandbox(MOVE, FILES, { git: true });
    const bad = join(s.outside, SENTINEL);
    writeFileSync(join(s.root, 'canon.toml'), `${MOVE}[migrate]\nvalidate = "true"\njunit = "${bad}"\n`);
    git(s.root, 'commit', '-qam', 'junit');
    const r = runCli(['migrate'], { cwd: s.root });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`error: invalid configuration (1 problem):\n  canon.toml:6:9: migrate.junit: must be relative to the project root, got "${bad}"\n`);
    expectOutsideUntouched(s);
  });

  test('a project file (README.md) is read, never deleted', () => {
    const s = sandbox(`${MOVE}[migrate]\nvalidate = "true"\njunit = "README.md"\n`, { ...FILES, 'README.md': '# keep me\n' }, { git: true });
    const r = runCli(['migrate'], { cwd: s.root });
    expect(r.code).toBe(0);
    expect(readFileSync(join(s.root, 'README.md'), 'utf8')).toBe('# keep me\n');
    expect(readFileSync(join(s.root, 'app/use.py'), 'utf8')).toBe('from app.new import X\n');
    expectOutsideUntouched(s);
  });

  test("the validation command's own --junitxml outside the root is never deleted", () => {
    const s = sandbox(`${MOVE}[migrate]\nvalidate = "true --junitxml=../outside/${SENTINEL}"\n`, FILES, { git: true });
    const r = runCli(['migrate'], { cwd: s.root });
    expect(r.code).toBe(0);
    expectOutsideUntouched(s);
  });

  test('a stale report the run did not write is not read (nor deleted)', () => {
    const stale = '<testsuite><testcase classname="t" name="a"/></testsuite>\n';
    const s = sandbox(`${MOVE}[migrate]\nvalidate = "exit 1"\njunit = "build/junit.xml"\n`, { ...FILES, 'build/junit.xml': stale }, { git: true });
    const r = runCli(['migrate'], { cwd: s.root });
    // Read, the stale report would have made a JUnit baseline of the failing command.
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe('error: the validation command fails (exit 1) on the untouched tree, so canon cannot tell what a batch breaks');
    expect(readFileSync(join(s.root, 'build/junit.xml'), 'utf8')).toBe(stale);
  });

  test('a report the run wrote is read, over the last one', () => {
    const report = '<testsuite><testcase classname="t" name="a"/></testsuite>\n';
    const s = sandbox(
      `${MOVE}[migrate]\nvalidate = "cp build/fresh.xml build/junit.xml; exit 1"\njunit = "build/junit.xml"\n`,
      { ...FILES, 'build/fresh.xml': report, 'build/junit.xml': '<testsuite><testcase classname="t" name="a"><failure/></testcase></testsuite>\n' },
      { git: true },
    );
    const r = runCli(['migrate', '--format', 'json'], { cwd: s.root });
    // Every run exits 1, but the report it writes says test t.a passed: the batch passes.
    expect(r.code).toBe(0);
    expect(readFileSync(join(s.root, 'app/use.py'), 'utf8')).toBe('from app.new import X\n');
  });

  test('through a symbolic link out of the root: a config error', () => {
    const s = sandbox(`${MOVE}[migrate]\nvalidate = "true"\njunit = "reports/${SENTINEL}"\n`);
    link(s, 'reports', s.outside);
    const r = runCli(['migrate'], { cwd: s.root });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'error: invalid configuration (1 problem):\n' +
        `  canon.toml:6:9: migrate.junit: "reports/${SENTINEL}" leads outside the project root: reports is a symbolic link to ${s.outside}; canon writes and deletes files only inside the root\n`,
    );
    expectOutsideUntouched(s);
  });
});

describe('.canon/, canon’s own folder, as a symbolic link', () => {
  const linked = (rel: string) => `error: ${rel} is a symbolic link (to OUT); canon keeps its own files in a real .canon/ folder in the project root: remove the link\n`;

  for (const [command, rel] of [
    [['report'], '.canon'],
    [['report'], '.canon/report'],
    [['baseline'], '.canon'],
    [['migrate', '--validate', 'true'], '.canon'],
    [['migrate', '--validate', 'true'], '.canon/migrate'],
    [['migrate', '--validate', 'true'], '.canon/migrate/logs'],
  ] as const) {
    test(`${command[0]} with ${rel} linked out: exit 2 before anything is written`, () => {
      const s = sandbox(MOVE, FILES, { git: true });
      link(s, rel, s.outside);
      const r = runCli([...command], { cwd: s.root });
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(linked(rel).replace('OUT', s.outside));
      expect(readFileSync(join(s.root, 'app/use.py'), 'utf8')).toBe('from app.old import X\n');
      expect(git(s.root, 'log', '--format=%s')).toBe('initial\n');
      expectOutsideUntouched(s);
    });
  }

  test('a link inside the root is refused as well: canon’s files stay in .canon/', () => {
    const s = sandbox(MOVE);
    mkdirSync(join(s.root, 'build'));
    link(s, '.canon', 'build');
    const r = runCli(['report'], { cwd: s.root });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(linked('.canon').replace('OUT', 'build'));
    expect(readdirSync(join(s.root, 'build'))).toEqual([]);
  });

  for (const rel of ['.canon', '.canon/cache']) {
    test(`scan and verify with ${rel} linked out work without their cache`, () => {
      const s = sandbox(MOVE);
      link(s, rel, s.outside);
      const scan = runCli(['scan'], { cwd: s.root });
      expect(scan.code).toBe(1);
      expect(scan.stderr).toBe('');
      expect(scan.stdout).toContain('app/use.py:1:21: CAN001');
      expect(runCli(['verify'], { cwd: s.root }).code).toBe(0);
      expectOutsideUntouched(s);
    });
  }
});

describe('canon shim', () => {
  const CONFIG = '[[move]]\nfrom = "app.keep:X"\nto = "app.new:X"\n[[move]]\nfrom = "app.legacy.mod:X"\nto = "app.new:X"\n';
  const LEGACY = 'from app.new import X\n';
  const SHIM_FILES = { ...FILES, 'app/keep.py': LEGACY, 'app/use.py': 'from app.keep import X\nfrom app.legacy.mod import X\n' };

  // The listing does not follow links to folders, so a legacy package behind one is no module
  // canon knows: shim refuses it (it never creates a module), and nothing is written through it.
  test('a legacy package that is a symbolic link out of the root: refused, nothing written there', () => {
    const s = sandbox(CONFIG, SHIM_FILES);
    mkdirSync(join(s.outside, 'legacy'));
    writeFileSync(join(s.outside, 'legacy/__init__.py'), '');
    writeFileSync(join(s.outside, 'legacy/mod.py'), LEGACY);
    link(s, 'app/legacy', join(s.outside, 'legacy'));
    const r = runCli(['shim'], { cwd: s.root });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('refused    app.legacy.mod:X\n           why: unresolved: legacy path: module app.legacy.mod does not exist;');
    expect(readFileSync(join(s.root, 'app/keep.py'), 'utf8')).toContain('# canon: begin shim');
    expect(readdirSync(join(s.outside, 'legacy')).sort()).toEqual(['__init__.py', 'mod.py']);
    expect(readFileSync(join(s.outside, 'legacy/mod.py'), 'utf8')).toBe(LEGACY);
    expect(readFileSync(join(s.outside, SENTINEL), 'utf8')).toBe(SENTINEL_TEXT);
  });

  test('a link that stays inside the root is not followed either: the module it reaches is shimmed under its own path only', () => {
    const s = sandbox(CONFIG, { ...SHIM_FILES, 'lib/legacy/__init__.py': '', 'lib/legacy/mod.py': LEGACY });
    link(s, 'app/legacy', '../lib/legacy');
    const r = runCli(['shim'], { cwd: s.root });
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    expect(r.stdout).toContain('refused    app.legacy.mod:X');
    expect(readFileSync(join(s.root, 'lib/legacy/mod.py'), 'utf8')).toBe(LEGACY);
    expectOutsideUntouched(s);
  });
});

describe('fix and migrate rewrite only listed files', () => {
  for (const useGit of [true, false]) {
    test(`a symbolic link to a folder of legacy imports is not followed (${useGit ? 'git listing' : 'folder walk'})`, () => {
      const s = sandbox(MOVE);
      writeFileSync(join(s.outside, 'elsewhere.py'), 'from app.old import X\n');
      link(s, 'app/vendor', s.outside);
      if (useGit) gitInit(s.root);
      const r = runCli(['fix'], { cwd: s.root });
      expect(r.code).toBe(0);
      expect(readFileSync(join(s.root, 'app/use.py'), 'utf8')).toBe('from app.new import X\n');
      expect(readFileSync(join(s.outside, 'elsewhere.py'), 'utf8')).toBe('from app.old import X\n');
      expect(readdirSync(s.outside).sort()).toEqual(['elsewhere.py', SENTINEL]);
    });
  }
});

describe('paths typed on the command line', () => {
  test('report --out outside the root writes there (the user named it), and nothing else', () => {
    const s = sandbox(MOVE);
    const out = join(s.outside, 'report');
    const r = runCli(['report', '--out', out], { cwd: s.root });
    expect(r.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['consolidation.json', 'consolidation.md']);
    expect(readdirSync(s.outside).sort()).toEqual(['report', SENTINEL]);
  });
});
