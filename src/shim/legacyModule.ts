// What canon may change in an existing legacy module so that its PEP 562 __getattr__ serves the
// moved names: the top-level imports and plain aliases of those names are unbound (other names of
// the same statement stay), and anything that would make that unsafe is refused with the reason.
// Works on the module's text without its shim block and without a UTF-8 byte-order mark (the
// caller puts it back); every offset is a byte offset into that text.

import { moduleBindings, type ModuleBindings, type StarImport } from '../python/bindings.js';
import { resolveRelative } from '../python/modules.js';
import { parsePython, type SyntaxNode } from '../python/parser.js';
import { isBlankLine, lineEnd, lineStart } from './block.js';
import type { Edit } from './edits.js';

export interface UnbindRequest {
  /** Dotted name of the legacy module. */
  module: string;
  isPackage: boolean;
  /** The moved names the shim will serve, each with its canonical `module:Name` for messages. */
  names: Map<string, string>;
  /** Does `from <star> import *` (in this module) provide `name`? 'unknown' when canon cannot tell. */
  starProvides: (star: StarImport, absModule: string, name: string) => boolean | 'unknown';
}

export interface UnbindPlan {
  /** Edits against the text given, unbinding every name not refused. */
  edits: Edit[];
  /** Names canon must not shim in this module, with the reason. */
  refused: Map<string, string>;
  /** A problem with the whole module (it does not parse, it has its own __getattr__): nothing can be shimmed. */
  fatal: string | null;
  /** The module binds `__all__` itself. */
  hasOwnAll: boolean;
}

const IMPORTS = new Set(['import_statement', 'import_from_statement']);

export function planUnbind(text: string, req: UnbindRequest): UnbindPlan {
  const plan: UnbindPlan = { edits: [], refused: new Map(), fatal: null, hasOwnAll: false };
  const tree = parsePython(text);
  if (tree.rootNode.hasError) {
    plan.fatal = 'the module does not parse; fix its syntax first';
    return plan;
  }
  const b = moduleBindings(text);
  plan.hasOwnAll = b.names.has('__all__');
  for (const special of ['__getattr__', '__dir__']) {
    const own = b.names.get(special);
    if (own) {
      plan.fatal = `the module defines its own ${special} (line ${own[0].line}); canon will not replace it: serve the moved names from it by hand, or remove it first`;
      return plan;
    }
  }

  for (const [name, canonical] of req.names) {
    const why = classify(b, name, canonical, req);
    if (why) plan.refused.set(name, why);
  }

  // Statements that bind a moved name, and which of their items go.
  const targets: { stmt: SyntaxNode; items: SyntaxNode[]; removed: boolean[]; alias: boolean }[] = [];
  for (const stmt of tree.rootNode.namedChildren) {
    const t = bindingTarget(stmt, req.names);
    if (!t) continue;
    const names = t.locals.filter((n, i) => t.removed[i] && !plan.refused.has(n));
    if (names.length === 0) continue;
    if (sharesLine(text, stmt)) {
      for (const n of names) plan.refused.set(n, `${n} is bound by a statement that shares its line with another (line ${line(stmt)}); put it on its own line first`);
      continue;
    }
    if (t.alias && t.chained) {
      for (const n of names) plan.refused.set(n, `${n} is bound by a chained assignment (line ${line(stmt)}); split it first`);
      continue;
    }
    targets.push({ stmt, items: t.items, removed: t.removed, alias: t.alias });
  }

  // Uses of a moved name by the module itself would break once the name is unbound: globals are
  // looked up in the module's dict, never through __getattr__.
  const uses = ownUses(tree.rootNode, new Set([...req.names.keys()].filter((n) => !plan.refused.has(n))));
  for (const [name, at] of uses) {
    plan.refused.set(
      name,
      `the module uses ${name} itself (line ${at}); unbinding it would break the module: make the module use ${req.names.get(name)} under a private name first`,
    );
  }

  const keeps = targets.map((t) => t.items.map((it, i) => !t.removed[i] || plan.refused.has(localName(it, t.stmt))));
  const gone = new Set(targets.filter((t, i) => !keeps[i].every(Boolean) && (t.alias || keeps[i].every((k) => !k))).map((t) => t.stmt));
  // The package's submodules that statements left in place still import: no need to add theirs.
  const submodules = new Set<string>();
  for (const stmt of tree.rootNode.namedChildren) {
    const sub = gone.has(stmt) ? null : submoduleImport(stmt, req);
    if (sub !== null) submodules.add(sub);
  }
  targets.forEach((t, i) => {
    const keep = keeps[i];
    if (keep.every(Boolean)) return;
    if (gone.has(t.stmt)) plan.edits.push(removeStatement(text, t.stmt, req, submodules));
    else {
      const bracketed = t.stmt.children.some((c) => c.type === '(');
      plan.edits.push(...removeItems(text, t.items.map((n) => ({ start: n.startIndex, end: n.endIndex })), keep.map((k) => !k), bracketed));
    }
  });
  return plan;
}

/** Why `name` cannot be unbound from this module, or null when it can. */
function classify(b: ModuleBindings, name: string, canonical: string, req: UnbindRequest): string | null {
  const binds = b.names.get(name) ?? [];
  if (binds.length === 0) {
    for (const star of b.stars) {
      const abs = resolveRelative(star.level, star.module, req.module, req.isPackage);
      if (abs === null) continue;
      const provides = req.starProvides(star, abs, name);
      if (provides !== false) {
        return `${name} ${provides === true ? 'comes' : 'may come'} from \`from ${abs} import *\` (line ${star.line}), which canon cannot unbind; import the other names explicitly first`;
      }
    }
    return null;
  }
  for (const bd of binds) {
    if (bd.kind === 'class' || bd.kind === 'def' || bd.kind === 'value' || bd.kind === 'call') {
      return `the module defines ${name} itself (line ${bd.line}); move the definition to ${canonical} first`;
    }
    if (bd.kind === 'other') return `the module assigns ${name} in a way canon cannot undo (line ${bd.line})`;
    if (bd.conditional) return `the module binds ${name} inside a block (line ${bd.line}); canon unbinds only top-level imports and aliases`;
  }
  return null;
}

interface BindingTarget {
  items: SyntaxNode[];
  locals: string[];
  removed: boolean[];
  alias: boolean;
  chained: boolean;
}

/** A top-level import or `X = Y` statement binding one of `names`, with its items. */
function bindingTarget(stmt: SyntaxNode, names: Map<string, string>): BindingTarget | null {
  if (IMPORTS.has(stmt.type)) {
    const items = importItems(stmt);
    const locals = items.map((it) => localName(it, stmt));
    const removed = locals.map((n) => names.has(n));
    return removed.some(Boolean) ? { items, locals, removed, alias: false, chained: false } : null;
  }
  if (stmt.type === 'expression_statement' && stmt.namedChildren.length === 1) {
    const a = stmt.namedChildren[0];
    if (a.type !== 'assignment') return null;
    const left = a.childForFieldName('left');
    const right = a.childForFieldName('right');
    if (!left || left.type !== 'identifier' || !names.has(left.text)) return null;
    return { items: [left], locals: [left.text], removed: [true], alias: true, chained: right?.type === 'assignment' };
  }
  return null;
}

function importItems(stmt: SyntaxNode): SyntaxNode[] {
  if (stmt.type === 'import_from_statement') return stmt.childrenForFieldName('name');
  return stmt.namedChildren.filter((c) => c.type === 'dotted_name' || c.type === 'aliased_import');
}

/** The name an import item binds: the alias, else (for `import a.b`) `a`, else the name. */
function localName(item: SyntaxNode, stmt: SyntaxNode): string {
  if (item.type === 'aliased_import') return item.childForFieldName('alias')?.text ?? '';
  if (item.type === 'identifier') return item.text;
  const text = item.text.replace(/\s+/g, '');
  return stmt.type === 'import_statement' ? text.split('.')[0] : text;
}

/** First line on which the module refers to each name, outside import statements. */
function ownUses(root: SyntaxNode, names: Set<string>): Map<string, number> {
  const out = new Map<string, number>();
  if (names.size === 0) return out;
  const visit = (n: SyntaxNode): void => {
    if (IMPORTS.has(n.type) || n.type === 'future_import_statement') return;
    if (n.type === 'identifier') {
      if (names.has(n.text) && !out.has(n.text) && !isAttributeName(n) && !isAliasTarget(n)) out.set(n.text, line(n));
      return;
    }
    for (const c of n.namedChildren) visit(c);
  };
  visit(root);
  return out;
}

/** `obj.Name` and `f(Name=...)`: the identifier is an attribute or keyword, not the global. */
function isAttributeName(n: SyntaxNode): boolean {
  const p = n.parent;
  if (!p) return false;
  if (p.type === 'attribute') return p.childForFieldName('attribute')?.id === n.id;
  if (p.type === 'keyword_argument') return p.childForFieldName('name')?.id === n.id;
  return false;
}

/** The `X` of a top-level `X = Y` that canon removes is the binding, not a use. */
function isAliasTarget(n: SyntaxNode): boolean {
  const a = n.parent;
  if (!a || a.type !== 'assignment' || a.childForFieldName('left')?.id !== n.id) return false;
  return a.parent?.type === 'expression_statement' && a.parent.parent?.type === 'module';
}

function line(n: SyntaxNode): number {
  return n.startPosition.row + 1;
}

/** Another statement (or `;`) on the first or last line of `stmt`. */
function sharesLine(text: string, stmt: SyntaxNode): boolean {
  const before = text.slice(lineStart(text, stmt.startIndex), stmt.startIndex);
  if (before.trim() !== '') return true;
  const after = text.slice(stmt.endIndex, lineEnd(text, stmt.endIndex));
  return !/^[ \t\f]*(#[^\r\n]*)?\r?\n?$/.test(after);
}

/**
 * In a package `__init__`, `from .sub import X` also imports the package's own submodule and sets
 * the package's attribute `sub`: the statement that keeps doing so, `from . import sub`; null for
 * any other statement.
 */
function submoduleImport(stmt: SyntaxNode, req: UnbindRequest): string | null {
  if (!req.isPackage || stmt.type !== 'import_from_statement') return null;
  const modNode = stmt.childForFieldName('module_name');
  if (!modNode) return null;
  const written = modNode.text.replace(/\s+/g, '');
  const level = /^\.*/.exec(written)![0].length;
  const abs = resolveRelative(level, written.slice(level), req.module, req.isPackage);
  const dot = written.lastIndexOf('.');
  if (abs === null || !abs.startsWith(req.module + '.') || dot < 0 || dot === written.length - 1) return null;
  return `from ${written.slice(0, dot) || '.'} import ${written.slice(dot + 1)}`;
}

/**
 * Remove a whole statement (its lines), keeping its import of the package's own submodule
 * (submoduleImport) unless `written` shows another statement already does.
 */
function removeStatement(text: string, stmt: SyntaxNode, req: UnbindRequest, written: Set<string>): Edit {
  const start = lineStart(text, stmt.startIndex);
  const end = lineEnd(text, stmt.endIndex);
  const sub = submoduleImport(stmt, req);
  // Two statements from one submodule (`from .tw import A` and `from .tw import B`) keep one.
  if (sub === null || written.has(sub)) return { start, end, text: '' };
  written.add(sub);
  const eol = text.slice(stmt.endIndex, end).match(/\r?\n|\r$/)?.[0] ?? '';
  return { start, end, text: `${sub}${eol}` };
}

/**
 * Remove some items of a comma-separated list (import names, `__all__` strings). Inside brackets an
 * item alone on its line goes with its line (and comment); otherwise with the comma that joins it
 * to a kept one. At least one item must be kept.
 */
export function removeItems(text: string, items: { start: number; end: number }[], removed: boolean[], bracketed: boolean): Edit[] {
  const edits: Edit[] = [];
  let i = 0;
  while (i < items.length) {
    if (!removed[i]) {
      i++;
      continue;
    }
    let j = i;
    while (j + 1 < items.length && removed[j + 1]) j++;
    if (bracketed && items.slice(i, j + 1).every((it) => ownLine(text, it))) {
      edits.push({ start: lineStart(text, items[i].start), end: lineEnd(text, items[j].end), text: '' });
    } else if (j + 1 < items.length) {
      edits.push({ start: items[i].start, end: items[j + 1].start, text: '' });
    } else {
      edits.push({ start: items[i - 1].end, end: items[j].end, text: '' });
    }
    i = j + 1;
  }
  return edits;
}

/** The item is alone on its line, with at most a trailing comma and comment. */
function ownLine(text: string, it: { start: number; end: number }): boolean {
  if (text.slice(lineStart(text, it.start), it.start).trim() !== '') return false;
  const after = text.slice(it.end, lineEnd(text, it.end));
  return /^[ \t]*,?[ \t]*(#[^\r\n]*)?\r?\n?$/.test(after);
}

/**
 * Where a new shim block goes: after the module's header (leading comments, docstring,
 * `__future__` and other imports), so that the moved names are served as early as the imports
 * they replace were, and the module's remaining imports stay above code.
 */
export function insertionPoint(text: string): number {
  const root = parsePython(text).rootNode;
  let last: SyntaxNode | null = null;
  let first = true;
  for (const n of root.namedChildren) {
    if (n.type === 'comment') continue;
    const docstring = first && n.type === 'expression_statement' && n.namedChildren.length === 1 && n.namedChildren[0].type === 'string';
    first = false;
    if (docstring || IMPORTS.has(n.type) || n.type === 'future_import_statement') last = n;
    else break;
  }
  return last ? lineEnd(text, last.endIndex) : 0;
}

/** Insert a new block at `at`, with one blank line on each side where there is other code. */
export function insertBlock(text: string, at: number, block: string, eol: string): string {
  let q = at;
  while (q < text.length && isBlankLine(text, q)) q = lineEnd(text, q);
  let head = text.slice(0, at);
  const hasHead = head.trim() !== '';
  if (hasHead && !/[\r\n]$/.test(head)) head += eol;
  const tail = text.slice(q);
  return head + (hasHead ? eol : '') + block + (tail.trim() !== '' ? eol + tail : '');
}

/** Edits removing `names` from a literal top-level `__all__`; a reason when canon cannot. */
export function removeFromAll(text: string, names: ReadonlySet<string>): { edits: Edit[]; problem: string | null } {
  const root = parsePython(text).rootNode;
  const edits: Edit[] = [];
  const b = moduleBindings(text);
  const binds = b.names.get('__all__') ?? [];
  if (binds.length === 0) return { edits, problem: null };
  const literal = binds.length === 1 && b.all !== null && !binds[0].conditional;
  if (!literal) {
    const listed = [...names].filter((n) => b.all === null || b.all.includes(n));
    if (listed.length === 0) return { edits, problem: null };
    return { edits, problem: `__all__ is not a single list of strings (line ${binds[0].line}); remove ${listed.join(', ')} from it by hand` };
  }
  for (const stmt of root.namedChildren) {
    if (stmt.type !== 'expression_statement') continue;
    const a = stmt.namedChildren[0];
    if (a?.type !== 'assignment' || a.childForFieldName('left')?.text !== '__all__') continue;
    const list = a.childForFieldName('right');
    if (!list) continue;
    const items = list.namedChildren.filter((c) => c.type === 'string');
    const removed = items.map((s) => names.has(s.namedChildren.filter((x) => x.type === 'string_content').map((x) => x.text).join('')));
    if (!removed.some(Boolean)) continue;
    if (removed.every(Boolean)) {
      // Keep the brackets, drop what is inside: `__all__ = []`.
      edits.push({ start: list.startIndex + 1, end: list.endIndex - 1, text: '' });
    } else {
      edits.push(...removeItems(text, items.map((s) => ({ start: s.startIndex, end: s.endIndex })), removed, true));
    }
  }
  return { edits, problem: null };
}
