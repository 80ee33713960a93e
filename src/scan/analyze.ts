// Per-file analysis: from one file's text to its raw findings (legacy imports in every form,
// unresolved project imports, string references). Pure: runs the same in a worker or in-process.

import { CODES, type FindingForm, type FindingKind, type RawFinding } from '../core/finding.js';
import { MoveTable } from '../core/moveTable.js';
import type { Move } from '../config/types.js';
import { lexPython, type FullLexResult } from '../python/lexer.js';
import { LineTable } from '../python/lineTable.js';
import type { ModuleIndex } from '../python/moduleIndex.js';
import { resolveRelative } from '../python/modules.js';
import { StmtKind, type ImportStmt } from '../python/records.js';
import { decodeFor } from '../python/source.js';
import { suppresses } from './suppression.js';

export interface AnalyzeContext {
  table: MoveTable;
  index: ModuleIndex;
}

/** The options a file is lexed with for analysis: strings, and the uses of names that may be bound to legacy modules. */
export function analysisLexOptions(table: MoveTable): { strings: true; watch: ReadonlySet<string> } {
  return { strings: true, watch: table.pathSegments };
}

/** `lexed`: the text already lexed with analysisLexOptions(ctx.table), when the caller has it. */
export function analyzeFile(file: string, text: string, ctx: AnalyzeContext, lexed?: FullLexResult): RawFinding[] {
  const { table, index } = ctx;
  const lex = lexed ?? lexPython(text, analysisLexOptions(table));
  const self = index.ofFile(file);
  const out: RawFinding[] = [];
  let lines: LineTable | null = null;
  const lt = (): LineTable => (lines ??= new LineTable(text));

  const push = (
    kind: FindingKind, form: FindingForm, start: number, end: number, stmt: { start: number; end: number },
    legacy: string, canonical: string | null, move: Move | null, blocker: string | null,
  ): void => {
    const t = lt();
    const a = t.position(start);
    const b = t.position(end);
    const firstLine = t.lineOf(stmt.start);
    const lastLine = t.lineOf(stmt.end);
    // `# canon: ignore` or `# noqa: CANxxx` on any line of the statement (suppression.ts).
    const code = CODES[kind];
    let suppressed = false;
    for (let l = firstLine; l <= lastLine && !suppressed; l++) suppressed = suppresses(t.lineText(l), code);
    out.push({
      file, line: a.line, column: a.column, endLine: b.line, endColumn: b.column, start, end,
      code, kind, form, legacy, canonical, move: move ? move.id : null,
      statement: decodeFor(text.slice(stmt.start, stmt.end)), suppressed, blocker,
    });
  };

  // Local names bound to module objects that can reach a legacy path: name -> module.
  const watch = new Map<string, string>();

  for (const st of lex.imports) {
    if (st.kind === StmtKind.From) fromImport(st);
    else plainImport(st);
  }

  function unresolvedModule(st: ImportStmt, module: string, start: number, end: number): boolean {
    if (!index.isProjectModule(module) || index.has(module)) return false;
    push('unresolved', st.kind === StmtKind.From ? 'from-import' : 'import', start, end, st, module, null, null, `module ${module} does not exist`);
    return true;
  }

  function fromImport(st: ImportStmt): void {
    let abs: string | null = st.module;
    if (st.level > 0) {
      abs = self ? resolveRelative(st.level, st.module, self.name, self.isPackage) : null;
      if (abs === null) return; // a script, or beyond the top-level package: Python raises, canon stays quiet
    }
    for (const n of st.names) {
      if (n.name === '*') {
        if (table.symbolModules.has(abs)) {
          push('legacy-import', 'star', st.start, st.end, st, abs, null, null,
            `star-import from ${abs}: canon cannot tell which moved names the file uses; import them by name first`);
        } else {
          const mm = table.moduleMoveFor(abs);
          if (mm) push('legacy-import', 'star', st.start, st.end, st, abs, MoveTable.mapModule(mm, abs), mm, null);
          else unresolvedModule(st, abs, st.moduleStart, st.moduleEnd);
        }
        continue;
      }
      const sm = table.symbol(abs, n.name);
      if (sm) {
        push('legacy-import', 'from-import', n.itemStart, n.itemEnd, st, `${abs}:${n.name}`, `${sm.toModule}:${sm.toName}`, sm, null);
        continue;
      }
      const full = `${abs}.${n.name}`;
      const fullMove = table.moduleMoveFor(full);
      const absMove = table.moduleMoveFor(abs);
      if (fullMove && !absMove) {
        // `from pkg import legacy_module`
        push('legacy-import', 'from-import', n.itemStart, n.itemEnd, st, full, MoveTable.mapModule(fullMove, full), fullMove, null);
        continue;
      }
      if (absMove) {
        push('legacy-import', 'from-import', n.itemStart, n.itemEnd, st, abs, MoveTable.mapModule(absMove, abs), absMove, null);
        continue;
      }
      if (table.symbolModules.has(full) || table.reachesLegacy(full)) watch.set(n.asname ?? n.name, full);
    }
    if (!table.moduleMoveFor(abs)) unresolvedModule(st, abs, st.moduleStart, st.moduleEnd);
  }

  function plainImport(st: ImportStmt): void {
    for (const n of st.names) {
      const mod = n.name;
      const mm = table.moduleMoveFor(mod);
      if (mm) {
        push('legacy-import', 'import', n.itemStart, n.itemEnd, st, mod, MoveTable.mapModule(mm, mod), mm, null);
        continue;
      }
      if (unresolvedModule(st, mod, n.start, n.end)) continue;
      if (n.asname !== null) {
        if (table.symbolModules.has(mod) || table.reachesLegacy(mod)) watch.set(n.asname, mod);
      } else {
        const top = mod.split('.')[0];
        if (table.symbolModules.has(top) || table.reachesLegacy(top)) watch.set(top, top);
      }
    }
  }

  if (watch.size > 0) attributeUses();
  function isModule(module: string, mapped: string): boolean {
    return index.has(module) || index.has(mapped);
  }

  function attributeUses(): void {
    const spans = lex.imports;
    // The first lexing recorded the uses of every path segment; an alias needs a second look.
    const names = new Set(watch.keys());
    const covered = lex.attrsUnknown !== true && [...names].every((name) => table.pathSegments.has(name));
    const found = covered ? lex.attrs : (lex.attrsOf?.(names) ?? lexPython(text, { watch: names }).attrs);
    const refs = found.filter((r) => watch.has(r.base));
    let k = 0;
    for (const ref of refs) {
      // The dotted names inside import statements are not uses.
      while (k < spans.length && spans[k].end <= ref.start) k++;
      if (k < spans.length && spans[k].start <= ref.start) continue;
      const prefix = watch.get(ref.base)!.split('.');
      // `import a.b` binds `a`: its uses spell the whole path again, `a.b.X`. A chain names a
      // moved submodule only where one exists (fix.moduleUses finds the same parts).
      const mp = table.movedPart(prefix, ref.attrs, { isModule });
      if (mp === null) continue;
      const end = attrEnd(ref.start, mp.used);
      const used = ref.attrs.slice(0, mp.used);
      const legacy = mp.name === null ? [...prefix, ...used].join('.') : `${[...prefix, ...used.slice(0, -1)].join('.')}:${used[used.length - 1]}`;
      push('legacy-import', 'attribute', ref.start, end, { start: ref.start, end }, legacy, mp.name === null ? mp.module : `${mp.module}:${mp.name}`, mp.move, null);
    }
  }

  /** End offset of `base.a1...an` after `n` attributes, skipping spaces around dots. */
  function attrEnd(start: number, n: number): number {
    let p = start;
    while (p < text.length && isIdent(text.charCodeAt(p))) p++;
    for (let j = 0; j < n; j++) {
      while (p < text.length && text.charCodeAt(p) !== 46) p++;
      p++;
      while (p < text.length && !isIdent(text.charCodeAt(p))) p++;
      while (p < text.length && isIdent(text.charCodeAt(p))) p++;
    }
    return p;
  }

  for (const s of lex.strings) {
    const v = s.value;
    const parts = v.split('.');
    let found = false;
    for (let i = parts.length - 1; i >= 1 && !found; i--) {
      const module = parts.slice(0, i).join('.');
      const sm = table.symbol(module, parts[i]);
      if (sm) {
        const rest = parts.slice(i + 1);
        const canonical = [sm.toModule, sm.toName, ...rest].join('.');
        push('string-reference', 'string', s.start, s.end, s, `${module}:${parts[i]}`, canonical, sm, null);
        found = true;
      }
    }
    if (found) continue;
    const mm = table.moduleMoveFor(v);
    if (mm) push('string-reference', 'string', s.start, s.end, s, v, MoveTable.mapModule(mm, v), mm, null);
    else if (table.symbolModules.has(v)) {
      // `importlib.import_module("legacy")`: the module stays, some names in it moved.
      push('string-reference', 'string', s.start, s.end, s, v, null, null,
        `names the module ${v}, not a moved name: canon cannot tell which of its names the code then uses`);
    }
  }

  out.sort((a, b) => a.start - b.start || a.end - b.end);
  return out;
}

function isIdent(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c >= 128;
}
