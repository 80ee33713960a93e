// Finds and loads canon.toml / pyproject.toml [tool.canon] into a checked Config.
// Every mistake becomes a ConfigProblem with file, key path and position; all of them are collected.

import { readFileSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, posix, relative, resolve } from 'node:path';
import { parse, TomlError } from 'smol-toml';
import { errnoReason } from '../core/faults.js';
import { NotRegularFileError, readRegularFile } from '../fs/input.js';
import { CODES } from '../core/finding.js';
import { isIdentifier, isIdentifierPath, keywordIn } from '../python/modules.js';
import { configPathProblem, decodeUtf8, globProblem, moveTargetProblems, srcRootProblem } from './checks.js';
import { findConfigWith, MENTIONS_TOOL_CANON, type FoundConfig } from './find.js';
import { formatKeyPath, locateToml, type KeySegment, type TomlLocator } from './locate.js';
import {
  PRIORITIES,
  type Area,
  type Config,
  type ConfigProblem,
  type MigrateConfig,
  type Move,
  type PerFileIgnore,
  type Priority,
  type ShimConfig,
} from './types.js';

export type { ConfigKind, FoundConfig } from './find.js';

/**
 * The config for `cwd`: the nearest folder (cwd, then its parents) holding `canon.toml`, or a
 * `pyproject.toml` with a `[tool.canon]` table; canon.toml wins within one folder.
 * `explicit` (--config PATH, relative to cwd) skips the search: a file is taken as is (even if
 * missing, so loadConfig reports it), a folder is searched without walking up.
 */
export function findConfig(cwd: string, explicit?: string): FoundConfig | null {
  return findConfigWith(hasCanonTable, cwd, explicit);
}

/** A broken pyproject that clearly has a canon table still counts, so its syntax error gets reported. */
function hasCanonTable(file: string): boolean {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return false;
  }
  try {
    const doc = parse(stripBom(text));
    return isTable(doc['tool']) && Object.hasOwn(doc['tool'], 'canon');
  } catch {
    return MENTIONS_TOOL_CANON.test(text);
  }
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Read, parse and check one config file. The project root is the folder holding it. */
export function loadConfig(file: string): { config: Config } | { problems: ConfigProblem[] } {
  const abs = resolve(file);
  const fileProblem = (message: string, line = 0, column = 0): { problems: ConfigProblem[] } => ({
    problems: [{ file: abs, line, column, keyPath: '', message }],
  });

  let bytes: Buffer;
  try {
    bytes = readRegularFile(abs);
  } catch (e) {
    return fileProblem(`cannot read config file: ${ioReason(e)}`);
  }
  const decoded = decodeUtf8(bytes);
  if (!('text' in decoded)) return fileProblem(decoded.message, decoded.line, decoded.column);
  const text = stripBom(decoded.text);
  let doc: Record<string, unknown>;
  try {
    doc = parse(text);
  } catch (e) {
    if (e instanceof TomlError) return fileProblem(`invalid TOML: ${tomlReason(e)}`, e.line, e.column);
    return fileProblem(`invalid TOML: ${e instanceof Error ? e.message : String(e)}`);
  }

  const locator = locateToml(text);
  let table: unknown = doc;
  let prefix: KeySegment[] = [];
  if (basename(abs) === 'pyproject.toml') {
    const tool = doc['tool'];
    table = isTable(tool) ? tool['canon'] : undefined;
    prefix = ['tool', 'canon'];
    if (table === undefined) return fileProblem('no [tool.canon] table in pyproject.toml');
    if (!isTable(table)) {
      const at = locator.value(prefix);
      return fileProblem(`[tool.canon] must be a table, got ${describe(table)}`, at.line, at.column);
    }
  }

  const check = new Checker(abs, dirname(abs), locator, prefix);
  const config = check.config(table as Table, dirname(abs), abs);
  if (check.problems.length > 0) {
    // Reading order: by position; problems about the whole file (line 0) first.
    const problems = check.problems
      .map((p, i) => ({ p, i }))
      .sort((a, b) => a.p.line - b.p.line || a.p.column - b.p.column || a.i - b.i)
      .map(({ p }) => p);
    return { problems };
  }
  return { config };
}

function ioReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (e instanceof NotRegularFileError) return `it is ${e.kind}, not a regular file`;
  return errnoReason(e) ?? (e instanceof Error ? e.message : String(e));
}

/** smol-toml's message is `Invalid TOML document: <reason>\n\n<code block>`; keep the reason. */
function tomlReason(e: TomlError): string {
  return e.message.split('\n\n')[0]!.replace(/^Invalid TOML document: /, '');
}

/** `canon.toml:12:8: move[1].from: expected ...`, the file relative to cwd. */
export function formatConfigProblem(p: ConfigProblem, cwd: string): string {
  let out = relative(cwd, p.file) || p.file;
  if (p.line > 0) out += p.column > 0 ? `:${p.line}:${p.column}` : `:${p.line}`;
  out += ': ';
  if (p.keyPath !== '') out += `${p.keyPath}: `;
  return out + p.message;
}

// ---- checking -------------------------------------------------------------------------------

type Table = Record<string, unknown>;

const TOP_KEYS = ['src', 'include', 'exclude', 'extend-exclude', 'per-file-ignores', 'move', 'area', 'migrate', 'shim'] as const;
const MOVE_KEYS = ['from', 'to'] as const;
const AREA_KEYS = ['name', 'paths', 'priority'] as const;
const MIGRATE_KEYS = ['validate', 'batch-size', 'timeout', 'junit'] as const;
const SHIM_KEYS = ['category'] as const;
const SHIM_CATEGORIES: readonly ShimConfig['category'][] = [
  'DeprecationWarning',
  'FutureWarning',
  'PendingDeprecationWarning',
  'UserWarning',
];
const DEFAULT_INCLUDE = ['**/*.py'];
const DEFAULT_BATCH_SIZE = 5;
/** Seconds; node's timers take at most 2^31-1 ms and fire at once beyond. */
export const MAX_TIMEOUT = 2147483;
const DEFAULT_PRIORITY: Priority = 'medium';
/** Files outside every area are reported under this name (project/areas.ts), so no area may take it. */
const OTHER_AREA = 'other';
const REF_EXPECTED = 'expected "module:Name" or a dotted module path';

type Ref = { kind: 'symbol'; module: string; name: string } | { kind: 'module'; module: string };

function parseRef(s: string): Ref | null {
  const colon = s.indexOf(':');
  if (colon < 0) return isIdentifierPath(s) ? { kind: 'module', module: s } : null;
  const module = s.slice(0, colon);
  const name = s.slice(colon + 1);
  if (!isIdentifierPath(module) || !isIdentifier(name)) return null;
  return { kind: 'symbol', module, name };
}

function isTable(v: unknown): v is Table {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

/** `a string ("x")`, `an integer (5)`, `a table`: for "expected X, got Y" messages. */
function describe(v: unknown): string {
  if (typeof v === 'string') {
    const shown = v.length > 60 ? `${v.slice(0, 57)}...` : v;
    return `a string (${JSON.stringify(shown)})`;
  }
  if (typeof v === 'bigint') return `an integer (${v})`;
  if (typeof v === 'number') return Number.isInteger(v) ? `an integer (${v})` : `a float (${v})`;
  if (typeof v === 'boolean') return `a boolean (${v})`;
  if (v instanceof Date) return `a date (${String(v)})`;
  if (Array.isArray(v)) return 'an array';
  if (isTable(v)) return 'a table';
  return String(v);
}

class Checker {
  readonly problems: ConfigProblem[] = [];

  constructor(
    private readonly file: string,
    /** The project root: globs and paths are relative to it. */
    private readonly root: string,
    private readonly locator: TomlLocator,
    /** Where the canon table sits in the document: [] or ['tool', 'canon']. */
    private readonly prefix: KeySegment[],
  ) {}

  /** Report at the key (`key`: unknown keys) or at the value (`value`: everything else). */
  private at(path: KeySegment[], where: 'key' | 'value', message: string): void {
    const full = [...this.prefix, ...path];
    const pos = where === 'key' ? this.locator.key(full) : this.locator.value(full);
    this.problems.push({
      file: this.file,
      line: pos.line,
      column: pos.column,
      keyPath: formatKeyPath(path),
      message,
    });
  }

  /** The header of a table in this file's spelling: `[migrate]`, `[[tool.canon.area]]`. */
  private header(name: string, array: boolean): string {
    const id = formatKeyPath([...this.prefix, name]);
    return array ? `[[${id}]]` : `[${id}]`;
  }

  config(t: Table, root: string, configFile: string): Config {
    this.unknownKeys(t, [], TOP_KEYS, null);
    const srcDefault = isDirectory(resolve(root, 'src')) ? ['.', 'src'] : ['.'];
    return {
      root,
      configFile,
      src: this.srcRoots(t, srcDefault),
      include: this.globs(t, [], 'include', [...DEFAULT_INCLUDE], false) ?? [...DEFAULT_INCLUDE],
      exclude: [...(this.globs(t, [], 'exclude', [], true) ?? []), ...(this.globs(t, [], 'extend-exclude', [], true) ?? [])],
      perFileIgnores: this.perFileIgnores(t['per-file-ignores']),
      moves: this.moves(t['move']),
      areas: this.areas(t['area']),
      migrate: this.migrate(t['migrate']),
      shim: this.shim(t['shim']),
    };
  }

  private unknownKeys(
    t: Table,
    path: KeySegment[],
    known: readonly string[],
    /** The [table] this is, for hints about keys that landed below the wrong header. */
    table: { name: string; array: boolean } | null,
  ): void {
    for (const key of Object.keys(t)) {
      if (known.includes(key)) continue;
      this.at([...path, key], 'key', this.unknownKeyMessage(key, known, table));
    }
  }

  private unknownKeyMessage(
    key: string,
    known: readonly string[],
    table: { name: string; array: boolean } | null,
  ): string {
    const near = closest(key, known);
    if (near !== null) return `unknown key; did you mean \`${near}\`?`;
    if (table !== null) {
      // The classic TOML trap: a top-level setting written after a [table] header belongs to it.
      const top = closest(key, TOP_KEYS, true);
      if (top !== null) {
        const fix =
          this.prefix.length === 0
            ? 'move it above the first table header'
            : `move it up into [${formatKeyPath(this.prefix)}], before its first sub-table`;
        return (
          `unknown key; \`${top}\` is a top-level setting, but every key below a ` +
          `${this.header(table.name, table.array)} header belongs to that table: ${fix}`
        );
      }
    } else {
      for (const [name, keys] of [['migrate', MIGRATE_KEYS], ['shim', SHIM_KEYS]] as const) {
        const nested = closest(key, keys);
        if (nested !== null) return `unknown key; did you mean \`${name}.${nested}\` (under ${this.header(name, false)})?`;
      }
    }
    return `unknown key; expected one of: ${known.join(', ')}`;
  }

  private srcRoots(t: Table, fallback: string[]): string[] {
    const raw = this.stringList(t, [], 'src');
    if (raw === null) return fallback;
    if (raw.length === 0) {
      this.at(['src'], 'value', 'must list at least one import root (use ["."] for the project root)');
      return fallback;
    }
    const out: string[] = [];
    raw.forEach((entry, i) => {
      if (entry === null) return;
      const path: KeySegment[] = ['src', i];
      if (entry.trim() === '') return this.at(path, 'value', 'must not be empty (use "." for the project root)');
      const p = entry.replace(/\\/g, '/');
      if (isAbsolute(p) || /^[A-Za-z]:\//.test(p)) {
        return this.at(path, 'value', `must be relative to the project root, got ${JSON.stringify(entry)}`);
      }
      const norm = posix.normalize(p).replace(/\/+$/, '') || '.';
      if (norm === '..' || norm.startsWith('../')) {
        return this.at(path, 'value', `${JSON.stringify(entry)} is outside the project root`);
      }
      const why = srcRootProblem(this.root, entry, norm);
      if (why !== null) return this.at(path, 'value', why);
      if (!out.includes(norm)) out.push(norm);
    });
    return out;
  }

  /**
   * A list of globs; returns null when absent or wrong. Leading `./` is dropped, because
   * picomatch would never match it against root-relative paths.
   */
  private globs(t: Table, path: KeySegment[], key: string, fallback: string[], mayBeEmpty: boolean): string[] | null {
    const raw = this.stringList(t, path, key);
    if (raw === null) return t[key] === undefined ? fallback : null;
    if (raw.length === 0 && !mayBeEmpty) {
      this.at([...path, key], 'value', 'must list at least one glob');
      return null;
    }
    const out: string[] = [];
    raw.forEach((g, i) => {
      if (g === null) return;
      if (g.trim() === '') return this.at([...path, key, i], 'value', 'must not be empty');
      const why = globProblem(g, this.root);
      if (why !== null) return this.at([...path, key, i], 'value', why);
      out.push(g.replace(/^(\.\/)+/, ''));
    });
    return out;
  }

  /** An array of strings: null when absent or not an array; non-string elements are reported and null. */
  private stringList(t: Table, path: KeySegment[], key: string): (string | null)[] | null {
    const v = t[key];
    if (v === undefined) return null;
    if (!Array.isArray(v)) {
      this.at([...path, key], 'value', `expected an array of strings, got ${describe(v)}`);
      return null;
    }
    return v.map((e, i) => {
      if (typeof e === 'string') return e;
      this.at([...path, key, i], 'value', `expected a string, got ${describe(e)}`);
      return null;
    });
  }

  /** The array of tables `name`: [] when absent; a plain [name] table gets a hint about `[[`. */
  private tableArray(v: unknown, name: string): unknown[] {
    if (v === undefined) return [];
    if (Array.isArray(v)) return v;
    const hint = isTable(v) ? `; write ${this.header(name, true)} (double brackets) for each entry` : '';
    this.at([name], 'value', `expected an array of tables, got ${describe(v)}${hint}`);
    return [];
  }

  private moves(v: unknown): Move[] {
    const moves: Move[] = [];
    const firstByFrom = new Map<string, number>();
    this.tableArray(v, 'move').forEach((m, index) => {
      const at: KeySegment[] = ['move', index];
      if (!isTable(m)) return this.at(at, 'value', `expected a table with \`from\` and \`to\`, got ${describe(m)}`);
      this.unknownKeys(m, at, MOVE_KEYS, { name: 'move', array: true });
      const from = this.ref(m, at, 'from');
      const to = this.ref(m, at, 'to');

      const fromText = m['from'];
      if (typeof fromText === 'string' && from !== null) {
        const earlier = firstByFrom.get(fromText);
        if (earlier !== undefined) {
          this.at([...at, 'from'], 'value', `${JSON.stringify(fromText)} is already moved by move[${earlier}]`);
          return;
        }
        firstByFrom.set(fromText, index);
      }
      if (from === null || to === null) return;
      if (from.kind !== to.kind) {
        const form = (r: Ref) => (r.kind === 'symbol' ? 'a symbol ("module:Name")' : 'a module');
        this.at([...at, 'to'], 'value', `\`from\` names ${form(from)} but \`to\` names ${form(to)}; both must be the same form`);
        return;
      }
      if (m['from'] === m['to']) {
        this.at([...at, 'to'], 'value', 'same as `from`; a move must change the module or the name');
        return;
      }
      const id = fromText as string;
      if (from.kind === 'symbol' && to.kind === 'symbol') {
        moves.push({
          kind: 'symbol',
          index,
          id,
          fromModule: from.module,
          fromName: from.name,
          toModule: to.module,
          toName: to.name,
        });
      } else {
        moves.push({ kind: 'module', index, id, fromModule: from.module, toModule: to.module });
      }
    });
    const wrong = moveTargetProblems(moves);
    for (const p of wrong) this.at(['move', p.index, 'to'], 'value', p.message);
    return wrong.length === 0 ? moves : moves.filter((m) => !wrong.some((p) => p.index === m.index));
  }

  private ref(m: Table, at: KeySegment[], key: 'from' | 'to'): Ref | null {
    const v = m[key];
    if (v === undefined) {
      this.at(at, 'value', `missing required key \`${key}\``);
      return null;
    }
    if (typeof v !== 'string') {
      this.at([...at, key], 'value', `${REF_EXPECTED}, got ${describe(v)}`);
      return null;
    }
    const ref = parseRef(v);
    if (ref === null) {
      const kw = keywordIn(v);
      const why = kw !== null ? ` (\`${kw}\` is a Python keyword)` : '';
      this.at([...at, key], 'value', `${REF_EXPECTED}, got ${JSON.stringify(v)}${why}`);
    }
    return ref;
  }

  private areas(v: unknown): Area[] {
    const areas: Area[] = [];
    const firstByName = new Map<string, number>();
    this.tableArray(v, 'area').forEach((a, order) => {
      const at: KeySegment[] = ['area', order];
      if (!isTable(a)) return this.at(at, 'value', `expected a table with \`name\` and \`paths\`, got ${describe(a)}`);
      this.unknownKeys(a, at, AREA_KEYS, { name: 'area', array: true });
      let ok = true;

      const name = a['name'];
      if (name === undefined) {
        this.at(at, 'value', 'missing required key `name`');
        ok = false;
      } else if (typeof name !== 'string') {
        this.at([...at, 'name'], 'value', `expected a string, got ${describe(name)}`);
        ok = false;
      } else if (name.trim() === '') {
        this.at([...at, 'name'], 'value', 'must not be empty');
        ok = false;
      } else if (name === OTHER_AREA) {
        this.at([...at, 'name'], 'value', `"${OTHER_AREA}" is reserved for files outside every area`);
        ok = false;
      } else if (firstByName.has(name)) {
        this.at([...at, 'name'], 'value', `duplicate area name ${JSON.stringify(name)} (first used by area[${firstByName.get(name)}])`);
        ok = false;
      } else {
        firstByName.set(name, order);
      }

      let paths: string[] | null = null;
      if (a['paths'] === undefined) this.at(at, 'value', 'missing required key `paths`');
      else paths = this.globs(a, at, 'paths', [], false);
      if (paths === null) ok = false;

      let priority = DEFAULT_PRIORITY;
      const p = a['priority'];
      if (p !== undefined) {
        if (typeof p === 'string' && (PRIORITIES as readonly string[]).includes(p)) priority = p as Priority;
        else {
          const msg =
            typeof p === 'string'
              ? `unknown priority ${JSON.stringify(p)}; expected one of: ${PRIORITIES.join(', ')}`
              : `expected a priority (${PRIORITIES.join(', ')}), got ${describe(p)}`;
          this.at([...at, 'priority'], 'value', msg);
          ok = false;
        }
      }
      if (ok) areas.push({ name: name as string, paths: paths!, priority, order });
    });
    return areas;
  }

  /** A sub-table like [migrate]: {} when absent, null (reported) when not a table. */
  private subTable(v: unknown, name: string, known: readonly string[]): Table | null {
    if (v === undefined) return {};
    if (!isTable(v)) {
      this.at([name], 'value', `expected a table (${this.header(name, false)}), got ${describe(v)}`);
      return null;
    }
    this.unknownKeys(v, [name], known, { name, array: false });
    return v;
  }

  private migrate(v: unknown): MigrateConfig {
    const out: MigrateConfig = { validate: null, batchSize: DEFAULT_BATCH_SIZE, timeout: null, junit: null };
    const t = this.subTable(v, 'migrate', MIGRATE_KEYS);
    if (t === null) return out;

    out.validate = this.optionalString(t, 'validate', 'leave `validate` out to skip validation');
    out.junit = this.optionalString(t, 'junit', 'leave `junit` out for no report');
    const junitWrong = out.junit === null ? null : configPathProblem(this.root, out.junit);
    if (junitWrong !== null) {
      this.at(['migrate', 'junit'], 'value', junitWrong);
      out.junit = null;
    }
    if (out.validate?.includes('\0')) {
      this.at(['migrate', 'validate'], 'value', 'must not contain a NUL character');
      out.validate = null;
    }

    const bs = t['batch-size'];
    if (bs !== undefined) {
      if (typeof bs === 'number' && Number.isInteger(bs) && bs >= 1) out.batchSize = bs;
      else {
        const got = typeof bs === 'number' ? String(bs) : describe(bs);
        this.at(['migrate', 'batch-size'], 'value', `expected an integer >= 1, got ${got}`);
      }
    }
    const timeout = t['timeout'];
    if (timeout !== undefined) {
      if (typeof timeout === 'number' && Number.isFinite(timeout) && timeout > 0 && timeout <= MAX_TIMEOUT) out.timeout = timeout;
      else {
        const got = typeof timeout === 'number' ? String(timeout) : describe(timeout);
        const limit = typeof timeout === 'number' && Number.isFinite(timeout) && timeout > MAX_TIMEOUT ? ` and at most ${MAX_TIMEOUT} (24 days)` : '';
        this.at(['migrate', 'timeout'], 'value', `expected a number of seconds > 0${limit}, got ${got}`);
      }
    }
    return out;
  }

  private optionalString(t: Table, key: string, emptyHint: string): string | null {
    const v = t[key];
    if (v === undefined) return null;
    if (typeof v !== 'string') {
      this.at(['migrate', key], 'value', `expected a string, got ${describe(v)}`);
      return null;
    }
    if (v.trim() === '') {
      this.at(['migrate', key], 'value', `must not be empty; ${emptyHint}`);
      return null;
    }
    return v;
  }

  private shim(v: unknown): ShimConfig {
    const out: ShimConfig = { category: 'DeprecationWarning' };
    const t = this.subTable(v, 'shim', SHIM_KEYS);
    if (t === null) return out;
    const c = t['category'];
    if (c === undefined) return out;
    if (typeof c === 'string' && (SHIM_CATEGORIES as readonly string[]).includes(c)) {
      out.category = c as ShimConfig['category'];
    } else {
      const msg =
        typeof c === 'string'
          ? `unknown warning category ${JSON.stringify(c)}; expected one of: ${SHIM_CATEGORIES.join(', ')}`
          : `expected a warning category (${SHIM_CATEGORIES.join(', ')}), got ${describe(c)}`;
      this.at(['shim', 'category'], 'value', msg);
    }
    return out;
  }

  // ---- ruff's conventions: per-file-ignores (extend-exclude is read with exclude, above) ----

  /**
   * `[per-file-ignores]`: glob -> the codes to ignore in the files it matches (a leading `!`: in the
   * files it does not match). Each code is one of canon's codes, a prefix of them, or `ALL`.
   */
  private perFileIgnores(v: unknown): PerFileIgnore[] {
    const out: PerFileIgnore[] = [];
    if (v === undefined) return out;
    if (!isTable(v)) {
      this.at(['per-file-ignores'], 'value', `expected a table of glob = [codes] (${this.header('per-file-ignores', false)}), got ${describe(v)}`);
      return out;
    }
    for (const [glob, value] of Object.entries(v)) {
      const at: KeySegment[] = ['per-file-ignores', glob];
      if ((TOP_KEYS as readonly string[]).includes(glob) && !Array.isArray(value)) {
        this.at(at, 'key', `\`${glob}\` is a top-level setting, but every key below a ${this.header('per-file-ignores', false)} header belongs to that table: move it above the header`);
        continue;
      }
      const negated = glob.startsWith('!');
      const pattern = (negated ? glob.slice(1) : glob).replace(/^(\.\/)+/, '');
      if (pattern.trim() === '') {
        this.at(at, 'key', 'the glob must not be empty');
        continue;
      }
      const raw = this.stringList(v, ['per-file-ignores'], glob);
      if (raw === null) continue;
      const codes: string[] = [];
      raw.forEach((code, i) => {
        if (code === null) return;
        if (isCodeSelector(code)) codes.push(code);
        else this.at([...at, i], 'value', `unknown code ${JSON.stringify(code)}; expected one of ${KNOWN_CODES.join(', ')}, a prefix of them (CAN00) or ALL`);
      });
      if (codes.length > 0 || raw.length === 0) out.push({ pattern, negated, codes });
    }
    return out;
  }
}

const KNOWN_CODES = Object.values(CODES);

/** `CAN001`, a prefix of canon's codes no shorter than `CAN`, or `ALL` (ruff's selectors, for canon's codes). */
function isCodeSelector(code: string): boolean {
  return code === 'ALL' || (code.length >= 3 && KNOWN_CODES.some((c) => c.startsWith(code)));
}

/**
 * The known key closest to a mistyped one, or null when none is close. Case, `_` vs `-` and one
 * transposition are cheap mistakes; the allowed distance grows with the key's length.
 */
function closest(key: string, known: readonly string[], exactOnly = false): string | null {
  const norm = (s: string) => s.toLowerCase().replace(/_/g, '-');
  const k = norm(key);
  let best: string | null = null;
  let bestD = Infinity;
  for (const cand of known) {
    const d = distance(k, norm(cand));
    if (d < bestD) {
      bestD = d;
      best = cand;
    }
  }
  const limit = exactOnly ? 0 : Math.max(1, Math.floor(key.length / 3));
  return bestD <= limit ? best : null;
}

/** Optimal-string-alignment distance: Levenshtein plus adjacent transpositions. */
function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}
