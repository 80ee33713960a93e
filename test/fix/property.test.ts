// Property test on real code: for a seeded sample of the standard library's files, pick moves at
// random among the modules and names each file imports (to modules that exist only by name), plan
// the fix with the per-file planner (no verify, no project), and check with CPython's `ast` that
//   1. the rewritten file still compiles,
//   2. its import bindings (scope, local name -> fully qualified target) are exactly the original
//      ones with the moves applied (a refused occurrence keeps its binding),
//   3. nothing else changed: the AST without import statements is identical,
//   4. canon's own pre-write check (sameBindings.ts) agrees that every name keeps its meaning;
// and with CPython's symtable (oracle/scopes.py), in both tests below:
//   5. every name the file reads is still bound after the fix, to the same object: each read
//      resolves to the bindings it did before, their targets moved exactly as the moves say
//      (a site canon refused keeps its target);
//   6. no name bound to a module is bound to another module, unless a module move says so.
// The moves avoid names the file also reaches through a module object (`import m; m.X`): those
// rewrite uses, which the fixtures cover.

import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import type { Move } from '../../src/config/types.js';
import { MoveTable } from '../../src/core/moveTable.js';
import { applyEdits, type Edit } from '../../src/fix/edits.js';
import { planFile } from '../../src/fix/planFile.js';
import { sameBindings } from '../../src/fix/sameBindings.js';
import { lexImports } from '../../src/python/lexer.js';
import { moduleNameOf, resolveRelative } from '../../src/python/modules.js';
import { StmtKind } from '../../src/python/records.js';
import { pythonFiles, requirePythonPaths } from '../helpers/corpus.js';
import { rng } from '../helpers/rng.js';
import { breathe } from '../helpers/spawn.js';

const ORACLE = join(dirname(fileURLToPath(import.meta.url)), 'oracle', 'bindings.py');
// Deterministic by default; the environment can widen a local exploration.
const SEED = Number(process.env.CANON_FIX_PROPERTY_SEED ?? 20240611);
const SAMPLE = Number(process.env.CANON_FIX_PROPERTY_SAMPLE ?? 300);




interface Sample {
  path: string;
  module: string;
  isPackage: boolean;
  text: string;
  moves: Move[];
}

/** Moves for one file: a few of its from-imported names and maybe one of its modules. */
function pickMoves(text: string, module: string, isPackage: boolean, rand: () => number, n: number): Move[] {
  const lex = lexImports(text);
  const plain: string[] = [];
  const bound: string[] = [];
  const names: [string, string][] = [];
  const fromModules = new Set<string>();
  for (const st of lex.imports) {
    if (st.kind === StmtKind.Import) {
      for (const it of st.names) (it.asname === null ? plain : bound).push(it.name);
      continue;
    }
    const abs = st.level > 0 ? resolveRelative(st.level, st.module, module, isPackage) : st.module;
    if (abs === null || abs === '__future__') continue;
    fromModules.add(abs);
    for (const it of st.names) {
      if (it.name === '*') continue;
      names.push([abs, it.name]);
      bound.push(`${abs}.${it.name}`);
    }
  }
  const top = module.split('.')[0];
  const related = (a: string, b: string): boolean => a === b || a.startsWith(b + '.') || b.startsWith(a + '.');
  // A module the file also binds as a module object would have its attribute uses rewritten.
  const symbolOk = ([m]: [string, string]): boolean => !plain.some((p) => related(p, m)) && !bound.some((b) => related(b, m));
  const eligible = names.filter(symbolOk).filter((x, i, a) => a.findIndex((y) => y[0] === x[0] && y[1] === x[1]) === i);
  const moves: Move[] = [];
  const used = new Set<string>();
  const existing = [...fromModules];
  for (let k = 0; k < 3 && eligible.length > 0; k++) {
    const [m, name] = eligible[Math.floor(rand() * eligible.length)];
    if (used.has(m) || rand() < 0.15) continue;
    const r = rand();
    // To a new module (absolute), to one in the file's own package (relative spelling), or to a
    // module the file already imports from (merges).
    const to = r < 0.4 ? `zzcanon.m${n}_${k}` : r < 0.7 ? `${top}.zzcanon${n}_${k}` : existing[Math.floor(rand() * existing.length)];
    if (to === m) continue;
    const toName = rand() < 0.3 ? `${name}_renamed` : name;
    used.add(m);
    moves.push({ kind: 'symbol', index: moves.length, id: `${m}:${name}`, fromModule: m, fromName: name, toModule: to, toName });
    // Every name the file imports from `m` moves along half of the time.
    if (rand() < 0.5) {
      for (const [m2, n2] of eligible) {
        if (m2 !== m || n2 === name) continue;
        moves.push({ kind: 'symbol', index: moves.length, id: `${m2}:${n2}`, fromModule: m2, fromName: n2, toModule: to, toName: n2 });
      }
    }
  }
  // A whole-module move of a from-imported module nobody binds as a module object.
  const mods = [...fromModules].filter((m) => !used.has(m) && !plain.some((p) => related(p, m)) && !bound.some((b) => m.startsWith(b + '.')));
  if (mods.length > 0 && rand() < 0.6) {
    const m = mods[Math.floor(rand() * mods.length)];
    const to = rand() < 0.5 ? `zzmoved.p${n}` : `${top}.zzmoved${n}`;
    if (!related(m, to)) moves.push({ kind: 'module', index: moves.length, id: m, fromModule: m, toModule: to });
  }
  return moves;
}

function mapTarget(table: MoveTable, target: string, kind: string): string {
  // An `import a.b` binding (`a`) names the top package, which no move of `a.b` moves.
  if (kind === 'import') return target;
  if (kind === 'from') {
    const dot = target.lastIndexOf('.');
    const sm = table.symbol(target.slice(0, dot), target.slice(dot + 1));
    if (sm) return `${sm.toModule}.${sm.toName}`;
  }
  const mm = table.moduleMoveFor(target);
  return mm ? MoveTable.mapModule(mm, target) : target;
}

type Read = [scope: string, name: string, targets: [label: string, offset: number][], attrs: string[], offset: number];
type Names = { reads: Read[]; imports: [home: string, local: string, label: string, offset: number][] };
type Analysed = { error: string } | { bindings: [string, string, string, string, number][]; bound: Record<string, number>; uses: [string, string, number][]; shape: string; names: Names | null };

/** Is `dotted` a module of the stdlib (a `.py` file or a package folder)? */
function stdlibModule(root: string, dotted: string): boolean {
  const p = join(root, ...dotted.split('.'));
  try {
    const entries = readdirSync(dirname(p));
    const last = dotted.split('.').pop()!;
    return entries.includes(`${last}.py`) || entries.includes(last);
  } catch {
    return false;
  }
}

/**
 * Checks 4 and 5 for one file: `before` and `after` are symtable's views of the original and the
 * rewrite, `kept(offset)` says canon refused the site at that offset (so its target must not
 * move). Returns one message per violation: `reads` (check 4), `modules` (check 5).
 */
function checkNames(before: Names | null, after: Names | null, table: MoveTable, kept: (offset: number) => boolean, isModule: (m: string) => boolean): { reads: string[]; modules: string[] } {
  if (before === null) return { reads: [], modules: [] };
  if (after === null) return { reads: ['symtable rejects the rewrite'], modules: [] };
  const reads: string[] = [];
  const modules: string[] = [];
  const target = (label: string): string => label.slice(label.indexOf(':') + 1);
  const qualified = (label: string): boolean => /^(from|module):/.test(label);
  const chains = (r: Read, map: boolean): string =>
    [...new Set(r[2].map(([label, off]) => {
      const keep = !map || kept(r[4]) || (off >= 0 && kept(off));
      if (label.startsWith('star:')) {
        // A star-import moves with a whole-module move of its module, never with a symbol move
        // (scan reports it, fix leaves it).
        const q = target(label);
        const module = q.slice(0, q.lastIndexOf('.'));
        const mm = keep ? undefined : table.moduleMoveFor(module);
        return [mm ? `${MoveTable.mapModule(mm, module)}${q.slice(module.length)}` : q, ...r[3]].join('.');
      }
      if (!qualified(label)) return [label, ...r[3]].join('.');
      const q = [target(label), ...r[3]].join('.');
      return keep ? q : mapUse(table, q);
    }))]
      .sort()
      .join(' | ');
  // Canon edits imports and attribute uses, never adds or drops a read: they pair up in order.
  if (before.reads.length !== after.reads.length) {
    reads.push(`${before.reads.length} reads before the fix, ${after.reads.length} after`);
  } else {
    before.reads.forEach((r, i) => {
      const want = chains(r, true);
      const got = chains(after.reads[i], false);
      if (want !== got) reads.push(`read of \`${[r[1], ...r[3]].join('.')}\` in scope ${r[0] || 'module'}: should name ${want}, names ${got}`);
    });
  }
  // A name bound to a module stays bound to that module (or to the one a module move names), or
  // goes away; a symbol move of a from-imported module object (`from os import path`) moves it as
  // the move names it. Compared as the set of a name's targets (try/except, if/else bind twice).
  const by = (imports: Names['imports']): Map<string, Names['imports']> => {
    const m = new Map<string, Names['imports']>();
    for (const x of imports) m.set(`${x[0]}|${x[1]}`, [...(m.get(`${x[0]}|${x[1]}`) ?? []), x]);
    return m;
  };
  const afterBy = by(after.imports);
  for (const [key, bs] of by(before.imports)) {
    const now = afterBy.get(key);
    if (now === undefined || !bs.some(([, , label]) => label.startsWith('module:') || (label.startsWith('from:') && isModule(target(label))))) continue;
    const want = new Set(bs.map(([, , label, off]) => (kept(off) ? target(label) : mapTarget(table, target(label), label.startsWith('from:') ? 'from' : 'import-module'))));
    const got = new Set(now.map(([, , label]) => target(label)));
    if ([...got].some((g) => !want.has(g)) || [...want].some((w) => !got.has(w))) {
      const [home, local] = key.split('|');
      modules.push(`\`${local}\` (scope ${home || 'module'}) was ${bs.map(([, , l]) => l).join(' | ')}${[...want].join(' | ') !== bs.map(([, , l]) => target(l)).join(' | ') ? ` (moves say ${[...want].join(' | ')})` : ''}, is ${now.map(([, , l]) => l).join(' | ')}`);
    }
  }
  return { reads, modules };
}

type OracleResult = Analysed;

/** canon's pre-write check on a rewrite the oracle judged: it must not call a correct rewrite wrong. */
function meaningCheck(s: Sample, table: MoveTable, edits: readonly Edit[], after: string): string | null {
  if (after === s.text) return null;
  return sameBindings({
    before: s.text, after, edits, beforeImports: lexImports(s.text).imports, afterImports: lexImports(after).imports,
    self: { name: s.module, isPackage: s.isPackage }, table,
  });
}

test('fix on the standard library keeps every binding but the moved ones, which move exactly', async () => {
  const root = requirePythonPaths().stdlib;
  const all = pythonFiles(root, ['site-packages', '__pycache__']);
  const rand = rng(SEED);
  // A deterministic sample: shuffle the sorted list with the seeded PRNG.
  for (let i = all.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [all[i], all[j]] = [all[j], all[i]];
  }
  const samples: Sample[] = [];
  for (const path of all) {
    if (samples.length >= SAMPLE) break;
    const rel = relative(root, path).split('\\').join('/');
    const module = moduleNameOf(rel, ['.']);
    if (module === null) continue;
    const text = readFileSync(path).toString('latin1');
    const isPackage = rel.endsWith('__init__.py');
    const moves = pickMoves(text, module, isPackage, rand, samples.length);
    if (moves.length === 0) continue;
    samples.push({ path: rel, module, isPackage, text, moves });
  }
  expect(samples.length).toBeGreaterThanOrEqual(Math.min(SAMPLE, 300));

  const results = await planAll(samples);
  const oracleOut = await oracle(results.map(({ s, after }) => ({
    path: s.path, module: s.module, isPackage: s.isPackage, texts: [s.text, after], want: ['compile', 'shape', 'names'],
  })));
  const data = oracleOut as [OracleResult, OracleResult][];

  const failures: string[] = [];
  let checked = 0;
  let rewritten = 0;
  let fixed = 0;
  let refused = 0;
  let namesChecked = 0;
  results.forEach(({ s, table, r, after }, i) => {
    const [before, now] = data[i];
    if ('error' in before) return; // CPython rejects the original: no ground truth.
    checked++;
    if (r.error !== null) {
      failures.push(`${s.path}: planner error on a file CPython accepts: ${r.error}`);
      return;
    }
    if (after !== s.text) rewritten++;
    fixed += r.occurrences.filter((o) => o.fixed).length;
    refused += r.occurrences.filter((o) => !o.fixed).length;
    if ('error' in now) {
      failures.push(`${s.path}: the rewrite does not compile: ${now.error}`);
      return;
    }
    if (now.shape !== before.shape) failures.push(`${s.path}: code other than imports changed`);
    const meaning = meaningCheck(s, table, r.edits, after);
    if (meaning !== null) failures.push(`${s.path}: ${meaning}`);
    const kept = (offset: number): boolean => r.occurrences.some((o) => !o.fixed && o.start <= offset && offset < o.end);
    const want = new Set(before.bindings.map(([scope, local, target, kind, offset]) => `${scope}|${local}|${kept(offset) ? target : mapTarget(table, target, kind)}`));
    const got = new Set(now.bindings.map(([scope, local, target]) => `${scope}|${local}|${target}`));
    const missing = [...want].filter((b) => !got.has(b));
    const extra = [...got].filter((b) => !want.has(b));
    if (missing.length > 0 || extra.length > 0) {
      failures.push(`${s.path} (moves ${s.moves.map((m) => (m.kind === 'symbol' ? `${m.id}->${m.toModule}:${m.toName}` : `${m.id}->${m.toModule}`)).join(', ')}): missing ${missing.join(', ') || '-'}; extra ${extra.join(', ') || '-'}`);
    }
    const names = checkNames(before.names, now.names, table, kept, (m) => stdlibModule(root, m));
    namesChecked += before.names?.reads.length ?? 0;
    const bad = [...names.reads, ...names.modules];
    if (bad.length > 0) failures.push(`${s.path} (moves ${showMoves(s.moves)}): ${bad.slice(0, 3).join('; ')}`);
  });
  expect(failures, failures.slice(0, 15).join('\n')).toEqual([]);
  // The sample must exercise the rewriter, not just skip.
  expect(checked).toBeGreaterThan(samples.length * 0.9);
  expect(rewritten).toBeGreaterThan(checked * 0.8);
  expect(namesChecked).toBeGreaterThan(10_000);
  console.log(`property: ${checked} stdlib files checked, ${rewritten} rewritten, ${fixed} occurrences rewritten, ${refused} refused, ${namesChecked} reads checked`);
}, 600_000);

/** The per-file planner on every sample, letting the event loop run between files (see helpers/spawn.ts). */
async function planAll<S extends Sample>(samples: S[]): Promise<{ s: S; table: MoveTable; r: ReturnType<typeof planFile>; after: string }[]> {
  const results: { s: S; table: MoveTable; r: ReturnType<typeof planFile>; after: string }[] = [];
  for (const s of samples) {
    const table = new MoveTable(s.moves);
    const r = planFile({ file: s.path, text: s.text, self: { name: s.module, isPackage: s.isPackage }, table });
    results.push({ s, table, r, after: r.error === null && r.edits.length > 0 ? applyEdits(s.text, r.edits) : s.text });
    await breathe();
  }
  return results;
}

/** CPython's answers for a batch of texts (one python3 process, run without blocking the event loop). */
function oracle(jobs: { path: string; module: string; isPackage: boolean; texts: string[]; want: string[] }[]): Promise<Analysed[][]> {
  const input = JSON.stringify(jobs.map((j, id) => ({ ...j, id, texts: j.texts.map((t) => Buffer.from(t, 'latin1').toString('base64')) })));
  return new Promise((resolve, reject) => {
    const py = spawn('python3', [ORACLE], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    py.stdout.on('data', (b: Buffer) => out.push(b));
    py.stderr.on('data', (b: Buffer) => err.push(b));
    py.on('error', reject);
    py.on('close', (code) => {
      if (code !== 0) reject(new Error(`oracle failed (${code}): ${Buffer.concat(err).toString('utf8')}`));
      else resolve(JSON.parse(Buffer.concat(out).toString('utf8')) as Analysed[][]);
    });
    py.stdin.end(input);
  });
}

/** Map a dotted use through the moves: the symbol or module it starts with, respelled. */
function mapUse(table: MoveTable, q: string): string {
  const parts = q.split('.');
  for (let i = parts.length - 1; i >= 1; i--) {
    const sm = table.symbol(parts.slice(0, i).join('.'), parts[i]);
    if (sm) return [sm.toModule, sm.toName, ...parts.slice(i + 1)].join('.');
  }
  for (let i = parts.length; i >= 1; i--) {
    const mm = table.moduleMoveFor(parts.slice(0, i).join('.'));
    if (mm) return [MoveTable.mapModule(mm, parts.slice(0, i).join('.')), ...parts.slice(i)].join('.');
  }
  return q;
}

/**
 * The uses property: moves of names the file reaches through module objects, to a new module
 * (`new`), or to the package above the legacy module (`parent`: `email.utils:formatdate ->
 * email:formatdate`, the shape of a re-export, where a rewrite may be tempted to rebind the module
 * name to the package).
 */
type UsesRun = { failures: string[]; moduleFailures: string[]; samples: number; rewritten: number; reads: number };
const usesRuns = new Map<string, Promise<UsesRun>>();

/** One run per (target, seed), shared by the tests that judge it. */
function usesProperty(target: 'new' | 'parent', seed: number): Promise<UsesRun> {
  const key = `${target}:${seed}`;
  if (!usesRuns.has(key)) usesRuns.set(key, runUsesProperty(target, seed));
  return usesRuns.get(key)!;
}

async function runUsesProperty(target: 'new' | 'parent', seed: number): Promise<UsesRun> {
  const root = requirePythonPaths().stdlib;
  const all = pythonFiles(root, ['site-packages', '__pycache__']);
  const rand = rng(seed);
  for (let i = all.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [all[i], all[j]] = [all[j], all[i]];
  }
  const isModule = (m: string): boolean => stdlibModule(root, m);
  const candidates = all.slice(0, 600).map((path) => {
    const rel = relative(root, path).split('\\').join('/');
    return { path: rel, module: moduleNameOf(rel, ['.']), isPackage: rel.endsWith('__init__.py'), text: readFileSync(path).toString('latin1') };
  }).filter((c): c is { path: string; module: string; isPackage: boolean; text: string } => c.module !== null);
  const first = await oracle(candidates.map((c) => ({ ...c, texts: [c.text], want: ['uses', 'names'] })));

  const samples: (Sample & { uses: [string, string, number][]; names: Names | null })[] = [];
  candidates.forEach((c, i) => {
    const a = first[i][0];
    if ('error' in a || samples.length >= Math.min(SAMPLE, 150)) return;
    // Names bound exactly once, by a module-level import of a module.
    const modules = new Map<string, string>();
    for (const [scope, local, target, kind] of a.bindings) {
      if (scope !== '' || a.bound[local] !== 1) continue;
      if (kind === 'import' || kind === 'import-as' || (kind === 'from' && isModule(target))) modules.set(local, target);
    }
    const options: [string, string][] = [];
    for (const [local, q] of a.uses) {
      const m = modules.get(local);
      if (!m || !q.startsWith(m + '.')) continue;
      if (target === 'parent' && !m.includes('.')) continue;
      const name = q.slice(m.length + 1).split('.')[0];
      if (!options.some(([x, y]) => x === m && y === name)) options.push([m, name]);
    }
    if (options.length === 0) return;
    const moves: Move[] = [];
    const n = samples.length;
    for (let k = 0; k < 2; k++) {
      const [m, name] = options[Math.floor(rand() * options.length)];
      if (moves.some((x) => x.id === `${m}:${name}`)) continue;
      const to = target === 'parent' ? m.slice(0, m.lastIndexOf('.')) : rand() < 0.5 ? `zzuse.m${n}_${k}` : `${c.module.split('.')[0]}.zzuse${n}_${k}`;
      const toName = target === 'new' && rand() < 0.3 ? `${name}_r` : name;
      moves.push({ kind: 'symbol', index: moves.length, id: `${m}:${name}`, fromModule: m, fromName: name, toModule: to, toName });
    }
    samples.push({ ...c, moves, uses: a.uses, names: a.names });
  });

  const results = await planAll(samples);
  const second = await oracle(results.map(({ s, after }) => ({ path: s.path, module: s.module, isPackage: s.isPackage, texts: [after], want: ['compile', 'uses', 'names'] })));
  const failures: string[] = [];
  const moduleFailures: string[] = [];
  let rewritten = 0;
  let reads = 0;
  results.forEach(({ s, table, r, after }, i) => {
    const now = second[i][0];
    if (r.error !== null) return void failures.push(`${s.path}: planner error: ${r.error}`);
    if (after !== s.text) rewritten++;
    if ('error' in now) return void failures.push(`${s.path}: the rewrite does not compile: ${now.error}`);
    const meaning = meaningCheck(s, table, r.edits, after);
    if (meaning !== null) failures.push(`${s.path}: ${meaning}`);
    const kept = (offset: number): boolean => r.occurrences.some((o) => !o.fixed && o.start <= offset && offset < o.end);
    const want = s.uses.map(([, q, offset]) => (kept(offset) ? q : mapUse(table, q))).sort();
    const got = now.uses.map(([, q]) => q).sort();
    if (JSON.stringify(want) !== JSON.stringify(got)) {
      const missing = want.filter((q) => !got.includes(q));
      const extra = got.filter((q) => !want.includes(q));
      failures.push(`${s.path} (moves ${showMoves(s.moves)}): missing ${missing.slice(0, 4).join(', ') || '-'}; extra ${extra.slice(0, 4).join(', ') || '-'}`);
    }
    reads += s.names?.reads.length ?? 0;
    const names = checkNames(s.names, now.names, table, kept, isModule);
    if (names.reads.length > 0) failures.push(`${s.path} (moves ${showMoves(s.moves)}): ${names.reads.slice(0, 3).join('; ')}`);
    if (names.modules.length > 0) moduleFailures.push(`${s.path} (moves ${showMoves(s.moves)}): ${names.modules.slice(0, 3).join('; ')}`);
  });
  return { failures, moduleFailures, samples: samples.length, rewritten, reads };
}

function showMoves(moves: Move[]): string {
  return moves.map((m) => (m.kind === 'symbol' ? `${m.id}->${m.toModule}:${m.toName}` : `${m.id}->${m.toModule}`)).join(', ');
}

test('uses through module objects (`m.X`, `a.b.c.X`) follow the moves exactly, and every read keeps its target', async () => {
  const { failures, samples, rewritten, reads } = await usesProperty('new', SEED + 1);
  expect(samples).toBeGreaterThan(100);
  expect(failures, failures.slice(0, 15).join('\n')).toEqual([]);
  expect(rewritten).toBeGreaterThan(samples * 0.8);
  expect(reads).toBeGreaterThan(10_000);
  console.log(`property (uses): ${samples} stdlib files, ${rewritten} rewritten, ${reads} reads checked`);
}, 600_000);

// [F2] and [F7] in test/real/FINDINGS.md (fixed): `from test import support` became `import test as
// support` while another move's use was rewritten through `support.`, and `from ..pgen2 import
// token` became `import lib2to3, pgen2 as pgen2_mod`.
test('[F2, F7] uses moved to the package above their module (`email.utils:X -> email:X`) follow the moves, and every read keeps its target', async () => {
  const { failures, samples, rewritten, reads } = await usesProperty('parent', SEED + 2);
  console.log(`property (uses, to the parent package): ${samples} stdlib files, ${rewritten} rewritten, ${reads} reads checked, ${failures.length} failing, e.g.\n  ${failures.slice(0, 6).join('\n  ')}`);
  expect(samples).toBeGreaterThan(100);
  expect(rewritten).toBeGreaterThan(samples * 0.8);
  expect(failures, failures.slice(0, 15).join('\n')).toEqual([]);
}, 600_000);

// [F2] in test/real/FINDINGS.md (fixed): when every use of a module name was of moved names, the
// rewrite rebound the name to the canonical module (`from email import utils` -> `import email as utils`).
test('[F2] no name bound to a module is bound to another module by a symbol move', async () => {
  const a = await usesProperty('new', SEED + 1);
  const b = await usesProperty('parent', SEED + 2);
  const all = [...a.moduleFailures, ...b.moduleFailures];
  console.log(`property (module bindings): ${a.samples + b.samples} stdlib files, ${all.length} rebind a module name, e.g.\n  ${all.slice(0, 6).join('\n  ')}`);
  expect(all, all.slice(0, 15).join('\n')).toEqual([]);
}, 1_200_000);
