// The real-package differential harness: copies of standard-library packages and their own
// tests, `canon fix` with moves between each package and the submodules it re-exports from, and
// CPython as the judge. One run:
//   1. copy the packages, their stdlib tests and test.support into `pristine/`; make a venv whose
//      .pth puts that copy first on sys.path (and the frozen importlib.util/machinery behind it),
//      so the copy shadows the stdlib in every process the tests start, `-I` ones included;
//   2. import every module of the packages there (each in a fresh process), run the tests: the
//      baseline;
//   3. per direction (`up`: pkg.sub:X -> pkg:X, `down`: pkg:X -> pkg.sub:X), copy `pristine/` to
//      `<direction>/`, write canon.toml with the moves, run `canon fix --format json` (and a
//      second time, which must change nothing);
//   4. judge: files CPython rejects are byte-identical; every import binding and every read keeps
//      its target (oracle/targets.py, ast + symtable, pristine against fixed); every module that
//      imported still imports, binding the same objects (oracle/probe.py); every test that passed
//      still passes (a regression is re-run on both trees to tell it from a flaky test).
// Everything is returned as data; the test files decide what must hold.

import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pythonFiles, requirePythonPaths } from '../helpers/corpus.js';
import { CLI } from '../helpers/project.js';
import { PACKAGES, TEST_SUPPORT, type PackageSpec } from './packages.js';
import { spawnAsync } from '../helpers/spawn.js';

const ORACLE = join(dirname(fileURLToPath(import.meta.url)), 'oracle');

export type Direction = 'up' | 'down';

export interface Move {
  from: string;
  to: string;
}

export interface ModuleInfo {
  path: string;
  module: string;
  isPackage: boolean;
}

export interface ProbeRecord {
  ok: boolean;
  error: string;
  file: string;
  how: 'import' | 'exec';
  names: Record<string, string>;
}

export type Outcome = 'pass' | 'fail' | 'error' | 'skip' | 'xfail' | 'xpass' | 'crash';
export type Outcomes = Record<string, [Outcome, string]>;

export interface TargetDiff {
  kind: 'binding' | 'removed' | 'use' | 'compile' | 'scope';
  file: string;
  scope?: string;
  name?: string;
  read?: string;
  before?: string | number;
  after?: string | number;
  line?: number;
  text?: string;
  error?: string;
}

export interface TargetsReport {
  modules: number;
  compared: number;
  bindings: number;
  uses: number;
  diffs: TargetDiff[];
  /** Each rewritten file judged alone (the rest of the tree untouched). */
  isolated: TargetDiff[];
  skipped: string[];
}

export interface Baseline {
  root: string;
  python: string;
  modules: ModuleInfo[];
  /** Modules of the packages (not the tests), probed. */
  probed: string[];
  probe: Record<string, ProbeRecord>;
  tests: Outcomes;
  units: string[];
  seconds: { copy: number; probe: number; tests: number };
}

export interface FixRun {
  code: number;
  stderr: string;
  doc: FixDoc | null;
}

export interface FixDoc {
  files: { file: string; fixed: unknown[] }[];
  refused: { file: string; line: number; column: number; legacy: string; refusal: string; statement: string }[];
  errors: { file: string; message: string }[];
  summary: { filesChanged: number; fixed: number; refused: number; errors: number; compiled: unknown };
}

export interface DirectionResult {
  direction: Direction;
  root: string;
  moves: Move[];
  fix: FixRun;
  secondFix: FixRun;
  /** Files CPython rejects before the fix that the fix changed (must be empty). */
  rejectedRewritten: string[];
  changedFiles: string[];
  targets: TargetsReport;
  probe: Record<string, ProbeRecord>;
  importFailures: { module: string; error: string }[];
  nameChanges: { module: string; name: string; before: string; after: string }[];
  namesCompared: number;
  /**
   * When modules failed to import or changed what they bind: each rewritten file of the
   * packages alone on the untouched tree, and what then fails, so a failure points at its file.
   */
  isolatedImports: { file: string; module: string; error: string }[];
  tests: Outcomes;
  regressions: { id: string; before: string; after: string; detail: string }[];
  flaky: string[];
  seconds: { fix: number; targets: number; probe: number; tests: number };
}

/** The interpreter behind `python3` (not a pyenv shim), which makes the venvs. */
function realPython(): string {
  const r = spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`python3 is needed for the real-package harness: ${r.stderr}`);
  return r.stdout.trim();
}

function seconds(t0: number): number {
  return Math.round((Date.now() - t0) / 100) / 10;
}

const skipCache = (src: string): boolean => !src.split('/').includes('__pycache__');

/**
 * Copy the packages and their tests from the stdlib into `dest`, and the `test.*` modules those
 * tests import (oracle/test_deps.py), which canon then sees as the project's own code.
 */
export function copyPackages(python: string, stdlib: string, dest: string, names: readonly string[]): void {
  const paths = new Set<string>(TEST_SUPPORT);
  for (const n of names) {
    const spec = PACKAGES[n];
    paths.add(spec.name);
    for (const t of [...spec.tests, ...(spec.data ?? [])]) paths.add(t);
    for (const t of spec.optional ?? []) if (existsSync(join(stdlib, t))) paths.add(t);
  }
  const missing = [...paths].filter((p) => !existsSync(join(stdlib, p)));
  if (missing.length > 0) {
    throw new Error(
      `the real-package harness needs the standard library's own tests, and ${stdlib} lacks ${missing.join(', ')} ` +
        `(Debian ships them apart: apt-get install libpython3.X-testsuite; .ci/run does)`,
    );
  }
  for (const p of paths) cpSync(join(stdlib, p), join(dest, p), { recursive: true, filter: skipCache });
  const r = spawnSync(python, [join(ORACLE, 'test_deps.py'), dest, stdlib], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`test_deps.py failed (${r.status}): ${r.stderr}`);
}

/** Every module of a copied tree, by path. */
export function modulesOf(root: string): ModuleInfo[] {
  return pythonFiles(root, ['__pycache__', '.canon', '.venv'])
    .map((f) => relative(root, f).split('\\').join('/'))
    .filter((rel) => rel.split('/').every((part, i, a) => (i === a.length - 1 ? /^[A-Za-z_][A-Za-z0-9_]*\.py$/.test(part) : /^[A-Za-z_][A-Za-z0-9_]*$/.test(part))))
    .map((rel) => {
      const isPackage = rel.endsWith('/__init__.py');
      const module = (isPackage ? rel.slice(0, -'/__init__.py'.length) : rel.slice(0, -3)).split('/').join('.');
      return { path: rel, module, isPackage };
    });
}

/**
 * A venv whose interpreter puts `root` first on sys.path in every process (a .pth runs at
 * start-up, `-I` included), and finds importlib.util and importlib.machinery there rather than
 * frozen (FrozenImporter moved behind the path finder).
 */
export function makeVenv(base: string, dir: string, root: string): string {
  const r = spawnSync(base, ['-m', 'venv', '--without-pip', dir], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`python3 -m venv failed (${r.status}): ${r.stderr}`);
  const ver = spawnSync(base, ['-c', 'import sys; print("python%d.%d" % sys.version_info[:2])'], { encoding: 'utf8' }).stdout.trim();
  const site = join(dir, 'lib', ver, 'site-packages');
  const line =
    `import sys; p = ${JSON.stringify(root)}; p in sys.path or sys.path.insert(0, p); ` +
    `f = [m for m in sys.meta_path if getattr(m, '__name__', '') == 'FrozenImporter']; ` +
    `[(sys.meta_path.remove(m), sys.meta_path.append(m)) for m in f]\n`;
  writeFileSync(join(site, '_canon_copy_first.pth'), line);
  return join(dir, 'bin', 'python3');
}

function runPython(python: string, args: string[], opts: { input?: string; cwd?: string; timeoutMs?: number } = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, PYTHONDONTWRITEBYTECODE: '1' };
    delete env.PYTHONPATH;
    delete env.PYTHONHOME;
    const py = spawn(python, args, { cwd: opts.cwd, env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timer: NodeJS.Timeout | undefined;
    if (opts.timeoutMs) {
      timer = setTimeout(() => {
        try {
          process.kill(-py.pid!, 'SIGKILL');
        } catch {
          /* gone already */
        }
      }, opts.timeoutMs);
    }
    py.stdout.on('data', (b: Buffer) => out.push(b));
    py.stderr.on('data', (b: Buffer) => {
      err.push(b);
      // Keep only the tail of a chatty test run.
      if (err.length > 400) err.splice(0, err.length - 200);
    });
    py.on('error', reject);
    py.on('close', (code) => {
      if (timer) clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
    py.stdin.end(opts.input ?? '');
  });
}

/** Import each module in a fresh process under the venv (oracle/probe.py). */
async function probe(python: string, root: string, modules: string[], work: string): Promise<Record<string, ProbeRecord>> {
  const out = join(work, `probe-${Date.now()}.json`);
  const r = await runPython(python, [join(ORACLE, 'probe.py'), root, out], { input: modules.join('\n') + '\n', cwd: work, timeoutMs: 30 * 60_000 });
  if (r.code !== 0 || !existsSync(out)) throw new Error(`probe failed (${r.code}): ${r.stderr.slice(-2000)}`);
  return JSON.parse(readFileSync(out, 'utf8')) as Record<string, ProbeRecord>;
}

/** The test units of the packages: modules and packages, split ones by submodule. */
export function testUnits(root: string, names: readonly string[], optional: boolean): string[] {
  const units: string[] = [];
  for (const n of names) {
    const spec: PackageSpec = PACKAGES[n];
    const present = optional ? (spec.optional ?? []).filter((t) => existsSync(join(root, t))) : [];
    for (const t of [...spec.tests, ...present]) {
      const dotted = t.replace(/\.py$/, '').split('/').join('.');
      if (!(spec.split ?? []).includes(t)) {
        units.push(dotted);
        continue;
      }
      // One unit per test_* module anywhere below, so a hang costs only its own tests.
      for (const f of pythonFiles(join(root, t), ['__pycache__'])) {
        const rel = relative(root, f).split('\\').join('/');
        const base = rel.split('/').pop()!;
        if (!base.startsWith('test_')) continue;
        units.push(rel.slice(0, -3).split('/').join('.'));
      }
    }
  }
  return units;
}

/** Run the units, one process each (oracle/run_tests.py), in a scratch folder per unit. */
async function runTests(python: string, units: string[], work: string, timeoutMs: number, only?: Map<string, string[]>): Promise<Outcomes> {
  const all: Outcomes = {};
  const jobs = Math.max(1, Number(process.env.CANON_REAL_JOBS ?? 1));
  const queue = [...units];
  const worker = async (): Promise<void> => {
    for (let unit = queue.shift(); unit !== undefined; unit = queue.shift()) {
      const cwd = mkdtempSync(join(work, 'unit-'));
      const out = join(cwd, '..', `${relative(work, cwd)}.json`);
      const names = only?.get(unit) ?? [unit];
      const r = await runPython(python, [join(ORACLE, 'run_tests.py'), out, ...names], { cwd, timeoutMs });
      if (existsSync(out)) Object.assign(all, JSON.parse(readFileSync(out, 'utf8')) as Outcomes);
      else all[`<unit ${unit}>`] = ['crash', `exit ${r.code}: ${r.stderr.slice(-600)}`];
      rmSync(cwd, { recursive: true, force: true });
    }
  };
  await Promise.all(Array.from({ length: jobs }, worker));
  return all;
}

export interface HarnessOptions {
  names: readonly string[];
  /** Per test unit. */
  testTimeoutMs?: number;
  /** Keep the temporary folder (its path is in the result). */
  keep?: boolean;
  /** Run the packages' tests (the slow part). */
  tests?: boolean;
  /** Run the packages' optional tests where the install has them (the full set does). */
  optional?: boolean;
}

export class Harness {
  readonly dir: string;
  readonly stdlib: string;
  private readonly base: string;
  private baselineResult: Baseline | null = null;

  constructor(readonly opts: HarnessOptions) {
    this.stdlib = requirePythonPaths().stdlib;
    this.base = realPython();
    this.dir = mkdtempSync(join(tmpdir(), 'canon-real-'));
  }

  dispose(): void {
    if (!this.opts.keep) rmSync(this.dir, { recursive: true, force: true });
  }

  /** The moves for one direction, from the re-exports of every package below the selected ones. */
  moves(direction: Direction): Move[] {
    const r = spawnSync(this.base, [join(ORACLE, 'reexports.py'), this.stdlib, ...this.opts.names.map((n) => PACKAGES[n].name)], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`reexports.py failed: ${r.stderr}`);
    const rx = JSON.parse(r.stdout) as { package: string; module: string; name: string; alias: string }[];
    const seen = new Set<string>();
    const out: Move[] = [];
    for (const x of rx) {
      const sub = `${x.module}:${x.name}`;
      const pkg = `${x.package}:${x.alias}`;
      const m = direction === 'up' ? { from: sub, to: pkg } : { from: pkg, to: sub };
      if (seen.has(m.from)) continue;
      seen.add(m.from);
      out.push(m);
    }
    return out;
  }

  async baseline(): Promise<Baseline> {
    if (this.baselineResult) return this.baselineResult;
    let t0 = Date.now();
    const root = join(this.dir, 'pristine');
    copyPackages(this.base, this.stdlib, root, this.opts.names);
    const modules = modulesOf(root);
    const copy = seconds(t0);
    const python = makeVenv(this.base, join(this.dir, 'venv-pristine'), root);
    const work = join(this.dir, 'work-pristine');
    mkdirSync(work, { recursive: true });
    const tops = this.opts.names.map((n) => PACKAGES[n].name);
    const probed = modules.filter((m) => tops.includes(m.module.split('.')[0])).map((m) => m.module);
    t0 = Date.now();
    const pr = await probe(python, root, probed, work);
    const probeS = seconds(t0);
    t0 = Date.now();
    const units = testUnits(root, this.opts.names, this.opts.optional === true);
    const tests = this.opts.tests === false ? {} : await runTests(python, units, work, this.opts.testTimeoutMs ?? 900_000);
    this.baselineResult = { root, python, modules, probed, probe: pr, tests, units, seconds: { copy, probe: probeS, tests: seconds(t0) } };
    return this.baselineResult;
  }

  async direction(direction: Direction): Promise<DirectionResult> {
    const b = await this.baseline();
    const root = join(this.dir, direction);
    cpSync(b.root, root, { recursive: true, filter: skipCache });
    const moves = this.moves(direction);
    writeFileSync(join(root, 'canon.toml'), configText(moves));

    let t0 = Date.now();
    const fix = await runFix(root);
    const secondFix = await runFix(root);
    const fixS = seconds(t0);

    const changedFiles = b.modules.filter((m) => !readFileSync(join(b.root, m.path)).equals(readFileSync(join(root, m.path)))).map((m) => m.path);

    t0 = Date.now();
    const tr = await spawnAsync(this.base, [join(ORACLE, 'targets.py'), b.root, root], { input: JSON.stringify(b.modules) });
    if (tr.code !== 0) throw new Error(`targets.py failed (${tr.code}): ${tr.stderr.slice(-3000)}`);
    const targets = JSON.parse(tr.stdout) as TargetsReport;
    const rejectedRewritten = targets.skipped.filter((p) => changedFiles.includes(p));
    const targetsS = seconds(t0);

    t0 = Date.now();
    const python = makeVenv(this.base, join(this.dir, `venv-${direction}`), root);
    const work = join(this.dir, `work-${direction}`);
    mkdirSync(work, { recursive: true });
    const pr = await probe(python, root, b.probed, work);
    const { importFailures, nameChanges, namesCompared } = compareProbes(b.probe, pr);
    const isolatedImports = importFailures.length + nameChanges.length > 0 ? await this.isolateImports(b, root, changedFiles, direction) : [];
    const probeS = seconds(t0);

    t0 = Date.now();
    let tests: Outcomes = {};
    let regressions: DirectionResult['regressions'] = [];
    let flaky: string[] = [];
    if (this.opts.tests !== false) {
      tests = await runTests(python, b.units, work, this.opts.testTimeoutMs ?? 900_000);
      ({ regressions, flaky } = await this.confirm(b, python, work, tests));
    }
    return {
      direction, root, moves, fix, secondFix, rejectedRewritten, changedFiles, targets, probe: pr, importFailures, nameChanges, namesCompared,
      isolatedImports, tests, regressions, flaky, seconds: { fix: fixS, targets: targetsS, probe: probeS, tests: seconds(t0) },
    };
  }

  /** Each rewritten module of the packages alone on a copy of the untouched tree, probed. */
  private async isolateImports(b: Baseline, fixed: string, changedFiles: string[], direction: Direction): Promise<DirectionResult['isolatedImports']> {
    const root = join(this.dir, `isolated-${direction}`);
    cpSync(b.root, root, { recursive: true, filter: skipCache });
    const python = makeVenv(this.base, join(this.dir, `venv-isolated-${direction}`), root);
    const work = join(this.dir, `work-isolated-${direction}`);
    mkdirSync(work, { recursive: true });
    const ofPackages = new Set(b.modules.filter((m) => b.probed.includes(m.module)).map((m) => m.path));
    const out: DirectionResult['isolatedImports'] = [];
    for (const file of changedFiles.filter((f) => ofPackages.has(f))) {
      writeFileSync(join(root, file), readFileSync(join(fixed, file)));
      const pr = await probe(python, root, b.probed, work);
      const { importFailures, nameChanges } = compareProbes(b.probe, pr);
      for (const f of importFailures) out.push({ file, module: f.module, error: f.error });
      for (const c of nameChanges) out.push({ file, module: c.module, error: `${c.name}: ${c.before} -> ${c.after}` });
      writeFileSync(join(root, file), readFileSync(join(b.root, file)));
    }
    rmSync(root, { recursive: true, force: true });
    return out;
  }

  /**
   * Tests that passed at baseline and not after the fix, re-run twice on both trees: a
   * regression fails after the fix every time while passing before; the rest are flaky.
   */
  private async confirm(b: Baseline, python: string, work: string, after: Outcomes): Promise<{ regressions: DirectionResult['regressions']; flaky: string[] }> {
    const suspects = Object.entries(b.tests)
      .filter(([id, [o]]) => o === 'pass' && after[id]?.[0] !== 'pass')
      .map(([id]) => id);
    const regressions: DirectionResult['regressions'] = [];
    const flaky: string[] = [];
    // A unit that could not load (or crashed) lost all its tests: no point re-running them one by one.
    const lost = suspects.filter((id) => after[id] === undefined);
    const rerun = suspects.filter((id) => after[id] !== undefined && /^[\w.]+$/.test(id));
    const byUnit = new Map<string, string[]>();
    for (const id of rerun) {
      const unit = b.units.find((u) => id.startsWith(u + '.')) ?? id;
      byUnit.set(unit, [...(byUnit.get(unit) ?? []), id]);
    }
    const again: Outcomes[] = [];
    for (let i = 0; i < 2 && byUnit.size > 0; i++) {
      again.push(await runTests(b.python, [...byUnit.keys()], join(this.dir, 'work-pristine'), 900_000, byUnit));
      again.push(await runTests(python, [...byUnit.keys()], work, 900_000, byUnit));
    }
    for (const id of suspects) {
      const a = after[id];
      const detail = a?.[1] ?? (Object.entries(after).find(([k]) => k.includes('_FailedTest') || k.startsWith('<'))?.[1][1] ?? 'missing after the fix');
      if (lost.includes(id) || !rerun.includes(id)) {
        regressions.push({ id, before: 'pass', after: a?.[0] ?? 'missing', detail });
        continue;
      }
      const beforeAlways = again.filter((_, k) => k % 2 === 0).every((o) => o[id]?.[0] === 'pass');
      const afterNever = again.filter((_, k) => k % 2 === 1).every((o) => o[id]?.[0] !== 'pass');
      if (beforeAlways && afterNever) regressions.push({ id, before: 'pass', after: a[0], detail });
      else flaky.push(id);
    }
    return { regressions, flaky };
  }
}

export function configText(moves: Move[]): string {
  return ['src = ["."]', '', ...moves.map((m) => `[[move]]\nfrom = ${JSON.stringify(m.from)}\nto = ${JSON.stringify(m.to)}\n`)].join('\n');
}

export async function runFix(root: string, extra: string[] = []): Promise<FixRun> {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.FORCE_COLOR;
  const r = await spawnAsync(process.execPath, [CLI, 'fix', '--format', 'json', ...extra], { cwd: root, env, timeoutMs: 600_000 });
  let doc: FixDoc | null = null;
  try {
    doc = JSON.parse(r.stdout) as FixDoc;
  } catch {
    doc = null;
  }
  return { code: r.code ?? -1, stderr: r.stderr, doc };
}

/**
 * Every module that imported before must import after, and every module-level name must keep
 * its description. A value's description lists the names holding the same object; only names
 * that exist in both runs count (a fix may add an import binding a new name to the same object).
 */
export function compareProbes(before: Record<string, ProbeRecord>, after: Record<string, ProbeRecord>): {
  importFailures: { module: string; error: string }[];
  nameChanges: { module: string; name: string; before: string; after: string }[];
  namesCompared: number;
} {
  const importFailures: { module: string; error: string }[] = [];
  const nameChanges: { module: string; name: string; before: string; after: string }[] = [];
  const both = new Set<string>();
  for (const [m, rb] of Object.entries(before)) {
    const ra = after[m];
    if (!rb.ok || !ra?.ok) continue;
    for (const k of Object.keys(rb.names)) if (k in ra.names) both.add(`${m}:${k}`);
  }
  const norm = (d: string): string => {
    if (!d.startsWith('value:')) return d;
    const eq = d.indexOf('=');
    return d.slice(0, eq + 1) + d.slice(eq + 1).split(',').filter((h) => both.has(h)).join(',');
  };
  let namesCompared = 0;
  for (const [m, rb] of Object.entries(before)) {
    if (!rb.ok) continue;
    const ra = after[m];
    if (!ra?.ok) {
      importFailures.push({ module: m, error: ra?.error ?? 'not probed' });
      continue;
    }
    for (const [k, d] of Object.entries(rb.names)) {
      namesCompared++;
      const da = ra.names[k];
      if (da === undefined) nameChanges.push({ module: m, name: k, before: d, after: '(unbound)' });
      else if (norm(d) !== norm(da)) nameChanges.push({ module: m, name: k, before: d, after: da });
    }
  }
  return { importFailures, nameChanges, namesCompared };
}

/** The refusals canon printed, counted by reason with the specifics (paths, names) taken out. */
export function refusalCounts(doc: FixDoc | null): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of doc?.refused ?? []) {
    const key = reasonKind(r.refusal);
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return Object.fromEntries(Object.entries(counts).sort((a, b) => b[1] - a[1]));
}

export function reasonKind(reason: string): string {
  return reason
    .replace(/`[^`]*`/g, '`…`')
    .replace(/\b[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)+(:[A-Za-z_]\w*)?\b/g, '…')
    .replace(/\(\w+, line \d+\)/g, '(…)')
    .replace(/\d+/g, 'N')
    .slice(0, 160);
}
