// The bundled command line (scripts/bundle.mjs): a dispatcher, dist/bin/canon.js, starts what the
// command will wait for (git, a walk, a worker) and runs the one file that holds the named
// command, with V8's code cache the build made for it (src/codeCache.ts); the command's own copy
// of the modules then takes what was started, rather than starting it again.

import { appendFileSync, cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
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
  test('one file per command, one for all of them, each with its code cache, the workers', () => {
    const files = readdirSync(join(REPO, 'dist/bin')).sort();
    const commands = ['all', ...COMMAND_NAMES].flatMap((n) => [`canon-${n}.cjs`, `canon-${n}.cjs.v8cache`]);
    expect(files).toEqual(['canon.js', ...commands, 'discover-worker.js', 'scan-worker.js'].sort());
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

describe("the commands' code cache", () => {
  const debug = { CANON_DEBUG_CODE_CACHE: '1' };

  test('a run takes the cache the build made, and writes none', () => {
    const root = copyExample();
    const bin = join(REPO, 'dist/bin');
    const before = readdirSync(bin).map((f) => `${f} ${statSync(join(bin, f)).mtimeMs}`);
    const r = runCli(['scan'], { cwd: root, env: debug });
    expect(r.stderr).toBe('code cache: used\n');
    expect(r.code).toBe(1);
    expect(runCli(['check', '--help'], { cwd: root, env: debug }).stderr).toBe('code cache: used\n');
    expect(readdirSync(bin).map((f) => `${f} ${statSync(join(bin, f)).mtimeMs}`)).toEqual(before);
    expect((readdirSync(root, { recursive: true }) as string[]).filter((f) => f.includes('v8cache'))).toEqual([]);
  });

  test('a cache made for other source is not taken; a damaged one is refused by V8; the command runs the same', () => {
    const root = copyExample();
    const expected = runCli(['scan', '--no-cache'], { cwd: root });
    // A copy of the bundle beside the repository's node_modules (tree-sitter is resolved from there).
    const bin = mkdtempSync(join(REPO, 'dist/.bin-test-'));
    try {
      cpSync(join(REPO, 'dist/bin'), bin, { recursive: true });
      const cli = join(bin, 'canon.js');
      const run = (): ReturnType<typeof runCli> => {
        const r = spawnSync(process.execPath, [cli, 'scan', '--no-cache'], { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...debug } });
        return { stdout: r.stdout, stderr: r.stderr, code: r.status ?? -1 };
      };
      appendFileSync(join(bin, 'canon-scan.cjs'), '\n// changed after the cache was made\n');
      expect(run()).toEqual({ ...expected, stderr: 'code cache: none\n' });
      // The header fits (the source is the original again) but the code after it is damaged.
      cpSync(join(REPO, 'dist/bin/canon-scan.cjs'), join(bin, 'canon-scan.cjs'));
      const cache = readFileSync(join(bin, 'canon-scan.cjs.v8cache'));
      const header = cache.indexOf(10) + 1;
      writeFileSync(join(bin, 'canon-scan.cjs.v8cache'), Buffer.concat([cache.subarray(0, header), Buffer.alloc(cache.length - header, 7)]));
      expect(run()).toEqual({ ...expected, stderr: 'code cache: rejected\n' });
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  });
});

test('processWide: one value per name in the process, whichever copy of the module asks', () => {
  const a = processWide('test-slot', () => ({ n: 1 }));
  const b = processWide('test-slot', () => ({ n: 2 }));
  expect(b).toBe(a);
  // Another copy of the module finds it under the same global symbol.
  expect((globalThis as unknown as Record<symbol, unknown>)[Symbol.for('canon.test-slot')]).toBe(a);
});
