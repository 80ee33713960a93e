// Python module naming: file path -> dotted module name, identifier checks, and the exact
// CPython rule for resolving `from ..x import y` (importlib._bootstrap._resolve_name).

/** Hard keywords (Python 3.12 `keyword.kwlist`): never valid as a name segment. Soft keywords
 * (`match`, `case`, `type`, `_`) are ordinary identifiers and stay allowed. */
export const PYTHON_KEYWORDS: ReadonlySet<string> = new Set([
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue',
  'def', 'del', 'elif', 'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in',
  'is', 'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise', 'return', 'try', 'while', 'with', 'yield',
]);

// Python's identifier grammar (PEP 3131, `str.isidentifier`): XID_Start or `_`, then XID_Continue.
// This is wider than plain letters/digits (`a·b` is legal). The NFKC normalization the parser applies
// to source (making `x²` mean `x2`) is not modelled: such names do not occur in import paths.
const IDENTIFIER = /^[\p{XID_Start}_]\p{XID_Continue}*$/u;

/** One name segment: a Python identifier that is not a hard keyword. */
export function isIdentifier(s: string): boolean {
  return IDENTIFIER.test(s) && !PYTHON_KEYWORDS.has(s);
}

/** `a.b.c`: one or more identifiers joined by single dots. */
export function isIdentifierPath(s: string): boolean {
  if (s === '') return false;
  for (const part of s.split('.')) if (!isIdentifier(part)) return false;
  return true;
}

/** The first hard keyword used as a segment of `s`, for a friendlier error message; null if none. */
export function keywordIn(s: string): string | null {
  for (const part of s.split(/[.:]/)) if (PYTHON_KEYWORDS.has(part)) return part;
  return null;
}

/**
 * Dotted module name of a root-relative POSIX path (`app/x/__init__.py` -> `app.x`), or null when
 * it is not importable as a module (not .py/.pyi, a segment is not an identifier, a root-level
 * `__init__.py`, or no import root contains it).
 *
 * Roots are tried deepest first, not in list order: with the default `src = [".", "src"]` the file
 * `src/pkg/m.py` must be `pkg.m`, not `src.pkg.m`, and "." contains everything. If the deepest root
 * gives an invalid name the next containing root is tried.
 */
export function moduleNameOf(file: string, srcRoots: readonly string[]): string | null {
  return moduleNamer(srcRoots)(file);
}

/**
 * `moduleNameOf` for many files under the same roots: the roots are ordered once and each path
 * segment is checked once (a 20,000-file tree repeats its folder names over and over).
 */
export function moduleNamer(srcRoots: readonly string[]): (file: string) => string | null {
  const roots = srcRoots.map(normalizeRoot).filter((r): r is string => r !== null);
  // Stable sort by depth, deepest first; equal depth keeps configured order.
  const ordered = roots
    .map((root, i) => ({ root, i, depth: root === '' ? 0 : root.split('/').length }))
    .sort((a, b) => b.depth - a.depth || a.i - b.i)
    .map((r) => r.root);
  const segments = new Map<string, boolean>();
  const valid = (seg: string): boolean => {
    let ok = segments.get(seg);
    if (ok === undefined) segments.set(seg, (ok = isIdentifier(seg)));
    return ok;
  };
  // Root-relative folder -> its dotted name (null: not importable). Files share folders, so each
  // folder is checked once.
  const folders = new Map<string, string | null>();
  const folderName = (dir: string): string | null => {
    let name = folders.get(dir);
    if (name === undefined) {
      const slash = dir.lastIndexOf('/');
      const last = dir.slice(slash + 1);
      const parent = slash < 0 ? '' : folderName(dir.slice(0, slash));
      name = parent === null || !valid(last) ? null : parent === '' ? last : `${parent}.${last}`;
      folders.set(dir, name);
    }
    return name;
  };
  return (file: string): string | null => {
    const suffix = file.endsWith('.py') ? 3 : file.endsWith('.pyi') ? 4 : 0;
    if (suffix === 0) return null;
    for (const root of ordered) {
      let rest: string;
      if (root === '') rest = file;
      else if (file.startsWith(root + '/')) rest = file.slice(root.length + 1);
      else continue;
      const slash = rest.lastIndexOf('/');
      const stem = rest.slice(slash + 1, rest.length - suffix);
      const dir = slash < 0 ? null : folderName(rest.slice(0, slash));
      let name: string | null;
      if (stem === '__init__') name = dir === '' ? null : dir; // a root-level __init__ names nothing
      else if (dir === null && slash >= 0) name = null;
      else name = valid(stem) ? (dir === null ? stem : `${dir}.${stem}`) : null;
      if (name !== null) return name;
    }
    return null;
  };
}

/** The import roots, normalized, each once, in configured order (a root outside the project dropped). */
export function importRoots(srcRoots: readonly string[]): string[] {
  return [...new Set(srcRoots.map(normalizeRoot).filter((r): r is string => r !== null))];
}

/** Each import root as a path prefix of root-relative files: '' for the project root, `src/` for `./src`. */
export function rootPrefixes(srcRoots: readonly string[]): string[] {
  return importRoots(srcRoots).map((r) => (r === '' ? '' : `${r}/`));
}

/** `./src/` -> `src`, `.` -> '' (the project root); null for roots that leave the project. */
export function normalizeRoot(root: string): string | null {
  const parts: string[] = [];
  for (const p of root.replace(/\\/g, '/').split('/')) {
    if (p === '' || p === '.') continue;
    if (p === '..') return null;
    parts.push(p);
  }
  return parts.join('/');
}

/** `__package__` of a module: itself for a package `__init__`, else its parent ('' at top level). */
export function packageOf(moduleName: string, isInit: boolean): string {
  if (isInit) return moduleName;
  const dot = moduleName.lastIndexOf('.');
  return dot < 0 ? '' : moduleName.slice(0, dot);
}

/**
 * Absolute module named by a `from <dots><module> import ...` in `currentModule`.
 * `level` = number of dots; `module` = what follows them ('' for `from . import x`).
 * Mirrors CPython: package = __package__; base = package.rsplit('.', level - 1)[0], an error
 * (here null) when the package has fewer than `level` parts or there is no package at all.
 */
export function resolveRelative(
  level: number,
  module: string,
  currentModule: string,
  isInit: boolean,
): string | null {
  if (level <= 0) return module === '' ? null : module;
  const pkg = packageOf(currentModule, isInit);
  if (pkg === '') return null; // "attempted relative import with no known parent package"
  const parts = pkg.split('.');
  if (parts.length < level) return null; // "attempted relative import beyond top-level package"
  const base = parts.slice(0, parts.length - (level - 1)).join('.');
  return module === '' ? base : `${base}.${module}`;
}
