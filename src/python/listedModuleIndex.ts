// The module index answered from the sorted file listing, one question at a time: what a narrow run
// needs (`check --changed-since` asks about a few dozen modules of a 20,000-file project, where
// building the whole index costs ~40 ms of a 150 ms budget), and what a scan's worker thread needs
// (it lexes ~1,000 files of 20,000). A name's candidate files are found by binary search in the
// listing and kept only when they really carry that name, so every answer is what
// ModuleIndex.fromFiles gives; past ten thousand distinct names, or when a question needs every
// module (toData, topLevels), it builds that index once and asks it instead.

import { isSorted, lowerBound, sortedIncludes } from '../core/sorted.js';
import { isInitFile, ModuleIndex, winsOver, type ModuleEntry, type ModuleIndexData } from './moduleIndex.js';
import { moduleNamer, rootPrefixes } from './modules.js';

/**
 * Names looked up one by one (each a few binary searches, ~3 µs) before the whole index is built
 * instead (~30 ms for 20,000 files); answers are remembered, so only new names count.
 */
const LAZY_LOOKUPS = 10_000;

export class ListedModuleIndex extends ModuleIndex {
  private full: ModuleIndex | null = null;
  private readonly known = new Map<string, ModuleEntry | null>();
  private readonly nameOf: (file: string) => string | null;
  private readonly roots: string[];
  private lookups = 0;

  /** `files`: root-relative POSIX paths, sorted (as listings are); unsorted ones are indexed at once. */
  constructor(
    private readonly files: readonly string[],
    private readonly srcRoots: readonly string[],
  ) {
    super({ modules: [] });
    this.nameOf = moduleNamer(srcRoots);
    this.roots = rootPrefixes(srcRoots);
    if (!isSorted(files)) this.whole();
  }

  override get(name: string): ModuleEntry | undefined {
    if (this.full !== null) return this.full.get(name);
    let e = this.known.get(name);
    if (e === undefined) {
      if (++this.lookups > LAZY_LOOKUPS) return this.whole().get(name);
      this.known.set(name, (e = this.lookUp(name)));
    }
    return e ?? undefined;
  }

  override has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  override ofFile(file: string): ModuleEntry | undefined {
    if (this.full !== null) return this.full.ofFile(file);
    const name = this.nameOf(file);
    if (name === null) return undefined;
    const e = this.get(name);
    return e !== undefined && e.file === file ? e : undefined;
  }

  /** A top-level name is the project's when a module or package of that name exists. */
  override isProjectModule(name: string): boolean {
    if (this.full !== null) return this.full.isProjectModule(name);
    const dot = name.indexOf('.');
    return this.has(dot < 0 ? name : name.slice(0, dot));
  }

  override get topLevels(): ReadonlySet<string> {
    return this.whole().topLevels;
  }

  override toData(): ModuleIndexData {
    return this.whole().toData();
  }

  private whole(): ModuleIndex {
    return (this.full ??= ModuleIndex.fromFiles(this.files, this.srcRoots));
  }

  /**
   * As fromFiles decides: of the files that carry `name`, the one that wins (winsOver: a module
   * before a stub, a package before a plain module, else the first listed); else a namespace
   * package when a module lies below it; else nothing.
   */
  private lookUp(name: string): ModuleEntry | null {
    const path = name.split('.').join('/');
    let file: string | null = null;
    for (const root of this.roots) {
      const base = root + path;
      for (const f of [`${base}.py`, `${base}/__init__.py`, `${base}.pyi`, `${base}/__init__.pyi`]) {
        if ((file === null || winsOver(f, file)) && this.listed(f) && this.nameOf(f) === name) file = f;
      }
    }
    if (file !== null) return { name, file, isPackage: isInitFile(file) };
    const below = `${name}.`;
    for (const root of this.roots) {
      const folder = `${root}${path}/`;
      for (let i = lowerBound(this.files, folder); i < this.files.length && this.files[i]!.startsWith(folder); i++) {
        if (this.nameOf(this.files[i]!)?.startsWith(below)) return { name, file: null, isPackage: true };
      }
    }
    return null;
  }

  private listed(file: string): boolean {
    return sortedIncludes(this.files, file);
  }
}
