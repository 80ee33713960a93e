// --show-files (ruff's): the files a command would read, one per line, relative to the working
// folder as canon's other output is; then exit 0 without reading them.

import { join, relative } from 'node:path';
import type { Config } from '../config/types.js';
import { UsageError } from '../core/errors.js';
import { EXIT_CLEAN } from '../core/errors.js';
import { listPythonFiles, type PathProblem } from '../project/files.js';
import type { CommandResult } from './scan.js';

/** The lines for root-relative `files`. */
export function filesResult(root: string, files: readonly string[], cwd: string): CommandResult {
  const stdout = files.map((f) => (relative(cwd, join(root, f)).split('\\').join('/') || f) + '\n').join('');
  return { stdout, stderr: '', exitCode: EXIT_CLEAN };
}

export function pathProblems(problems: readonly PathProblem[]): void {
  if (problems.length > 0) throw new UsageError('bad path argument:', problems.map((p) => `${p.path}: ${p.message}`));
}

/** What scan, fix and baseline read: the project's files (include, exclude), narrowed by path arguments. */
export async function showFiles(config: Config, paths: string[] | undefined, cwd: string): Promise<CommandResult> {
  const listing = await listPythonFiles(config, paths, cwd);
  pathProblems(listing.problems);
  return filesResult(config.root, listing.files, cwd);
}
