// The work tree's status, read once for the listing and for `check --changed-since`, against the
// git commands it stands in for: `git diff --name-only REV` (which files changed since REV) and
// `git ls-files --others --exclude-standard` / `--deleted`, in a repository where every kind of
// change happens at once, from its top and from a subfolder.

import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { changedSince } from '../../src/check/git.js';
import { gitListing } from '../../src/project/files.js';
import { workTreeStatus } from '../../src/project/status.js';
import { git, makeProject } from '../helpers/project.js';

function gitLines(dir: string, ...args: string[]): string[] {
  const r = spawnSync('git', args, { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout.split('\0').filter(Boolean).sort();
}

let dir: string;
beforeAll(() => {
  const files: Record<string, string> = { '.gitignore': 'ignored/\n*.log\n' };
  for (const name of ['same', 'committed', 'reverted', 'edited', 'staged', 'staged_edited', 'staged_back', 'deleted', 'added_deleted', 'both', 'gone_staged']) {
    files[`pkg/${name}.py`] = `# ${name}\n`;
    files[`pkg/sub dir/${name}.py`] = `# ${name}\n`;
  }
  dir = makeProject(files, { git: true });
  const write = (f: string, text: string): void => {
    mkdirSync(join(dir, f, '..'), { recursive: true });
    writeFileSync(join(dir, f), text);
  };
  for (const base of ['pkg', 'pkg/sub dir']) {
    // Committed since the base revision.
    write(`${base}/committed.py`, '# committed v2\n');
    write(`${base}/reverted.py`, '# reverted v2\n');
    write(`${base}/both.py`, '# both v2\n');
    write(`${base}/added_deleted.py`, '# new in HEAD\n');
  }
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'second');
  for (const base of ['pkg', 'pkg/sub dir']) {
    // Then, in the work tree: put back as it was, edit, stage, stage and edit, stage and edit back.
    write(`${base}/reverted.py`, '# reverted\n');
    write(`${base}/both.py`, '# both v3\n');
    write(`${base}/edited.py`, '# edited v2\n');
    write(`${base}/staged.py`, '# staged v2\n');
    git(dir, 'add', `${base}/staged.py`);
    write(`${base}/staged_edited.py`, '# staged_edited v2\n');
    git(dir, 'add', `${base}/staged_edited.py`);
    write(`${base}/staged_edited.py`, '# staged_edited v3\n');
    write(`${base}/staged_back.py`, '# staged_back v2\n');
    git(dir, 'add', `${base}/staged_back.py`);
    write(`${base}/staged_back.py`, '# staged_back\n');
    unlinkSync(join(dir, `${base}/deleted.py`));
    unlinkSync(join(dir, `${base}/added_deleted.py`));
    git(dir, 'rm', '-q', `${base}/gone_staged.py`);
    write(`${base}/untracked.py`, '# new\n');
    write(`${base}/ignored/x.py`, '# ignored\n');
    write(`${base}/x.log`, 'log\n');
  }
});

describe('changedSince names what `git diff --name-only REV` names', () => {
  for (const sub of ['', 'pkg']) {
    for (const rev of ['HEAD', 'HEAD~1']) {
      test(`${rev}, from ${sub || 'the top'}`, async () => {
        const root = join(dir, sub);
        const want = gitLines(root, 'diff', '--name-only', '-z', '--no-renames', '--relative', rev, '--');
        expect(want.length).toBeGreaterThan(5);
        expect((await changedSince(root, rev))!.sort()).toEqual(want);
      });
    }
  }
});

test('a repository without commits: everything is new since HEAD (null); other revisions are an error', async () => {
  const fresh = makeProject({ 'a.py': '', 'b.py': '' });
  git(fresh, 'init', '-q');
  git(fresh, 'add', 'a.py');
  expect((await workTreeStatus(fresh))!.unborn).toBe(true);
  expect(await changedSince(fresh, 'HEAD')).toBeNull();
  await expect(changedSince(fresh, 'HEAD~1')).rejects.toThrow(/git cannot compare with "HEAD~1"/);
  expect((await workTreeStatus(dir))!.unborn).toBe(false);
});

describe('the listing reads untracked and deleted files from the status', () => {
  for (const sub of ['', 'pkg', 'pkg/sub dir']) {
    test(`from ${sub || 'the top'}`, async () => {
      const root = join(dir, sub);
      const listing = (await gitListing(root))!;
      const deleted = new Set(gitLines(root, 'ls-files', '-z', '--deleted'));
      const tracked = gitLines(root, 'ls-files', '-z').filter((f) => !deleted.has(f));
      expect(deleted.size).toBeGreaterThan(0);
      expect([...listing.tracked].sort()).toEqual(tracked);
      expect([...listing.untracked].sort()).toEqual(gitLines(root, 'ls-files', '-z', '--others', '--exclude-standard'));
    });
  }

  test('callers asking at once share one run; a later caller gets a new one', async () => {
    const [a, b] = await Promise.all([workTreeStatus(dir), workTreeStatus(dir)]);
    expect(a).toBe(b);
    const c = await workTreeStatus(dir);
    expect(c).not.toBe(a);
    expect(c).toEqual(a);
  });

  test('outside a work tree: null', async () => {
    const plain = makeProject({ 'a.py': '' });
    expect(await workTreeStatus(plain)).toBeNull();
    rmSync(plain, { recursive: true, force: true });
  });
});
