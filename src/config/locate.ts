// Finds where a key path sits in TOML text, because smol-toml reports positions only for syntax errors.
// A small scanner for already-parsed (so valid) TOML: it follows [table] / [[array]] headers, dotted
// keys, inline tables and arrays, and skips strings and comments so their contents never look like structure.

/** A key path: `['move', 1, 'from']` is `move[1].from`. */
export type KeySegment = string | number;

/** 1-based; `{line: 0, column: 0}` when nothing was found. */
export interface TomlPosition {
  line: number;
  column: number;
}

export interface TomlLocator {
  /** Where the key of `path` is written (for a table: its name in the header, or its key in a
   * dotted/inline definition). Falls back to the nearest located ancestor; line 0 when none. */
  key(path: readonly KeySegment[]): TomlPosition;
  /** Where the value of `path` starts (for a table header: the `[`). Same fallback as key(). */
  value(path: readonly KeySegment[]): TomlPosition;
}

const BARE_KEY = /^[A-Za-z0-9_-]+$/;

/** `move[1].from`; keys that are not bare TOML keys are quoted: `area[0]."odd key"`. */
export function formatKeyPath(path: readonly KeySegment[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else {
      const k = BARE_KEY.test(seg) ? seg : JSON.stringify(seg);
      out += out === '' ? k : `.${k}`;
    }
  }
  return out;
}

const NOWHERE: TomlPosition = { line: 0, column: 0 };

interface Entry {
  key: number;
  value: number;
}

/** Scan `text` once; lookups are then map reads. Never throws, even on invalid TOML. */
export function locateToml(text: string): TomlLocator {
  const entries = new Map<string, Entry>();
  try {
    new Scanner(text, entries).document();
  } catch {
    // Defensive only: a scanner bug must cost positions, not the command.
  }
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);

  const toPosition = (offset: number): TomlPosition => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - lineStarts[lo]! + 1 };
  };
  const find = (path: readonly KeySegment[], which: keyof Entry): TomlPosition => {
    for (let n = path.length; n > 0; n--) {
      const e = entries.get(formatKeyPath(path.slice(0, n)));
      if (e) return toPosition(e[which]);
    }
    return NOWHERE;
  };
  return { key: (p) => find(p, 'key'), value: (p) => find(p, 'value') };
}

interface KeyPart {
  name: string;
  start: number;
}

class Scanner {
  private i = 0;
  /** Current index of each array of tables, keyed by its formatted path (`tool.canon.move`). */
  private readonly aot = new Map<string, number>();

  constructor(
    private readonly s: string,
    private readonly entries: Map<string, Entry>,
  ) {}

  document(): void {
    let table: KeySegment[] = [];
    while (this.i < this.s.length) {
      this.skipBlank();
      if (this.i >= this.s.length) break;
      const before = this.i;
      if (this.s[this.i] === '[') table = this.header();
      else this.keyValue(table);
      this.skipToLineEnd();
      if (this.i === before) this.i++; // always make progress, whatever the input
    }
  }

  /** `[a.b]` or `[[a.b]]`; returns the resolved path, array indices included. */
  private header(): KeySegment[] {
    const open = this.i;
    const isArray = this.s[this.i + 1] === '[';
    this.i += isArray ? 2 : 1;
    this.skipSpaces();
    const parts = this.key();
    const path: KeySegment[] = [];
    parts.forEach((part, n) => {
      path.push(part.name);
      const id = formatKeyPath(path);
      const last = n === parts.length - 1;
      if (isArray && last) {
        const index = (this.aot.get(id) ?? -1) + 1;
        this.aot.set(id, index);
        this.record(path, part.start, part.start);
        path.push(index);
        this.record(path, part.start, open, true);
      } else {
        const index = this.aot.get(id);
        if (index !== undefined) path.push(index);
        this.record(path, part.start, last ? open : part.start, last);
      }
    });
    return path;
  }

  /** `a.b = value` inside `table`. */
  private keyValue(table: readonly KeySegment[]): void {
    const parts = this.key();
    if (parts.length === 0) return;
    const path = [...table];
    for (const part of parts) {
      path.push(part.name);
      this.record(path, part.start, part.start);
    }
    this.skipSpaces();
    if (this.s[this.i] !== '=') return;
    this.i++;
    this.skipSpaces();
    this.setValue(path, this.i);
    this.value(path);
  }

  private value(path: KeySegment[]): void {
    const s = this.s;
    const c = s[this.i];
    if (c === '"' || c === "'") {
      this.string();
    } else if (c === '[') {
      this.i++;
      for (let index = 0; ; index++) {
        this.skipBlank();
        if (this.i >= s.length || s[this.i] === ']') break;
        const elem = [...path, index];
        this.record(elem, this.i, this.i);
        const before = this.i;
        this.value(elem);
        this.skipBlank();
        if (s[this.i] === ',') this.i++;
        else if (this.i === before) break;
      }
      if (s[this.i] === ']') this.i++;
    } else if (c === '{') {
      this.i++;
      for (;;) {
        this.skipBlank();
        if (this.i >= s.length || s[this.i] === '}') break;
        const before = this.i;
        this.keyValue(path);
        this.skipBlank();
        if (s[this.i] === ',') this.i++;
        else if (this.i === before) break;
      }
      if (s[this.i] === '}') this.i++;
    } else {
      // Numbers, booleans, dates (which may hold one space: `1979-05-27 07:32:00`).
      while (this.i < s.length && !',]}#\r\n'.includes(s[this.i]!)) this.i++;
    }
  }

  /** A dotted key: bare, "basic" or 'literal' parts separated by dots. */
  private key(): KeyPart[] {
    const parts: KeyPart[] = [];
    for (;;) {
      this.skipSpaces();
      const start = this.i;
      const c = this.s[this.i];
      let name: string;
      if (c === '"') name = decodeBasic(this.s.slice(start + 1, this.string() - 1));
      else if (c === "'") name = this.s.slice(start + 1, this.string() - 1);
      else {
        while (this.i < this.s.length && /[A-Za-z0-9_-]/.test(this.s[this.i]!)) this.i++;
        if (this.i === start) return parts;
        name = this.s.slice(start, this.i);
      }
      parts.push({ name, start });
      this.skipSpaces();
      if (this.s[this.i] !== '.') return parts;
      this.i++;
    }
  }

  /** Skips any string form starting at i; returns the index just past it. */
  private string(): number {
    const s = this.s;
    const q = s[this.i]!;
    const triple = s.startsWith(q.repeat(3), this.i);
    this.i += triple ? 3 : 1;
    while (this.i < s.length) {
      const c = s[this.i]!;
      if (c === '\\' && q === '"') {
        this.i += 2;
        continue;
      }
      if (!triple && (c === '\n' || c === '\r')) break; // unterminated: stay on this line
      if (c === q && (!triple || s.startsWith(q.repeat(3), this.i))) {
        this.i += triple ? 3 : 1;
        // Up to two quotes may sit right before a triple delimiter: `""""` ends with one `"` kept.
        if (triple) for (let k = 0; k < 2 && s[this.i] === q; k++) this.i++;
        return this.i;
      }
      this.i++;
    }
    return this.i;
  }

  private record(path: readonly KeySegment[], key: number, value: number, overwriteValue = false): void {
    const id = formatKeyPath(path);
    const e = this.entries.get(id);
    if (!e) this.entries.set(id, { key, value });
    else if (overwriteValue) e.value = value;
  }

  private setValue(path: readonly KeySegment[], value: number): void {
    const e = this.entries.get(formatKeyPath(path));
    if (e) e.value = value;
  }

  private skipSpaces(): void {
    while (this.s[this.i] === ' ' || this.s[this.i] === '\t') this.i++;
  }

  /** Spaces, newlines and comments. */
  private skipBlank(): void {
    const s = this.s;
    while (this.i < s.length) {
      const c = s[this.i];
      if (c === ' ' || c === '\t' || c === '\r' || c === '\n') this.i++;
      else if (c === '#') while (this.i < s.length && s[this.i] !== '\n') this.i++;
      else break;
    }
  }

  private skipToLineEnd(): void {
    while (this.i < this.s.length && this.s[this.i] !== '\n') this.i++;
  }
}

/** Escapes in a "basic" key; keys rarely have any, but a key must match smol-toml's decoded name. */
function decodeBasic(raw: string): string {
  return raw.replace(/\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|x[0-9A-Fa-f]{2}|.)/g, (_m, e: string) => {
    switch (e[0]) {
      case 'u':
      case 'U':
      case 'x':
        return String.fromCodePoint(parseInt(e.slice(1), 16));
      case 'n': return '\n';
      case 't': return '\t';
      case 'r': return '\r';
      case 'b': return '\b';
      case 'f': return '\f';
      case 'e': return '\x1b';
      default: return e;
    }
  });
}
