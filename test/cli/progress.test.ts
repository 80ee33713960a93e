// Progress on a terminal, through a real pseudo-terminal (util-linux `script`, sized with stty):
// history, discover and migrate draw one status line on stderr, within the terminal's width, and
// erase it; never when piped, never in a machine format; dim unless NO_COLOR; and a resumed migrate
// counts on from what it had done.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { CLI, copyExample, git, runCli } from '../helpers/project.js';
import { fixtureRepo, UNITTEST } from '../migrate/fixture.js';

const HAS_SCRIPT = spawnSync('script', ['--version']).status === 0;

/** Run canon on a terminal `cols` wide; what the terminal received (stdout and stderr, as a pty merges them). */
function onTerminal(args: string[], cwd: string, cols: number, env: Record<string, string> = { NO_COLOR: '1' }): { out: string; code: number } {
  const quoted = [process.execPath, CLI, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const r = spawnSync('script', ['-qec', `stty cols ${cols} rows 40; exec ${quoted}`, '/dev/null'], {
    cwd,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, FORCE_COLOR: '', ...env },
  });
  return { out: r.stdout, code: r.status ?? -1 };
}

/** The status lines drawn: what follows each `\r\x1b[K` up to the next, when it holds no newline. */
function statusLines(out: string): string[] {
  return out
    .split('\r\x1b[K')
    .slice(1)
    .filter((s) => s !== '' && !s.includes('\n'));
}

describe.skipIf(!HAS_SCRIPT)('progress on a terminal', () => {
  let repo: string;
  beforeAll(() => {
    repo = copyExample({ git: true });
    for (let i = 1; i <= 40; i++) {
      writeFileSync(join(repo, 'app/__init__.py'), `# ${i}\n`);
      git(repo, 'commit', '-qam', `commit ${i}: a subject long enough that a narrow terminal must cut it short`);
    }
  });

  test('history: a status line per commit, within the width, erased before the table', () => {
    const { out, code } = onTerminal(['history', '--commits', '30'], repo, 60);
    expect(code).toBe(0);
    const lines = statusLines(out);
    expect(lines[0]).toMatch(/^history: commit 1\/30/);
    for (const l of lines) {
      expect(l).toMatch(/^history: commit \d+\/30/);
      expect(l.length).toBeLessThanOrEqual(59);
    }
    // Erased: the table starts on a clean line.
    expect(out).toContain('\r\x1b[Kcommit      date        violations  change  subject');
    // NO_COLOR: no dim.
    expect(out).not.toContain('\x1b[2m');
    // The table fits the terminal too (the subjects are cut).
    const table = out.slice(out.lastIndexOf('\x1b[K') + 3).split('\r\n');
    expect(table[1]).toMatch(/^[0-9a-f]{10}  \d{4}-\d\d-\d\d {10}22 {10}commit 11: a su…$/);
    for (const row of table) expect(row.length, row).toBeLessThanOrEqual(60);
  });

  test('a wider terminal gets more of the line; colour is dim unless NO_COLOR', () => {
    const lines = statusLines(onTerminal(['history', '--commits', '5'], repo, 120, {}).out);
    expect(lines[0]).toMatch(/^\x1b\[2mhistory: commit 1\/5 · [0-9a-f]{10} · commit 36: a subject long enough/);
  });

  test('never in a machine format, never when piped', () => {
    for (const args of [['history', '--commits', '5', '--format', 'json'], ['history', '--commits', '5', '--format', 'csv'], ['discover', '--format', 'json'], ['history', '--commits', '5', '-q']]) {
      const { out } = onTerminal(args, repo, 80);
      expect(out, args.join(' ')).not.toContain('\x1b[K');
    }
    const piped = runCli(['history', '--commits', '5'], { cwd: repo });
    expect(piped.stderr).toBe('');
    expect(runCli(['discover'], { cwd: repo }).stderr).toBe('');
  });

  test('discover: what it is doing', () => {
    const lines = statusLines(onTerminal(['discover'], repo, 60).out);
    expect(lines).toContain('discover: listing files');
    expect(lines.some((l) => /^discover: reading files \d+\/30$/.test(l))).toBe(true);
    expect(lines).toContain('discover: resolving import paths');
  });

  test('migrate: the status line fits, and a resumed run counts on from what it had done', () => {
    // The third validation (baseline, batch 1, batch 2) interrupts canon, as Ctrl-C would: canon
    // runs `/bin/sh -c 'sh tools/validate.sh'`, so canon is the script's grandparent.
    const counter = join(mkdtempSync(join(tmpdir(), 'canon-count-')), 'n');
    const root = fixtureRepo({
      'tools/validate.sh': `n=$(cat ${counter} 2>/dev/null || echo 0); n=$((n + 1)); echo $n > ${counter}\nif [ $n -eq 3 ]; then kill -INT $(ps -o ppid= -p $PPID); sleep 5; fi\nexec ${UNITTEST}\n`,
    });
    const first = onTerminal(['migrate', '--validate', 'sh tools/validate.sh'], root, 60);
    expect(first.code).toBe(130);
    const before = statusLines(first.out);
    expect(before[0]).toBe('0 of 3 batches done · 0/6 files · 0/6 imports');
    expect(before.some((l) => l.startsWith('batch 1/3 · 0/6 files'))).toBe(true);
    expect(before.some((l) => l.startsWith('batch 2/3 · 2/6 files'))).toBe(true);
    for (const l of before) expect(l.length).toBeLessThanOrEqual(59);

    const resumed = onTerminal(['migrate', '--resume'], root, 60);
    expect(resumed.out).toContain('resuming: 3 batches, 6 files, 6 imports');
    const after = statusLines(resumed.out);
    // Batch 1 (2 files) was done: the counters go on from there, never from 0.
    expect(after[0]).toMatch(/^1 of 3 batches done · 2\/6 files · 2\/6 imports · ETA \d+:\d\d$/);
    expect(after[1]).toMatch(/^batch 2\/3 · 2\/6 files · /);
    expect(after.some((l) => / 0\/6 files/.test(l))).toBe(false);
    // Batch 2 bisects e.py out and commits c.py and d.py; batch 3 brings f.py.
    expect(after.some((l) => l.startsWith('batch 3/3 · 4/6 files'))).toBe(true);
    expect(after.at(-1)).toMatch(/^batch 3\/3 · 5\/6 files · 5\/6 imports/);
    for (const l of after) expect(l.length).toBeLessThanOrEqual(59);
    expect(after.some((l) => l.includes('ETA '))).toBe(true);
  });
});
