// The command boundary (cli.ts, core/faults.ts): what reaches it becomes one line and exit 2 when
// it is a user mistake or a fault of the machine, and stays loud (a trace, exit 3) otherwise. A
// stand-in command throws each error, as fs calls would raise it, inside this process.

import { join } from 'node:path';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { runCommandLine, type Commands } from '../../src/cli.js';
import { UsageError } from '../../src/core/errors.js';
import { NotRegularFileError } from '../../src/fs/input.js';

/** An error as node's fs raises it. */
function errno(code: string, syscall: string, path?: string, dest?: string): NodeJS.ErrnoException {
  const e: NodeJS.ErrnoException & { dest?: string } = new Error(`${code}: ${syscall}${path ? ` '${path}'` : ''}`);
  Object.assign(e, { code, syscall, errno: -1 });
  if (path !== undefined) e.path = path;
  if (dest !== undefined) e.dest = dest;
  return e;
}

function throwing(command: string, thrown: unknown): Commands {
  return {
    [command]: async () => (program, run) => {
      program.command(command).action(() => run(Promise.reject(thrown)));
    },
  };
}

afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

async function outcome(thrown: unknown, command = 'fix'): Promise<{ code: number | string | undefined; stderr: string }> {
  const writes: string[] = [];
  vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => {
    writes.push(String(s));
    return true;
  });
  process.exitCode = undefined;
  runCommandLine(throwing(command, thrown), ['node', 'canon', command]);
  await vi.waitFor(() => expect(process.exitCode).not.toBeUndefined());
  const code = process.exitCode;
  vi.restoreAllMocks();
  return { code, stderr: writes.join('') };
}

const here = (rel: string): string => join(process.cwd(), rel);

describe('a fault of the machine: one line naming the file and what to do, exit 2', () => {
  test('a full disk, on a write that carries the path', async () => {
    expect(await outcome(errno('ENOSPC', 'write', here('app/x.py')))).toEqual({
      code: 2,
      stderr: 'error: cannot write app/x.py: no space left on the device (ENOSPC); free some space, then run `canon fix` again\n',
    });
  });

  test("a full disk on writeFileAtomic's temporary file names the file it stands for", async () => {
    expect(await outcome(errno('ENOSPC', 'open', here('app/.x.py.canon-123-4.tmp')))).toEqual({
      code: 2,
      stderr: 'error: cannot write app/x.py: no space left on the device (ENOSPC); free some space, then run `canon fix` again\n',
    });
  });

  test('a rename names its target; migrate says to resume', async () => {
    expect(await outcome(errno('EDQUOT', 'rename', here('a/.b.canon-1-2.tmp'), here('a/b')), 'migrate')).toEqual({
      code: 2,
      stderr: 'error: cannot write a/b: disk quota exceeded (EDQUOT); free some space, then run `canon migrate --resume`\n',
    });
  });

  test('no permission: check the folder', async () => {
    expect(await outcome(errno('EACCES', 'open', '/srv/ro/app/.x.py.canon-1-2.tmp'), 'shim')).toEqual({
      code: 2,
      stderr: 'error: cannot write /srv/ro/app/x.py: permission denied (EACCES); check the permissions of /srv/ro/app/, then run `canon shim` again\n',
    });
  });

  test('a read-only file system', async () => {
    expect(await outcome(errno('EROFS', 'mkdir', '/mnt/ro/.canon'), 'report')).toEqual({
      code: 2,
      stderr: 'error: cannot create the folder /mnt/ro/.canon: read-only file system (EROFS); make it writable, then run `canon report` again\n',
    });
  });

  test('an error on a descriptor, with no path at all, still says what and what to do', async () => {
    expect(await outcome(errno('ENOSPC', 'write'))).toEqual({
      code: 2,
      stderr: 'error: no space left on the device (ENOSPC); free some space, then run `canon fix` again\n',
    });
  });

  test('the working folder was deleted', async () => {
    expect(await outcome(errno('ENOENT', 'uv_cwd'), 'scan')).toEqual({
      code: 2,
      stderr: 'error: the current folder no longer exists (it was deleted or moved); cd into the project and run canon again\n',
    });
  });

  test('a named pipe where a file was expected', async () => {
    expect(await outcome(new NotRegularFileError(here('log.fifo'), 'a named pipe'), 'usage')).toEqual({
      code: 2,
      stderr: 'error: cannot read log.fifo: it is a named pipe, not a regular file; name a regular file\n',
    });
  });
});

describe('everything else', () => {
  test('a user mistake stays `error: ...`, exit 2', async () => {
    expect(await outcome(new UsageError('--jobs: expected an integer >= 1', ['detail']))).toEqual({
      code: 2,
      stderr: 'error: --jobs: expected an integer >= 1\n  detail\n',
    });
  });

  test('a bug in canon stays loud: the trace, exit 3', async () => {
    const r = await outcome(new TypeError("Cannot read properties of undefined (reading 'file')"));
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^canon: internal error: TypeError: Cannot read properties of undefined \(reading 'file'\)\n    at /);
  });

  test('an error code that is not the machine’s (a network error) stays loud too', async () => {
    const r = await outcome(errno('ECONNRESET', 'read'));
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^canon: internal error: Error: ECONNRESET: read\n    at /);
  });
});
