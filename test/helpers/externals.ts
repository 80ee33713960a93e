// The programs from outside npm that some tests drive for real (Chromium, pytest, pre-commit, black),
// found where `scripts/test-deps.mjs` (npm test's `pretest`) looks for them, or installs them.
// A test that needs one fails with what to install rather than skipping: `npm test` provides them.

// @ts-expect-error: a plain .mjs script, without types
import * as deps from '../../scripts/test-deps.mjs';

function need(found: string | null, what: string, debian: string): string {
  if (found === null) throw new Error(`${what} not found: run \`npm test\` (its pretest installs Debian's ${debian}), or \`node scripts/test-deps.mjs\``);
  return found;
}

/** Chromium's executable: CHROMIUM_PATH, /usr/bin/chromium, or one on PATH. */
export function chromiumPath(): string {
  return need(deps.findChromium(), 'Chromium', 'chromium');
}

/** A Python interpreter that imports pytest. */
export function pytestPython(): string {
  return need(deps.findPytestPython(), 'pytest', 'python3-pytest');
}

/** The pre-commit program. */
export function preCommit(): string {
  return need(deps.findPreCommit(), 'pre-commit', 'pre-commit');
}

/** The black formatter. */
export function black(): string {
  return need(deps.findBlack(), 'black', 'black');
}

/** Flags under which Chromium starts headless on this project's machines (no network, as root). */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
