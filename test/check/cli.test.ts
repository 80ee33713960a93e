// canon check and canon baseline, run as a user would (built binary, NO_COLOR), exact output.

import { appendFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { parseBaseline } from '../../src/check/baseline.js';
import { copyExample, git, makeProject, REPO, runCli } from '../helpers/project.js';

const fixture = (name: string): string => readFileSync(join(REPO, 'test/check/fixtures', name), 'utf8');

/** A tiny project: one symbol move, two consumers with one legacy import each. */
function tiny(opts: { git?: boolean } = { git: true }): string {
  return makeProject(
    {
      'canon.toml': '[[move]]\nfrom = "pkg.old:Thing"\nto = "pkg.new:Thing"\n',
      'pkg/__init__.py': '',
      'pkg/new.py': 'class Thing:\n    pass\n',
      'pkg/old.py': 'from pkg.new import Thing  # canon: ignore\n',
      'pkg/a.py': 'from pkg.old import Thing\n',
      'pkg/b.py': 'import os\nfrom pkg.old import Thing\n',
    },
    opts,
  );
}

const A = 'pkg/a.py:1:21: CAN001 legacy import `pkg.old:Thing`; use `pkg.new:Thing`';
const B = 'pkg/b.py:2:21: CAN001 legacy import `pkg.old:Thing`; use `pkg.new:Thing`';

describe('canon check', () => {
  test('fails on every violation of the example, in scan\'s line format', () => {
    const dir = copyExample();
    const r = runCli(['check'], { cwd: dir });
    expect(r.stdout).toBe(fixture('example-check.txt'));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
  });

  test('passes a clean project', () => {
    const dir = tiny();
    writeFileSync(join(dir, 'pkg/a.py'), 'from pkg.new import Thing\n');
    writeFileSync(join(dir, 'pkg/b.py'), 'from pkg.new import Thing\n');
    const r = runCli(['check'], { cwd: dir });
    expect(r).toEqual({ stdout: 'check passed: no violations. Scanned 5 files.\n', stderr: '', code: 0 });
  });

  test('path arguments narrow the check; paths print relative to the working directory', () => {
    const dir = tiny();
    const r = runCli(['check', 'b.py'], { cwd: join(dir, 'pkg') });
    expect(r.stdout).toBe(['b.py:2:21: CAN001 legacy import `pkg.old:Thing`; use `pkg.new:Thing`', '', 'check failed: 1 violation (1 fixable) in 1 file. Scanned 1 file.', ''].join('\n'));
    expect(r.code).toBe(1);
  });

  test('usage errors exit 2', () => {
    const dir = tiny();
    expect(runCli(['check', '--strict'], { cwd: dir })).toEqual({ stdout: '', stderr: 'error: --strict needs --baseline PATH\n', code: 2 });
    expect(runCli(['check', '--baseline', 'nope.json'], { cwd: dir })).toEqual({
      stdout: '',
      stderr: 'error: baseline not found: nope.json (create it with `canon baseline`)\n',
      code: 2,
    });
    const bad = runCli(['check', '--changed-since', 'no-such-rev'], { cwd: dir });
    expect(bad.stderr).toMatch(/^error: --changed-since: git cannot compare with "no-such-rev" \(exit 128\): fatal: .*no-such-rev/);
    expect(bad.code).toBe(2);
    expect(runCli(['check', '--changed-since', '--cached'], { cwd: dir }).code).toBe(2);
    expect(runCli(['check', 'nowhere.py'], { cwd: dir })).toEqual({
      stdout: '',
      stderr: 'error: bad path argument:\n  nowhere.py: no such file or directory\n',
      code: 2,
    });
  });

  test('--changed-since outside a git work tree is a usage error', () => {
    const dir = tiny({ git: false });
    const r = runCli(['check', '--changed-since', 'HEAD'], { cwd: dir });
    expect(r.stderr).toBe(`error: --changed-since needs a git work tree; ${dir} is not in one\n`);
    expect(r.code).toBe(2);
  });
});

describe('canon baseline and check --baseline', () => {
  let dir: string;
  beforeAll(() => {
    dir = tiny();
  });

  test('baseline records the violations; check then passes', () => {
    const r = runCli(['baseline'], { cwd: dir });
    expect(r).toEqual({ stdout: 'Wrote .canon/baseline.json: 2 violations in 2 files.\n', stderr: '', code: 0 });
    const text = readFileSync(join(dir, '.canon/baseline.json'), 'utf8');
    const b = parseBaseline(text);
    expect([...b.files.keys()]).toEqual(['pkg/a.py', 'pkg/b.py']);
    expect(b.files.get('pkg/a.py')!.get('pkg.old:Thing')!.count).toBe(1);
    expect(runCli(['baseline'], { cwd: dir }).stdout).toBe('.canon/baseline.json is up to date: 2 violations in 2 files.\n');
    expect(readFileSync(join(dir, '.canon/baseline.json'), 'utf8')).toBe(text);
    expect(runCli(['check', '--baseline', '.canon/baseline.json'], { cwd: dir })).toEqual({
      stdout: 'Baseline .canon/baseline.json: 2 known violations (not shown), 0 fixed.\ncheck passed: no new violations. Scanned 5 files.\n',
      stderr: '',
      code: 0,
    });
  });

  test('code moving up or down keeps the baseline valid', () => {
    writeFileSync(join(dir, 'pkg/b.py'), '"""Docs."""\n\nimport os\n\n\nfrom pkg.old import Thing\n\nX = 1\n');
    const r = runCli(['check', '--baseline', '.canon/baseline.json', '--strict'], { cwd: dir });
    expect(r.code).toBe(0);
    writeFileSync(join(dir, 'pkg/b.py'), 'import os\nfrom pkg.old import Thing\n');
  });

  test('a new violation fails; a fixed one is reported', () => {
    appendFileSync(join(dir, 'pkg/b.py'), 'import pkg.old as legacy\nlegacy.Thing()\n');
    writeFileSync(join(dir, 'pkg/a.py'), 'from pkg.new import Thing\n');
    const r = runCli(['check', '--baseline', '.canon/baseline.json'], { cwd: dir });
    expect(r.stdout).toBe(
      [
        'pkg/b.py:4:1: CAN001 legacy attribute use `pkg.old:Thing`; use `pkg.new:Thing`',
        '',
        'Fixed since the baseline:',
        '  pkg/a.py: `pkg.old:Thing` 1 -> 0',
        '',
        'Baseline .canon/baseline.json: 1 known violation (not shown), 1 fixed.',
        'check failed: 1 new violation (1 fixable) in 1 file. Scanned 5 files.',
        'Run `canon baseline` to tighten the baseline.',
        '',
      ].join('\n'),
    );
    expect(r.code).toBe(1);

    const strict = runCli(['check', '--baseline', '.canon/baseline.json', '--strict'], { cwd: dir });
    expect(strict.stdout.split('\n').slice(-3).join('\n')).toBe(
      'check failed: 1 new violation (1 fixable) in 1 file; the baseline is stale (1 fixed violation still recorded). Scanned 5 files.\nRun `canon baseline` to tighten the baseline.\n',
    );
    expect(strict.code).toBe(1);
  });

  test('baseline only tightens: the fixed one leaves, the new one stays out', () => {
    const r = runCli(['baseline'], { cwd: dir });
    expect(r.stdout).toBe(
      [
        'Tightened .canon/baseline.json: 1 fixed violation removed; 1 violation in 1 file remain.',
        '',
        '1 new violation not added (fix it, or record it with `canon baseline --reset`):',
        '  pkg/b.py:4:1: CAN001 legacy attribute use `pkg.old:Thing`; use `pkg.new:Thing`',
        '',
      ].join('\n'),
    );
    expect(r.code).toBe(1);
    expect([...parseBaseline(readFileSync(join(dir, '.canon/baseline.json'), 'utf8')).files.keys()]).toEqual(['pkg/b.py']);
  });

  test('--strict fails on a stale baseline alone', () => {
    writeFileSync(join(dir, 'pkg/b.py'), 'from pkg.new import Thing\n');
    const loose = runCli(['check', '--baseline', '.canon/baseline.json'], { cwd: dir });
    expect(loose.stdout).toBe(
      [
        'Fixed since the baseline:',
        '  pkg/b.py: `pkg.old:Thing` 1 -> 0',
        '',
        'Baseline .canon/baseline.json: 0 known violations (not shown), 1 fixed.',
        'check passed: no new violations. Scanned 5 files.',
        'Run `canon baseline` to tighten the baseline.',
        '',
      ].join('\n'),
    );
    expect(loose.code).toBe(0);
    const strict = runCli(['check', '--baseline', '.canon/baseline.json', '--strict'], { cwd: dir });
    expect(strict.stdout).toContain('check failed: the baseline is stale (1 fixed violation still recorded). Scanned 5 files.\n');
    expect(strict.code).toBe(1);
  });

  test('--reset records from scratch; an empty baseline is still a file', () => {
    const r = runCli(['baseline', '--reset'], { cwd: dir });
    expect(r).toEqual({ stdout: 'Wrote .canon/baseline.json: 0 violations in 0 files.\n', stderr: '', code: 0 });
    expect(readFileSync(join(dir, '.canon/baseline.json'), 'utf8')).toBe('{\n  "version": 1,\n  "strings": false,\n  "files": {}\n}\n');
  });
});

describe('baseline files', () => {
  test('--baseline PATH elsewhere; the hint repeats it', () => {
    const dir = tiny();
    expect(runCli(['baseline', '--baseline', 'ci/canon-baseline.json'], { cwd: dir }).stdout).toBe('Wrote ci/canon-baseline.json: 2 violations in 2 files.\n');
    writeFileSync(join(dir, 'pkg/a.py'), '');
    const r = runCli(['check', '--baseline', 'ci/canon-baseline.json'], { cwd: dir });
    expect(r.stdout.split('\n').slice(-2)[0]).toBe('Run `canon baseline --baseline ci/canon-baseline.json` to tighten the baseline.');
  });

  test('a baseline git ignores gets a warning (the example ignores .canon/)', () => {
    const dir = copyExample({ git: true });
    const r = runCli(['baseline'], { cwd: dir });
    expect(r.stdout).toBe('Wrote .canon/baseline.json: 22 violations in 10 files.\n');
    expect(r.stderr).toBe('warning: git ignores .canon/baseline.json; commit it anyway (git add -f .canon/baseline.json) or un-ignore it, so CI sees it\n');
    expect(r.code).toBe(0);
  });

  test('a broken baseline is a usage error naming the problem', () => {
    const dir = tiny();
    writeFileSync(join(dir, 'b.json'), '{"version": 1, "files": {"a.py": {"x": {"count": "2"}}}}');
    expect(runCli(['check', '--baseline', 'b.json'], { cwd: dir })).toEqual({
      stdout: '',
      stderr: 'error: b.json: invalid baseline (1 problem):\n  files["a.py"]["x"].count: expected an integer >= 0, got "2"\n',
      code: 2,
    });
  });

  test('--strings must match how the baseline was recorded', () => {
    const dir = tiny();
    runCli(['baseline'], { cwd: dir });
    const r = runCli(['check', '--baseline', '.canon/baseline.json', '--strings'], { cwd: dir });
    expect(r.stderr).toBe('error: --strings: the baseline was recorded without --strings; re-record it with `canon baseline --reset --strings`\n');
    expect(r.code).toBe(2);
  });

  test('a baseline recorded with --strings makes check count string references', () => {
    const dir = tiny();
    writeFileSync(join(dir, 'pkg/t.py'), 'TARGET = "pkg.old.Thing"\n');
    runCli(['baseline', '--strings'], { cwd: dir });
    expect(runCli(['check', '--baseline', '.canon/baseline.json'], { cwd: dir }).code).toBe(0);
    writeFileSync(join(dir, 'pkg/u.py'), 'TARGET = "pkg.old.Thing"\n');
    const r = runCli(['check', '--baseline', '.canon/baseline.json'], { cwd: dir });
    expect(r.stdout).toContain('pkg/u.py:1:10: CAN003 string reference to `pkg.old:Thing`');
    expect(r.code).toBe(1);
  });
});

describe('check --changed-since', () => {
  test('checks only changed files: committed, staged, unstaged and untracked', () => {
    const dir = tiny();
    expect(runCli(['check', '--changed-since', 'HEAD'], { cwd: dir })).toEqual({
      stdout: 'check passed: no violations. Scanned 0 files changed since HEAD.\n',
      stderr: '',
      code: 0,
    });
    appendFileSync(join(dir, 'pkg/b.py'), '# touched\n');
    writeFileSync(join(dir, 'pkg/c.py'), 'from pkg.old import Thing\n');
    writeFileSync(join(dir, 'notes.txt'), 'not python\n');
    const r = runCli(['check', '--changed-since', 'HEAD'], { cwd: dir });
    expect(r.stdout).toBe(
      [B, 'pkg/c.py:1:21: CAN001 legacy import `pkg.old:Thing`; use `pkg.new:Thing`', '', 'check failed: 2 violations (2 fixable) in 2 files. Scanned 2 files changed since HEAD.', ''].join('\n'),
    );
    expect(r.code).toBe(1);
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'more');
    const since = runCli(['check', '--changed-since', 'HEAD~1'], { cwd: dir });
    expect(since.stdout).toBe(r.stdout.replace('since HEAD.', 'since HEAD~1.'));
    // Narrowed by path arguments as well.
    const narrowed = runCli(['check', '--changed-since', 'HEAD~1', 'pkg/c.py'], { cwd: dir });
    expect(narrowed.stdout.split('\n').at(-2)).toBe('check failed: 1 violation (1 fixable) in 1 file. Scanned 1 file changed since HEAD~1.');
  });

  test('with a baseline: only changed files can be new or fixed; a deleted file is fixed', () => {
    const dir = tiny();
    runCli(['baseline'], { cwd: dir });
    rmSync(join(dir, 'pkg/a.py'));
    const r = runCli(['check', '--changed-since', 'HEAD', '--baseline', '.canon/baseline.json', '--strict'], { cwd: dir });
    expect(r.stdout).toBe(
      [
        'Fixed since the baseline:',
        '  pkg/a.py: `pkg.old:Thing` 1 -> 0',
        '',
        'Baseline .canon/baseline.json: 0 known violations (not shown), 1 fixed.',
        'check failed: the baseline is stale (1 fixed violation still recorded). Scanned 0 files changed since HEAD.',
        'Run `canon baseline` to tighten the baseline.',
        '',
      ].join('\n'),
    );
    expect(r.code).toBe(1);
    // b.py is unchanged: its recorded violation is neither new nor fixed.
    writeFileSync(join(dir, 'pkg/a.py'), 'from pkg.old import Thing\n# touched\n');
    expect(runCli(['check', '--changed-since', 'HEAD', '--baseline', '.canon/baseline.json', '--strict'], { cwd: dir }).stdout).toBe(
      'Baseline .canon/baseline.json: 1 known violation (not shown), 0 fixed.\ncheck passed: no new violations. Scanned 1 file changed since HEAD.\n',
    );
  });

  test('files excluded by the config are not checked', () => {
    const dir = tiny();
    writeFileSync(join(dir, 'canon.toml'), readFileSync(join(dir, 'canon.toml'), 'utf8').replace('[[move]]', 'exclude = ["gen/**"]\n\n[[move]]'));
    git(dir, 'commit', '-q', '-am', 'exclude');
    makeFile(dir, 'gen/x.py', 'from pkg.old import Thing\n');
    expect(runCli(['check', '--changed-since', 'HEAD'], { cwd: dir }).stdout).toBe('check passed: no violations. Scanned 0 files changed since HEAD.\n');
    expect(runCli(['check'], { cwd: dir }).stdout).not.toContain('gen/x.py');
  });

  test('a repository without commits: HEAD means everything', () => {
    const dir = tiny({ git: false });
    git(dir, 'init', '-q', '-b', 'main');
    const r = runCli(['check', '--changed-since', 'HEAD'], { cwd: dir });
    expect(r.stdout).toBe([A, B, '', 'check failed: 2 violations (2 fixable) in 2 files. Scanned 5 files changed since HEAD.', ''].join('\n'));
  });
});

describe('check output formats', () => {
  let dir: string;
  beforeAll(() => {
    dir = tiny();
    runCli(['baseline'], { cwd: dir });
    appendFileSync(join(dir, 'pkg/a.py'), 'from pkg.old import Thing as T2\n');
    writeFileSync(join(dir, 'pkg/b.py'), '');
  });

  test('json: scan\'s document over the new violations, plus `check`', () => {
    const r = runCli(['check', '--baseline', '.canon/baseline.json', '--format', 'json'], { cwd: dir });
    const doc = JSON.parse(r.stdout) as { findings: { file: string; line: number }[]; check: unknown; version: number };
    expect(Object.keys(doc)).toEqual(['version', 'findings', 'moves', 'summary', 'check']);
    expect(doc.findings.map((f) => `${f.file}:${f.line}`)).toEqual(['pkg/a.py:2']);
    expect(doc.check).toEqual({
      passed: false,
      changedSince: null,
      violations: 2,
      new: 1,
      baseline: {
        file: '.canon/baseline.json', known: 1, fixed: 1, strict: false, stale: false,
        fixedEntries: [{ file: 'pkg/b.py', legacy: 'pkg.old:Thing', recorded: 1, found: 0 }],
      },
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
  });

  test('github: annotations for new violations, a notice for fixed ones, the verdict on stderr', () => {
    const r = runCli(['check', '--baseline', '.canon/baseline.json', '--format', 'github'], { cwd: dir });
    expect(r.stdout).toBe(
      [
        '::error file=pkg/a.py,line=2,col=21,endLine=2,endColumn=32,title=canon CAN001::legacy import `pkg.old:Thing`; use `pkg.new:Thing`',
        '::notice title=canon check::1 baselined violation fixed; run canon baseline to tighten .canon/baseline.json',
        '',
      ].join('\n'),
    );
    expect(r.stderr).toBe(
      'Baseline .canon/baseline.json: 1 known violation (not shown), 1 fixed.\ncheck failed: 1 new violation (1 fixable) in 1 file. Scanned 5 files.\nRun `canon baseline` to tighten the baseline.\n',
    );
    expect(r.code).toBe(1);
  });

  test('sarif: one result per new violation', () => {
    const r = runCli(['check', '--baseline', '.canon/baseline.json', '--format', 'sarif'], { cwd: dir });
    const doc = JSON.parse(r.stdout) as { runs: { results: { ruleId: string; locations: { physicalLocation: { region: { startLine: number } } }[] }[] }[] };
    expect(doc.runs[0]!.results.map((x) => [x.ruleId, x.locations[0]!.physicalLocation.region.startLine])).toEqual([['CAN001', 2]]);
    expect(r.code).toBe(1);
  });

  test('markdown: scan\'s report of the new violations', () => {
    const r = runCli(['check', '--baseline', '.canon/baseline.json', '--format', 'markdown'], { cwd: dir });
    expect(r.stdout.startsWith('# canon scan report\n')).toBe(true);
    expect(r.stdout).toContain('| `pkg/a.py:2:21` | CAN001 |');
    expect(r.code).toBe(1);
  });
});

describe('.pre-commit-hooks.yaml', () => {
  test('declares a canon-check hook over changed Python files', () => {
    const text = readFileSync(join(REPO, '.pre-commit-hooks.yaml'), 'utf8');
    expect(text).toMatch(/^- id: canon-check$/m);
    expect(text).toMatch(/^ {2}entry: canon check --changed-since HEAD$/m);
    expect(text).toMatch(/^ {2}language: node$/m);
    expect(text).toMatch(/^ {2}types: \[python\]$/m);
    expect(text).toMatch(/^ {2}pass_filenames: false$/m);
  });
});

function makeFile(dir: string, rel: string, text: string): void {
  const p = join(dir, rel);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, text);
}
