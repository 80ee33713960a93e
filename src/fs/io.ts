// The file-system calls canon makes where it writes, behind one small interface. The writes of fix,
// shim, migrate and its journal, baseline, init and the lock all go through `io()`, so a test can
// put a layer in front of them (a full disk at the N-th write: see core/fault.ts) without touching
// node:fs for anything else in the process.

import * as nodeFs from 'node:fs';

export type FileSystem = Pick<
  typeof nodeFs,
  | 'openSync'
  | 'writeSync'
  | 'readSync'
  | 'fsyncSync'
  | 'fstatSync'
  | 'fchmodSync'
  | 'chmodSync'
  | 'closeSync'
  | 'readFileSync'
  | 'statSync'
  | 'lstatSync'
  | 'renameSync'
  | 'linkSync'
  | 'unlinkSync'
  | 'mkdirSync'
  | 'rmSync'
  | 'readdirSync'
  | 'appendFileSync'
>;

let current: FileSystem = nodeFs;

/** The file system canon's writers use. */
export function io(): FileSystem {
  return current;
}

/** Put `layer` in front of canon's writers (tests, fault injection); the returned function puts the previous one back. */
export function useFileSystem(layer: FileSystem): () => void {
  const previous = current;
  current = layer;
  return () => {
    current = previous;
  };
}

/** The real file system, for layers that wrap it. */
export const realFileSystem: FileSystem = nodeFs;
