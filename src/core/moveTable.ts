// The configured moves as lookup tables: which legacy `module:Name` paths and module prefixes move,
// where to, and which byte strings a file must contain to possibly mention any of them.

import type { ModuleMove, Move, SymbolMove } from '../config/types.js';

/** Where a move leads, as findings and reports spell it: `module:Name`, or `module` for a module move. */
export function canonicalPath(move: Move): string {
  return move.kind === 'symbol' ? `${move.toModule}:${move.toName}` : move.toModule;
}

export interface ChainOptions {
  /** The base name itself may be the moved module (`import a.b` binds `a`: under `a -> z`, `a.x` is `z.x`). */
  base?: boolean;
  /** Is this dotted path a module, as legacy path or mapped? */
  isModule?: (module: string, mapped: string) => boolean;
}

/** What of a dotted use a move concerns: the move, how many attributes it takes, and where it leads. */
export interface MovedPart {
  move: Move;
  used: number;
  /** The canonical module, and name (null for a module move: the moved part names the module). */
  module: string;
  name: string | null;
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
   * The moved part of a use `base.attrs...` whose base is bound to the module `prefix`: a moved
   * symbol (`m.X`: the first one along the chain), or else the longest stretch of the chain that
   * names a moved module (`a.legacy.sub` of `a.legacy.sub.X`). An attribute chain names a module
   * only where `isModule` says one exists (legacy or canonical): `legacy.Base` is a class, not a
   * submodule. `base`: the base itself may be the moved module (`import a.b` binds `a`).
   * `used` counts the attributes the moved part takes (0: the base alone).
   */
  movedPart(prefix: readonly string[], attrs: readonly string[], opts: ChainOptions = {}): MovedPart | null {
    const parts = [...prefix, ...attrs];
    const from = prefix.length;
    const isModule = opts.isModule ?? (() => false);
    let best: MovedPart | null = null;
    for (let i = from; i <= parts.length; i++) {
      const module = parts.slice(0, i).join('.');
      if (i < parts.length) {
        const sm = this.symbol(module, parts[i]);
        if (sm) return { move: sm, used: i - from + 1, module: sm.toModule, name: sm.toName };
      }
      const mm = this.moduleMoveFor(module);
      const mapped = mm ? MoveTable.mapModule(mm, module) : '';
      if (mm && (i === from ? opts.base === true : isModule(module, mapped))) best = { move: mm, used: i - from, module: mapped, name: null };
      else if (best) break;
    }
    return best;
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
