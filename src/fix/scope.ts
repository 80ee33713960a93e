// Scope analysis for the few names fix must be sure about (a module alias `m` in `m.X`, a local
// name `--rename-uses` renames), over tree-sitter trees of only the top-level statements that
// mention them (chunks.ts). Python's rules, as far as they matter here: function, lambda, class and
// comprehension scopes; parameters, defaults and decorators; `global`/`nonlocal`; class bodies
// invisible to nested functions; walrus targets binding in the enclosing function.
//
// Offsets are byte offsets. A chunk with non-ASCII bytes is decoded before parsing (tree-sitter
// would reject UTF-8 identifiers seen as latin1 characters) and node indices are mapped back.

import { parsePython, type SyntaxNode } from '../python/parser.js';
import { lastAtMost } from '../python/lineTable.js';
import type { SourceInfo } from '../python/source.js';
import { chunkIndexAt, topLevelChunks, type Chunk } from './chunks.js';

export interface ParsedChunk extends Chunk {
  root: SyntaxNode;
  hasError: boolean;
  /** Byte offset of a tree index. */
  off(index: number): number;
  /** Tree index of a byte offset. */
  idx(offset: number): number;
}

const SCOPES = new Set([
  'function_definition', 'lambda', 'class_definition',
  'list_comprehension', 'set_comprehension', 'dictionary_comprehension', 'generator_expression',
]);
const COMPREHENSIONS = new Set(['list_comprehension', 'set_comprehension', 'dictionary_comprehension', 'generator_expression']);
const FUNCTIONS = new Set(['function_definition', 'lambda']);

/** Where a name occurrence stands. */
export type Occurrence =
  | 'load' // read
  | 'store' // assigned, deleted, bound by for/with/except/walrus/import/def/class/parameter
  | 'declare' // `global x` / `nonlocal x`
  | 'uncertain'; // inside a match pattern: canon does not model captures

export interface NameSite {
  node: SyntaxNode;
  chunk: ParsedChunk;
  start: number;
  end: number;
  occurrence: Occurrence;
  /** The scope node the name resolves to; null = module (global) scope. */
  scope: SyntaxNode | null;
}

function fieldOf(parent: SyntaxNode, child: SyntaxNode): string | null {
  for (let i = 0; i < parent.childCount; i++) {
    const c = parent.child(i);
    if (c !== null && c.id === child.id) return parent.fieldNameForChild(i) ?? null;
  }
  return null;
}

/** Identifiers bound by an assignment-like target. */
export function targetNames(n: SyntaxNode): SyntaxNode[] {
  switch (n.type) {
    case 'identifier':
      return [n];
    case 'attribute':
    case 'subscript':
      return [];
    default: {
      const out: SyntaxNode[] = [];
      for (const c of n.namedChildren) out.push(...targetNames(c));
      return out;
    }
  }
}

/** True when `child` (on the path from a node up to `scope`) lies in the part `scope` evaluates itself. */
function inOwnRegion(scope: SyntaxNode, path: SyntaxNode[], k: number): boolean {
  // path[k] === scope; path[k - 1] is its child on the way down, and so on.
  const child = path[k - 1];
  if (!child) return true;
  const f = fieldOf(scope, child);
  switch (scope.type) {
    case 'function_definition':
    case 'lambda': {
      if (f === 'body') return true;
      if (f !== 'parameters') return false;
      const param = path[k - 2];
      if (!param || param.type === 'identifier') return true;
      if (param.type === 'list_splat_pattern' || param.type === 'dictionary_splat_pattern') return true;
      const inner = path[k - 3];
      if (!inner) return true;
      if (param.type === 'default_parameter' || param.type === 'typed_default_parameter') return fieldOf(param, inner) === 'name';
      if (param.type === 'typed_parameter') return fieldOf(param, inner) !== 'type';
      return true;
    }
    case 'class_definition':
      return f === 'body';
    default: {
      // Comprehensions: the first iterable is evaluated in the enclosing scope.
      if (child.type === 'for_in_clause') {
        const firstFor = scope.namedChildren.find((c) => c.type === 'for_in_clause');
        if (firstFor && firstFor.id === child.id) {
          const inner = path[k - 2];
          if (inner && fieldOf(child, inner) === 'right') return false;
        }
      }
      return true;
    }
  }
}

/** The innermost scope whose own region holds `n`; null for module scope. */
export function scopeOf(n: SyntaxNode): SyntaxNode | null {
  const path: SyntaxNode[] = [n];
  for (let p = n.parent; p; p = p.parent) path.push(p);
  for (let k = 1; k < path.length; k++) {
    if (SCOPES.has(path[k].type) && inOwnRegion(path[k], path, k)) return path[k];
  }
  return null;
}

interface ScopeFacts {
  bound: Set<string>;
  globals: Set<string>;
  nonlocals: Set<string>;
  uncertain: Set<string>;
  star: boolean;
}

/** What a scope's own region binds (module scope: pass the chunk root). */
function collectFacts(scope: SyntaxNode): ScopeFacts {
  const facts: ScopeFacts = { bound: new Set(), globals: new Set(), nonlocals: new Set(), uncertain: new Set(), star: false };
  const bind = (ns: SyntaxNode[]): void => {
    for (const x of ns) facts.bound.add(x.text);
  };
  const start: SyntaxNode[] = SCOPES.has(scope.type) ? ownRoots(scope) : [scope];
  const visit = (n: SyntaxNode): void => {
    switch (n.type) {
      case 'function_definition':
      case 'class_definition': {
        const name = n.childForFieldName('name');
        if (name) bind([name]);
        return;
      }
      case 'lambda':
        return;
      case 'list_comprehension':
      case 'set_comprehension':
      case 'dictionary_comprehension':
      case 'generator_expression':
        // A walrus in a comprehension binds in the enclosing function.
        for (const w of n.descendantsOfType('named_expression')) {
          const name = w.childForFieldName('name');
          if (name) bind([name]);
        }
        return;
      case 'assignment': {
        const left = n.childForFieldName('left');
        if (left) bind(targetNames(left));
        break;
      }
      case 'augmented_assignment': {
        const left = n.childForFieldName('left');
        if (left) bind(targetNames(left));
        break;
      }
      case 'for_statement': {
        const left = n.childForFieldName('left');
        if (left) bind(targetNames(left));
        break;
      }
      case 'as_pattern_target':
        bind(targetNames(n));
        break;
      case 'named_expression': {
        const name = n.childForFieldName('name');
        if (name) bind([name]);
        break;
      }
      case 'delete_statement':
        for (const c of n.namedChildren) bind(targetNames(c));
        break;
      case 'import_statement':
        for (const item of n.namedChildren) {
          if (item.type === 'dotted_name') bind([item.namedChildren[0]]);
          else if (item.type === 'aliased_import') {
            const a = item.childForFieldName('alias');
            if (a) bind([a]);
          }
        }
        return;
      case 'import_from_statement':
        for (const item of n.namedChildren) {
          if (item.type === 'wildcard_import') facts.star = true;
        }
        for (const item of n.childrenForFieldName('name')) {
          if (item.type === 'dotted_name') bind([item.namedChildren[item.namedChildren.length - 1]]);
          else if (item.type === 'aliased_import') {
            const a = item.childForFieldName('alias');
            if (a) bind([a]);
          }
        }
        return;
      case 'global_statement':
        for (const c of n.namedChildren) if (c.type === 'identifier') facts.globals.add(c.text);
        return;
      case 'nonlocal_statement':
        for (const c of n.namedChildren) if (c.type === 'identifier') facts.nonlocals.add(c.text);
        return;
      case 'case_pattern':
        for (const id of n.descendantsOfType('identifier')) {
          facts.uncertain.add(id.text);
          facts.bound.add(id.text);
        }
        return;
      case 'type_alias_statement': {
        const left = n.namedChildren[0];
        if (left) bind(targetNames(left));
        break;
      }
    }
    for (const c of n.namedChildren) visit(c);
  };
  for (const r of start) visit(r);
  // Parameters bind in the function's own scope.
  if (FUNCTIONS.has(scope.type)) {
    const params = scope.childForFieldName('parameters');
    if (params) for (const p of params.namedChildren) bind(paramNames(p));
  }
  if (COMPREHENSIONS.has(scope.type)) {
    for (const c of scope.namedChildren) {
      if (c.type === 'for_in_clause') {
        const left = c.childForFieldName('left');
        if (left) bind(targetNames(left));
      }
    }
  }
  return facts;
}

function paramNames(p: SyntaxNode): SyntaxNode[] {
  switch (p.type) {
    case 'identifier':
      return [p];
    case 'default_parameter':
    case 'typed_default_parameter': {
      const n = p.childForFieldName('name');
      return n ? [n] : [];
    }
    case 'typed_parameter':
    case 'list_splat_pattern':
    case 'dictionary_splat_pattern': {
      const id = p.namedChildren.find((c) => c.type === 'identifier');
      if (id) return [id];
      const inner = p.namedChildren.find((c) => c.type === 'list_splat_pattern' || c.type === 'dictionary_splat_pattern');
      return inner ? paramNames(inner) : [];
    }
    default:
      return [];
  }
}

/** The nodes a scope evaluates itself (its body; parameters are handled apart). */
function ownRoots(scope: SyntaxNode): SyntaxNode[] {
  if (FUNCTIONS.has(scope.type) || scope.type === 'class_definition') {
    const body = scope.childForFieldName('body');
    return body ? [body] : [];
  }
  // Comprehension: everything but the first iterable (and its loop variables, bound below).
  const out: SyntaxNode[] = [];
  let first = true;
  for (const c of scope.namedChildren) {
    if (c.type === 'for_in_clause') {
      if (!first) {
        const right = c.childForFieldName('right');
        if (right) out.push(right);
      }
      first = false;
      for (const x of c.namedChildren) if (x.type === 'if_clause') out.push(x);
    } else out.push(c);
  }
  return out;
}

/** How an identifier occurrence is used, or null when it is not a variable (an attribute name, a keyword). */
export function occurrenceOf(id: SyntaxNode): Occurrence | null {
  const p = id.parent;
  if (!p) return 'load';
  const f = fieldOf(p, id);
  switch (p.type) {
    case 'attribute':
      return f === 'attribute' ? null : 'load';
    case 'keyword_argument':
      return f === 'name' ? null : 'load';
    case 'function_definition':
    case 'class_definition':
      return f === 'name' ? 'store' : 'load';
    case 'parameters':
    case 'lambda_parameters':
    case 'list_splat_pattern':
    case 'dictionary_splat_pattern':
      if (p.type === 'list_splat_pattern' || p.type === 'dictionary_splat_pattern') {
        const gp = p.parent;
        if (gp && gp.type !== 'parameters' && gp.type !== 'lambda_parameters' && gp.type !== 'typed_parameter') return isTarget(id) ? 'store' : 'load';
      }
      return 'store';
    case 'default_parameter':
    case 'typed_default_parameter':
      return f === 'name' ? 'store' : 'load';
    case 'typed_parameter':
      return f === 'type' ? 'load' : 'store';
    case 'global_statement':
    case 'nonlocal_statement':
      return 'declare';
    case 'aliased_import':
      return f === 'alias' ? 'store' : null;
    case 'dotted_name': {
      const q = p.parent;
      if (!q) return 'uncertain';
      // `import a.b` binds `a`; `from m import x` binds `x`; module paths and `x` in `x as y` bind nothing.
      if (q.type === 'import_statement') return p.namedChildren[0]?.id === id.id ? 'store' : null;
      if (q.type === 'import_from_statement') return fieldOf(q, p) === 'name' ? 'store' : null;
      if (q.type === 'aliased_import' || q.type === 'relative_import' || q.type === 'future_import_statement') return null;
      return 'uncertain';
    }
    case 'keyword_pattern':
      return 'uncertain';
    case 'named_expression':
      return f === 'name' ? 'store' : 'load';
  }
  for (let a: SyntaxNode | null = p; a; a = a.parent) {
    if (a.type === 'case_pattern') return 'uncertain';
    if (a.type.endsWith('statement') || a.type === 'block') break;
  }
  return isTarget(id) ? 'store' : 'load';
}

/** True when a node (an identifier, `m.X`) is (part of) an assignment, for, with, except or del target. */
export function isTarget(id: SyntaxNode): boolean {
  let child = id;
  for (let p = id.parent; p; child = p, p = p.parent) {
    switch (p.type) {
      case 'pattern_list':
      case 'tuple_pattern':
      case 'list_pattern':
      case 'list_splat_pattern':
      case 'tuple':
      case 'list':
      case 'parenthesized_expression':
      case 'expression_list':
        continue;
      case 'assignment':
      case 'augmented_assignment':
      case 'for_statement':
      case 'for_in_clause':
        return fieldOf(p, child) === 'left';
      case 'as_pattern_target':
      case 'delete_statement':
        return true;
      default:
        return false;
    }
  }
  return false;
}

/** A file's chunks, parsed on demand, and name resolution over them. */
export class FileScopes {
  readonly chunks: Chunk[];
  private readonly parsed = new Map<number, ParsedChunk>();
  private readonly facts = new Map<number, ScopeFacts>();
  /** Set when a parsed chunk has a syntax error: the byte offset of the first error. */
  errorAt: number | null = null;

  constructor(
    readonly text: string,
    private readonly info: SourceInfo,
  ) {
    this.chunks = topLevelChunks(text);
  }

  chunkIndex(offset: number): number {
    return chunkIndexAt(this.chunks, offset);
  }

  parse(i: number): ParsedChunk {
    let pc = this.parsed.get(i);
    if (pc) return pc;
    pc = parseChunk(this.text, this.chunks[i], this.info);
    this.parsed.set(i, pc);
    if (pc.hasError && this.errorAt === null) this.errorAt = errorOffset(pc);
    return pc;
  }

  /** Parse every chunk (a full syntax check). */
  parseAll(): void {
    for (let i = 0; i < this.chunks.length; i++) this.parse(i);
  }

  /** The smallest node of type in `types` spanning [start, end). */
  nodeAt(start: number, end: number, types: ReadonlySet<string>): { node: SyntaxNode; chunk: ParsedChunk } | null {
    const pc = this.parse(this.chunkIndex(start));
    let n: SyntaxNode | null = pc.root.descendantForIndex(pc.idx(start), Math.max(pc.idx(start), pc.idx(end) - 1));
    while (n && !(types.has(n.type) && pc.off(n.startIndex) <= start && pc.off(n.endIndex) >= end)) n = n.parent;
    return n ? { node: n, chunk: pc } : null;
  }

  /** Indices of chunks whose text holds `word` as a whole identifier. */
  chunksMentioning(word: string): number[] {
    const out: number[] = [];
    const re = wordRegex(word, this.info);
    re.lastIndex = 0;
    let last = -1;
    for (let m = re.exec(this.text); m; m = re.exec(this.text)) {
      const i = this.chunkIndex(m.index);
      if (i !== last) out.push(i);
      last = i;
    }
    return out;
  }

  /** Every occurrence of `name` as a variable, with its resolved scope. */
  sites(name: string): NameSite[] {
    const out: NameSite[] = [];
    for (const i of this.chunksMentioning(name)) {
      const pc = this.parse(i);
      for (const id of pc.root.descendantsOfType('identifier')) {
        if (id.text !== name) continue;
        const occurrence = occurrenceOf(id);
        if (occurrence === null) continue;
        out.push({ node: id, chunk: pc, start: pc.off(id.startIndex), end: pc.off(id.endIndex), occurrence, scope: this.resolve(id, name, occurrence) });
      }
    }
    return out;
  }

  /** Facts of a scope node, or of a chunk's module-level region (scope null). */
  private factsOf(scope: SyntaxNode): ScopeFacts {
    let f = this.facts.get(scope.id);
    if (!f) {
      f = collectFacts(scope);
      this.facts.set(scope.id, f);
    }
    return f;
  }

  /** The scope `name` at `id` refers to (null = module). */
  resolve(id: SyntaxNode, name: string, occurrence: Occurrence): SyntaxNode | null {
    let s = scopeOf(id);
    // A binding occurrence binds in its own scope (unless declared global/nonlocal there).
    let first = true;
    while (s) {
      const f = this.factsOf(s);
      if (f.globals.has(name)) return null;
      const visible = first || s.type !== 'class_definition';
      if (visible && !f.nonlocals.has(name) && (f.bound.has(name) || (first && occurrence === 'store'))) return s;
      first = false;
      s = enclosingScope(s);
    }
    return null;
  }

  /** Facts of module scope for `name` across the chunks mentioning it. */
  moduleFacts(name: string): { bindings: number; uncertain: boolean; star: boolean; globalRebinds: number } {
    let bindings = 0;
    let uncertain = false;
    let globalRebinds = 0;
    for (const s of this.sites(name)) {
      if (s.occurrence === 'uncertain') uncertain = true;
      if (s.scope === null && s.occurrence === 'store') {
        bindings++;
        if (scopeOf(s.node) !== null) globalRebinds++;
      }
    }
    return { bindings, uncertain, star: this.hasStarImport(), globalRebinds };
  }

  private starCache: boolean | null = null;

  /** A module-level `from x import *` anywhere (canon then cannot list the module's names). */
  hasStarImport(): boolean {
    if (this.starCache === null) this.starCache = /^[ \t]*from[ \t\\][^\n#]*\bimport[ \t(\\]*\*/m.test(this.text);
    return this.starCache;
  }
}

/** The scope enclosing scope node `s` (null = module). */
export function enclosingScope(s: SyntaxNode): SyntaxNode | null {
  // The scope holding `s` itself: its name and header are evaluated there.
  return scopeOf(s);
}

function errorOffset(pc: ParsedChunk): number {
  const find = (n: SyntaxNode): SyntaxNode | null => {
    if (n.type === 'ERROR' || n.isMissing) return n;
    for (const c of n.children) {
      if (c.hasError || c.type === 'ERROR' || c.isMissing) {
        const r = find(c);
        if (r) return r;
      }
    }
    return null;
  };
  const e = find(pc.root);
  return e ? pc.off(e.startIndex) : pc.start;
}

const wordCache = new Map<string, RegExp>();

/** A regex matching `word` as a whole identifier in latin1-held text. */
export function wordRegex(word: string, info: SourceInfo): RegExp {
  const key = `${info.encoding}\u0000${word}`;
  let re = wordCache.get(key);
  if (!re) {
    const bytes = /[^\x00-\x7f]/.test(word) ? Buffer.from(word, isLatin1(info) ? 'latin1' : 'utf8').toString('latin1') : word;
    const esc = bytes.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    re = new RegExp(`(?<![A-Za-z0-9_\\x80-\\xff])${esc}(?![A-Za-z0-9_\\x80-\\xff])`, 'g');
    wordCache.set(key, re);
  }
  return re;
}

export function isLatin1(info: SourceInfo): boolean {
  const e = info.encoding;
  return e === 'latin-1' || e === 'iso-8859-1' || e === 'latin1' || e === 'iso8859-1' || e === 'l1' || e === 'cp1252' || e === 'windows-1252';
}

/** Parse one chunk; when it holds non-ASCII bytes, decode it and keep an index map. */
export function parseChunk(text: string, chunk: Chunk, info: SourceInfo): ParsedChunk {
  const raw = text.slice(chunk.start, chunk.end);
  const base = chunk.start;
  if (!/[\x80-\xff]/.test(raw) || isLatin1(info)) {
    const tree = parsePython(raw);
    return { ...chunk, root: tree.rootNode, hasError: tree.rootNode.hasError, off: (i) => base + i, idx: (o) => o - base };
  }
  const { str, map } = decodeUtf8(raw);
  const tree = parsePython(str);
  const off = (i: number): number => base + (i < map.length ? map[i] : raw.length);
  const idx = (o: number): number => lastAtMost(map, o - base);
  return { ...chunk, root: tree.rootNode, hasError: tree.rootNode.hasError, off, idx };
}

/** UTF-8 bytes (latin1-held) to a JS string, with map[utf16Index] = byte offset (one extra entry at the end). */
export function decodeUtf8(raw: string): { str: string; map: Int32Array } {
  const units: number[] = [];
  const map: number[] = [];
  const n = raw.length;
  let i = 0;
  while (i < n) {
    const c = raw.charCodeAt(i);
    let cp = 0xfffd;
    let len = 1;
    if (c < 0x80) cp = c;
    else if (c >= 0xc2 && c < 0xe0 && i + 1 < n && (raw.charCodeAt(i + 1) & 0xc0) === 0x80) {
      cp = ((c & 0x1f) << 6) | (raw.charCodeAt(i + 1) & 0x3f);
      len = 2;
    } else if (c >= 0xe0 && c < 0xf0 && i + 2 < n && (raw.charCodeAt(i + 1) & 0xc0) === 0x80 && (raw.charCodeAt(i + 2) & 0xc0) === 0x80) {
      cp = ((c & 0x0f) << 12) | ((raw.charCodeAt(i + 1) & 0x3f) << 6) | (raw.charCodeAt(i + 2) & 0x3f);
      len = 3;
    } else if (c >= 0xf0 && c < 0xf5 && i + 3 < n && (raw.charCodeAt(i + 1) & 0xc0) === 0x80 && (raw.charCodeAt(i + 2) & 0xc0) === 0x80 && (raw.charCodeAt(i + 3) & 0xc0) === 0x80) {
      cp = ((c & 0x07) << 18) | ((raw.charCodeAt(i + 1) & 0x3f) << 12) | ((raw.charCodeAt(i + 2) & 0x3f) << 6) | (raw.charCodeAt(i + 3) & 0x3f);
      len = 4;
    }
    if (cp > 0xffff) {
      const v = cp - 0x10000;
      units.push(0xd800 + (v >> 10), 0xdc00 + (v & 0x3ff));
      map.push(i, i);
    } else {
      units.push(cp);
      map.push(i);
    }
    i += len;
  }
  map.push(n);
  let str = '';
  for (let k = 0; k < units.length; k += 8192) str += String.fromCharCode(...units.slice(k, k + 8192));
  return { str, map: Int32Array.from(map) };
}
