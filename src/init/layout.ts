// What `canon init` proposes from a project's Python files alone: import roots (src/ layouts,
// top-level packages), folders to exclude, and areas (application packages, tests by kind,
// scripts) with default priorities. A pure function of the file list, so tests need no disk.

import type { Priority } from '../config/types.js';

export type AreaGroup = 'application' | 'tests' | 'scripts';

export interface ProposedArea {
  name: string;
  paths: string[];
  priority: Priority;
  /** The block it is listed in; a package's own tests are listed with the package. */
  block: AreaGroup;
}

export interface LayoutProposal {
  /** Import roots, POSIX, relative to the project root ('.' = the root). */
  src: string[];
  /** Globs for folders that hold Python files but are not source (build output, environments). */
  exclude: string[];
  areas: ProposedArea[];
  /** The project's first application package as a dotted module (for examples), or null. */
  samplePackage: string | null;
}

/** Default priority per group: application code first, tests next, scripts last. */
export const GROUP_PRIORITY: Record<AreaGroup, Priority> = { application: 'high', tests: 'medium', scripts: 'low' };

/** Top-level folders that hold copies of code or environments rather than source. */
const NOT_SOURCE = new Set(['build', 'dist', 'site-packages', '.eggs', '.nox', '.tox', 'env', '.env', 'venv', '.venv', 'node_modules', 'htmlcov']);
/** Top-level folders of tooling, examples and docs. */
const SCRIPT_DIRS = new Set(['scripts', 'script', 'tools', 'bin', 'examples', 'example', 'docs', 'doc', 'benchmarks', 'bench', 'ci', 'dev', 'devtools', 'tasks']);
/** Root-level files that are tooling, not an importable part of the project. */
const TOOLING_FILES = new Set(['setup.py', 'conftest.py', 'noxfile.py', 'fabfile.py', 'tasks.py', 'dodo.py']);

function isTestDir(name: string): boolean {
  return /^(tests?|testing)$/.test(name) || /[-_]tests?$/.test(name) || /^tests?[-_]/.test(name);
}

/** Folder facts derived from the file list. */
class Tree {
  /** dir -> names of child folders that (transitively) hold Python files. */
  private readonly children = new Map<string, Set<string>>();
  /** dir -> names of Python files directly inside. */
  private readonly direct = new Map<string, string[]>();

  constructor(files: readonly string[]) {
    for (const f of files) {
      const parts = f.split('/');
      const dir = parts.slice(0, -1).join('/');
      const list = this.direct.get(dir);
      if (list) list.push(parts[parts.length - 1]!);
      else this.direct.set(dir, [parts[parts.length - 1]!]);
      for (let i = 0; i < parts.length - 1; i++) {
        const parent = parts.slice(0, i).join('/');
        let set = this.children.get(parent);
        if (!set) this.children.set(parent, (set = new Set()));
        set.add(parts[i]!);
      }
    }
  }

  subdirs(dir: string): string[] {
    return [...(this.children.get(dir) ?? [])].sort().map((n) => join(dir, n));
  }

  files(dir: string): string[] {
    return this.direct.get(dir) ?? [];
  }

  isPackage(dir: string): boolean {
    return this.files(dir).includes('__init__.py');
  }
}

function join(dir: string, name: string): string {
  return dir === '' ? name : `${dir}/${name}`;
}

function base(dir: string): string {
  return dir.slice(dir.lastIndexOf('/') + 1);
}

export function proposeLayout(files: readonly string[]): LayoutProposal {
  const all = new Tree(files);
  const exclude = all.subdirs('').filter((d) => NOT_SOURCE.has(d) || d.endsWith('.egg-info')).map((d) => `${d}/**`);
  const excluded = new Set(exclude.map((g) => g.slice(0, -3)));
  const kept = files.filter((f) => !excluded.has(f.split('/')[0]!));
  const tree = new Tree(kept);

  // src/ layouts: a folder named src that is not itself a package, at any depth outside packages.
  const srcRoots: string[] = [];
  const findSrc = (dir: string): void => {
    for (const d of tree.subdirs(dir)) {
      if (tree.isPackage(d)) continue;
      if (base(d) === 'src') srcRoots.push(d);
      else if (!isTestDir(base(d)) && !SCRIPT_DIRS.has(base(d))) findSrc(d);
    }
  };
  findSrc('');

  const top = tree.subdirs('').filter((d) => !srcRoots.includes(d));
  const topPackages = top.filter((d) => tree.isPackage(d));
  const topModules = tree.files('').filter((f) => !TOOLING_FILES.has(f));
  const src = srcRoots.length === 0 ? ['.'] : [...srcRoots, ...(topPackages.length > 0 || topModules.length > 0 ? ['.'] : [])];

  // Application packages: under each src root; at the top level, packages and the packages inside
  // plain container folders (apps/users/__init__.py).
  const packages: string[] = [];
  const tests: string[] = [];
  const scripts: string[] = [];
  for (const r of srcRoots) packages.push(...tree.subdirs(r));
  for (const d of top) {
    const name = base(d);
    if (srcRoots.some((r) => r.startsWith(d + '/'))) continue; // holds a src root (packages/x/src)
    if (isTestDir(name)) tests.push(d);
    else if (SCRIPT_DIRS.has(name)) scripts.push(d);
    else if (tree.isPackage(d)) packages.push(d);
    else if (tree.subdirs(d).some((s) => tree.isPackage(s))) packages.push(...tree.subdirs(d));
    else scripts.push(d);
  }

  // Blocks in this order; within the application block a package's own catch-all comes after its
  // subpackages (in-package tests included), because a file belongs to the first area that matches.
  const appAreas: ProposedArea[] = [];
  const single = packages.length === 1;
  for (const p of packages) {
    const pkg = base(p);
    const subs = tree.subdirs(p);
    if (subs.length >= 2) {
      for (const s of subs) {
        const kind: AreaGroup = isTestDir(base(s)) ? 'tests' : 'application';
        appAreas.push(area(single ? base(s) : `${pkg}.${base(s)}`, s, 'application', GROUP_PRIORITY[kind]));
      }
      if (tree.files(p).length > 0) appAreas.push(area(pkg, p, 'application'));
    } else appAreas.push(area(pkg, p, 'application'));
  }
  const testAreas: ProposedArea[] = [];
  for (const t of tests) {
    const subs = tree.subdirs(t);
    for (const s of subs) testAreas.push(area(`${base(t)}-${base(s)}`, s, 'tests'));
    if (subs.length === 0 || tree.files(t).length > 0) testAreas.push(area(base(t), t, 'tests'));
  }
  const scriptAreas = scripts.map((s) => area(base(s), s, 'scripts'));
  return {
    src,
    exclude,
    areas: uniqueNames([...appAreas, ...testAreas, ...scriptAreas]),
    samplePackage: packages.length > 0 ? base(packages[0]!) : null,
  };
}

function area(name: string, dir: string, block: AreaGroup, priority: Priority = GROUP_PRIORITY[block]): ProposedArea {
  return { name, paths: [`${dir}/**`], priority, block };
}

/** Area names must be unique and never `other` (the name of files outside every area). */
function uniqueNames(areas: ProposedArea[]): ProposedArea[] {
  const used = new Set<string>(['other']);
  return areas.map((a) => {
    let name = a.name;
    for (let i = 2; used.has(name); i++) name = `${a.name}-${i}`;
    used.add(name);
    return { ...a, name };
  });
}
