// verify: does each legacy path lead to the same object as its canonical path? The verdict decides
// whether canon may rewrite (and shim) a move at all.

import type { ModuleMove, Move, SymbolMove } from '../config/types.js';
import { describeTarget, isOpaque, targetKey, type Resolution, type Resolver, type Target } from '../python/resolve.js';

export type Verdict = 'same' | 'divergent' | 'unresolved' | 'dynamic';

export interface MoveVerdict {
  move: Move;
  verdict: Verdict;
  /** Why the verdict is not `same` (null when it is). */
  reason: string | null;
  legacy: Resolution;
  canonical: Resolution;
}

export function verifyMoves(moves: readonly Move[], resolver: Resolver): MoveVerdict[] {
  return moves.map((m) => (m.kind === 'symbol' ? verifySymbol(m, resolver) : verifyModule(m, resolver)));
}

function verifySymbol(move: SymbolMove, resolver: Resolver): MoveVerdict {
  const legacy = resolver.resolveName(move.fromModule, move.fromName);
  const canonical = resolver.resolveName(move.toModule, move.toName);
  return judge(move, legacy, canonical);
}

function judge(move: Move, legacy: Resolution, canonical: Resolution): MoveVerdict {
  if (!canonical.ok) {
    return { move, verdict: canonical.verdict, reason: `canonical path: ${canonical.reason}`, legacy, canonical };
  }
  if (!legacy.ok) {
    return { move, verdict: legacy.verdict, reason: `legacy path: ${legacy.reason}`, legacy, canonical };
  }
  if (targetKey(legacy.target) === targetKey(canonical.target)) {
    return { move, verdict: 'same', reason: null, legacy, canonical };
  }
  const opaque = opaqueReason(legacy.target, canonical.target);
  if (opaque) return { move, verdict: 'dynamic', reason: opaque, legacy, canonical };
  return {
    move,
    verdict: 'divergent',
    reason: `the legacy path is ${describeTarget(legacy.target)}, the canonical path is ${describeTarget(canonical.target)}`,
    legacy,
    canonical,
  };
}

/**
 * A module move is `same` when the canonical module exists and every public name the legacy
 * module defines or re-exports resolves to the same object there.
 */
function verifyModule(move: ModuleMove, resolver: Resolver): MoveVerdict {
  const legacy = resolver.resolveModule(move.fromModule);
  const canonical = resolver.resolveModule(move.toModule);
  if (!canonical.ok || !legacy.ok) return judge(move, legacy, canonical);
  if (canonical.target.kind === 'external') {
    return { move, verdict: 'unresolved', reason: `canonical path: module ${move.toModule} is not in the project`, legacy, canonical };
  }
  const b = resolver.bindingsOf(move.fromModule);
  const differing: string[] = [];
  const problems: string[] = [];
  if (b !== null) {
    const names = b.all ?? [...b.names.keys()].filter((n) => !n.startsWith('_'));
    for (const name of names) {
      const l = resolver.resolveName(move.fromModule, name);
      // Modules the legacy module merely imports for its own use are not part of its API.
      if (l.ok && l.target.kind !== 'definition' && b.all === null) continue;
      const c = resolver.resolveName(move.toModule, name);
      if (!l.ok) problems.push(`${name}: ${l.reason}`);
      else if (!c.ok) differing.push(`${name} (${c.reason})`);
      else if (targetKey(l.target) === targetKey(c.target)) continue;
      else if (opaqueReason(l.target, c.target)) problems.push(`${name}: ${opaqueReason(l.target, c.target)}`);
      else differing.push(`${name} (${describeTarget(l.target)} vs ${describeTarget(c.target)})`);
    }
  }
  if (differing.length > 0) {
    return { move, verdict: 'divergent', reason: `names that differ: ${differing.join('; ')}`, legacy, canonical };
  }
  if (problems.length > 0) {
    return { move, verdict: 'dynamic', reason: `legacy names canon cannot follow: ${problems.join('; ')}`, legacy, canonical };
  }
  return { move, verdict: 'same', reason: null, legacy, canonical };
}

/** Two different binding sites, one of them opaque: canon cannot tell whether they hold one object. */
function opaqueReason(a: Target, b: Target): string | null {
  if (!isOpaque(a) && !isOpaque(b)) return null;
  return `the legacy path ends at ${describeTarget(a)}, the canonical path at ${describeTarget(b)}; canon cannot tell whether they hold the same object`;
}

/** Where the two chains of a `same` verdict meet: the first step of the legacy chain the canonical chain also takes. */
export function meetingPoint(v: MoveVerdict): string | null {
  if (v.verdict !== 'same' || !v.legacy.ok || !v.canonical.ok) return null;
  const theirs = new Set(v.canonical.chain);
  return v.legacy.chain.find((s) => theirs.has(s)) ?? null;
}
