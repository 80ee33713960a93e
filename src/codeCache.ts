// Running a command's bundled file with V8's code cache. Node 20 compiles an ES module from its
// source on every start, and each function again the first time it runs; a pre-commit check runs a
// few hundred functions once each, so compiling is a sixth of its time. The command files are
// therefore CommonJS scripts (scripts/bundle.mjs), run here through vm.Script, which takes the
// code V8 compiled in an earlier run as `cachedData`.
//
// The cache is written only by the build (scripts/bundle.mjs runs each command once with
// CANON_CODE_CACHE_WRITE=1), beside the file it belongs to, never by a user's run: a code cache is
// code, so canon never runs one it found in a project, and writes nothing outside the project. A
// cache holds a hash of the source it was made from, and V8 refuses one made by another version of
// itself or under other flags; one whose code does not match the hash it was written with is not
// handed to V8 (then the file is compiled as usual: slower, never wrong).

import { createHash } from 'node:crypto';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { Script } from 'node:vm';

/** V8's flags canon runs under: set before any code is compiled, so a cache made under them fits (cli.ts). */
export const V8_FLAGS = '--max-inlined-bytecode-size-cumulative=100';

/** Where the cache of a bundled file lives. */
export function cacheFileOf(file: string): string {
  return `${file}.v8cache`;
}

const hash = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex').slice(0, 32);

/**
 * What a cache for `source` begins with: the source's hash, Node's version and the machine, then
 * the hash of the code that follows (V8 checks the code's own header, not all of it, in a release
 * build: a damaged cache is told by this hash).
 */
function prefixOf(source: string): string {
  return `canon-v8cache ${hash(source)} ${process.version} ${process.arch} `;
}

/** What happened to the cache (CANON_DEBUG_CODE_CACHE=1 prints it): for tests and measurements. */
export type CacheUse = 'used' | 'rejected' | 'none';

/** Run the CommonJS file `file` (a command's bundle) as node would, with its code cache when it fits. */
export function runBundled(file: string): void {
  const source = readFileSync(file, 'utf8');
  const prefix = Buffer.from(prefixOf(source), 'latin1');
  let cachedData: Buffer | undefined;
  let use: CacheUse = 'none';
  try {
    const bytes = readFileSync(cacheFileOf(file));
    const eol = bytes.indexOf(10);
    if (eol > prefix.length && bytes.subarray(0, prefix.length).equals(prefix)) {
      const code = bytes.subarray(eol + 1);
      if (bytes.subarray(prefix.length, eol).toString('latin1') === hash(code)) cachedData = code;
      else use = 'rejected';
    }
  } catch {
    // no cache: compiled as usual
  }
  const script = new Script(Module.wrap(source), { filename: file, cachedData });
  if (cachedData !== undefined) use = script.cachedDataRejected ? 'rejected' : 'used';
  if (process.env.CANON_DEBUG_CODE_CACHE === '1') process.stderr.write(`code cache: ${use}\n`);
  if (process.env.CANON_CODE_CACHE_WRITE === '1') {
    // At exit: the cache then holds every function this run compiled, not only the top level.
    process.once('exit', () => {
      const tmp = `${cacheFileOf(file)}.${process.pid}.tmp`;
      try {
        const code = script.createCachedData();
        writeFileSync(tmp, Buffer.concat([prefix, Buffer.from(`${hash(code)}\n`, 'latin1'), code]));
        renameSync(tmp, cacheFileOf(file));
      } catch {
        // a folder canon cannot write to: no cache, the command compiles at each start
        rmSync(tmp, { force: true });
      }
    });
  }
  const fn = script.runInThisContext() as (exports: unknown, require: NodeRequire, module: { exports: unknown }, filename: string, dirname: string) => void;
  const module = { exports: {} };
  fn.call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
}
