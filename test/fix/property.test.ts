// Property test on real code: for a seeded sample of the standard library's files, pick moves at
// random among the modules and names each file imports (to modules that exist only by name), plan
// the fix with the per-file planner (no verify, no project), and check with CPython's `ast` that
//   1. the rewritten file still compiles,
//   2. its import bindings (scope, local name -> fully qualified target) are exactly the original
//      ones with the moves applied (a refused occurrence keeps its binding),
//   3. nothing else changed: the AST without import statements is identical,
//   4. canon's own pre-write check (sameBindings.ts) agrees that every name keeps its meaning.
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
  if (kind === 'import') return target;
  if (kind === 'from') {
    const dot = target.lastIndexOf('.');
    const sm = table.symbol(target.slice(0, dot), target.slice(dot + 1));
    if (sm) return `${sm.toModule}.${sm.toName}`;
  }
  const mm = table.moduleMoveFor(target);
  return mm ? MoveTable.mapModule(mm, target) : target;
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

  const results = samples.map((s) => {
    const table = new MoveTable(s.moves);
    const r = planFile({ file: s.path, text: s.text, self: { name: s.module, isPackage: s.isPackage }, table });
    return { s, table, r, after: r.error === null && r.edits.length > 0 ? applyEdits(s.text, r.edits) : s.text };
  });
  const oracleOut = await oracle(results.map(({ s, after }) => ({
    path: s.path, module: s.module, isPackage: s.isPackage, texts: [s.text, after], want: ['compile', 'shape'],
  })));
  const data = oracleOut as [OracleResult, OracleResult][];

  const failures: string[] = [];
  let checked = 0;
  let rewritten = 0;
  let fixed = 0;
  let refused = 0;
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
  });
  expect(failures, failures.slice(0, 15).join('\n')).toEqual([]);
  // The sample must exercise the rewriter, not just skip.
  expect(checked).toBeGreaterThan(samples.length * 0.9);
  expect(rewritten).toBeGreaterThan(checked * 0.8);
  console.log(`property: ${checked} stdlib files checked, ${rewritten} rewritten, ${fixed} occurrences rewritten, ${refused} refused`);
}, 600_000);

type Analysed = { error: string } | { bindings: [string, string, string, string, number][]; bound: Record<string, number>; uses: [string, string, number][]; shape: string };

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

test('uses through module objects (`m.X`, `a.b.c.X`) follow the moves exactly', async () => {
  const root = requirePythonPaths().stdlib;
  const all = pythonFiles(root, ['site-packages', '__pycache__']);
  const rand = rng(SEED + 1);
  for (let i = all.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [all[i], all[j]] = [all[j], all[i]];
  }
  const isModule = (m: string): boolean => {
    const p = join(root, ...m.split('.'));
    try {
      return readdirSync(dirname(p)).some((e) => e === `${m.split('.').pop()}.py` || e === m.split('.').pop());
    } catch {
      return false;
    }
  };
  const candidates = all.slice(0, 600).map((path) => {
    const rel = relative(root, path).split('\\').join('/');
    return { path: rel, module: moduleNameOf(rel, ['.']), isPackage: rel.endsWith('__init__.py'), text: readFileSync(path).toString('latin1') };
  }).filter((c): c is { path: string; module: string; isPackage: boolean; text: string } => c.module !== null);
  const first = await oracle(candidates.map((c) => ({ ...c, texts: [c.text], want: ['uses'] })));

  const samples: (Sample & { uses: [string, string, number][] })[] = [];
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
      const name = q.slice(m.length + 1).split('.')[0];
      if (!options.some(([x, y]) => x === m && y === name)) options.push([m, name]);
    }
    if (options.length === 0) return;
    const moves: Move[] = [];
    const n = samples.length;
    for (let k = 0; k < 2; k++) {
      const [m, name] = options[Math.floor(rand() * options.length)];
      if (moves.some((x) => x.id === `${m}:${name}`)) continue;
      const to = rand() < 0.5 ? `zzuse.m${n}_${k}` : `${c.module.split('.')[0]}.zzuse${n}_${k}`;
      moves.push({ kind: 'symbol', index: moves.length, id: `${m}:${name}`, fromModule: m, fromName: name, toModule: to, toName: rand() < 0.3 ? `${name}_r` : name });
    }
    samples.push({ ...c, moves, uses: a.uses });
  });
  expect(samples.length).toBeGreaterThan(100);

  const results = samples.map((s) => {
    const table = new MoveTable(s.moves);
    const r = planFile({ file: s.path, text: s.text, self: { name: s.module, isPackage: s.isPackage }, table });
    return { s, table, r, after: r.error === null && r.edits.length > 0 ? applyEdits(s.text, r.edits) : s.text };
  });
  const second = await oracle(results.map(({ s, after }) => ({ path: s.path, module: s.module, isPackage: s.isPackage, texts: [after], want: ['compile', 'uses'] })));
  const failures: string[] = [];
  let rewritten = 0;
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
      failures.push(`${s.path} (moves ${s.moves.map((m) => m.kind === 'symbol' ? `${m.id}->${m.toModule}:${m.toName}` : m.id).join(', ')}): missing ${missing.slice(0, 4).join(', ') || '-'}; extra ${extra.slice(0, 4).join(', ') || '-'}`);
    }
  });
  expect(failures, failures.slice(0, 15).join('\n')).toEqual([]);
  expect(rewritten).toBeGreaterThan(samples.length * 0.8);
  console.log(`property (uses): ${samples.length} stdlib files, ${rewritten} rewritten`);
}, 600_000);
