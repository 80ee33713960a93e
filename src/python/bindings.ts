// What a module binds at module level (class, def, assignments, imports, star-imports), read from
// its syntax tree: the raw material the resolver follows from a legacy path to a definition.

import { parsePython, type SyntaxNode } from './parser.js';

export type BindingKind =
  | 'class' // class X: ...
  | 'def' // def X(): ...
  | 'value' // X = <literal or other expression canon treats as the definition itself>
  | 'call' // X = make(): canon cannot follow what a call returns
  | 'alias' // X = Y or X = mod.Y
  | 'import' // import a.b [as X]
  | 'import-from' // from m import Y [as X]
  | 'other'; // for-targets, with-targets, augmented assignment, del, global tricks

export interface Binding {
  name: string;
  kind: BindingKind;
  /** 1-based line of the binding statement. */
  line: number;
  /** Inside an if/try/with/for/while block at module level. */
  conditional: boolean;
  /** alias: the dotted expression on the right (`Y`, `mod.Y`). */
  target?: string;
  /** import-from: the module as written (without dots), its level, the imported name. */
  module?: string;
  level?: number;
  imported?: string;
  /** import: the module object bound (`a` for `import a.b`, `a.b` for `import a.b as X`). */
  boundModule?: string;
}

export interface StarImport {
  module: string;
  level: number;
  line: number;
  /** Inside an if/try/with/for/while block at module level. */
  conditional: boolean;
}

export interface ModuleBindings {
  names: Map<string, Binding[]>;
  stars: StarImport[];
  /** A module-level `def __getattr__` (PEP 562): any name may exist. */
  hasGetattr: boolean;
  /** `__all__` when it is a plain list/tuple of string literals; null otherwise. */
  all: string[] | null;
  /** The parser met a syntax error. */
  hasError: boolean;
  /** Names a function or class body declares `global` (so it may rebind them after import), with the line. */
  globals: Map<string, number>;
}

const BLOCKS = new Set(['if_statement', 'try_statement', 'with_statement', 'for_statement', 'while_statement', 'match_statement']);

export function moduleBindings(text: string): ModuleBindings {
  // Bindings need names and line numbers, not byte offsets: parse the decoded text, so that
  // non-ASCII names come out as the Unicode the config spells them in.
  const tree = parsePython(/[\x80-\xff]/.test(text) ? Buffer.from(text, 'latin1').toString('utf8') : text);
  const out: ModuleBindings = { names: new Map(), stars: [], hasGetattr: false, all: null, hasError: tree.rootNode.hasError, globals: new Map() };
  const add = (b: Binding): void => {
    const list = out.names.get(b.name);
    if (list) list.push(b);
    else out.names.set(b.name, [b]);
  };
  visitBlock(tree.rootNode, false, out, add);
  if (text.includes('global')) {
    for (const g of tree.rootNode.descendantsOfType('global_statement')) {
      for (const id of g.namedChildren) if (id.type === 'identifier' && !out.globals.has(id.text)) out.globals.set(id.text, line(g));
    }
  }
  return out;
}

function line(n: SyntaxNode): number {
  return n.startPosition.row + 1;
}

function visitBlock(block: SyntaxNode, conditional: boolean, out: ModuleBindings, add: (b: Binding) => void): void {
  for (const stmt of block.namedChildren) visitStatement(stmt, conditional, out, add);
}

function visitStatement(stmt: SyntaxNode, conditional: boolean, out: ModuleBindings, add: (b: Binding) => void): void {
  switch (stmt.type) {
    case 'decorated_definition': {
      const def = stmt.childForFieldName('definition');
      if (def) visitStatement(def, conditional, out, add);
      return;
    }
    case 'class_definition':
    case 'function_definition': {
      const name = stmt.childForFieldName('name');
      if (!name) return;
      if (stmt.type === 'function_definition' && name.text === '__getattr__') out.hasGetattr = true;
      add({ name: name.text, kind: stmt.type === 'class_definition' ? 'class' : 'def', line: line(stmt), conditional });
      return;
    }
    case 'import_statement': {
      for (const item of stmt.namedChildren) {
        if (item.type === 'dotted_name') {
          const full = item.text.replace(/\s+/g, '');
          const top = full.split('.')[0];
          add({ name: top, kind: 'import', line: line(stmt), conditional, boundModule: top });
        } else if (item.type === 'aliased_import') {
          const nm = item.childForFieldName('name');
          const alias = item.childForFieldName('alias');
          if (nm && alias) add({ name: alias.text, kind: 'import', line: line(stmt), conditional, boundModule: nm.text.replace(/\s+/g, '') });
        }
      }
      return;
    }
    case 'import_from_statement': {
      const modNode = stmt.childForFieldName('module_name');
      if (!modNode) return;
      let level = 0;
      let module = '';
      if (modNode.type === 'relative_import') {
        for (const c of modNode.namedChildren) {
          if (c.type === 'import_prefix') level = c.text.replace(/[^.]/g, '').length;
          else if (c.type === 'dotted_name') module = c.text.replace(/\s+/g, '');
        }
      } else module = modNode.text.replace(/\s+/g, '');
      let star = false;
      for (const c of stmt.namedChildren) if (c.type === 'wildcard_import') star = true;
      if (star) {
        out.stars.push({ module, level, line: line(stmt), conditional });
        return;
      }
      for (const item of stmt.childrenForFieldName('name')) {
        if (item.type === 'dotted_name') {
          add({ name: item.text, kind: 'import-from', line: line(stmt), conditional, module, level, imported: item.text });
        } else if (item.type === 'aliased_import') {
          const nm = item.childForFieldName('name');
          const alias = item.childForFieldName('alias');
          if (nm && alias) add({ name: alias.text, kind: 'import-from', line: line(stmt), conditional, module, level, imported: nm.text });
        }
      }
      return;
    }
    case 'expression_statement': {
      for (const e of stmt.namedChildren) visitExpression(e, stmt, conditional, out, add);
      return;
    }
    case 'future_import_statement':
      return;
    case 'delete_statement':
      return;
    default:
      if (BLOCKS.has(stmt.type)) visitCompound(stmt, out, add);
  }
}

/** Bindings in if/try/with/for/while bodies are module-level too, but conditional. */
function visitCompound(stmt: SyntaxNode, out: ModuleBindings, add: (b: Binding) => void): void {
  if (stmt.type === 'for_statement') {
    const left = stmt.childForFieldName('left');
    if (left) for (const n of targetNames(left)) add({ name: n.text, kind: 'other', line: line(stmt), conditional: true });
  }
  for (const c of stmt.namedChildren) {
    if (c.type === 'block') visitBlock(c, true, out, add);
    else if (
      c.type === 'else_clause' || c.type === 'elif_clause' || c.type === 'except_clause' ||
      c.type === 'finally_clause' || c.type === 'except_group_clause' || c.type === 'case_clause'
    ) {
      for (const b of c.namedChildren) if (b.type === 'block') visitBlock(b, true, out, add);
    } else if (c.type === 'with_clause') {
      for (const item of c.descendantsOfType('as_pattern_target')) {
        for (const n of targetNames(item)) add({ name: n.text, kind: 'other', line: line(stmt), conditional: true });
      }
    } else if (c.type === 'block_statements') {
      visitBlock(c, true, out, add);
    }
  }
}

function visitExpression(e: SyntaxNode, stmt: SyntaxNode, conditional: boolean, out: ModuleBindings, add: (b: Binding) => void): void {
  if (e.type === 'assignment') {
    const left = e.childForFieldName('left');
    let right = e.childForFieldName('right');
    // `a = b = X`: tree-sitter nests the second assignment on the right.
    const chained: SyntaxNode[] = left ? [left] : [];
    while (right && right.type === 'assignment') {
      const l = right.childForFieldName('left');
      if (l) chained.push(l);
      right = right.childForFieldName('right');
    }
    for (const target of chained) {
      if (target.type === 'identifier') {
        if (target.text === '__all__' && right) out.all = stringList(right);
        add(assignmentBinding(target.text, right, line(stmt), conditional));
      } else {
        for (const n of targetNames(target)) add({ name: n.text, kind: 'other', line: line(stmt), conditional });
      }
    }
  } else if (e.type === 'augmented_assignment') {
    const left = e.childForFieldName('left');
    if (left && left.type === 'identifier') {
      if (left.text === '__all__') out.all = null;
      add({ name: left.text, kind: 'other', line: line(stmt), conditional });
    }
  }
}

function assignmentBinding(name: string, right: SyntaxNode | null, ln: number, conditional: boolean): Binding {
  if (right === null) return { name, kind: 'value', line: ln, conditional }; // annotation only
  if (right.type === 'identifier' || (right.type === 'attribute' && isDotted(right))) {
    return { name, kind: 'alias', line: ln, conditional, target: right.text.replace(/\s+/g, '') };
  }
  if (right.type === 'call') return { name, kind: 'call', line: ln, conditional };
  return { name, kind: 'value', line: ln, conditional };
}

function isDotted(n: SyntaxNode): boolean {
  if (n.type === 'identifier') return true;
  if (n.type !== 'attribute') return false;
  const obj = n.childForFieldName('object');
  return obj !== null && isDotted(obj);
}

function targetNames(n: SyntaxNode): SyntaxNode[] {
  if (n.type === 'identifier') return [n];
  if (n.type === 'attribute' || n.type === 'subscript') return [];
  const out: SyntaxNode[] = [];
  for (const c of n.namedChildren) out.push(...targetNames(c));
  return out;
}

function stringList(n: SyntaxNode): string[] | null {
  if (n.type !== 'list' && n.type !== 'tuple') return null;
  const out: string[] = [];
  for (const c of n.namedChildren) {
    if (c.type !== 'string') return null;
    const content = c.namedChildren.filter((x) => x.type === 'string_content').map((x) => x.text).join('');
    if (c.namedChildren.some((x) => x.type === 'interpolation')) return null;
    out.push(content);
  }
  return out;
}
