#!/usr/bin/env node
// `npm run demo`: the whole workflow on the bundled example, as a user would run it. Copies
// examples/websocket-consolidation to a temporary folder, makes it a git repository, then runs the
// built CLI: scan, verify, shim, migrate (its unittest suite as validation; one planted file breaks
// a test, to show bisect and quarantine), check and report. Ends with where the report is and its
// headline figures. A step whose command this build does not have is skipped, and says so.

import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(REPO, 'dist/bin/canon.js');
const EXAMPLE = join(REPO, 'examples/websocket-consolidation');

if (!existsSync(CLI)) {
  console.error('dist/bin/canon.js is missing: run `npm run demo` (it builds first) or `npm run build`.');
  process.exit(2);
}

const dir = mkdtempSync(join(tmpdir(), 'canon-demo-'));
cpSync(EXAMPLE, dir, { recursive: true, filter: (src) => !src.includes('__pycache__') && !src.includes('/.canon') });

function git(...args) {
  const r = spawnSync('git', args, { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0) {
    console.error(`git ${args.join(' ')} failed (exit ${r.status}): ${r.stderr}`);
    process.exit(2);
  }
  return r.stdout;
}

git('init', '-q', '-b', 'main');
git('config', 'user.email', 'demo@canon.invalid');
git('config', 'user.name', 'canon demo');
git('config', 'commit.gpgsign', 'false');
git('add', '-A');
git('commit', '-q', '-m', 'websocket-consolidation example, before canon');

const help = spawnSync(process.execPath, [CLI, '--help'], { encoding: 'utf8' }).stdout;
const available = new Set([...help.matchAll(/^ {2}(\w+) /gm)].map((m) => m[1]));

const bold = (s) => (process.stdout.isTTY && process.env.NO_COLOR === undefined ? `\x1b[1m${s}\x1b[0m` : s);
const skipped = [];
/**
 * Run `canon <args>` in the demo project, its output shown as it comes (or not at all, `quiet`).
 * Returns the exit code, or null when the command is not in this build.
 */
function canon(args, note, quiet = false) {
  const name = args[0];
  console.log(`\n${bold(`$ canon ${args.join(' ')}`)}${note ? `   # ${note}` : ''}`);
  if (!available.has(name)) {
    console.log(`(skipped: this build of canon has no \`${name}\` command yet)`);
    skipped.push(name);
    return null;
  }
  // No __pycache__ in the demo's tree: the example has no .gitignore.
  const env = { ...process.env, PYTHONDONTWRITEBYTECODE: '1' };
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, stdio: quiet ? ['ignore', 'ignore', 'inherit'] : 'inherit', env });
  return r.status;
}

console.log(`canon demo in ${dir}`);
canon(['scan'], 'every legacy import, by area and priority');
canon(['verify'], 'does each legacy path lead to the same object as its canonical path?');
// shim exits 1 when it refuses a move (the divergent one here); what it wrote is still to commit.
if (canon(['shim'], 'compatibility shims keep the legacy paths working, with a warning') !== null && git('status', '--porcelain') !== '') {
  git('add', '-A');
  git('commit', '-q', '-m', 'canon shim: compatibility shims for the legacy paths');
  console.log('(committed the shims, so migrate starts from a clean tree)');
}
const migrated = canon(['migrate'], 'priority batches, each validated by the unittest suite, committed');
if (migrated === 2) {
  console.log('(migrate stopped before changing anything; see its message above)');
}
canon(['check'], 'the CI gate: what is left');
const reported = canon(['report', '--format', 'html'], 'the consolidation report: Markdown, JSON and a self-contained HTML page (not printed here)', true);

const jsonPath = join(dir, '.canon/report/consolidation.json');
console.log(`\n${bold('Result')}`);
if (reported !== null && existsSync(jsonPath)) {
  const r = JSON.parse(readFileSync(jsonPath, 'utf8'));
  const h = r.headline;
  console.log(`Report: ${join(dir, '.canon/report/consolidation.md')}`);
  console.log(`        ${jsonPath}`);
  console.log(`        ${join(dir, '.canon/report/consolidation.html')}  (open it in a browser: charts, burn-down, findings)`);
  console.log(`Status: ${r.status}`);
  console.log(`Imports rewritten: ${h.importsRewritten} in ${h.filesMigrated} files, ${h.batches} batches (${h.batchesPassed} passed first time)`);
  console.log(`Validation: baseline ${h.baseline ?? 'not run'}; last kept batch ${h.lastValidation ?? '-'}; ${h.validationRuns} runs (${h.bisectRuns} bisecting)`);
  console.log(`Quarantined: ${r.quarantined.length ? r.quarantined.map((q) => `${q.file} (${q.failingTests.join(', ') || q.reason})`).join('; ') : 'none'}`);
  console.log(`Violations: ${h.violationsBefore ?? h.violationsNow} before, ${h.violationsNow} now (${h.fixableNow} fixable)`);
} else {
  console.log('No report was written.');
}
if (skipped.length) console.log(`Skipped (not in this build): ${skipped.join(', ')}`);
console.log(`The project stays in ${dir}: \`git log\` there shows one commit per batch.`);
