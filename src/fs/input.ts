// Reading a file the user named (config, usage log, baseline, JUnit report): only a regular file.
// A named pipe would block canon forever, a device would never end; either is refused at once.

import { closeSync, constants, fstatSync, openSync, readFileSync, type Stats } from 'node:fs';

/** The path names something that is not a regular file; `kind` says what it is. */
export class NotRegularFileError extends Error {
  constructor(
    readonly path: string,
    readonly kind: string,
  ) {
    super(`${kind}, not a regular file`);
  }
}

function kindOf(st: Stats): string {
  if (st.isDirectory()) return 'a folder';
  if (st.isFIFO()) return 'a named pipe';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  return 'not a file';
}

/**
 * The bytes of the regular file at `path`. Opened without blocking (O_NONBLOCK: opening a pipe
 * must not wait for a writer), checked, then read. Throws NotRegularFileError, or the errno error.
 */
export function readRegularFile(path: string): Buffer {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new NotRegularFileError(path, kindOf(st));
    return readFileSync(fd);
  } finally {
    closeSync(fd);
  }
}
