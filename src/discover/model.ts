// What `canon discover` finds, as plain data: the JSON reporter writes it field for field, and
// `canon init --discover` reads `moves` from it. A public contract (version 1): add, never rename.

/** Which rule chose a canonical path. */
export type CanonicalRule =
  /** The module that defines the object (for an object outside the project: its own path). */
  | 'defining-module'
  /** The defining module is private (`_impl`, `_Name`): the public path imported most often. */
  | 'most-used-public-path'
  /** No path is public: the path imported most often. */
  | 'most-used-path';

/** One import path (`module:Name`) of a symbol, and how much it is used. */
export interface PathUse {
  path: string;
  /**
   * Import statements' names that spell this path (`from m import A, B` counts once for each), plus
   * its uses through a module import (`import m as x` then `x.A`): what `canon fix` rewrites.
   */
  imports: number;
  files: number;
  /**
   * canonical: the suggested path. move: a path to move off. re-export: a hop of the canonical
   * path's own re-export chain (a package `__init__` importing from the defining module), which
   * must keep importing what it re-exports.
   */
  role: 'canonical' | 'move' | 're-export';
}

export type TargetKind = 'class' | 'def' | 'value' | 'call' | 'other' | 'external';

/** A symbol imported through two or more paths that resolve to the same object. */
export interface Consolidation {
  /** The object every path leads to, `module:Name` (its definition, or its path outside the project). */
  target: string;
  kind: TargetKind;
  /** 1-based line of the definition; null outside the project. */
  line: number | null;
  canonical: string;
  rule: CanonicalRule;
  /** Imports through every path, and through the paths to move off. */
  imports: number;
  toMove: number;
  /** Canonical first, then by imports (most first), then by path. */
  paths: PathUse[];
}

/** A ready-to-paste `[[move]]`. */
export interface SuggestedMove {
  from: string;
  to: string;
  imports: number;
  files: number;
  rule: CanonicalRule;
  /** The config already has a move with this `from`. */
  configured: boolean;
}

export interface BreachDefinition {
  target: string;
  kind: Exclude<TargetKind, 'external'>;
  line: number;
  imports: number;
  files: number;
  paths: { path: string; imports: number; files: number }[];
}

/** A name imported from two or more places that are different objects, each imported by enough files. */
export interface Breach {
  name: string;
  imports: number;
  /** Distinct files importing the name from any of its definitions. */
  files: number;
  definitions: BreachDefinition[];
}

export interface ImportSite {
  /** Root-relative POSIX path. */
  file: string;
  /** 1-based; where the import statement starts. */
  line: number;
  column: number;
}

/** An import of a project module or name that does not exist. */
export interface UnresolvedImport {
  /** `module:Name`, `module:*` or `module` (a plain `import`). */
  import: string;
  reason: string;
  imports: number;
  sites: ImportSite[];
}

export interface DiscoverSummary {
  files: number;
  /** Names and modules imported, over all statements, plus the uses through module imports. */
  imports: number;
  /** Distinct `module:Name` / `module` keys. */
  paths: number;
  consolidation: number;
  moves: number;
  /** Imports the suggested moves would rewrite. */
  importsToMove: number;
  breaches: number;
  unresolved: number;
  /** Import paths canon could not follow (`__getattr__`, results of calls, star-imports from outside,
   * builtins re-bound under their own name, implicit module attributes like `__doc__`). */
  dynamic: number;
}

export interface DiscoverResult {
  summary: DiscoverSummary;
  consolidation: Consolidation[];
  moves: SuggestedMove[];
  breaches: Breach[];
  unresolved: UnresolvedImport[];
  /** Files that could not be read. */
  errors: { file: string; message: string }[];
  stats: { bytes: number; threads: number; durationMs: number };
}
