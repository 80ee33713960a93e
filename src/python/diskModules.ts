// Modules Python imports that the project's listing does not hold: files git ignores (generated
// code such as protobuf's `x_pb2.py`), extension modules built in place (`fast.cpython-311-x86_64-
// linux-gnu.so`), compiled-only modules (`x.pyc`) and folders without `__init__` that hold only such
// files. Before an import of a project module is reported as unresolved, it is looked up here, on
// disk, as CPython's path finder looks: the import roots in order; in each folder a package (a
// folder with `__init__`) before a module file before a namespace portion (a plain folder); the
// first package or module wins, else the namespace portions of every root together. A `.pyi` stub
// counts as a module, as it does in the module index (see moduleIndex.ts).
//
// Only unresolved imports are looked up (a project has few), so each folder is read once, lazily.

import { readdirSync, statSync, type Dirent } from 'node:fs';
import { join } from 'node:path';
import { importRoots } from './modules.js';

type Kind = 'file' | 'dir';

/** `name.py`, `.pyi`, `.pyc`, or an extension module `name.so` / `name.<tag>.so` (`.pyd` on Windows). */
const MODULE_FILE = /^([^.]+)(?:\.py[ic]?|(?:\.[^.]+)?\.(?:so|pyd))$/;

type Found = { kind: 'module'; file: string } | { kind: 'package'; dir: string } | { kind: 'namespace'; dirs: string[] } | null;

export class DiskModules {
  private readonly roots: string[];
  private readonly folders = new Map<string, Map<string, Kind>>();
  private readonly answers = new Map<string, string | null>();

  /** `root`: the project root; `srcRoots`: the import roots, relative to it, in sys.path order. */
  constructor(root: string, srcRoots: readonly string[]) {
    this.roots = importRoots(srcRoots).map((r) => join(root, r));
  }

  /** Would Python find `module` (dotted, absolute) under the import roots? */
  exists(module: string): boolean {
    return this.locate(module) !== null;
  }

  /** Where Python finds `module`: its file, its package's folder, or its first namespace folder; null if nowhere. */
  locate(module: string): string | null {
    let at = this.answers.get(module);
    if (at === undefined) this.answers.set(module, (at = this.find(module)));
    return at;
  }

  private find(module: string): string | null {
    const parts = module.split('.');
    let paths = this.roots;
    for (let i = 0; i < parts.length; i++) {
      const found = this.findIn(paths, parts[i]!);
      if (found === null) return null;
      if (i === parts.length - 1) return found.kind === 'module' ? found.file : found.kind === 'package' ? found.dir : found.dirs[0]!;
      // A plain module has no submodules.
      if (found.kind === 'module') return null;
      paths = found.kind === 'package' ? [found.dir] : found.dirs;
    }
    return null;
  }

  private findIn(paths: readonly string[], name: string): Found {
    const portions: string[] = [];
    for (const path of paths) {
      const entries = this.entries(path);
      const dir = join(path, name);
      const isDir = entries.get(name) === 'dir';
      if (isDir && [...this.entries(dir)].some(([f, k]) => k === 'file' && MODULE_FILE.exec(f)?.[1] === '__init__')) return { kind: 'package', dir };
      for (const [f, k] of entries) if (k === 'file' && MODULE_FILE.exec(f)?.[1] === name) return { kind: 'module', file: join(path, f) };
      if (isDir) portions.push(dir);
    }
    return portions.length > 0 ? { kind: 'namespace', dirs: portions } : null;
  }

  /** A folder's files and folders (symlinks followed, as Python's finder does); empty when unreadable. */
  private entries(dir: string): Map<string, Kind> {
    let m = this.folders.get(dir);
    if (m !== undefined) return m;
    m = new Map();
    let list: Dirent[] = [];
    try {
      list = readdirSync(dir, { withFileTypes: true });
    } catch {
      // missing or unreadable: nothing there
    }
    for (const e of list) {
      let kind: Kind | null = e.isFile() ? 'file' : e.isDirectory() ? 'dir' : null;
      if (e.isSymbolicLink()) {
        const st = statSync(join(dir, e.name), { throwIfNoEntry: false });
        kind = st?.isFile() ? 'file' : st?.isDirectory() ? 'dir' : null;
      }
      if (kind !== null) m.set(e.name, kind);
    }
    this.folders.set(dir, m);
    return m;
  }
}
