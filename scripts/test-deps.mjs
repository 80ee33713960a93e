// What the test suite needs from outside npm, as data: each need says how to find it on this
// machine and which Debian package provides it. `npm test` runs this first (the `pretest` script):
// what is found is used as it is; what is missing is installed with apt-get when canon runs as
// root on Debian, else the script says what to install and exits 1. A browser that a test tool
// downloads itself (`npx playwright install`) needs a network this project's machines do not
// have: Debian's chromium is the browser the tests use.
//
// The tests import the `find*` functions from here (test/helpers/externals.ts), so that they look
// where this script looked.

import { execFileSync, spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** An executable file, or null. */
function executable(path) {
  try {
    accessSync(path, constants.X_OK);
    return path;
  } catch {
    return null;
  }
}

/** The first of `names` on PATH, as a full path; null when none is there. */
export function onPath(...names) {
  for (const name of names) {
    for (const dir of (process.env.PATH ?? '').split(delimiter)) {
      if (dir === '') continue;
      const found = executable(join(dir, name));
      if (found) return found;
    }
  }
  return null;
}

/** Chromium for the HTML report's browser test: CHROMIUM_PATH, else Debian's, else one on PATH. */
export function findChromium() {
  const set = process.env.CHROMIUM_PATH;
  if (set) return executable(set);
  return executable('/usr/bin/chromium') ?? onPath('chromium', 'chromium-browser', 'google-chrome');
}

/** Does `python` import `module`? */
function imports(python, module) {
  return spawnSync(python, ['-c', `import ${module}`], { stdio: 'ignore' }).status === 0;
}

/**
 * A Python that has pytest: `python3` as the tests run it, else Debian's own interpreter (where
 * `apt-get install python3-pytest` puts pytest, when `python3` is another one, such as pyenv's).
 */
export function findPytestPython() {
  for (const python of [onPath('python3'), '/usr/bin/python3']) {
    if (python && executable(python) && imports(python, 'pytest')) return python;
  }
  return null;
}

/** Debian's pre-commit (the hook test checks the version Debian ships), else one on PATH. */
export function findPreCommit() {
  return executable('/usr/bin/pre-commit') ?? onPath('pre-commit');
}

/** black, which must leave the generated shims as they are. */
export function findBlack() {
  return onPath('black');
}

/** python3's version as `3.11`, or null when there is no python3. */
function pythonVersion() {
  const r = spawnSync('python3', ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

/** The standard library's own test package (the real-code harness runs it): its folder, or null. */
export function findStdlibTests() {
  const r = spawnSync('python3', ['-c', 'import sysconfig, os; d = os.path.join(sysconfig.get_paths()["stdlib"], "test"); print(d if os.path.isdir(os.path.join(d, "test_json")) else "")'], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim() !== '' ? r.stdout.trim() : null;
}

/** python3's venv module, able to make an environment (the harness runs the copies in one). */
export function findVenv() {
  const probe = 'import sys, tempfile, venv, os\nwith tempfile.TemporaryDirectory() as d:\n    venv.create(os.path.join(d, "v"), with_pip=False)';
  return spawnSync('python3', ['-c', probe], { stdio: 'ignore' }).status === 0 ? 'venv' : null;
}

const PY = pythonVersion() ?? '3';

/** Each need: what it is for, how to find it, and the Debian package that provides it. */
export const NEEDS = [
  {
    what: 'a headless Chromium for the HTML report test (test/report/html.test.ts)',
    find: findChromium,
    debian: 'chromium',
    hint: 'or set CHROMIUM_PATH to a Chromium or Chrome',
    // An explicit choice that is wrong is not fixed by installing another browser.
    misset: () => (process.env.CHROMIUM_PATH ? `CHROMIUM_PATH is set to ${process.env.CHROMIUM_PATH}, which is not an executable file` : null),
  },
  { what: 'pytest, for the shim test under `filterwarnings = error` (test/shim/warnings.test.ts)', find: findPytestPython, debian: 'python3-pytest', hint: 'or `pip install pytest` for python3' },
  { what: 'pre-commit, for the hook test (test/check/precommit.test.ts)', find: findPreCommit, debian: 'pre-commit', hint: 'or `pip install pre-commit`' },
  { what: 'black, which must leave the generated shims unchanged (test/shim/template.test.ts)', find: findBlack, debian: 'black', hint: 'or `pip install black`' },
  {
    what: "the standard library's own tests, run against copies of its packages (test/real/)",
    find: findStdlibTests,
    debian: `libpython${PY}-testsuite`,
    hint: 'a python3 built from source has them in Lib/test',
  },
  { what: 'venv for python3, which the real-code harness runs the copies in (test/real/)', find: findVenv, debian: `python${PY}-venv`, hint: 'or a python3 built with ensurepip' },
];

function isRoot() {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/**
 * Find each need, and install what is missing (as root, with apt-get). Returns the exit code;
 * says on `log` what it does and, when it cannot, what to do.
 */
export function provide(needs = NEEDS, { root = isRoot(), aptGet = onPath('apt-get'), log = (s) => process.stderr.write(s) } = {}) {
  const missing = needs.filter((n) => n.find() === null);
  if (missing.length === 0) return 0;
  const misset = missing.map((n) => n.misset?.()).filter((m) => m);
  if (misset.length > 0) {
    log(`test-deps: ${misset.join('; ')}: fix it or unset it, then run npm test again.\n`);
    return 1;
  }
  const packages = missing.map((n) => n.debian);
  const list = missing.map((n) => `  - ${n.what}: Debian package ${n.debian} (${n.hint})`).join('\n');
  if (!root || aptGet === null) {
    log(
      `test-deps: the tests need what this machine lacks:\n${list}\n` +
        `Install ${packages.length === 1 ? 'it' : 'them'} (as root: apt-get update && apt-get install -y ${packages.join(' ')}), then run npm test again.\n`,
    );
    return 1;
  }
  log(`test-deps: installing Debian's ${packages.join(', ')} for the tests:\n${list}\n`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const t0 = Date.now();
  try {
    execFileSync(aptGet, ['update', '-qq'], { stdio: ['ignore', 'ignore', 'inherit'], env });
    execFileSync(aptGet, ['install', '-y', '-qq', ...packages], { stdio: ['ignore', 'ignore', 'inherit'], env });
  } catch (e) {
    log(`test-deps: apt-get failed (${e.status === null ? e.message : `exit ${e.status}`}); install ${packages.join(' ')} by hand, then run npm test again.\n`);
    return 1;
  }
  const still = missing.filter((n) => n.find() === null);
  if (still.length > 0) {
    log(`test-deps: installed, but still not found: ${still.map((n) => n.what).join('; ')}\n`);
    return 1;
  }
  log(`test-deps: installed in ${((Date.now() - t0) / 1000).toFixed(0)} s.\n`);
  return 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) process.exitCode = provide();
