// The module index of each commit, rebuilt only when files come or go, and cheaply: each path's
// module name is computed once for the whole walk. Builds exactly what ModuleIndex.fromFiles
// builds (test/history/moduleSet.test.ts compares the two), and says which module names answer
// differently from the previous build, so that results depending on none of them stand.

import { isInitFile, winsOver, type ModuleEntry, type ModuleIndexData } from '../python/moduleIndex.js';
import { moduleNamer } from '../python/modules.js';
import { RecordingIndex } from './fileResults.js';

export class ModuleSet {
  private readonly names = new Map<string, string | null>();
  private previous = new Map<string, ModuleEntry>();

  private readonly namer: (file: string) => string | null;

  constructor(srcRoots: readonly string[]) {
    this.namer = moduleNamer(srcRoots);
  }

  private nameOf(file: string): string | null {
    let n = this.names.get(file);
    if (n === undefined) {
      n = this.namer(file);
      this.names.set(file, n);
    }
    return n;
  }

  /** The module name of a file (null when it is not importable). */
  moduleOf(file: string): string | null {
    return this.nameOf(file);
  }

  /**
   * The index for these files (any order) and the module names whose entry differs from the
   * previous build (added, removed, or now another file or kind).
   */
  build(files: Iterable<string>): { index: RecordingIndex; changed: Set<string> } {
    // The file that wins each name, as fromFiles chooses it (winsOver), whatever the files' order.
    const byName = new Map<string, ModuleEntry>();
    for (const file of files) {
      const name = this.nameOf(file);
      if (name === null) continue;
      const have = byName.get(name);
      if (have === undefined || winsOver(file, have.file!)) byName.set(name, { name, file, isPackage: isInitFile(file) });
    }
    // Every folder above a module is a package: a namespace package when it has no __init__.
    for (const name of [...byName.keys()]) {
      let dot = name.lastIndexOf('.');
      while (dot > 0) {
        const pkg = name.slice(0, dot);
        if (byName.has(pkg)) break;
        byName.set(pkg, { name: pkg, file: null, isPackage: true });
        dot = pkg.lastIndexOf('.');
      }
    }
    const changed = new Set<string>();
    for (const [name, e] of byName) {
      const old = this.previous.get(name);
      if (old === undefined || old.file !== e.file || old.isPackage !== e.isPackage) changed.add(name);
    }
    for (const name of this.previous.keys()) if (!byName.has(name)) changed.add(name);
    this.previous = byName;
    const data: ModuleIndexData = { modules: [...byName.values()] };
    return { index: new RecordingIndex(data), changed };
  }
}
