// The resolver: follows a `module:Name` path through re-exports, aliases, star-imports and
// package __init__ files to the object it finally names, and says why when it cannot.
// It reads files only through a SourceHost, so tests run on in-memory trees.

import { moduleBindings, type Binding, type ModuleBindings, type StarImport } from './bindings.js';
import { BUILTINS } from './builtins.js';
import type { ModuleIndex } from './moduleIndex.js';
import { resolveRelative } from './modules.js';

/** Reads a root-relative file as a latin1 string (source.ts); null when it cannot be read. */
export interface SourceHost {
  read(file: string): string | null;
}

export type Target =
  /**
   * The binding site a path ends at. For `call` (`X = make()`) and `other` (a for/with target)
   * canon cannot tell what the object is, only that every path ending here reads this one binding.
   */
  | { kind: 'definition'; module: string; name: string; defKind: DefKind; line: number }
  | { kind: 'module'; module: string }
  /** Outside the project (stdlib, site-packages): canon does not read it; its path is its identity. */
  | { kind: 'external'; module: string; name: string | null };

export type DefKind = 'class' | 'def' | 'value' | 'call' | 'other';

/** A binding whose object canon cannot know: equal to itself, undecided against anything else. */
export function isOpaque(t: Target): boolean {
  return t.kind === 'definition' && (t.defKind === 'call' || t.defKind === 'other');
}

export type Resolution =
  | { ok: true; target: Target; chain: string[] }
  | { ok: false; verdict: 'unresolved' | 'dynamic'; reason: string; chain: string[] };

/** A stable key: two paths name the same object exactly when their targets' keys are equal. */
export function targetKey(t: Target): string {
  switch (t.kind) {
    case 'definition':
      return `${t.module}:${t.name}`;
    case 'module':
      return `module ${t.module}`;
    case 'external':
      return t.name === null ? `module ${t.module}` : `${t.module}:${t.name}`;
  }
}

export function describeTarget(t: Target): string {
  switch (t.kind) {
    case 'definition':
      return `${t.module}.${t.name} (${DEF_WORDS[t.defKind]}, line ${t.line})`;
    case 'module':
      return `module ${t.module}`;
    case 'external':
      return t.name === null ? `external module ${t.module}` : `external ${t.module}.${t.name}`;
  }
}

const DEF_WORDS: Record<DefKind, string> = {
  class: 'class', def: 'def', value: 'assignment', call: 'the result of a call', other: 'a for/with target or similar',
};

const SHIM_BEGIN = '# canon: begin shim';
const SHIM_ROW = /^\s*["'](\w+)["']\s*:\s*\(\s*["']([\w.]+)["']\s*,\s*["'](\w+)["']\s*\)\s*,?\s*$/gm;

export class Resolver {
  private readonly cache = new Map<string, ModuleBindings | null>();
  private readonly shimTables = new Map<string, Map<string, [string, string]> | null>();

  constructor(
    readonly index: ModuleIndex,
    private readonly host: SourceHost,
  ) {}

  /** Module-level bindings of a project module, parsed once. */
  bindingsOf(module: string): ModuleBindings | null {
    if (this.cache.has(module)) return this.cache.get(module)!;
    const entry = this.index.get(module);
    let result: ModuleBindings | null = null;
    if (entry?.file) {
      const text = this.host.read(entry.file);
      if (text !== null) {
        result = moduleBindings(text);
        this.shimTables.set(module, shimTable(text));
      }
    }
    this.cache.set(module, result);
    return result;
  }

  /** What `from module import name` (or `module.name`) gives. */
  resolveName(module: string, name: string): Resolution {
    return this.name(module, name, [], new Set());
  }

  resolveModule(module: string): Resolution {
    const step = `module ${module}`;
    if (this.index.has(module)) return { ok: true, target: { kind: 'module', module }, chain: [step] };
    if (!this.index.isProjectModule(module)) return { ok: true, target: { kind: 'external', module, name: null }, chain: [step] };
    return { ok: false, verdict: 'unresolved', reason: `module ${module} does not exist`, chain: [step] };
  }

  private name(module: string, name: string, chain: string[], seen: Set<string>): Resolution {
    const step = `${module}.${name}`;
    const here = [...chain, step];
    if (seen.has(step)) {
      return { ok: false, verdict: 'unresolved', reason: `import cycle: ${[...chain, step].join(' -> ')}`, chain: here };
    }
    seen.add(step);
    const entry = this.index.get(module);
    if (!entry) {
      if (!this.index.isProjectModule(module)) return { ok: true, target: { kind: 'external', module, name }, chain: here };
      return { ok: false, verdict: 'unresolved', reason: `module ${module} does not exist`, chain: here };
    }
    const sub = `${module}.${name}`;
    const b = entry.file ? this.bindingsOf(module) : null;
    if (b === null) {
      // A namespace package (or an unreadable file) has no attributes but its submodules.
      if (this.index.has(sub)) return { ok: true, target: { kind: 'module', module: sub }, chain: here };
      const why = entry.file ? `cannot read ${entry.file}` : `namespace package ${module} has no ${name}`;
      return { ok: false, verdict: 'unresolved', reason: why, chain: here };
    }
    const binds = b.names.get(name);
    if (binds && binds.length > 0) return this.bindings(module, entry.isPackage, b, name, binds, here, seen);

    const shim = this.shimTables.get(module)?.get(name);
    if (shim) return this.name(shim[0], shim[1], here, seen);
    if (this.index.has(sub)) return { ok: true, target: { kind: 'module', module: sub }, chain: here };
    // Later star-imports override earlier ones; one in a branch may or may not run.
    const exporters: { star: StarImport; abs: string }[] = [];
    for (let i = b.stars.length - 1; i >= 0; i--) {
      const star = b.stars[i];
      const abs = resolveRelative(star.level, star.module, module, entry.isPackage);
      if (abs === null) continue;
      const exported = this.starExports(abs, name);
      if (exported === 'unknown') {
        return { ok: false, verdict: 'dynamic', reason: `${name} may come from \`from ${abs} import *\` (${module}, line ${star.line}), which canon cannot read`, chain: here };
      }
      if (!exported) continue;
      exporters.push({ star, abs });
      if (!star.conditional) break;
    }
    if (exporters.length === 1 && !exporters[0].star.conditional) return this.name(exporters[0].abs, name, here, seen);
    if (exporters.length > 0) {
      // Branches (`if sys.platform == ...: from .a import *` / `else: from .b import *`): the same
      // object only when every star-import that may provide the name provides the same one.
      const results = exporters.map((e) => this.name(e.abs, name, here, new Set(seen)));
      const failed = results.find((r) => !r.ok);
      if (failed) return failed;
      const keys = new Set(results.map((r) => (r.ok ? targetKey(r.target) : '')));
      if (keys.size === 1) return results[0];
      const lines = exporters.map((e) => `\`from ${e.abs} import *\` (line ${e.star.line})`).reverse().join(', ');
      return { ok: false, verdict: 'dynamic', reason: `${module}.${name} may come from any of ${lines}, which run in different branches and do not give the same object`, chain: here };
    }
    if (b.hasGetattr) {
      return { ok: false, verdict: 'dynamic', reason: `${module}.${name} is served by the module's __getattr__`, chain: here };
    }
    return { ok: false, verdict: 'unresolved', reason: `${name} is not defined in ${module}`, chain: here };
  }

  /** Does `from module import *` export `name`? 'unknown' for modules canon cannot read. */
  private starExports(module: string, name: string): boolean | 'unknown' {
    if (!this.index.has(module)) return this.index.isProjectModule(module) ? false : 'unknown';
    const b = this.bindingsOf(module);
    if (b === null) return false;
    if (b.all !== null) return b.all.includes(name);
    if (name.startsWith('_')) return false;
    if (b.names.has(name)) return true;
    for (const s of b.stars) {
      const entry = this.index.get(module);
      const abs = resolveRelative(s.level, s.module, module, entry?.isPackage ?? false);
      if (abs === null) continue;
      const e = this.starExports(abs, name);
      if (e !== false) return e;
    }
    return false;
  }

  private bindings(module: string, isPackage: boolean, b: ModuleBindings, name: string, binds: Binding[], chain: string[], seen: Set<string>): Resolution {
    const rebound = b.globals.get(name);
    if (rebound !== undefined) {
      // A copy taken by `from module import name` would keep the old object.
      return { ok: false, verdict: 'dynamic', reason: `${module}.${name} may be rebound after import (\`global ${name}\`, line ${rebound})`, chain };
    }
    const opaque = binds.find((bd) => bd.kind === 'call' || bd.kind === 'other');
    if (opaque) {
      const what = opaque.kind === 'call' ? `the result of a call (line ${opaque.line})` : `assigned in a way canon cannot follow (line ${opaque.line})`;
      // One binding is one object, whatever it is; two (or a __getattr__) may not be.
      if (binds.length > 1) {
        return { ok: false, verdict: 'dynamic', reason: `${module}.${name} is ${what} and bound more than once (lines ${binds.map((bd) => bd.line).join(', ')})`, chain };
      }
      if (b.hasGetattr) return { ok: false, verdict: 'dynamic', reason: `${module}.${name} is ${what} in a module with a __getattr__`, chain };
    }
    const results = binds.map((bd) => this.binding(module, isPackage, bd, chain, new Set(seen)));
    const failed = results.find((r) => !r.ok);
    if (failed) return failed;
    const keys = new Set(results.map((r) => (r.ok ? targetKey(r.target) : '')));
    if (keys.size > 1) {
      const lines = binds.map((bd) => bd.line).join(', ');
      return {
        ok: false,
        verdict: 'dynamic',
        reason: `${module}.${name} is bound more than once, to different objects (lines ${lines})`,
        chain,
      };
    }
    return results[results.length - 1];
  }

  private binding(module: string, isPackage: boolean, bd: Binding, chain: string[], seen: Set<string>): Resolution {
    switch (bd.kind) {
      case 'class':
      case 'def':
      case 'value':
      case 'call':
      case 'other':
        return { ok: true, target: { kind: 'definition', module, name: bd.name, defKind: bd.kind, line: bd.line }, chain };
      case 'import': {
        const r = this.resolveModule(bd.boundModule!);
        return r.ok ? { ...r, chain: [...chain, ...r.chain] } : { ...r, chain: [...chain, ...r.chain] };
      }
      case 'import-from': {
        const abs = resolveRelative(bd.level ?? 0, bd.module ?? '', module, isPackage);
        if (abs === null) {
          return { ok: false, verdict: 'unresolved', reason: `relative import beyond the top-level package in ${module} (line ${bd.line})`, chain };
        }
        return this.name(abs, bd.imported!, chain, seen);
      }
      case 'alias': {
        const parts = bd.target!.split('.');
        // `TimeoutError = TimeoutError`, `Resource = str`: a name the module binds nowhere else is
        // looked up in builtins when the assignment runs.
        const others = (this.cache.get(module)?.names.get(parts[0]) ?? []).filter((o) => o !== bd);
        let r: Resolution = others.length === 0 && BUILTINS.has(parts[0])
          ? { ok: true, target: { kind: 'external', module: 'builtins', name: parts[0] }, chain: [...chain, `builtins.${parts[0]}`] }
          : this.name(module, parts[0], chain, seen);
        for (let i = 1; i < parts.length && r.ok; i++) {
          const t = r.target;
          if (t.kind === 'module') r = this.name(t.module, parts[i], r.chain, seen);
          else if (t.kind === 'external') {
            r = { ok: true, target: { kind: 'external', module: t.name === null ? t.module : `${t.module}.${t.name}`, name: parts[i] }, chain: r.chain };
          } else {
            return { ok: false, verdict: 'dynamic', reason: `${module}.${bd.name} = ${bd.target} is an attribute of ${describeTarget(t)}`, chain: r.chain };
          }
        }
        return r;
      }
    }
  }
}

/** The moved-name table of a canon-generated shim block, so verify follows shims it wrote. */
function shimTable(text: string): Map<string, [string, string]> | null {
  const at = text.indexOf(SHIM_BEGIN);
  if (at < 0) return null;
  const end = text.indexOf('# canon: end shim', at);
  const block = text.slice(at, end < 0 ? text.length : end);
  const table = new Map<string, [string, string]>();
  for (const m of block.matchAll(SHIM_ROW)) table.set(m[1], [m[2], m[3]]);
  return table;
}
