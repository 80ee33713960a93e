// The validated configuration: what canon.toml / [tool.canon] says once checked.

export type Priority = 'critical' | 'high' | 'medium' | 'low';
export const PRIORITIES: readonly Priority[] = ['critical', 'high', 'medium', 'low'];

/** `module:Name` -> `module:Name` (Name may differ: a rename). */
export interface SymbolMove {
  kind: 'symbol';
  /** Position in the config's [[move]] list (0-based). */
  index: number;
  /** The `from` string as written: `a.b:X`. Also the move's id. */
  id: string;
  fromModule: string;
  fromName: string;
  toModule: string;
  toName: string;
}

/** A whole module (and its submodules) moves: `a.legacy` -> `a.new`. */
export interface ModuleMove {
  kind: 'module';
  index: number;
  id: string;
  fromModule: string;
  toModule: string;
}

export type Move = SymbolMove | ModuleMove;

export interface Area {
  name: string;
  /** Glob patterns (picomatch) relative to the project root, with `/` separators. */
  paths: string[];
  priority: Priority;
  /** Position in the [[area]] list; `other` gets areas.length. */
  order: number;
}

export interface MigrateConfig {
  validate: string | null;
  batchSize: number;
  /** Seconds; null = no timeout. */
  timeout: number | null;
  junit: string | null;
}

export interface ShimConfig {
  category: 'DeprecationWarning' | 'FutureWarning' | 'PendingDeprecationWarning' | 'UserWarning';
}

/**
 * One `per-file-ignores` entry (ruff's semantics): the finding codes `codes` select (a code, a
 * prefix such as `CAN00`, or `ALL`) are suppressed in the files `pattern` matches, or, with
 * `negated` (a leading `!`), in the files it does not match.
 */
export interface PerFileIgnore {
  /** The glob as written, without the `!`. */
  pattern: string;
  negated: boolean;
  codes: string[];
}

export interface Config {
  /** Absolute path of the project root (the folder holding the config file). */
  root: string;
  /** Absolute path of the config file. */
  configFile: string;
  /** Import roots relative to root (`.` = root itself), POSIX separators. */
  src: string[];
  include: string[];
  /** `exclude` and then `extend-exclude`, as one list. */
  exclude: string[];
  perFileIgnores: PerFileIgnore[];
  moves: Move[];
  areas: Area[];
  migrate: MigrateConfig;
  shim: ShimConfig;
}

/** A user mistake in the configuration: rendered as `file:line:col: key.path: message`, exit 2. */
export interface ConfigProblem {
  file: string;
  /** 1-based; 0 when unknown. */
  line: number;
  column: number;
  /** `move[2].from`, `area[0].priority`, `migrate.batch-size`, or '' for syntax errors. */
  keyPath: string;
  message: string;
}
