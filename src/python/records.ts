// Plain records produced by the Python import lexer.
// Offsets: every `start`/`end` is a BYTE offset into the file. canon holds a file's text as a
// latin1 ("binary") JS string (see source.ts), so a string index is exactly a byte offset and
// `Buffer.from(text, 'latin1')` gives back the original bytes. Line/column are computed only when
// rendering, through a LineTable (lineTable.ts). `end` is exclusive.

/** One `name` or `name as alias` item of an import statement. */
export interface ImportAlias {
  /** Dotted name as written, whitespace/continuations removed: `a.b.c` or `X` or `*`. */
  name: string;
  /** Span of the dotted name as written (may contain spaces or `\`-continuations in odd code). */
  start: number;
  end: number;
  /** Local alias after `as`, or null. */
  asname: string | null;
  asStart: number;
  asEnd: number;
  /** Span of the whole item: name through alias (no trailing comma). */
  itemStart: number;
  itemEnd: number;
}

export const enum StmtKind {
  /** `import a.b [as c], d` */
  Import = 1,
  /** `from [.]a.b import X [as Y], ...` */
  From = 2,
}

/** One import statement. */
export interface ImportStmt {
  kind: StmtKind;
  /** From the `import`/`from` keyword to the end of the last token (closing paren included). */
  start: number;
  end: number;
  /** For From: the dotted module without leading dots, or '' for `from . import x`. For Import: ''. */
  module: string;
  /** For From: the span of dots + module as written (`..a.b`). Otherwise -1. */
  moduleStart: number;
  moduleEnd: number;
  /** For From: number of leading dots (relative level). */
  level: number;
  names: ImportAlias[];
  /** For From: the `(`...`)` span when the names are parenthesized, else -1. */
  parenStart: number;
  parenEnd: number;
  /** Start offset of the physical line on which the statement begins. */
  lineStart: number;
  /** Indentation (in bytes of the logical line's leading whitespace) of the line the statement is on.
   * 0 means module level unless `inlineBlock` is set. */
  indent: number;
  /** True when the statement follows `;` or `:` on the same logical line (`if x: import y`, `a; import b`). */
  inline: boolean;
}

/** A string literal whose content looks like a dotted Python path (`"a.b.C"`). */
export interface StringRef {
  /** Span of the whole literal including prefix and quotes. */
  start: number;
  end: number;
  /** The literal's content (no escapes are interpreted; literals with backslashes are skipped). */
  value: string;
}

/** `base.attr[.attr...]` reference of a watched local name, outside strings and comments. */
export interface AttrRef {
  /** Span of the whole dotted expression `m.X.y` (base included). */
  start: number;
  end: number;
  /** The base local name (`m`). */
  base: string;
  /** The attribute names after the base, in order. */
  attrs: string[];
}

/** Something odd the lexer met: it records and carries on, never throws. */
export interface LexProblem {
  start: number;
  message: string;
}

export interface LexResult {
  imports: ImportStmt[];
  strings: StringRef[];
  problems: LexProblem[];
}
