// The machine's faults through the built binary: bad output paths, pipes where files belong, a
// deleted working folder, a full disk (a small tmpfs, when this runs as root and may mount one)
// and a read-only folder (canon run as `nobody`, when this runs as root). Each: exit 2, one line
// naming the file and what to do, and nothing half-written.

import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  closeSync,
  cpSync,
  ftruncateSync,
  fstatSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CLI, git, gitInit, makeProject, runCli } from '../helpers/project.js';

const MOVE = '[[move]]\nfrom = "app.old:X"\nto = "app.new:X"\n';
const USES = 6;
const OLD = 'from app.old import X\n';
const NEW = 'from app.new import X\n';
const FILES: Record<string, string> = {
  'canon.toml': `${MOVE}[migrate]\nvalidate = "true"\nbatch-size = 2\n`,
  'app/__init__.py': '',
  'app/new.py': 'X = 1\n',
  'app/old.py': 'from app.new import X\n',
  ...Object.fromEntries(Array.from({ length: USES }, (_, i) => [`app/use${i + 1}.py`, OLD])),
};

/** Every file below `dir` (root-relative), .git left out. */
function tree(dir: string, at = ''): string[] {
  return readdirSync(join(dir, at), { withFileTypes: true }).flatMap((e) => {
    const rel = at ? `${at}/${e.name}` : e.name;
    if (e.name === '.git') return [];
    return e.isDirectory() ? tree(dir, rel) : [rel];
  });
}

function mkfifo(path: string): void {
  const r = spawnSync('mkfifo', [path]);
  if (r.status !== 0) throw new Error(`mkfifo failed: ${r.stderr}`);
}

describe('output paths canon cannot write', () => {
  let dir: string;
  beforeAll(() => {
    dir = makeProject({ ...FILES, afile: 'a file, not a folder\n' });
  });

  for (const [args, message] of [
    [['report', '--out', '/proc/nope'], 'cannot create the folder /proc/nope: the file system does not allow creating a folder there (ENOENT); check the path, then run `canon report` again'],
    [['report', '--out', 'afile/sub'], 'cannot create the folder afile/sub: afile is a file, not a folder (ENOTDIR); check the path, then run `canon report` again'],
    [['report', '--out', 'afile'], 'cannot write afile/consolidation.md: afile is a file, not a folder (ENOTDIR); check the path, then run `canon report` again'],
    [['baseline', '--baseline', '/proc/x.json'], 'cannot write /proc/x.json: the file system does not allow creating a file there (ENOENT); check the path, then run `canon baseline` again'],
    [['baseline', '--baseline', 'afile/x.json'], 'cannot write afile/x.json: afile is a file, not a folder (ENOTDIR); check the path, then run `canon baseline` again'],
    // init takes the project lock (in the target's folder) before anything else.
    [['--config', 'afile/canon.toml', 'init'], 'cannot create the folder afile/.canon: afile is a file, not a folder (ENOTDIR); check the path, then run `canon init` again'],
    [['--config', '/proc/canon.toml', 'init'], 'cannot create the folder /proc/.canon: the file system does not allow creating a folder there (ENOENT); check the path, then run `canon init` again'],
  ] as const) {
    test(`${args.join(' ')}: exit 2, at once`, () => {
      // /proc/nope used to spin at 100% CPU in node's recursive mkdir: a timeout here fails the test.
      const r = runCli([...args], { cwd: dir, timeout: 30_000 });
      expect({ code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({ code: 2, stdout: '', stderr: `error: ${message}\n` });
      expect(readFileSync(join(dir, 'afile'), 'utf8')).toBe('a file, not a folder\n');
    });
  }

  test('a dangling symbolic link on the way', () => {
    spawnSync('ln', ['-sfn', join(dir, 'nowhere'), join(dir, 'dangling')]);
    const r = runCli(['report', '--out', 'dangling/out'], { cwd: dir, timeout: 30_000 });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('error: cannot create the folder dangling/out: dangling is a broken symbolic link (ENOENT); check the path, then run `canon report` again\n');
  });
});

describe('inputs that are not regular files, or missing', () => {
  let dir: string;
  beforeAll(() => {
    dir = makeProject({ ...FILES, 'logs/keep.txt': '' });
    mkfifo(join(dir, 'pipe'));
  });

  for (const [args, stderr] of [
    [['usage', 'pipe'], 'error: cannot read usage log pipe: it is a named pipe, not a regular file; name the file CANON_SHIM_LOG pointed at\n'],
    [['usage', 'logs'], 'error: cannot read usage log logs: it is a folder, not a regular file; name the file CANON_SHIM_LOG pointed at\n'],
    [['usage', 'missing.jsonl'], 'error: cannot read usage log missing.jsonl: no such file or folder (ENOENT); name the file CANON_SHIM_LOG pointed at\n'],
    [['--config', 'pipe', 'scan'], 'error: invalid configuration (1 problem):\n  pipe: cannot read config file: it is a named pipe, not a regular file\n'],
    [['check', '--baseline', 'pipe'], 'error: pipe: cannot read the baseline: it is a named pipe, not a regular file\n'],
    [['baseline', '--baseline', 'pipe', '--reset'], 'error: cannot read pipe: it is a named pipe, not a regular file; name a regular file\n'],
    [['--config', 'pipe', 'init', '--force'], 'error: cannot read pipe: it is a named pipe, not a regular file; name a regular file\n'],
  ] as const) {
    test(`${args.join(' ')}: exit 2, without blocking`, () => {
      const r = runCli([...args], { cwd: dir, timeout: 30_000 });
      expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 2, stderr });
    });
  }
});

test('a working folder deleted under canon: exit 2, one line', () => {
  const top = mkdtempSync(join(tmpdir(), 'canon-gone-'));
  const r = spawnSync('sh', ['-c', `mkdir gone && cd gone && rmdir ../gone && exec "${process.execPath}" "${CLI}" scan`], {
    cwd: top,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  expect({ code: r.status, stderr: r.stderr }).toEqual({
    code: 2,
    stderr: 'error: the current folder no longer exists (it was deleted or moved); cd into the project and run canon again\n',
  });
});

// ---- a full disk --------------------------------------------------------------------------------

const IS_ROOT = process.getuid?.() === 0;

/** A fresh tmpfs of `size`, or null when this process may not mount one. */
function mountTmpfs(size: string): string | null {
  if (!IS_ROOT) return null;
  const at = mkdtempSync(join(tmpdir(), 'canon-tmpfs-'));
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', at]);
  return r.status === 0 ? at : null;
}

const DISK = mountTmpfs('2m');
const PAGE = 4096;

/** Fill the disk holding `dir` but `freePages` pages; returns the filler's path (delete it to free the space). */
function fillDisk(dir: string, freePages: number): string {
  const filler = join(dir, '.filler');
  rmSync(filler, { force: true });
  const fd = openSync(filler, 'w');
  const chunk = Buffer.alloc(64 * 1024);
  for (;;) {
    try {
      writeSync(fd, chunk);
    } catch {
      break;
    }
  }
  for (;;) {
    try {
      writeSync(fd, chunk, 0, PAGE);
    } catch {
      break;
    }
  }
  ftruncateSync(fd, Math.max(0, fstatSync(fd).size - freePages * PAGE));
  closeSync(fd);
  return filler;
}

/** The project on the small disk, as a git repository, without anything the last case left. */
function projectOnDisk(disk: string, opts: { git: boolean }): string {
  rmSync(join(disk, 'p'), { recursive: true, force: true });
  rmSync(join(disk, '.filler'), { force: true });
  const dir = join(disk, 'p');
  const src = makeProject(FILES);
  cpSync(src, dir, { recursive: true });
  if (opts.git) gitInit(dir);
  return dir;
}

function useFiles(dir: string): string[] {
  return Array.from({ length: USES }, (_, i) => readFileSync(join(dir, `app/use${i + 1}.py`), 'utf8'));
}

// At the top level: it runs even when a filter (-t) skips every test below.
afterAll(() => {
  if (DISK !== null) spawnSync('umount', ['-l', DISK]);
});

describe.skipIf(DISK === null)('a full disk (a 2 MB tmpfs)', () => {

  test('fix: exit 2 naming the file, no file changed, no temporary file left; then it finishes', () => {
    const dir = projectOnDisk(DISK!, { git: false });
    const before = tree(dir).sort();
    const filler = fillDisk(DISK!, 0);
    const r = runCli(['fix'], { cwd: dir });
    expect({ code: r.code, stderr: r.stderr }).toEqual({
      code: 2,
      // The project lock is the first thing written.
      stderr: 'error: cannot write .canon/tmp/lock: no space left on the device (ENOSPC); free some space, then run `canon fix` again\n',
    });
    expect(useFiles(dir)).toEqual(Array(USES).fill(OLD));
    // No temporary file beside the project's files; the cache may have made its folder, empty.
    expect(tree(dir).filter((f) => !f.startsWith('.canon/')).sort()).toEqual(before);
    rmSync(filler);
    expect(runCli(['fix'], { cwd: dir }).code).toBe(0);
    expect(useFiles(dir)).toEqual(Array(USES).fill(NEW));
  });

  test('shim and report: exit 2 naming the file', () => {
    const dir = projectOnDisk(DISK!, { git: false });
    const filler = fillDisk(DISK!, 0);
    const shim = runCli(['shim'], { cwd: dir });
    expect({ code: shim.code, stderr: shim.stderr }).toEqual({
      code: 2,
      stderr: 'error: cannot write .canon/tmp/lock: no space left on the device (ENOSPC); free some space, then run `canon shim` again\n',
    });
    expect(readFileSync(join(dir, 'app/old.py'), 'utf8')).toBe('from app.new import X\n');
    const report = runCli(['report'], { cwd: dir });
    expect({ code: report.code, stdout: report.stdout, stderr: report.stderr }).toEqual({
      code: 2,
      stdout: '',
      stderr: 'error: cannot write .canon/report/consolidation.md: no space left on the device (ENOSPC); free some space, then run `canon report` again\n',
    });
    rmSync(filler);
  });

  // Free space from none to enough: migrate meets the full disk at each of its steps in turn (the
  // lock, git status, the run record, git's index, object and ref writes in each batch's commit).
  // 10 runs into a full disk, then one more each (two when there was nothing to resume) with the
  // space back.
  test('migrate, swept over the free space: exit 0 or 2 with one clear line, the tree consistent, and the next run finishes', () => {
    const seen = new Set<string>();
    for (const pages of [0, 1, 2, 4, 6, 8, 10, 12, 16, 20]) {
      const dir = projectOnDisk(DISK!, { git: true });
      const filler = fillDisk(DISK!, pages);
      const r = runCli(['migrate'], { cwd: dir });
      const where = `with ${pages} free pages: ${r.stderr}`;
      expect([0, 2], where).toContain(r.code);
      expect(r.stderr, where).not.toMatch(/internal error|\n {4}at /);
      if (r.code === 2) {
        expect(r.stderr, where).toMatch(/^error: /);
        seen.add(r.stderr.split('\n')[0]!.replace(/[0-9-]{19}/, 'RUN'));
      }
      // Every file is whole: the old text or the new one. (A rollback may itself have met the full
      // disk: the next start finishes it, from the journal.)
      for (const text of useFiles(dir)) expect([OLD, NEW], where).toContain(text);
      rmSync(filler);
      const again = runCli(['migrate', '--resume'], { cwd: dir });
      const rerun = again.code === 2 && again.stderr.startsWith('error: nothing to resume') ? runCli(['migrate'], { cwd: dir }) : again;
      expect(rerun.code, `${where}\nthen: ${rerun.stderr}`).toBe(0);
      expect(useFiles(dir), where).toEqual(Array(USES).fill(NEW));
      expect(git(dir, 'status', '--porcelain'), where).toBe('');
    }
    // The sweep reached several steps (8 distinct messages on a 2 MB tmpfs when written).
    expect(seen.size).toBeGreaterThan(3);
  });
});

// ---- no permission ---------------------------------------------------------------------------

const NOBODY = 65534;

describe.skipIf(!IS_ROOT)('a read-only folder (canon run as nobody)', () => {
  function asNobody(args: string[], cwd: string): { code: number | null; stderr: string } {
    const r = spawnSync(process.execPath, [CLI, ...args], { cwd, uid: NOBODY, gid: NOBODY, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', HOME: cwd } });
    return { code: r.status, stderr: r.stderr };
  }

  function ownedByNobody(): string {
    const dir = makeProject(FILES);
    chmodSync(dir, 0o755);
    for (const f of ['', ...tree(dir)]) chownSync(join(dir, f), NOBODY, NOBODY);
    chownSync(join(dir, 'app'), NOBODY, NOBODY);
    return dir;
  }

  test('fix with app/ read-only: exit 2, check the permissions of app/', () => {
    const dir = ownedByNobody();
    chmodSync(join(dir, 'app'), 0o555);
    expect(asNobody(['fix'], dir)).toEqual({
      code: 2,
      stderr: 'error: cannot write app/use1.py: permission denied (EACCES); check the permissions of app/, then run `canon fix` again\n  no file was changed\n',
    });
    expect(useFiles(dir)).toEqual(Array(USES).fill(OLD));
  });

  test('report with .canon/ read-only: exit 2', () => {
    const dir = ownedByNobody();
    mkdirSync(join(dir, '.canon'));
    chmodSync(join(dir, '.canon'), 0o555);
    expect(asNobody(['report'], dir)).toEqual({
      code: 2,
      stderr: 'error: cannot create the folder .canon/report: permission denied (EACCES); check the permissions of .canon/, then run `canon report` again\n',
    });
  });
});
