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

export class ModuleIndex {
  private readonly byName = new Map<string, ModuleEntry>();
  private readonly byFile = new Map<string, ModuleEntry>();
  readonly topLevels = new Set<string>();

  static fromFiles(files: readonly string[], srcRoots: readonly string[]): ModuleIndex {
    const modules: ModuleEntry[] = [];
    const seen = new Set<string>();
    const stubs: ModuleEntry[] = [];
    const nameOf = moduleNamer(srcRoots);
    for (const file of files) {
      const name = nameOf(file);
      if (name === null) continue;
      const entry = { name, file, isPackage: /(^|\/)__init__\.pyi?$/.test(file) };
      // A .pyi stub beside a .py module describes it; the .py file is the module.
      if (file.endsWith('.pyi')) stubs.push(entry);
      else if (!seen.has(name)) {
        seen.add(name);
        modules.push(entry);
      }
    }
    for (const s of stubs) if (!seen.has(s.name)) (seen.add(s.name), modules.push(s));
    // Every folder above a module is a package: a namespace package when it has no __init__.
    for (const m of [...modules]) {
      const parts = m.name.split('.');
      for (let i = 1; i < parts.length; i++) {
        const pkg = parts.slice(0, i).join('.');
        if (!seen.has(pkg)) {
          seen.add(pkg);
          modules.push({ name: pkg, file: null, isPackage: true });
        }
      }
    }
    return new ModuleIndex({ modules });
  }

  constructor(data: ModuleIndexData) {
    for (const m of data.modules) {
      this.byName.set(m.name, m);
      if (m.file !== null) this.byFile.set(m.file, m);
      const dot = m.name.indexOf('.');
      this.topLevels.add(dot < 0 ? m.name : m.name.slice(0, dot));
    }
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
    return this.topLevels.has(dot < 0 ? name : name.slice(0, dot));
  }

  toData(): ModuleIndexData {
    return { modules: [...this.byName.values()] };
  }
}
