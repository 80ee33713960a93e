// What `canon discover` finds, as plain data: the JSON reporter writes it field for field, and
// `canon init --discover` reads `moves` from it. A public contract (version 1): add, never rename.

/** Which rule chose a canonical path. */
export type CanonicalRule =
  /** The module that defines the object (for an object outside the project: its own path). */
  | 'defining-module'
  /** The defining module is private (`_impl`, `_Name`): the public path imported most often. */
  | 'most-used-public-path'
  /** No path is public: the path imported most often. */
  | 'most-used-path'
  /**
   * The defining module's own package re-exports the object (`unittest:SkipTest`, from
   * `unittest.case`) and is imported more often than the defining module: the package is the API.
   */
  | 'package-re-export';

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
   * Of `imports` (and `files`), those that stay: in files that importing the canonical module runs
   * (its own file, the hops of its re-export chain, what it imports), where adopting the
   * canonical path would be a self-import or an import cycle (reach.ts). All of them for the
   * roles `re-export`, `kept` and `patched`; 0 for `canonical`.
   */
  kept: number;
  keptFiles: number;
  /**
   * canonical: the suggested path. move: a path to move off (what is not kept). re-export: a hop
   * of the canonical path's own re-export chain (a package `__init__` importing from the defining
   * module), which must keep importing what it re-exports. kept: every file importing it is run
   * by importing the canonical module (a cycle). patched: tests patch the object at this path
   * (`monkeypatch.setattr`, `mock.patch`), so its uses must keep going through it.
   */
  role: 'canonical' | 'move' | 're-export' | 'kept' | 'patched';
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
  /** What moving rewrites: the path's imports and files less those kept (PathUse.kept). */
  imports: number;
  files: number;
  /** Imports of `from` that stay, in files where the canonical path would close a cycle. */
  kept: number;
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

/**
 * A path that would be moved off, but whose module tests patch (`_pytest.timing:time`): a module
 * that re-exports outside names so that tests can replace them there exists for its uses to go
 * through it, so they are kept.
 */
export interface PatchedPath {
  /** `module:Name`, the re-export kept. */
  path: string;
  /** What it resolves to, `module:Name` (outside the project: its path there). */
  target: string;
  /** Its uses that discover leaves alone. */
  imports: number;
  /** Where the tests patch the module: `patched` is the attribute, `module.name` (this one or another). */
  patches: (ImportSite & { patched: string })[];
}

export interface ImportSite {
  /** Root-relative POSIX path. */
  file: string;
  /** 1-based; where scan reports the same import: the missing module's name, else the name. */
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
  /** Re-exports kept because tests patch them. */
  patched: number;
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
  patched: PatchedPath[];
  /** Files that could not be read. */
  errors: { file: string; message: string }[];
  stats: { bytes: number; threads: number; durationMs: number };
}
