// Rewrites of import statements: each statement's names are sorted into those that stay and those
// that move (by canonical module); the statement is rewritten in place when all its names go to one
// module, else split, the moved names merged into an import of their module in the same block or
// put in a new statement right after. Layout, aliases and comments are kept.

import type { Move } from '../config/types.js';
import { MoveTable } from '../core/moveTable.js';
import type { SyntaxNode } from '../python/parser.js';
import { resolveRelative } from '../python/modules.js';
import { StmtKind, type ImportAlias, type ImportStmt } from '../python/records.js';
import { itemKey, planDotted } from './dotted.js';
import type { FileState } from './fileState.js';
import { insertAfter, itemComment, itemText, moduleText, onePerLine, removeItems } from './importText.js';
import { boundBy, finishMerges, makeExplicit, placeItems, registerTarget } from './merge.js';
import { planBinding, type BindingDecision } from './moduleUses.js';
import { renameUses } from './renameUses.js';

type Kind = 'symbol' | 'submodule' | 'modmove' | 'binding';

interface MovedName {
  j: number;
  n: ImportAlias;
  kind: Kind;
  /** null for a rebound module binding (its uses carry the findings). */
  move: Move | null;
  /** The module the name is imported from after the rewrite, and the name imported. */
  module: string;
  name: string;
  /** The alias written after the rewrite (null: none). */
  alias: string | null;
}

/** Plan every import statement of the file. */
export function planStatements(fs: FileState): void {
  const dotted = planDotted(fs);
  for (const st of fs.lex.imports) {
    if (fs.broken) return;
    if (st.kind === StmtKind.From) planFrom(fs, st);
    else planImport(fs, st, dotted);
  }
  if (!fs.broken) {
    finishMerges(fs);
    fs.finishRemovals();
  }
}

function planFrom(fs: FileState, st: ImportStmt): void {
  const abs = fs.absModule(st);
  if (abs === null) return;
  const table = fs.table;
  if (st.names.length === 1 && st.names[0].name === '*') {
    const mm = table.symbolModules.has(abs) ? undefined : table.moduleMoveFor(abs);
    if (!mm || fs.skipped(st.start, st.end)) return;
    const target = MoveTable.mapModule(mm, abs);
    const why = fs.orderFor(st, target, '*');
    if (why) fs.occur(st.start, st.end, mm, false, why);
    else {
      fs.edit(st.moduleStart, st.moduleEnd, fs.enc(moduleText(target, st, fs.style)));
      fs.occur(st.start, st.end, mm, true);
    }
    return;
  }

  const moved: MovedName[] = [];
  const drop = new Set<number>();
  st.names.forEach((n, j) => {
    if (fs.skipped(n.itemStart, n.itemEnd)) return undefined;
    const sm = table.symbol(abs, n.name);
    if (sm) return moved.push({ j, n, kind: 'symbol', move: sm, module: sm.toModule, name: sm.toName, alias: null });
    const full = `${abs}.${n.name}`;
    const fm = table.moduleMoveFor(full);
    const am = table.moduleMoveFor(abs);
    if (fm && !am) {
      const mapped = MoveTable.mapModule(fm, full);
      const dot = mapped.lastIndexOf('.');
      return moved.push({ j, n, kind: 'submodule', move: fm, module: dot < 0 ? '' : mapped.slice(0, dot), name: dot < 0 ? mapped : mapped.slice(dot + 1), alias: null });
    }
    if (am) return moved.push({ j, n, kind: 'modmove', move: am, module: MoveTable.mapModule(am, abs), name: n.name, alias: null });
    if (table.symbolModules.has(full) || table.reachesLegacy(full)) {
      const d = planBinding(fs, { st, j, local: n.asname ?? n.name, module: full });
      if (d.action === 'drop') drop.add(j);
      else if (d.action === 'rebind') {
        const dot = d.target.lastIndexOf('.');
        moved.push({ j, n, kind: 'binding', move: null, module: dot < 0 ? '' : d.target.slice(0, dot), name: dot < 0 ? d.target : d.target.slice(dot + 1), alias: null });
      }
    }
    return undefined;
  });
  if (fs.broken || (moved.length === 0 && drop.size === 0)) {
    registerTarget(fs, st, abs, bindingsOf(st.names), true);
    return;
  }

  // Refusals: the import order (the module this file is, a package still initializing, a cycle);
  // a try/except pair importing the name from both paths.
  const ok: MovedName[] = [];
  for (const m of moved) {
    if (m.kind !== 'binding') {
      const why = m.kind === 'submodule' ? fs.orderFor(st, join(m.module, m.name), null) : fs.orderFor(st, m.module, m.name);
      if (why) {
        fs.occur(m.n.itemStart, m.n.itemEnd, m.move!, false, why);
        continue;
      }
      const pair = tryPair(fs, st, m);
      if (pair) {
        fs.occur(m.n.itemStart, m.n.itemEnd, m.move!, false, pair);
        continue;
      }
    }
    ok.push(m);
  }
  if (fs.broken) return;

  // The alias each moved name keeps, and --rename-uses.
  for (const m of ok) {
    const n = m.n;
    const local = n.asname ?? n.name;
    if (m.kind === 'binding') m.alias = m.name === local ? null : local;
    else if (n.asname !== null) m.alias = n.asname === m.name && n.name !== m.name ? null : n.asname;
    else if (m.name !== n.name) {
      m.alias = n.name;
      if (fs.input.renameUses && m.module !== '') {
        const r = renameUses(fs, n, m.name);
        if (r.ok) m.alias = null;
        else fs.note(n.start, `kept \`${m.name} as ${n.name}\` instead of renaming the uses of \`${n.name}\`: ${r.reason}`);
      }
    }
  }

  const local = (m: MovedName): string => m.alias ?? m.name;
  const deduped = new Set<number>();
  const topLevel: MovedName[] = [];
  const groups = new Map<string, MovedName[]>();
  for (const m of ok) {
    if (m.module === '') {
      topLevel.push(m);
      continue;
    }
    // A duplicate goes; `X as X` (an explicit re-export) survives in the binding that stays.
    const at = boundBy(fs, st, m.module, m.name, local(m));
    if (at) {
      deduped.add(m.j);
      if (explicit(m)) makeExplicit(fs, at, local(m));
      continue;
    }
    const g = groups.get(m.module) ?? [];
    const same = g.find((o) => o.name === m.name && local(o) === local(m));
    if (!same) g.push(m);
    else {
      deduped.add(m.j);
      if (explicit(m)) same.alias = same.name;
    }
    groups.set(m.module, g);
  }
  const movedJ = new Set(ok.map((m) => m.j));
  const stays = st.names.map((_, j) => j).filter((j) => !movedJ.has(j) && !drop.has(j));
  // Which group is rewritten in place: one importing from the statement's own module, else (when
  // nothing stays) the largest.
  let inPlace: string | null = groups.has(abs) ? abs : null;
  if (inPlace === null && stays.length === 0) {
    for (const [mod, g] of groups) if (inPlace === null || g.length > groups.get(inPlace)!.length) inPlace = mod;
  }
  const remove = new Set<number>([...drop, ...deduped, ...topLevel.map((m) => m.j)]);
  for (const [mod, g] of groups) if (mod !== inPlace) for (const m of g) remove.add(m.j);
  const remaining = st.names.length - remove.size;

  if (remaining === 0) {
    fs.removeStatement(st);
  } else {
    if (remove.size > 0) fs.edits.push(...removeItems(fs.text, st, remove));
    const g = inPlace !== null ? groups.get(inPlace)! : [];
    if (inPlace !== null && inPlace !== abs) fs.edit(st.moduleStart, st.moduleEnd, fs.enc(moduleText(inPlace, st, fs.style)));
    for (const m of g) itemEdit(fs, m);
    const bindings = new Map<string, string>();
    for (const j of stays) bindings.set(st.names[j].asname ?? st.names[j].name, st.names[j].name);
    for (const m of g) bindings.set(local(m), m.name);
    registerTarget(fs, st, inPlace ?? abs, bindings, remove.size === 0);
  }
  const layoutComments = onePerLine(fs.text, st);
  for (const [mod, g] of groups) {
    if (mod === inPlace) continue;
    placeItems(fs, st, mod, g.map((m) => ({
      name: m.name, local: local(m), text: fs.enc(itemText(m.name, m.alias)), comment: layoutComments ? itemComment(fs.text, st, m.j) : '',
    })));
  }
  for (const m of topLevel) {
    const text = m.alias === null || m.alias === m.name ? `import ${m.name}` : `import ${m.name} as ${m.alias}`;
    fs.edits.push(insertAfter(fs.text, st, fs.enc(text), fs.eol));
  }
  for (const m of ok) {
    if (m.move) fs.occur(m.n.itemStart, m.n.itemEnd, m.move, true);
    if (m.module === '') fs.expected.push({ kind: 'import', module: m.name, name: null, local: m.alias === m.name ? null : m.alias });
    else fs.expected.push({ kind: 'from', module: m.module, name: m.name, local: local(m) });
  }
  // A statement-wide finding (a whole-module move) is fixed when all its module-moved names are.
  const mods = moved.filter((m) => m.kind === 'modmove');
  if (mods.length > 0) {
    const all = mods.every((m) => ok.includes(m));
    fs.occur(st.start, st.end, mods[0].move!, all, all ? null : 'some names of this statement cannot be rewritten');
  }
}

/** Written `X as X` after the rewrite: an explicit re-export (PEP 484) to keep. */
function explicit(m: MovedName): boolean {
  return m.n.asname !== null && m.alias === m.name;
}

/** The in-place edit of one moved name: its new name, and the alias it keeps or gains. */
function itemEdit(fs: FileState, m: MovedName): void {
  const n = m.n;
  if (n.asname !== null) {
    if (m.alias === null) fs.edit(n.start, n.asEnd, fs.enc(m.name));
    else if (m.name !== n.name) fs.edit(n.start, n.end, fs.enc(m.name));
  } else if (m.alias !== null) fs.edit(n.start, n.end, fs.enc(itemText(m.name, m.alias)));
  else if (m.name !== n.name) fs.edit(n.start, n.end, fs.enc(m.name));
}

function bindingsOf(names: ImportAlias[]): Map<string, string> {
  return new Map(names.map((n) => [n.asname ?? n.name, n.name]));
}

function join(a: string, b: string): string {
  return a === '' ? b : `${a}.${b}`;
}

function planImport(fs: FileState, st: ImportStmt, dotted: Map<string, BindingDecision>): void {
  const table = fs.table;
  const drop = new Set<number>();
  const rewrite = new Map<number, string>();
  st.names.forEach((n, j) => {
    if (fs.skipped(n.itemStart, n.itemEnd)) return;
    const decided = dotted.get(itemKey(st, j));
    if (decided) {
      if (decided.action === 'drop') drop.add(j);
      else if (decided.action === 'rebind') rewrite.set(j, decided.target);
      return;
    }
    if (n.asname === null) return;
    const mm = table.moduleMoveFor(n.name);
    if (mm) {
      const target = MoveTable.mapModule(mm, n.name);
      const why = fs.orderFor(st, target, null);
      if (why) fs.occur(n.itemStart, n.itemEnd, mm, false, why);
      else {
        rewrite.set(j, target);
        fs.occur(n.itemStart, n.itemEnd, mm, true);
        fs.expected.push({ kind: 'import', module: target, name: null, local: n.asname });
      }
      return;
    }
    if (table.symbolModules.has(n.name) || table.reachesLegacy(n.name)) {
      const d = planBinding(fs, { st, j, local: n.asname, module: n.name });
      if (d.action === 'drop') drop.add(j);
      else if (d.action === 'rebind') {
        rewrite.set(j, d.target);
        fs.expected.push({ kind: 'import', module: d.target, name: null, local: n.asname });
      }
    }
  });
  if (fs.broken) return;
  if (drop.size === st.names.length) {
    fs.removeStatement(st);
    return;
  }
  if (drop.size > 0) fs.edits.push(...removeItems(fs.text, st, drop));
  for (const [j, target] of rewrite) fs.edit(st.names[j].start, st.names[j].end, fs.enc(target));
}

/**
 * A try/except pair that imports the same name from the legacy path in one branch and from the
 * canonical path in the other: canon reports it rather than guess which branch to keep.
 */
function tryPair(fs: FileState, st: ImportStmt, m: MovedName): string | null {
  if (st.indent === 0 && !st.inline) return null;
  const found = fs.nodeOf(st);
  const block = found?.node.parent;
  if (!found || !block || block.type !== 'block') return null;
  const holder = block.parent;
  let tryNode: SyntaxNode | null = null;
  let others: SyntaxNode[] = [];
  if (holder?.type === 'try_statement' && holder.childForFieldName('body')?.id === block.id) {
    tryNode = holder;
    others = holder.namedChildren.filter((c) => c.type === 'except_clause' || c.type === 'except_group_clause' || c.type === 'else_clause');
  } else if ((holder?.type === 'except_clause' || holder?.type === 'except_group_clause') && holder.parent?.type === 'try_statement') {
    tryNode = holder.parent;
    const body = tryNode.childForFieldName('body');
    others = body ? [body] : [];
  }
  if (!tryNode) return null;
  const local = m.n.asname ?? m.n.name;
  for (const o of others) {
    for (const imp of o.descendantsOfType('import_from_statement')) {
      const mod = fromModule(fs, imp);
      if (mod !== m.module) continue;
      for (const item of imp.childrenForFieldName('name')) {
        const name = item.type === 'aliased_import' ? item.childForFieldName('name')?.text : item.text;
        const alias = item.type === 'aliased_import' ? item.childForFieldName('alias')?.text : item.text;
        if (name === m.name && alias === local) {
          return `a try/except pair imports \`${local}\` from both the legacy path and the canonical path ${m.module}; canon does not guess which branch to keep: keep \`from ${m.module} import ${itemText(m.name, local === m.name ? null : local)}\` by hand`;
        }
      }
    }
  }
  return null;
}

/** The absolute module of a tree-sitter import_from_statement. */
function fromModule(fs: FileState, imp: SyntaxNode): string | null {
  const modNode = imp.childForFieldName('module_name');
  if (!modNode) return null;
  if (modNode.type !== 'relative_import') return modNode.text.replace(/\s+/g, '');
  let level = 0;
  let module = '';
  for (const c of modNode.namedChildren) {
    if (c.type === 'import_prefix') level = c.text.replace(/[^.]/g, '').length;
    else if (c.type === 'dotted_name') module = c.text.replace(/\s+/g, '');
  }
  const self = fs.input.self;
  return self ? resolveRelative(level, module, self.name, self.isPackage) : null;
}
