// The project's modules, known from its file list: which dotted names exist, which file holds each,
// which are packages (regular or namespace), and which top-level packages are the project's own.

import { moduleNamer } from './modules.js';

export interface ModuleEntry {
  name: string;
  /** Root-relative POSIX path of the file; null for a namespace package (a folder without __init__). */
  file: string | null;
  isPackage: boolean;
}

/** The serialisable part, shipped to scan workers. */
export interface ModuleIndexData {
  modules: ModuleEntry[];
}

/**
 * Of two files that carry the same module name, whether `a` is the module rather than `b`, as
 * Python decides: a `.py` module before a `.pyi` stub (which only describes it), a package
 * (`x/__init__.py`) before a plain module `x.py` (CPython's finder looks for the package first),
 * else the first in sorted order.
 */
export function winsOver(a: string, b: string): boolean {
  const stubA = a.endsWith('.pyi');
  if (stubA !== b.endsWith('.pyi')) return !stubA;
  const initA = isInitFile(a);
  if (initA !== isInitFile(b)) return initA;
  return a < b;
}

export function isInitFile(file: string): boolean {
  return file.endsWith('__init__.py') || file.endsWith('__init__.pyi')
    ? /(^|\/)__init__\.pyi?$/.test(file)
    : false;
}

/** An entry as one comparable string ('' for none): what caches record of an index's answers. */
export function describeEntry(e: ModuleEntry | undefined): string {
  return e === undefined ? '' : `${e.name}|${e.file ?? ''}|${e.isPackage ? 1 : 0}`;
}

export class ModuleIndex {
  private readonly byName = new Map<string, ModuleEntry>();
  private readonly byFile = new Map<string, ModuleEntry>();
  private readonly tops = new Set<string>();

  static fromFiles(files: readonly string[], srcRoots: readonly string[]): ModuleIndex {
    const byName = new Map<string, ModuleEntry>();
    const nameOf = moduleNamer(srcRoots);
    for (const file of files) {
      const name = nameOf(file);
      if (name === null) continue;
      const have = byName.get(name);
      if (have === undefined || winsOver(file, have.file!)) byName.set(name, { name, file, isPackage: isInitFile(file) });
    }
    const modules = [...byName.values()];
    const seen = new Set(byName.keys());
    // Every folder above a module is a package: a namespace package when it has no __init__.
    // Walked upwards until a known name (whose own ancestors are then known or yet to come as a
    // module of the list), and added top-down.
    const count = modules.length;
    const missing: string[] = [];
    for (let i = 0; i < count; i++) {
      const name = modules[i]!.name;
      for (let dot = name.lastIndexOf('.'); dot > 0; dot = name.lastIndexOf('.', dot - 1)) {
        const pkg = name.slice(0, dot);
        if (seen.has(pkg)) break;
        seen.add(pkg);
        missing.push(pkg);
      }
      for (let j = missing.length - 1; j >= 0; j--) modules.push({ name: missing[j]!, file: null, isPackage: true });
      missing.length = 0;
    }
    return new ModuleIndex({ modules });
  }

  constructor(data: ModuleIndexData) {
    for (const m of data.modules) {
      this.byName.set(m.name, m);
      if (m.file !== null) this.byFile.set(m.file, m);
      const dot = m.name.indexOf('.');
      this.tops.add(dot < 0 ? m.name : m.name.slice(0, dot));
    }
  }

  /** The project's own top-level packages and modules. */
  get topLevels(): ReadonlySet<string> {
    return this.tops;
  }

  get(name: string): ModuleEntry | undefined {
    return this.byName.get(name);
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  ofFile(file: string): ModuleEntry | undefined {
    return this.byFile.get(file);
  }

  /** True when `name` is under one of the project's own top-level packages. */
  isProjectModule(name: string): boolean {
    const dot = name.indexOf('.');
    return this.tops.has(dot < 0 ? name : name.slice(0, dot));
  }

  toData(): ModuleIndexData {
    return { modules: [...this.byName.values()] };
  }
}
