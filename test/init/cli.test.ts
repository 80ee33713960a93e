// canon init, run as a user would (built binary, NO_COLOR), exact output and files.

import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { copyExample, makeProject, REPO, runCli } from '../helpers/project.js';

const fixture = (name: string): string => readFileSync(join(REPO, 'test/init/fixtures', name), 'utf8');

function exampleWithoutConfig(): string {
  const dir = copyExample({ git: true });
  rmSync(join(dir, 'canon.toml'));
  return dir;
}

describe('canon init', () => {
  test('writes canon.toml proposed from the example tree', () => {
    const dir = exampleWithoutConfig();
    const r = runCli(['init'], { cwd: dir });
    expect(r.stdout).toBe(
      [
        'Wrote canon.toml:',
        '  import roots: .',
        '  areas:        agents (high), legacy_utils (high), routes (high), services (high), utils (high), websocket_core (high), app (high), tests-mission_critical (medium), tests (medium)',
        '  moves:        none yet',
        'Next: add a [[move]] for each legacy import path (`from` legacy, `to` canonical), then run `canon verify` and `canon scan`.',
        '',
      ].join('\n'),
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, 'canon.toml'), 'utf8')).toBe(fixture('example-canon.toml'));
    // The result loads: scan runs with it (no moves yet, so only the unresolved import remains).
    const scan = runCli(['scan'], { cwd: dir });
    expect(scan.stdout.trimEnd().split('\n').at(-1)).toBe('Found 1 violation (0 fixable) in 1 file. Scanned 30 files.');
  });

  test('never overwrites without --force', () => {
    const dir = exampleWithoutConfig();
    writeFileSync(join(dir, 'canon.toml'), '# mine\n');
    expect(runCli(['init'], { cwd: dir })).toEqual({ stdout: '', stderr: 'error: canon.toml already exists; pass --force to overwrite it\n', code: 2 });
    expect(readFileSync(join(dir, 'canon.toml'), 'utf8')).toBe('# mine\n');
    const r = runCli(['init', '--force'], { cwd: dir });
    expect(r.stdout.split('\n')[0]).toBe('Replaced canon.toml:');
    expect(readFileSync(join(dir, 'canon.toml'), 'utf8')).toBe(fixture('example-canon.toml'));
  });

  test('in a folder of a configured project: refused (a second config would make a project of its own), --force does it', () => {
    const dir = copyExample({ git: true });
    const sub = join(dir, 'app', 'routes');
    expect(runCli(['init'], { cwd: sub })).toEqual({
      stdout: '',
      stderr: 'error: this folder is inside a project configured by ../../canon.toml: run canon from anywhere in it (every command finds that file), or pass --force to make this folder a project of its own\n',
      code: 2,
    });
    expect(existsSync(join(sub, 'canon.toml'))).toBe(false);
    expect(runCli(['init', '--force'], { cwd: sub }).code).toBe(0);
    expect(existsSync(join(sub, 'canon.toml'))).toBe(true);
  });

  test('--dry-run prints the configuration and writes nothing', () => {
    const dir = exampleWithoutConfig();
    const r = runCli(['init', '--dry-run'], { cwd: dir });
    expect(r).toEqual({ stdout: fixture('example-canon.toml'), stderr: '', code: 0 });
    expect(() => readFileSync(join(dir, 'canon.toml'))).toThrow();
  });

  test('--discover proposes the moves the import graph shows, and they verify', () => {
    const dir = exampleWithoutConfig();
    const r = runCli(['init', '--discover'], { cwd: dir });
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[3]).toMatch(/^ {2}moves: {8}\d+ proposed from the import graph$/);
    expect(lines[4]).toBe('Next: review the moves (keep the ones you mean), then run `canon verify` and `canon scan`.');
    const text = readFileSync(join(dir, 'canon.toml'), 'utf8');
    expect(text).toContain(
      [
        '# 9 imports in 8 files; canonical: the module that defines it',
        '[[move]]',
        'from = "app.websocket_core.manager:WebSocketManager"',
        'to = "app.websocket_core.websocket_manager:WebSocketManager"',
      ].join('\n'),
    );
    expect(text).not.toContain('# [[move]]');
    const verify = runCli(['verify'], { cwd: dir });
    expect(verify.stdout).toMatch(/\n\d+ moves: \d+ same\.\n$/);
    expect(verify.code).toBe(0);
  });
});

describe('canon init into pyproject.toml', () => {
  const PYPROJECT = '# Packaging\n[project]\nname = "mypkg"   # the dist name\nversion = "0.1"\n\n[tool.ruff]\nline-length = 100\n';

  function srcLayout(): string {
    return makeProject(
      {
        'pyproject.toml': PYPROJECT,
        'src/mypkg/__init__.py': '',
        'src/mypkg/core/__init__.py': 'from mypkg.api.v1 import handler\n',
        'src/mypkg/api/__init__.py': '',
        'src/mypkg/api/v1.py': 'def handler():\n    pass\n',
        'tests/unit/test_core.py': 'import mypkg.core\n',
        'tests/integration/test_api.py': 'from mypkg.api import v1\n',
        'scripts/release.py': '',
        'build/lib/mypkg/__init__.py': '',
        'setup.py': '',
      },
      { git: false },
    );
  }

  test('appends [tool.canon], keeping the file\'s formatting and comments', () => {
    const dir = srcLayout();
    const r = runCli(['init'], { cwd: dir });
    expect(r.stdout).toBe(
      [
        'Added [tool.canon] to pyproject.toml:',
        '  import roots: src',
        '  exclude:      build/**',
        '  areas:        api (high), core (high), mypkg (high), tests-integration (medium), tests-unit (medium), scripts (low)',
        '  moves:        none yet',
        'Next: add a [[move]] for each legacy import path (`from` legacy, `to` canonical), then run `canon verify` and `canon scan`.',
        '',
      ].join('\n'),
    );
    expect(r.code).toBe(0);
    const text = readFileSync(join(dir, 'pyproject.toml'), 'utf8');
    expect(text.startsWith(PYPROJECT + '\n[tool.canon]\n')).toBe(true);
    expect(text.slice(PYPROJECT.length + 1)).toBe(fixture('srclayout-section.toml'));
    expect(runCli(['scan'], { cwd: dir }).stdout).toBe('\nNo violations. Scanned 8 files.\n');
  });

  test('refuses a second [tool.canon]; --force replaces it in place', () => {
    const dir = srcLayout();
    runCli(['init'], { cwd: dir });
    writeFileSync(join(dir, 'pyproject.toml'), readFileSync(join(dir, 'pyproject.toml'), 'utf8') + '\n# Black\n[tool.black]\nline-length = 90\n');
    const before = readFileSync(join(dir, 'pyproject.toml'), 'utf8');
    expect(runCli(['init'], { cwd: dir })).toEqual({
      stdout: '',
      stderr: 'error: pyproject.toml already has a [tool.canon] table; pass --force to replace it\n',
      code: 2,
    });
    const r = runCli(['init', '--force'], { cwd: dir });
    expect(r.stdout.split('\n')[0]).toBe('Replaced [tool.canon] in pyproject.toml:');
    expect(readFileSync(join(dir, 'pyproject.toml'), 'utf8')).toBe(before);
  });

  test('--config canon.toml writes canon.toml even beside a pyproject.toml', () => {
    const dir = srcLayout();
    const r = runCli(['init', '--config', 'canon.toml'], { cwd: dir });
    expect(r.stdout.split('\n')[0]).toBe('Wrote canon.toml:');
    expect(readFileSync(join(dir, 'pyproject.toml'), 'utf8')).toBe(PYPROJECT);
  });

  test('a broken pyproject.toml is reported, not touched', () => {
    const dir = srcLayout();
    writeFileSync(join(dir, 'pyproject.toml'), '[project\nname = 1\n');
    const r = runCli(['init'], { cwd: dir });
    expect(r.stderr).toMatch(/^error: pyproject.toml is not valid TOML: /);
    expect(r.code).toBe(2);
    expect(readFileSync(join(dir, 'pyproject.toml'), 'utf8')).toBe('[project\nname = 1\n');
  });
});
