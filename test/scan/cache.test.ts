// The scan cache (src/scan/cache.ts): a file's findings are reused only while the file, canon's
// code, the moves, the import roots and the project's file list are all what they were; anything
// else is scanned again, and a warm scan reports exactly what a cold one does.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/types.js';
import { CACHE_DIR, ScanCache, scanCacheKey } from '../../src/scan/cache.js';
import { runScan } from '../../src/scan/runScan.js';
import { makeProject, runCli } from '../helpers/project.js';

const CONFIG = `
[[move]]
from = "app.legacy:Thing"
to = "app.new:Thing"
`;

const FILES: Record<string, string> = {
  'canon.toml': CONFIG,
  'app/__init__.py': '',
  'app/legacy.py': 'from app.new import Thing\n',
  'app/new.py': 'class Thing: pass\n',
  'app/a.py': 'from app.legacy import Thing\n',
  'app/b.py': 'import os\nfrom app.gone import x\n',
  'app/c.py': 'from app.new import Thing\n',
};

function configOf(dir: string): Config {
  const r = loadConfig(join(dir, 'canon.toml'));
  if (!('config' in r)) throw new Error('bad config');
  return r.config;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const keyOf = (findings: { file: string; line: number; column: number; code: string; legacy: string }[]): string[] =>
  findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.code} ${f.legacy}`);

describe('ScanCache', () => {
  test('an entry holds while the stamp matches; recent files, other keys and broken files are not used', () => {
    const dir = makeProject({ 'a.py': 'x = 1\n' });
    const abs = join(dir, 'a.py');
    const cache = ScanCache.load(dir, 'k1');
    expect(cache.size).toBe(0);
    const st = { size: 6, mtimeMs: 1000, ctimeMs: 1000, ino: 1 };
    cache.record('a.py', st, { bytes: 6, lexed: false, findings: [] }, 1_000_000);
    // Recorded under a stamp the file does not have: no hit.
    expect(cache.lookup('a.py', abs)).toBeNull();
    // A file changed within the last two seconds is not recorded at all.
    cache.record('b.py', { ...st, mtimeMs: 999_000 }, { bytes: 1, lexed: false, findings: [] }, 1_000_000);
    expect(cache.has('b.py')).toBe(false);
    cache.save();
    expect(readFileSync(join(dir, CACHE_DIR, '.gitignore'), 'utf8')).toContain('*');
    expect(ScanCache.load(dir, 'k1').has('a.py')).toBe(true);
    expect(ScanCache.load(dir, 'k2').size).toBe(0);
    writeFileSync(join(dir, CACHE_DIR, 'scan-v2.json'), '{ not json');
    expect(ScanCache.load(dir, 'k1').size).toBe(0);
  });

  test('the key changes with the build, the moves, the roots and the file list', () => {
    const moves = configOf(makeProject(FILES)).moves;
    const base = scanCacheKey('b1', moves, ['.'], ['a.py', 'b.py']);
    expect(scanCacheKey('b1', moves, ['.'], ['a.py', 'b.py'])).toBe(base);
    expect(scanCacheKey('b2', moves, ['.'], ['a.py', 'b.py'])).not.toBe(base);
    expect(scanCacheKey('b1', [], ['.'], ['a.py', 'b.py'])).not.toBe(base);
    expect(scanCacheKey('b1', moves, ['.', 'src'], ['a.py', 'b.py'])).not.toBe(base);
    expect(scanCacheKey('b1', moves, ['.'], ['a.py', 'b.py', 'c.py'])).not.toBe(base);
  });
});

describe('runScan with the cache', () => {
  let dir: string;
  beforeAll(async () => {
    dir = makeProject(FILES);
    // Files younger than two seconds are never cached.
    await sleep(2100);
  });

  test('a warm scan reads nothing unchanged and reports exactly what a cold one does', async () => {
    const config = configOf(dir);
    const cold = await runScan(config, { cache: 'test' });
    expect(cold.stats.filesCached).toBe(0);
    const warm = await runScan(config, { cache: 'test' });
    expect(warm.stats.filesCached).toBe(cold.stats.filesScanned);
    expect(keyOf(warm.findings)).toEqual(keyOf(cold.findings));
    expect(warm.findings).toEqual(cold.findings);
    expect(warm.stats.bytes).toBe(cold.stats.bytes);
    expect(keyOf(cold.findings)).toEqual(['app/a.py:1:24 CAN001 app.legacy:Thing', 'app/b.py:2:6 CAN002 app.gone']);
    // Another build of canon does not trust it.
    expect((await runScan(config, { cache: 'other' })).stats.filesCached).toBe(0);
  });

  test('an edited file is scanned again, even at the same size', async () => {
    const config = configOf(dir);
    await runScan(config, { cache: 'edit' });
    // Same size, other bytes: the times tell.
    writeFileSync(join(dir, 'app/c.py'), 'from app.old import Thing\n');
    const after = await runScan(config, { cache: 'edit' });
    expect(after.stats.filesCached).toBe(after.stats.filesScanned - 1);
    expect(keyOf(after.findings)).toContain('app/c.py:1:6 CAN002 app.old');
  });

  test('a new module changes the key: unresolved imports are judged again', async () => {
    const config = configOf(dir);
    await runScan(config, { cache: 'new' });
    writeFileSync(join(dir, 'app/gone.py'), 'x = 1\n');
    const after = await runScan(config, { cache: 'new' });
    expect(after.stats.filesCached).toBe(0);
    expect(keyOf(after.findings).some((k) => k.includes('app.gone'))).toBe(false);
  });

  test('a module git ignores still resolves (Python imports it); judged on disk each run, cache or not', async () => {
    const root = makeProject(
      {
        ...FILES,
        '.gitignore': '*_pb2.py\nbuild/\n',
        'app/b.py': 'from app.gone import x\nfrom app.msg_pb2 import Msg\nfrom .msg_pb2 import Other\nimport app.build.fast\n',
        'app/msg_pb2.py': 'class Msg: pass\n',
        'app/build/fast.cpython-311-x86_64-linux-gnu.so': '',
      },
      { git: true },
    );
    await sleep(2100);
    const config = configOf(root);
    const unresolved = async (): Promise<string[]> =>
      keyOf((await runScan(config, { cache: 'ignored' })).findings.filter((f) => f.kind === 'unresolved'));
    expect(await unresolved()).toEqual(['app/b.py:1:6 CAN002 app.gone']);
    // From the cache, the same; once the generated module is gone, its imports are reported.
    expect(await unresolved()).toEqual(['app/b.py:1:6 CAN002 app.gone']);
    rmSync(join(root, 'app/msg_pb2.py'));
    rmSync(join(root, 'app/build'), { recursive: true });
    expect(await unresolved()).toEqual([
      'app/b.py:1:6 CAN002 app.gone',
      'app/b.py:2:6 CAN002 app.msg_pb2',
      'app/b.py:3:6 CAN002 app.msg_pb2',
      'app/b.py:4:8 CAN002 app.build.fast',
    ]);
  });

  test('--no-cache writes no cache; the command line writes one otherwise', async () => {
    const fresh = makeProject(FILES);
    await sleep(2100);
    expect(runCli(['scan', '--no-cache'], { cwd: fresh }).code).toBe(1);
    expect(existsSync(join(fresh, CACHE_DIR))).toBe(false);
    const first = runCli(['scan'], { cwd: fresh });
    expect(existsSync(join(fresh, CACHE_DIR, 'scan-v2.json'))).toBe(true);
    expect(runCli(['scan'], { cwd: fresh }).stdout).toBe(first.stdout);
  });
});

describe("verify's cache", () => {
  const VERIFY = join(CACHE_DIR, 'verify-v1.json');

  test('verdicts are reused while what they stand on holds, and judged again when it changes', async () => {
    const dir = makeProject(FILES);
    await sleep(2100);
    const config = configOf(dir);
    const first = await runScan(config, { cache: 'v' });
    expect(first.verdicts.map((v) => v.verdict)).toEqual(['same']);
    const recorded = readFileSync(join(dir, VERIFY), 'utf8');
    expect(JSON.parse(recorded).files.map((f: [string]) => f[0]).sort()).toEqual(['app/legacy.py', 'app/new.py']);
    // Reused: the same verdicts, the file not rewritten.
    const again = await runScan(config, { cache: 'v' });
    expect(again.verdicts).toEqual(first.verdicts);
    expect(readFileSync(join(dir, VERIFY), 'utf8')).toBe(recorded);

    // A file verify read changes: the legacy name now leads elsewhere.
    writeFileSync(join(dir, 'app/legacy.py'), 'class Thing: pass\n');
    const edited = await runScan(config, { cache: 'v' });
    expect(edited.verdicts.map((v) => v.verdict)).toEqual(['divergent']);
    // Recorded within two seconds of the edit: not trusted, not written.
    expect(readFileSync(join(dir, VERIFY), 'utf8')).toBe(recorded);
    expect((await runScan(config, { cache: 'v' })).verdicts.map((v) => v.verdict)).toEqual(['divergent']);

    // An answer of the module index that verify relied on differs: the record is not used.
    writeFileSync(join(dir, 'app/legacy.py'), 'from app.new import Thing\n');
    await sleep(2100);
    expect((await runScan(config, { cache: 'v' })).verdicts.map((v) => v.verdict)).toEqual(['same']);
    const good = JSON.parse(readFileSync(join(dir, VERIFY), 'utf8'));
    expect(good.asked.map((a: [string, string]) => a[0])).toContain('get app.new');
    const forged = { ...good, asked: good.asked.map(([q, a]: [string, string]) => [q, q === 'get app.new' ? '' : a]), verdicts: [{ ...good.verdicts[0], verdict: 'unresolved' }] };
    writeFileSync(join(dir, VERIFY), JSON.stringify(forged));
    expect((await runScan(config, { cache: 'v' })).verdicts.map((v) => v.verdict)).toEqual(['same']);
    expect(JSON.parse(readFileSync(join(dir, VERIFY), 'utf8'))).toEqual(good);
    // The same forged verdict under true answers would be used: the answers are what counts.
    writeFileSync(join(dir, VERIFY), JSON.stringify({ ...good, verdicts: [{ ...good.verdicts[0], verdict: 'unresolved' }] }));
    expect((await runScan(config, { cache: 'v' })).verdicts.map((v) => v.verdict)).toEqual(['unresolved']);
  });
});
