// The canon-check hook installed and run by a real pre-commit, as a Python project would use it:
// this repository (its working tree, committed into a scratch repository) as the hook's repo.
// pre-commit's node install runs `npm install`, then `npm pack`, whose stdout pre-commit 3.0.4
// (Debian 12's) takes for the tarball's path: the .npmrc keeps the prepare script's output off it.
// The first install fetches canon's dependencies from the npm registry and builds: minutes.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect, test } from 'vitest';
import { preCommit } from '../helpers/externals.js';
import { git, gitInit, makeProject, REPO } from '../helpers/project.js';

/** A git repository holding this repository's working tree (tracked and untracked-not-ignored files), committed. */
function hookRepo(): { dir: string; rev: string } {
  const dir = mkdtempSync(join(tmpdir(), 'canon-hook-repo-'));
  const listed = git(REPO, 'ls-files', '-co', '--exclude-standard', '-z').split('\0');
  for (const f of listed) {
    if (f === '' || f === 'node_modules' || !existsSync(join(REPO, f))) continue;
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    cpSync(join(REPO, f), join(dir, f));
  }
  gitInit(dir);
  return { dir, rev: git(dir, 'rev-parse', 'HEAD').trim() };
}

test('pre-commit installs the hook from this repository and runs canon check on what is staged', { timeout: 900_000 }, async () => {
  const bin = preCommit();
  const hook = hookRepo();
  const project = makeProject({
    'canon.toml': '[[move]]\nfrom = "app.old:X"\nto = "app.new:X"\n',
    'app/__init__.py': '',
    'app/new.py': 'class X:\n    pass\n',
    'app/old.py': 'from app.new import X\n',
    '.pre-commit-config.yaml': `repos:\n  - repo: ${hook.dir}\n    rev: ${hook.rev}\n    hooks:\n      - id: canon-check\n`,
  });
  gitInit(project);
  const home = mkdtempSync(join(tmpdir(), 'canon-pre-commit-home-'));
  // Asynchronous: the first run takes minutes, and the test worker must keep answering vitest.
  const run = (): Promise<{ code: number; out: string }> =>
    new Promise((resolve, reject) => {
      const child = spawn(bin, ['run'], { cwd: project, env: { ...process.env, PRE_COMMIT_HOME: home, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code: code ?? -1, out }));
    });

  writeFileSync(join(project, 'app/use.py'), 'from app.old import X\n');
  git(project, 'add', 'app/use.py');
  const bad = await run();
  expect(bad.out).not.toContain('An unexpected error has occurred');
  expect(bad.out).toContain('canon check');
  expect(bad.out).toContain('app/use.py:1:21: CAN001 legacy import `app.old:X`; use `app.new:X`');
  expect(bad.code).toBe(1);

  // Fixed and staged: the installed hook passes.
  writeFileSync(join(project, 'app/use.py'), 'from app.new import X\n');
  git(project, 'add', 'app/use.py');
  const good = await run();
  expect(good.out).toMatch(/canon check\.+Passed/);
  expect(good.code).toBe(0);
});
