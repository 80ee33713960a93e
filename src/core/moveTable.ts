// The configured moves as lookup tables: which legacy `module:Name` paths and module prefixes move,
// where to, and which byte strings a file must contain to possibly mention any of them.

import type { ModuleMove, Move, SymbolMove } from '../config/types.js';

/** Where a move leads, as findings and reports spell it: `module:Name`, or `module` for a module move. */
export function canonicalPath(move: Move): string {
  return move.kind === 'symbol' ? `${move.toModule}:${move.toName}` : move.toModule;
}

export class MoveTable {
  readonly symbols = new Map<string, SymbolMove>();
  /** Modules that hold at least one symbol move. */
  readonly symbolModules = new Set<string>();
  /** Module moves, longest `from` first, so the most specific wins. */
  readonly modules: ModuleMove[];
  /**
   * Every segment of every legacy module path: the names an import can bind to a module object
   * that reaches a legacy path (`import a.b` binds `a`, `from a import b` binds `b`), aliases aside.
   */
  readonly pathSegments = new Set<string>();

  constructor(readonly moves: readonly Move[]) {
    const mods: ModuleMove[] = [];
    for (const m of moves) {
      if (m.kind === 'symbol') {
        this.symbols.set(`${m.fromModule}:${m.fromName}`, m);
        this.symbolModules.add(m.fromModule);
      } else mods.push(m);
    }
    this.modules = mods.sort((a, b) => b.fromModule.length - a.fromModule.length);
    for (const m of moves) for (const seg of m.fromModule.split('.')) this.pathSegments.add(seg);
  }

  symbol(module: string, name: string): SymbolMove | undefined {
    return this.symbols.get(`${module}:${name}`);
  }

  /** The module move covering `module` (itself or a submodule of its `from`). */
  moduleMoveFor(module: string): ModuleMove | undefined {
    for (const m of this.modules) {
      if (module === m.fromModule || module.startsWith(m.fromModule + '.')) return m;
    }
    return undefined;
  }

  /** `a.legacy.sub` under `a.legacy -> b.new` becomes `b.new.sub`. */
  static mapModule(m: ModuleMove, module: string): string {
    return m.toModule + module.slice(m.fromModule.length);
  }

  /**
   * True when a module object bound to `module` can reach a legacy path through attributes:
   * it is, or is a package above, a module holding symbol moves or a moved module.
   */
  reachesLegacy(module: string): boolean {
    const prefix = module + '.';
    for (const s of this.symbolModules) if (s === module || s.startsWith(prefix)) return true;
    for (const m of this.modules) if (m.fromModule.startsWith(prefix)) return true;
    return false;
  }

  /**
   * Strings a file must contain (any one of) to possibly mention a legacy path: the last segment of
   * each legacy module. Every way to reach a module spells that segment — in the import
   * (`from a.b import X`, `from a import b`, `from . import b`, `import a.b`) or in the attribute
   * chain that reaches it (`a.b.X`) — and so does every string naming a path inside it.
   */
  needles(): string[] {
    return [...new Set(this.moves.map((m) => m.fromModule.slice(m.fromModule.lastIndexOf('.') + 1)))];
  }
}
