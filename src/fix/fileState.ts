// The state one file's rewrite is planned in: its text, lexed imports, lazily parsed scopes, the
// edits and outcomes gathered so far, and the statements other rewrites may merge into.

import type { Move } from '../config/types.js';
import type { MoveTable } from '../core/moveTable.js';
import { lexPython, type FullLexResult } from '../python/lexer.js';
import { LineTable } from '../python/lineTable.js';
import type { SyntaxNode } from '../python/parser.js';
import { resolveRelative } from '../python/modules.js';
import { StmtKind, type ImportStmt } from '../python/records.js';
import { encodeFor, sourceInfo, type SourceInfo } from '../python/source.js';
import type { ImportStyle } from './api.js';
import type { OrderQuestion, RunTime } from './importOrder.js';
import type { Edit } from './edits.js';
import { indentOf, inlineAfter, insertAfter, lineStartOf, removeStatement, type StyleContext } from './importText.js';
import { FileScopes, wordRegex, type ParsedChunk } from './scope.js';

export interface ModuleSelf {
  name: string;
  isPackage: boolean;
}

/** What fix needs to know about the rest of the project; absent in unit and property tests. */
export interface ProjectHooks {
  /** Why the rewritten code may fail under the import order (importOrder.ts), or null. */
  order(q: Omit<OrderQuestion, 'self'>): string | null;
  /** Other files that import `name` from `module` (so renaming it there would break them). */
  importers(module: string, name: string): string[];
  /**
   * Why `module` (`P.sub`) cannot be reached as the attribute `sub` of the package P (`import P.sub`
   * then `P.sub.X`, `from P import sub`): P's `__init__` binds `sub` to something else; or null.
   */
  shadowed(module: string): string | null;
  /** Whether `mock.patch("<legacy>")` may become `mock.patch("<canonical>")`; null = yes, else why not. */
  patchTarget(legacyModule: string, legacyName: string, canonicalModule: string, canonicalName: string): string | null;
}

export interface PlanFileInput {
  file: string;
  text: string;
  self: ModuleSelf | null;
  /** The moves to apply (already narrowed to the selected, fixable ones). */
  table: MoveTable;
  renameUses?: boolean;
  style?: ImportStyle;
  strings?: boolean;
  project?: ProjectHooks;
  /** Spans canon must leave alone (`# canon: ignore`): names and uses overlapping them are not moved. */
  skip?: (start: number, end: number) => boolean;
  /** The text already lexed (by the scan) with `{ strings: true }`. */
  lexed?: FullLexResult;
  /** The project's modules: an attribute chain names a submodule only where one exists. Absent: none does. */
  modules?: { has(name: string): boolean };
  /**
   * Module-level names whose import must stay although every use of them moved: another file reads
   * them from this module (planFix asks the project about each name a first plan dropped): name ->
   * a file that reads it.
   */
  keep?: ReadonlyMap<string, string>;
}

/** One place a move applies, rewritten or not. Spans are byte offsets in the original text. */
export interface Occurrence {
  start: number;
  end: number;
  move: string;
  fixed: boolean;
  reason: string | null;
}

/** A binding the rewritten file must hold (checked by validation). */
export interface ExpectedBinding {
  kind: 'from' | 'import';
  /** Absolute module. */
  module: string;
  /** For `from`: the imported name. */
  name: string | null;
  /** The local name (for `import a.b` without alias: null). */
  local: string | null;
}

export interface FilePlanResult {
  edits: Edit[];
  occurrences: Occurrence[];
  /** Explanations worth printing (an alias kept instead of renaming, a patch string left alone). */
  notes: { start: number; message: string }[];
  /** When set, the file must not be touched at all. */
  error: string | null;
  /** Set when the error is a syntax error tree-sitter met: its 1-based line. */
  syntaxLine?: number;
  expected: ExpectedBinding[];
}

/** A from-import as merges see it: an existing statement, or one this plan adds. */
export interface MergeTarget {
  module: string;
  st: ImportStmt | null;
  /** For a new statement: the statement it is inserted after, and how it is spelled. */
  anchor: ImportStmt | null;
  moduleText: string;
  /** local name -> imported name, as the statement will bind them. */
  bindings: Map<string, string>;
  /** The block it sits in ('module', `chunk:node`, `lazy:offset` until asked), or null when inline. */
  blockKey: string | null;
  /** False for statements that lose names (their edits and an append could collide). */
  mergeable: boolean;
  /** Items to add: rendered `name [as alias]`, the comment that travels with each, the local name bound. */
  added: { text: string; comment: string; local: string }[];
  layout: { onePerLine: boolean; parens: boolean; indent: string; itemIndent: string } | null;
}

export const IMPORT_NODES: ReadonlySet<string> = new Set(['import_statement', 'import_from_statement']);

export class FileState {
  readonly info: SourceInfo;
  readonly lex: FullLexResult;
  readonly edits: Edit[] = [];
  readonly occurrences: Occurrence[] = [];
  readonly notes: { start: number; message: string }[] = [];
  readonly expected: ExpectedBinding[] = [];
  readonly merges: MergeTarget[] = [];
  /** Names this plan binds that the file did not have, and the module each names. */
  readonly newNames = new Map<string, string>();
  /** Statements removed whole, by start offset (their edits are made last: see finishRemovals). */
  readonly removed = new Set<number>();
  /** Import items the plan drops (`<statement start>:<item index>`): no later rewrite may reuse their binding. */
  readonly dropped = new Set<string>();
  /**
   * Names bound at module level by an import item this plan drops: the module's namespace loses
   * them, so another file that imports one from here would break (planFix checks, see `keep`).
   */
  readonly moduleDrops = new Set<string>();
  private readonly removals: ImportStmt[] = [];
  error: string | null = null;
  private scopesCache: FileScopes | null = null;
  private readonly absCache = new Map<number, string | null>();

  constructor(readonly input: PlanFileInput) {
    this.info = sourceInfo(input.text);
    this.lex = input.lexed ?? lexPython(input.text, { strings: input.strings === true });
  }

  get text(): string {
    return this.input.text;
  }

  get table(): MoveTable {
    return this.input.table;
  }

  get scopes(): FileScopes {
    return (this.scopesCache ??= new FileScopes(this.input.text, this.info));
  }

  /** True once a parsed chunk showed a syntax error. */
  get broken(): boolean {
    return this.scopesCache !== null && this.scopesCache.errorAt !== null;
  }

  enc(s: string): string {
    return encodeFor(s, this.info);
  }

  get eol(): string {
    return this.info.eol;
  }

  edit(start: number, end: number, text: string): void {
    this.edits.push({ start, end, text });
  }

  occur(start: number, end: number, move: Move, fixed: boolean, reason: string | null = null): void {
    this.occurrences.push({ start, end, move: move.id, fixed, reason });
  }

  note(start: number, message: string): void {
    this.notes.push({ start, message });
  }

  /** The absolute module of a from-import (relative ones resolved against this file), or null. */
  absModule(st: ImportStmt): string | null {
    if (this.absCache.has(st.start)) return this.absCache.get(st.start)!;
    let abs: string | null = st.module;
    if (st.level > 0) {
      const self = this.input.self;
      abs = self ? resolveRelative(st.level, st.module, self.name, self.isPackage) : null;
    }
    this.absCache.set(st.start, abs);
    return abs;
  }

  /** Is `module` a module of the project? */
  isModule(module: string): boolean {
    return this.input.modules !== undefined && this.input.modules.has(module);
  }

  get style(): StyleContext {
    const relatives = this.lex.imports.filter((s) => s.kind === StmtKind.From && s.level > 0);
    return {
      self: this.input.self,
      style: this.input.style,
      otherRelative: (st) => relatives.some((r) => r.start !== st.start),
    };
  }

  /** The tree-sitter node of an import statement, with its chunk. */
  nodeOf(st: ImportStmt): { node: SyntaxNode; chunk: ParsedChunk } | null {
    return this.scopes.nodeAt(st.start, st.end, IMPORT_NODES);
  }

  /** Where a statement runs. Indentation 0 is module level; otherwise the tree says. */
  context(st: ImportStmt): StmtContext {
    return statementContext(this.scopes, st);
  }

  /** When a statement runs relative to the module's import (see importOrder.ts). */
  runTime(st: ImportStmt): RunTime {
    const c = this.context(st);
    return c.inFunction ? 'later' : c.typeChecking ? 'typing' : 'import';
  }

  /**
   * Why importing `target` at `st`, and reading `name` from it (when `reads` runs; by default when
   * the statement does, as a from-import reads), may fail under CPython's import order; null when
   * it cannot (importOrder.ts).
   */
  orderFor(st: ImportStmt, target: string, name: string | null, reads?: RunTime): string | null {
    const hooks = this.input.project;
    if (!hooks || !this.input.self) return null;
    const imports = this.runTime(st);
    const r = reads ?? imports;
    if (imports === 'later' && r === 'later') return null;
    return hooks.order({ target, name, imports, reads: r, line: this.lineOf(st.start) });
  }

  /** Why `module` cannot be spelled through its package's attribute (ProjectHooks.shadowed), or null. */
  shadowed(module: string): string | null {
    return this.input.project?.shadowed(module) ?? null;
  }

  /** The block a statement belongs to, for merges: 'module', `chunk:node`, or null (never merge). */
  blockKey(st: ImportStmt): string | null {
    if (st.inline) return null;
    if (st.indent === 0) return 'module';
    const found = this.nodeOf(st);
    const block = found?.node.parent;
    if (!found || !block) return null;
    return `${this.scopes.chunkIndex(st.start)}:${block.id}`;
  }

  /** The only statement of its block (removing it would leave the block empty). */
  soleInBlock(st: ImportStmt): boolean {
    if (inlineAfter(this.text, st) === ':') return true;
    if (st.indent === 0 && !st.inline) return false;
    const found = this.nodeOf(st);
    const block = found?.node.parent;
    if (!block || block.type !== 'block') return false;
    return block.namedChildren.filter((c) => c.type !== 'comment').length === 1;
  }

  /** Does `word` appear as an identifier anywhere in text[a, b)? */
  mentions(word: string, a: number, b: number): boolean {
    const re = wordRegex(word, this.info);
    re.lastIndex = a;
    const m = re.exec(this.text);
    return m !== null && m.index < b;
  }

  private lines: LineTable | null = null;

  /** 1-based line of a byte offset (for messages). */
  lineOf(at: number): number {
    return (this.lines ??= new LineTable(this.input.text)).lineOf(at);
  }

  /** Remove a whole statement (its edit is made once everything inserted after it is known). */
  removeStatement(st: ImportStmt): void {
    this.removed.add(st.start);
    this.removals.push(st);
  }

  /**
   * The edits of the removed statements. A statement that new statements were put after is
   * replaced by them instead: the first takes its place (its line, or its slot between `;`s).
   */
  finishRemovals(): void {
    for (const st of this.removals) {
      const at = insertAfter(this.text, st, '', this.eol);
      const followers = this.edits.filter((e) => e.start === at.start && e.end === at.start && e.text.startsWith(at.text));
      if (followers.length === 0) {
        this.edits.push(removeStatement(this.text, st, this.soleInBlock(st)));
        continue;
      }
      const first = followers[0];
      first.text = first.text.slice(at.text.length);
      if (at.text === '; ') this.edits.push({ start: st.start, end: st.end, text: '' });
      else this.edits.push({ start: lineStartOf(this.text, st.start), end: at.start, text: '' });
      if (at.text !== '; ') first.text = indentOf(this.text, st) + first.text;
    }
  }

  /** Is [start, end) suppressed? */
  skipped(start: number, end: number): boolean {
    return this.input.skip !== undefined && this.input.skip(start, end);
  }

  result(): FilePlanResult {
    let syntaxLine: number | undefined;
    if (this.error === null && this.broken) {
      syntaxLine = this.lineOf(this.scopes.errorAt!);
      this.error = `does not parse (syntax error near line ${syntaxLine}); canon never touches such a file`;
    }
    if (this.error !== null) {
      const occurrences = this.occurrences.map((o) => ({ ...o, fixed: false, reason: o.reason ?? this.error }));
      return { edits: [], occurrences, notes: this.notes, error: this.error, expected: [], syntaxLine };
    }
    return { edits: this.edits, occurrences: this.occurrences, notes: this.notes, error: null, expected: this.expected };
  }

}

/** Where an import statement runs: in a function (lazily), under `if TYPE_CHECKING:`, or at import. */
export function statementContext(scopes: FileScopes, st: ImportStmt): StmtContext {
  if (st.indent === 0 && !st.inline) return { inFunction: false, typeChecking: false, node: null, block: null };
  const found = scopes.nodeAt(st.start, st.end, IMPORT_NODES);
  if (!found) return { inFunction: false, typeChecking: false, node: null, block: null };
  let inFunction = false;
  let typeChecking = false;
  let child = found.node;
  for (let p = found.node.parent; p; child = p, p = p.parent) {
    if (p.type === 'function_definition' || p.type === 'lambda') inFunction = true;
    if (p.type === 'if_statement') {
      const cond = p.childForFieldName('condition');
      const cons = p.childForFieldName('consequence');
      if (cond && cons && cons.id === child.id && /\bTYPE_CHECKING\b/.test(cond.text)) typeChecking = true;
    }
  }
  return { inFunction, typeChecking, node: found.node, block: found.node.parent };
}

export interface StmtContext {
  inFunction: boolean;
  typeChecking: boolean;
  node: SyntaxNode | null;
  block: SyntaxNode | null;
}
