// planFix: scan the selected files, decide which moves may be applied (verify says `same`, or
// --allow-divergent), plan every file's rewrite in memory, check each rewritten file (lex, expected
// bindings, python3 compiles the whole original and the whole result) and return the plan.
// Nothing is written; see write.ts.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config, Move, Priority } from '../config/types.js';
import { UsageError } from '../core/errors.js';
import type { Finding } from '../core/finding.js';
import { MoveTable } from '../core/moveTable.js';
import type { MoveVerdict } from '../core/verify.js';
import { listPythonFiles } from '../project/files.js';
import { makeIgnoreMatcher } from '../project/perFileIgnores.js';
import { fileHost, runScan } from '../scan/runScan.js';
import type { FileFix, FixError, FixNote, FixOptions, FixPlan, Refusal } from './api.js';
import { applyEdits } from './edits.js';
import type { FileState } from './fileState.js';
import { finishFile, startFile, type FilePlanResult, type PlanFileInput } from './planFile.js';
import { ProjectView } from './project.js';
import { compileAll, PythonPool, pythonCommand, type CompileOutcome } from './python.js';
import { checkRewrite, matchOccurrences } from './validate.js';
import { LineTable } from '../python/lineTable.js';
import { sourceInfo } from '../python/source.js';
import { FileScopes } from './scope.js';
import { pythonDecodeError } from '../python/source.js';

function why(v: MoveVerdict): string {
  return `${v.verdict}: ${v.reason ?? ''}`.trim();
}

/** Which moves the plan applies, and why the others are refused. */
function choose(verdicts: MoveVerdict[], opts: FixOptions): { apply: Move[]; refused: Map<string, string>; overridden: MoveVerdict[] } {
  const apply: Move[] = [];
  const refused = new Map<string, string>();
  const overridden: MoveVerdict[] = [];
  for (const v of verdicts) {
    if (opts.moves?.length && !opts.moves.includes(v.move.id)) continue;
    if (v.verdict === 'same') apply.push(v.move);
    else if (opts.allowDivergent && v.canonical.ok) {
      apply.push(v.move);
      overridden.push(v);
    } else {
      const hint = v.verdict === 'divergent' || v.verdict === 'dynamic' ? ' (--allow-divergent rewrites it anyway)' : '';
      refused.set(v.move.id, `${why(v)}${hint}`);
    }
  }
  return { apply, refused, overridden };
}

export async function planFix(config: Config, opts: FixOptions): Promise<FixPlan> {
  const t0 = performance.now();
  const cwd = opts.files ? config.root : (opts.cwd ?? process.cwd());
  const scan = await runScan(config, {
    paths: opts.files ?? opts.paths,
    cwd,
    areas: opts.areas,
    priorities: opts.priorities as Priority[] | undefined,
    moves: opts.moves,
    keepSources: true,
  });
  if (scan.problems.length > 0) throw new UsageError('bad path argument:', scan.problems.map((p) => `${p.path}: ${p.message}`));
  const t1 = performance.now();
  const { apply, refused: moveRefused, overridden } = choose(scan.verdicts, opts);
  const table = new MoveTable(apply);
  const applied = new Set(apply.map((m) => m.id));
  const ignored = makeIgnoreMatcher(config.perFileIgnores);

  const refusals: Refusal[] = [];
  const byFile = new Map<string, Finding[]>();
  for (const f of scan.findings) {
    if (f.suppressed || (f.kind === 'string-reference' && !opts.strings)) continue;
    const list = byFile.get(f.file) ?? [];
    list.push(f);
    byFile.set(f.file, list);
  }
  const toPlan: string[] = [];
  for (const [file, list] of byFile) {
    if (list.some((f) => f.move !== null && applied.has(f.move) && !blocked(f))) toPlan.push(file);
  }

  // Every project file, listed only if a question about the whole project comes up (--rename-uses, --strings).
  const all = opts.renameUses || opts.strings ? (await listPythonFiles({ ...config, exclude: [] })).files : [];
  const project = new ProjectView(scan.index, fileHost(config.root), all, scan.order.fresh());
  const errors: FixError[] = [];
  const suppressedIn = new Map<string, Finding[]>();
  for (const f of scan.findings) if (f.suppressed) suppressedIn.set(f.file, [...(suppressedIn.get(f.file) ?? []), f]);

  // python3 compiles each rewritten file while the next ones are planned.
  const command = pythonCommand(opts.python);
  const pool = new PythonPool(command);
  const planned: Planned[] = [];
  const notes: FixNote[] = [];
  const done = new Map<string, FilePlanResult>();
  const unparsed: { file: string; text: string; line: number; message: string }[] = [];

  /** Phase 2 of one file: strings, edits, checks, and off to python3. */
  const complete = (s: { file: string; text: string; fs: FileState; findings: Finding[] }): void => {
    let r: FilePlanResult;
    try {
      r = finishFile(s.fs);
    } catch (e) {
      errors.push({ file: s.file, message: `internal error while planning: ${(e as Error).stack ?? e}` });
      return;
    }
    if (r.notes.length > 0) {
      const lt = new LineTable(s.text);
      for (const n of r.notes) notes.push({ file: s.file, line: lt.lineOf(n.start), message: n.message });
    }
    done.set(s.file, r);
    if (r.error !== null) {
      if (r.syntaxLine !== undefined) unparsed.push({ file: s.file, text: s.text, line: r.syntaxLine, message: r.error });
      else errors.push({ file: s.file, message: r.error });
      return;
    }
    if (r.edits.length === 0) return;
    const after = applyEdits(s.text, r.edits);
    if (after === s.text) return;
    const problem = checkRewrite({
      file: s.file, before: s.text, after, self: s.fs.input.self, expected: r.expected, occurrences: r.occurrences,
      table, index: scan.index, strings: opts.strings === true, findings: s.findings, lexed: s.fs.lex,
      ignored: (code) => ignored(s.file, code),
      edits: r.edits, scopes: s.fs.scopes,
    });
    if (problem !== null) {
      errors.push({ file: s.file, message: problem });
      return;
    }
    // python3 compiles the whole original (a file CPython rejects is never touched) and the whole
    // rewrite, both from their bytes, so it decides the encoding as it would on import.
    const beforeId = pool.submit(s.file, Buffer.from(s.text, 'latin1'));
    const afterId = pool.submit(s.file, Buffer.from(after, 'latin1'));
    planned.push({ file: s.file, text: s.text, after, beforeId, afterId });
  };

  // Phase 1: every file's imports. With --strings, phase 2 waits for all of them (a patch target
  // may move only once every lookup of it does); otherwise each file is finished at once. A file
  // whose plan drops a module-level import waits too: its module's namespace loses that name, so
  // the project is asked (once, for all such files) whether another file reads it from there, and
  // where one does the file is planned again keeping the import.
  type State = { file: string; text: string; fs: FileState; findings: Finding[] };
  const states: State[] = [];
  const dropping: { state: State; input: PlanFileInput }[] = [];
  const next = (state: State): void => {
    if (opts.strings) states.push(state);
    else complete(state);
  };
  for (const file of toPlan.sort()) {
    // The scan read and lexed every file with findings already.
    const scanned = scan.sources.get(file);
    let text: string;
    try {
      text = scanned?.text ?? readFileSync(join(config.root, file)).toString('latin1');
    } catch (e) {
      errors.push({ file, message: `cannot read: ${(e as Error).message}` });
      continue;
    }
    const findings = byFile.get(file)!;
    const suppressed = suppressedIn.get(file) ?? [];
    const entry = scan.index.ofFile(file);
    const self = entry ? { name: entry.name, isPackage: entry.isPackage } : null;
    try {
      const input: PlanFileInput = {
        file, text, self, table, renameUses: opts.renameUses, style: opts.style, strings: opts.strings,
        project: project.hooksFor(file, self),
        modules: scan.index,
        lexed: scanned?.lex,
        skip: suppressed.length === 0 ? undefined : (a, b) => suppressed.some((f) => f.start < b && a < f.end),
      };
      const fs = startFile(input);
      project.fixed.set(file, fs.occurrences);
      const state = { file, text, fs, findings };
      if (fs.moduleDrops.size > 0 && self !== null && fs.error === null) dropping.push({ state, input });
      else next(state);
    } catch (e) {
      errors.push({ file, message: `internal error while planning: ${(e as Error).stack ?? e}` });
    }
  }
  if (dropping.length > 0) {
    const files = all.length > 0 ? all : (await listPythonFiles({ ...config, exclude: [] })).files;
    const read = project.readersOf(files, dropping.map((d) => ({ file: d.state.file, module: d.input.self!.name, names: d.state.fs.moduleDrops })));
    for (const { state, input } of dropping) {
      const keep = read.get(state.file);
      if (keep === undefined) {
        next(state);
        continue;
      }
      try {
        const fs = startFile({ ...input, keep });
        project.fixed.set(state.file, fs.occurrences);
        next({ ...state, fs });
      } catch (e) {
        errors.push({ file: state.file, message: `internal error while planning: ${(e as Error).stack ?? e}` });
      }
    }
  }
  for (const s of states) complete(s);
  const t2 = performance.now();

  // python3's verdicts; without it, tree-sitter checks both texts parse.
  const compiled = await pool.finish();
  const failed = await verdicts(planned, compiled);
  // tree-sitter may trip on syntax CPython accepts (newer grammar): say which it is.
  const judged = unparsed.length > 0 && compiled !== 'unavailable' ? await compileAll(command, unparsed.map((u) => ({ path: u.file, bytes: Buffer.from(u.text, 'latin1') }))) : 'unavailable';
  unparsed.forEach((u, i) => {
    const fine = judged !== 'unavailable' && judged[i] === null;
    const message = fine ? `canon's parser (tree-sitter) cannot read line ${u.line}, although python3 compiles the file; canon leaves it alone` : u.message;
    errors.push({ file: u.file, message });
  });
  for (const [file, message] of failed) errors.push({ file, message });

  // In the order of the files (those planned twice were finished after the others).
  const byName = (a: { file: string }, b: { file: string }): number => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0);
  planned.sort(byName);
  notes.sort((a, b) => byName(a, b) || a.line - b.line);
  const files: FileFix[] = [];
  const changed = new Set<string>();
  for (const p of planned) {
    if (failed.has(p.file)) continue;
    changed.add(p.file);
    const module = scan.index.ofFile(p.file)?.name ?? null;
    files.push({ file: p.file, before: Buffer.from(p.text, 'latin1'), after: Buffer.from(p.after, 'latin1'), fixed: [], refused: [], module });
  }
  const fixOf = new Map(files.map((f) => [f.file, f]));
  const errorFiles = new Set(errors.map((e) => e.file));
  for (const [file, list] of byFile) {
    const d = done.get(file);
    const matched = d ? matchOccurrences(list, d.occurrences) : list.map(() => undefined);
    list.forEach((f, i) => {
      let reason: string | null = null;
      if (f.kind === 'unresolved') reason = f.reason ?? 'unresolved import: canon cannot know where it should point';
      else if (blocked(f)) reason = f.reason;
      else if (f.move !== null && moveRefused.has(f.move)) reason = moveRefused.get(f.move)!;
      else if (f.move === null || !applied.has(f.move)) reason = f.reason ?? 'no move applies';
      else if (errorFiles.has(file)) return; // reported as an error of the file
      else {
        const o = matched[i];
        if (o?.fixed && changed.has(file)) {
          fixOf.get(file)!.fixed.push(f);
          return;
        }
        reason = o?.reason ?? 'canon has no rewrite for this form';
      }
      const r: Refusal = { finding: f, reason: reason ?? 'not fixable' };
      // A changed file carries its own refusals; plan.refused holds those of the other files.
      const fix = fixOf.get(file);
      if (fix) fix.refused.push(r);
      else refusals.push(r);
    });
  }
  const t3 = performance.now();
  return {
    files,
    refused: refusals,
    errors,
    details: {
      notes,
      strings: opts.strings ? [] : scan.findings
        .filter((f) => f.kind === 'string-reference' && !f.suppressed && f.move !== null && applied.has(f.move))
        .map((f) => ({ file: f.file, line: f.line, column: f.column, legacy: f.legacy })),
      overridden: overridden.map((v) => ({ move: v.move.id, verdict: v.verdict, reason: v.reason })),
      stats: {
        filesScanned: scan.stats.filesScanned, filesPlanned: done.size, scanMs: t1 - t0, planMs: t2 - t1, checkMs: t3 - t2,
        compiled: compiled !== 'unavailable',
      },
    },
  };
}

interface Planned {
  file: string;
  text: string;
  after: string;
  beforeId: number;
  afterId: number;
}

/** Files whose rewrite failed the compile check, and why: broken before (never touched) or by canon. */
async function verdicts(planned: Planned[], compiled: Map<number, CompileOutcome> | 'unavailable'): Promise<Map<string, string>> {
  const failed = new Map<string, string>();
  if (compiled === 'unavailable') {
    // Without python3: the bytes must decode as CPython would decode them, and tree-sitter must
    // parse both texts whole without an error node.
    for (const p of planned) {
      const undecodable = pythonDecodeError(p.text);
      if (undecodable !== null) {
        failed.set(p.file, `${undecodable}; CPython would reject the file, and canon never touches such a file`);
        continue;
      }
      const before = new FileScopes(p.text, sourceInfo(p.text));
      before.parseAll();
      const after = new FileScopes(p.after, sourceInfo(p.after));
      after.parseAll();
      if (before.errorAt !== null) failed.set(p.file, 'does not parse (tree-sitter); canon never touches such a file');
      else if (after.errorAt !== null || pythonDecodeError(p.after) !== null) failed.set(p.file, 'the rewrite does not parse (a bug in canon); the file is left as it was');
    }
    return failed;
  }
  for (const p of planned) {
    const was = compiled.has(p.beforeId) ? compiled.get(p.beforeId)! : 'python3 gave no answer for this file';
    const now = compiled.has(p.afterId) ? compiled.get(p.afterId)! : 'python3 gave no answer for this file';
    if (was !== null) failed.set(p.file, `does not compile with python3 (${was}); canon never touches such a file`);
    else if (now !== null) failed.set(p.file, `the rewrite does not compile (${now}); a bug in canon, the file is left as it was`);
  }
  return failed;
}

/** Every refusal of a plan: those of unchanged files and those of the changed ones. */
export function allRefusals(plan: FixPlan): Refusal[] {
  return [...plan.refused, ...plan.files.flatMap((f) => f.refused)];
}

/** A finding the scan marked unfixable whatever the move's verdict (a star-import of moved names). */
function blocked(f: Finding): boolean {
  return f.reason !== null && f.move === null && f.kind !== 'unresolved';
}
