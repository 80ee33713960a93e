// The bundled command line (scripts/bundle.mjs): a dispatcher, dist/bin/canon.js, starts what the
// command will wait for (git, a walk, a worker) and imports the one file that holds the named
// command; the command's own copy of the modules then takes what was started, rather than
// starting it again.

import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { COMMAND_NAMES } from '../../src/commands/names.js';
import { processWide } from '../../src/project/prefetch.js';
import { CLI, copyExample, git, REPO, runCli } from '../helpers/project.js';

/** The git commands a run started, from GIT_TRACE. */
function gitCommands(args: string[], cwd: string): string[] {
  const trace = join(tmpdir(), `canon-git-trace-${process.pid}-${Date.now()}.txt`);
  const r = runCli(args, { cwd, env: { GIT_TRACE: trace } });
  expect(r.stderr).toBe('');
  const lines = readFileSync(trace, 'utf8').split('\n').filter((l) => l.includes('trace: built-in: git '));
  rmSync(trace, { force: true });
  return lines.map((l) => l.replace(/.*trace: built-in: git /, '').split(' ')[0]!);
}

describe('the dispatcher', () => {
  test('one file per command, one for all of them, the workers', () => {
    const files = readdirSync(join(REPO, 'dist/bin')).sort();
    expect(files).toEqual(
      ['canon.js', 'canon-all.js', ...COMMAND_NAMES.map((n) => `canon-${n}.js`), 'discover-worker.js', 'scan-worker.js'].sort(),
    );
    // The dispatcher holds no command: it is small.
    expect(readFileSync(CLI).length).toBeLessThan(100_000);
  });

  test('each git command of a check runs once: started by the dispatcher, taken by the command', () => {
    const root = copyExample({ git: true });
    git(root, 'commit', '-q', '--allow-empty', '-m', 'second');
    const ran = gitCommands(['check', '--changed-since', 'HEAD~1'], root);
    expect(ran.sort()).toEqual(['diff', 'ls-files', 'status']);
    // The pre-commit hook's question needs no diff.
    expect(gitCommands(['check', '--changed-since', 'HEAD'], root).sort()).toEqual(['ls-files', 'status']);
    expect(gitCommands(['scan'], root).sort()).toEqual(['ls-files', 'status']);
  });

  test('a command line names its command, --help or an unknown word loads them all', () => {
    const root = copyExample();
    const all = runCli(['--help'], { cwd: root });
    expect(all.code).toBe(0);
    const listed = [...all.stdout.matchAll(/^ {2}(\w+) /gm)].map((m) => m[1]);
    expect(listed).toEqual([...COMMAND_NAMES, 'help']);
    const one = runCli(['check', '--help'], { cwd: root });
    expect(one.stdout).toContain('Usage: canon check [options] [paths...]');
    const bad = runCli(['chek'], { cwd: root });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("error: unknown command 'chek'");
    // The error and where the usage is, as ruff and cargo print it: not 50 lines of help.
    expect(bad.stderr).toBe("error: unknown command 'chek'\n(Did you mean check?)\n(run 'canon <command> --help' for its options, 'canon --help' for the commands)\n");
    const option = runCli(['scan', '--formt', 'json'], { cwd: root });
    expect(option).toMatchObject({ code: 2, stdout: '' });
    expect(option.stderr.split('\n')).toEqual(["error: unknown option '--formt'", '(Did you mean --format?)', "(run 'canon <command> --help' for its options, 'canon --help' for the commands)", '']);
    // `--config X` before the command is skipped over when finding it.
    const withConfig = runCli(['--config', 'canon.toml', 'verify', '--format', 'json'], { cwd: root });
    expect(JSON.parse(withConfig.stdout).moves.length).toBeGreaterThan(0);
  });
});

test('processWide: one value per name in the process, whichever copy of the module asks', () => {
  const a = processWide('test-slot', () => ({ n: 1 }));
  const b = processWide('test-slot', () => ({ n: 2 }));
  expect(b).toBe(a);
  // Another copy of the module finds it under the same global symbol.
  expect((globalThis as unknown as Record<symbol, unknown>)[Symbol.for('canon.test-slot')]).toBe(a);
});
