// What the command line starts before it loads a command's code: the git commands the command will
// wait for first (the listing, and check's diff) inside a work tree, a walk of the folder outside
// one, and a whole-project scan's worker thread. They then run on the other core while node loads
// and compiles. Called by the bundle's dispatcher (dist/bin/canon.js, scripts/bundle.mjs) before
// it imports the command's file, and by cli.ts, where it finds everything started already; what
// is started is kept process-wide (project/prefetch.ts), so the command's copy of these modules
// takes it.

import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { prefetchChanged } from './check/git.js';
import { commandIn, GLOBAL_VALUE_OPTIONS } from './commands/names.js';
import { findConfigWith, mentionsToolCanon } from './config/find.js';
import { prefetchListing } from './project/git.js';
import { processWide } from './project/prefetch.js';
import { prefetchWalk } from './project/walk.js';
import { workTreeTop } from './project/workTree.js';
import { CACHE_DIR, SCAN_CACHE_FILE } from './scan/cachePath.js';
import { startWorkerAhead } from './scan/threads.js';

/** The value of an option (`--name V` or `--name=V`) anywhere on the command line; the last wins. */
function optionIn(argv: readonly string[], name: string): string | undefined {
  let value: string | undefined;
  for (let i = 2; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') break;
    if (a === name && i + 1 < argv.length) value = argv[++i];
    else if (a.startsWith(name + '=')) value = a.slice(name.length + 1);
  }
  return value;
}

/** Options of scan, check and baseline (and the program's) that take a value. */
const VALUE_OPTIONS = ['--format', '--output-format', '--area', '--priority', '--move', '--jobs', '--baseline', '--changed-since', ...GLOBAL_VALUE_OPTIONS];

/** Does the command line name paths after the command (a narrowed, usually small, run)? */
function hasPathArgument(argv: readonly string[], command: string): boolean {
  const at = argv.indexOf(command);
  for (let i = at + 1; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') return i + 1 < argv.length;
    if (a.startsWith('-')) {
      // Options of these commands that take a value.
      if (!a.includes('=') && VALUE_OPTIONS.includes(a)) i++;
      continue;
    }
    return true;
  }
  return false;
}

/** Commands whose first step is listing the project's files with git. */
const LISTS_PROJECT = new Set(['scan', 'check', 'verify', 'fix', 'baseline', 'shim', 'migrate', 'report']);

/** Whether startEarly ran in this process (process-wide, as what it starts). */
const once = processWide('started-early', () => ({ done: false }));

/**
 * Start the git commands the named command will run first, before its code is loaded: git then
 * works on the other core while node loads modules. Only a guess at the project root (the config
 * is parsed later, and any mistake reported then); a wrong guess costs a few idle git processes.
 * Once per process.
 */
export function startEarly(argv: readonly string[], command: string | null = commandIn(argv)): void {
  if (once.done) return;
  once.done = true;
  if (command === null || !LISTS_PROJECT.has(command) || argv.includes('--help') || argv.includes('-h')) return;
  const found = findConfigWith(mentionsToolCanon, process.cwd(), optionIn(argv, '--config'));
  if (!found) return;
  const root = dirname(found.file);
  // Outside a work tree the folder is walked instead: start that.
  if (workTreeTop(root) === null) prefetchWalk(root);
  else prefetchListing(root);
  const rev = command === 'check' ? optionIn(argv, '--changed-since') : undefined;
  if (rev !== undefined) prefetchChanged(root, rev);
  // A whole-project scan shares its work with a thread: start it while this one loads. Not when
  // the scan cache is there: most files then come from it, and a thread started for nothing costs
  // the other core ~0.1 s of CPU (runScan still starts one when thousands of files changed).
  const cached = !argv.includes('--no-cache') && existsSync(join(root, CACHE_DIR, SCAN_CACHE_FILE));
  if ((command === 'scan' || command === 'check' || command === 'baseline') && rev === undefined && !hasPathArgument(argv, command) && !cached) startWorkerAhead();
}
