// The pre-write check that every name a file uses still means the same object after the rewrite:
// each load of a name the edits concern resolves (by scope analysis) to the same binding target,
// read through the moves (verify showed legacy and canonical paths are the same object), and no
// name bound to a module is bound to another module unless a module move says so. A failure is a
// bug in canon: the file is left as it was.
//
// Cheap where it can be: a name whose import bindings keep their target and their block, and none
// of whose uses an edit touched, resolves as before without a parse. The rest (module aliases whose
// uses were respelled, names bound anew, bindings removed) are compared site by site.

import type { MoveTable } from '../core/moveTable.js';
import { MoveTable as Moves } from '../core/moveTable.js';
import { LineTable } from '../python/lineTable.js';
import { resolveRelative } from '../python/modules.js';
import type { SyntaxNode } from '../python/parser.js';
import { StmtKind, type ImportAlias, type ImportStmt } from '../python/records.js';
import { decodeFor, sourceInfo } from '../python/source.js';
import { sortEdits, type Edit } from './edits.js';
import type { ModuleSelf } from './fileState.js';
import { chainOf } from './moduleUses.js';
import { FileScopes, scopeOf, wordRegex, type NameSite } from './scope.js';

export interface SameBindingsInput {
  before: string;
  after: string;
  edits: readonly Edit[];
  beforeImports: readonly ImportStmt[];
  afterImports: readonly ImportStmt[];
  self: ModuleSelf | null;
  table: MoveTable;
  /** The original text's scopes, when the planner has them (parsed chunks are reused). */
  scopes?: FileScopes;
}

interface ImportBinding {
  local: string;
  /** What it binds, read through the moves. */
  target: string;
  st: ImportStmt;
  item: ImportAlias;
}

/** null when every name keeps its meaning, else what changes (a bug in canon). */
export function sameBindings(c: SameBindingsInput): string | null {
  const before = importBindings(c.beforeImports, c.self, c.table);
  const after = importBindings(c.afterImports, c.self, c.table);
  const { sorted } = sortEdits(c.edits);
  const names = new Set<string>();
  const locals = new Set([...before.keys(), ...after.keys()]);
  for (const l of locals) if (!inPlace(c, sorted, l, before.get(l) ?? [], after.get(l) ?? [])) names.add(l);
  // Names an edit of a use touches: those it removes and those it writes.
  for (const e of sorted) {
    if (isImportEdit(c, e)) continue;
    for (const w of words(c.before.slice(e.start, e.end))) names.add(w);
    for (const w of words(e.text)) names.add(w);
  }
  if (names.size === 0) return null;

  const b = new Meanings(c.before, c.scopes ?? new FileScopes(c.before, sourceInfo(c.before)), before, c.table);
  const a = new Meanings(c.after, new FileScopes(c.after, sourceInfo(c.after)), after, c.table);
  for (const n of names) {
    b.add(n);
    a.add(n);
  }
  // tree-sitter cannot read one of them: the compile check judges the file.
  if (b.unreadable || a.unreadable) return null;

  for (const [key, was] of b.stores) {
    const now = a.stores.get(key);
    if (now === undefined || now.value === was.value) continue;
    return `the rewrite would bind \`${was.name}\` (${scopeLabel(was.scope)}) to ${now.value} instead of ${was.value} (a bug in canon); the file is left as it was`;
  }
  const left = new Map<string, Use[]>();
  for (const u of a.loads) left.set(u.key, [...(left.get(u.key) ?? []), u]);
  const lost: Use[] = [];
  for (const u of b.loads) {
    const same = left.get(u.key);
    if (same && same.length > 0) same.pop();
    else lost.push(u);
  }
  const gained = [...left.values()].flat();
  if (lost.length === 0 && gained.length === 0) return null;
  const was = lost[0];
  const now = gained[0];
  const wasText = was ? `\`${was.text}\` at line ${was.line} meant ${was.meaning}` : null;
  const nowText = now ? `\`${now.text}\` at line ${now.line} would mean ${now.meaning}` : null;
  return `the rewrite would change what a name means (a bug in canon; the file is left as it was): ${[wasText, nowText].filter((x) => x !== null).join('; after it, ')}`;
}

/** A dotted path read through the moves: the longest legacy prefix respelled (verify showed both name one object). */
export function throughMoves(table: MoveTable, path: string): string {
  const parts = path.split('.');
  for (let i = parts.length - 1; i >= 1; i--) {
    const sm = table.symbol(parts.slice(0, i).join('.'), parts[i]);
    if (sm) return [sm.toModule, sm.toName, ...parts.slice(i + 1)].join('.');
  }
  for (let i = parts.length; i >= 1; i--) {
    const module = parts.slice(0, i).join('.');
    const mm = table.moduleMoveFor(module);
    if (mm) return [Moves.mapModule(mm, module), ...parts.slice(i)].join('.');
  }
  return path;
}

function importBindings(imports: readonly ImportStmt[], self: ModuleSelf | null, table: MoveTable): Map<string, ImportBinding[]> {
  const out = new Map<string, ImportBinding[]>();
  const add = (b: ImportBinding): void => {
    const list = out.get(b.local);
    if (list) list.push(b);
    else out.set(b.local, [b]);
  };
  for (const st of imports) {
    if (st.kind === StmtKind.Import) {
      for (const n of st.names) {
        const local = n.asname ?? n.name.split('.')[0];
        add({ local, target: throughMoves(table, n.asname === null ? local : n.name), st, item: n });
      }
      continue;
    }
    const abs = st.level > 0 ? (self ? resolveRelative(st.level, st.module, self.name, self.isPackage) : null) : st.module;
    if (abs === null || abs === '__future__') continue;
    for (const n of st.names) {
      if (n.name === '*') continue;
      add({ local: n.asname ?? n.name, target: throughMoves(table, `${abs}.${n.name}`), st, item: n });
    }
  }
  return out;
}

/**
 * The offset in the original text an offset of the rewritten text comes from (the start of the
 * edit whose new text holds it).
 */
function originOf(sorted: readonly Edit[], at: number): number {
  let delta = 0;
  for (const e of sorted) {
    const start = e.start + delta;
    if (at < start) break;
    if (at < start + e.text.length) return e.start;
    delta += e.text.length - (e.end - e.start);
  }
  return at - delta;
}

/**
 * True when a name's import bindings are the same after the rewrite (targets through the moves),
 * each where it was or moved within its block past nothing that mentions the name.
 */
function inPlace(c: SameBindingsInput, sorted: readonly Edit[], local: string, was: ImportBinding[], now: ImportBinding[]): boolean {
  if (was.length !== now.length) return false;
  const free = [...was];
  for (const n of now) {
    const from = originOf(sorted, n.st.start);
    const k = free.findIndex((w) => w.target === n.target && w.st.indent === n.st.indent && clear(c, local, w.st, from));
    if (k < 0) return false;
    free.splice(k, 1);
  }
  return true;
}

/** Nothing between statement `st` and offset `to` of the original text leaves st's block or mentions `local` outside import statements. */
function clear(c: SameBindingsInput, local: string, st: ImportStmt, to: number): boolean {
  if (to >= st.start && to <= st.end) return true;
  const lo = Math.min(st.end, to);
  const hi = Math.max(st.start, to);
  const text = c.before;
  if (st.indent > 0 || st.inline) {
    // Every line in between must sit at the statement's depth or deeper (blank lines and comments aside).
    for (let p = text.indexOf('\n', lo); p >= 0 && p < hi; p = text.indexOf('\n', p + 1)) {
      let q = p + 1;
      while (q < text.length && (text.charCodeAt(q) === 32 || text.charCodeAt(q) === 9)) q++;
      const ch = text.charCodeAt(q);
      if (q >= hi || ch === 10 || ch === 13 || ch === 35 /*#*/) continue;
      if (q - p - 1 < st.indent) return false;
    }
  }
  const re = wordRegex(local, sourceInfo(text));
  re.lastIndex = lo;
  for (let m = re.exec(text); m && m.index < hi; m = re.exec(text)) {
    if (!c.beforeImports.some((s) => s.start <= m!.index && m!.index < s.end)) return false;
  }
  return true;
}

/** Edits of import statements (rewritten, removed or added) rather than of uses. */
function isImportEdit(c: SameBindingsInput, e: Edit): boolean {
  if (c.beforeImports.some((s) => e.start <= s.end && s.start <= e.end)) return true;
  if (/(^|[\s;])(import|from)\s/.test(e.text)) return true;
  // String literals (`__all__`, --strings) name no variable.
  return /^[rRbBuUfF]{0,2}["']/.test(c.before.slice(e.start, e.end)) || /^[rRbBuUfF]{0,2}["']/.test(e.text);
}

/** The names in a stretch of code that may be variables (not attribute names after a dot), decoded. */
function words(s: string): string[] {
  const out: string[] = [];
  for (const m of s.matchAll(/(\.\s*)?([A-Za-z_\x80-\xff][A-Za-z0-9_\x80-\xff]*)/g)) if (!m[1]) out.push(decodeFor(m[2]));
  return out;
}

interface Use {
  key: string;
  text: string;
  line: number;
  meaning: string;
}

interface Store {
  name: string;
  scope: string;
  value: string;
}

/** What the loads of some names mean in one text, and what each scope binds them to. */
class Meanings {
  readonly loads: Use[] = [];
  /** `scope path|name` -> what the scope binds the name to. */
  readonly stores = new Map<string, Store>();
  unreadable = false;
  private lines: LineTable | null = null;

  constructor(
    private readonly text: string,
    private readonly scopes: FileScopes,
    private readonly bindings: Map<string, ImportBinding[]>,
    private readonly table: MoveTable,
  ) {}

  add(name: string): void {
    const sites = this.scopes.sites(name);
    if (this.scopes.errorAt !== null) {
      this.unreadable = true;
      return;
    }
    // What each scope binds the name to: import targets, `<local>` for any other binding.
    const values = new Map<number | 'module', Set<string>>();
    for (const s of sites) {
      if (s.occurrence !== 'store') continue;
      const key = s.scope === null ? 'module' : s.scope.id;
      const set = values.get(key) ?? new Set<string>();
      set.add(this.storeValue(name, s));
      values.set(key, set);
    }
    const valueOf = (scope: SyntaxNode | null): string[] => [...(values.get(scope === null ? 'module' : scope.id) ?? ['<unbound>'])].sort();
    for (const s of sites) {
      if (s.occurrence === 'store') {
        const path = scopePath(s.scope);
        this.stores.set(`${path}|${name}`, { name, scope: path, value: valueOf(s.scope).join(' or ') });
      }
      if (s.occurrence !== 'load' || this.inImport(s.start)) continue;
      const { attrs, nodes } = chainOf(s.node);
      const meaning = valueOf(s.scope).map((v) => (v.startsWith('<') ? [v, ...attrs].join('.') : throughMoves(this.table, [v, ...attrs].join('.')))).join(' or ');
      const end = nodes.length > 0 ? s.chunk.off(nodes[nodes.length - 1].endIndex) : s.end;
      this.loads.push({
        key: `${scopePath(scopeOf(s.node))}|${meaning}`,
        text: decodeFor(this.text.slice(s.start, end)),
        line: (this.lines ??= new LineTable(this.text)).lineOf(s.start),
        meaning,
      });
    }
  }

  private storeValue(name: string, s: NameSite): string {
    const b = this.bindings.get(name)?.find((x) => x.item.itemStart <= s.start && s.start < x.item.itemEnd);
    return b ? b.target : '<local>';
  }

  private inImport(at: number): boolean {
    for (const list of this.bindings.values()) for (const b of list) if (b.st.start <= at && at < b.st.end) return true;
    return false;
  }
}

/** A scope as a path of the definitions around it (`C.method`), the same in both texts. */
function scopePath(scope: SyntaxNode | null): string {
  const parts: string[] = [];
  for (let s = scope; s; s = scopeOf(s)) {
    const name = s.childForFieldName('name');
    parts.unshift(name ? name.text : s.type);
  }
  return parts.join('.');
}

function scopeLabel(path: string): string {
  return path === '' ? 'at module level' : `in ${path}`;
}
