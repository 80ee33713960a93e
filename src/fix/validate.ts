// The checks a rewritten file must pass before it is written (python3's compile runs apart, in
// python.ts): it lexes with no new problem, it binds every name the plan meant it to bind, every
// name it uses keeps its meaning (sameBindings.ts), and it holds no more legacy imports than the
// plan left on purpose.

import type { RawFinding } from '../core/finding.js';
import type { MoveTable } from '../core/moveTable.js';
import { lexImports, lexPython } from '../python/lexer.js';
import { LineTable } from '../python/lineTable.js';
import type { ModuleIndex } from '../python/moduleIndex.js';
import { resolveRelative } from '../python/modules.js';
import { StmtKind, type ImportStmt } from '../python/records.js';
import { analysisLexOptions, analyzeFile } from '../scan/analyze.js';
import type { Edit } from './edits.js';
import type { ExpectedBinding, ModuleSelf, Occurrence } from './fileState.js';
import { sameBindings } from './sameBindings.js';
import type { FileScopes } from './scope.js';

export interface CheckInput {
  file: string;
  before: string;
  after: string;
  self: ModuleSelf | null;
  expected: ExpectedBinding[];
  occurrences: Occurrence[];
  table: MoveTable;
  index: ModuleIndex;
  strings: boolean;
  /** The scan's findings for the original text (spares analysing it again). */
  findings?: readonly RawFinding[] | readonly import('../core/finding.js').Finding[];
  /** The original text, already lexed. */
  lexed?: { problems: { message: string }[]; imports: ImportStmt[] };
  /** Codes `per-file-ignores` suppresses in this file: such findings are left, like `# canon: ignore`d ones. */
  ignored?: (code: string) => boolean;
  /** The plan's edits: with them, every name the file uses must keep its meaning (sameBindings.ts). */
  edits?: readonly Edit[];
  /** The original text's scopes, as the planner parsed them. */
  scopes?: FileScopes;
}

/** For each finding, the smallest occurrence of the same move that contains it (or undefined). */
export function matchOccurrences<F extends { start: number; end: number; move: string | null }>(findings: readonly F[], occurrences: readonly Occurrence[]): (Occurrence | undefined)[] {
  return findings.map((f) => {
    let best: Occurrence | undefined;
    for (const o of occurrences) {
      if (o.move !== f.move || o.start > f.start || f.end > o.end) continue;
      if (!best || o.end - o.start < best.end - best.start) best = o;
    }
    return best;
  });
}

/** null when the rewritten text passes, else why not. */
export function checkRewrite(c: CheckInput): string | null {
  const before = c.lexed ?? lexImports(c.before);
  // Lexed once, strings included, for the checks below and for analyzeFile at the end.
  const after = lexPython(c.after, analysisLexOptions(c.table));
  let lt: LineTable | null = null;
  const lineOf = (at: number): number => (lt ??= new LineTable(c.after)).lineOf(at);
  const count = new Map<string, number>();
  for (const p of before.problems) count.set(p.message, (count.get(p.message) ?? 0) + 1);
  for (const p of after.problems) {
    const n = count.get(p.message) ?? 0;
    if (n === 0) return `the rewritten file does not lex cleanly: ${p.message} (line ${lineOf(p.start)})`;
    count.set(p.message, n - 1);
  }
  const abs = (level: number, module: string): string | null =>
    level === 0 ? module : c.self ? resolveRelative(level, module, c.self.name, c.self.isPackage) : null;
  for (const e of c.expected) {
    const found = after.imports.some((st) => {
      if (e.kind === 'from') {
        return st.kind === StmtKind.From && abs(st.level, st.module) === e.module && st.names.some((n) => n.name === e.name && (n.asname ?? n.name) === e.local);
      }
      return st.kind === StmtKind.Import && st.names.some((n) => n.name === e.module && n.asname === e.local);
    });
    if (!found) {
      const what = e.kind === 'from' ? `from ${e.module} import ${e.name}${e.local !== e.name ? ` as ${e.local}` : ''}` : `import ${e.module}${e.local ? ` as ${e.local}` : ''}`;
      return `the rewritten file lacks \`${what}\` (a bug in canon)`;
    }
  }
  if (c.edits) {
    const changed = sameBindings({
      before: c.before, after: c.after, edits: c.edits, beforeImports: before.imports, afterImports: after.imports,
      self: c.self, table: c.table, scopes: c.scopes,
    });
    if (changed !== null) return changed;
  }
  // Legacy findings left: no more than those the plan did not fix.
  const relevant = (f: RawFinding): boolean =>
    !f.suppressed && !(c.ignored?.(f.code) ?? false) && f.move !== null && c.table.moves.some((m) => m.id === f.move) && (f.kind === 'legacy-import' || (c.strings && f.kind === 'string-reference'));
  const ctx = { table: c.table, index: c.index };
  const was = ((c.findings ?? analyzeFile(c.file, c.before, ctx)) as readonly { move: string | null; kind: string; start: number; end: number; suppressed?: boolean }[]).filter((f) => relevant(f as RawFinding));
  const fixed = matchOccurrences(was, c.occurrences).filter((o) => o?.fixed).length;
  const left = analyzeFile(c.file, c.after, ctx, after).filter(relevant).length;
  if (left > was.length - fixed) return `the rewritten file still holds ${left - (was.length - fixed)} legacy import(s) the plan meant to rewrite (a bug in canon)`;
  return null;
}
