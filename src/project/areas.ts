// Which area (from [[area]]) a file belongs to: the first whose paths match, else `other`.
// Areas order the migration and its report, so the lookup runs once per file: matchers are compiled once.

import type { Area, Priority } from '../config/types.js';
import { makeGlobMatcher } from './files.js';

export interface AreaAssignment {
  name: string;
  priority: Priority;
  /** The area's position in [[area]]; `other` gets areas.length, so it sorts last. */
  order: number;
}

/** The area of files that no [[area]] matches (config loading rejects an area with this name). */
export const OTHER_AREA = 'other';

/** Compile `areas` once; the returned function maps a root-relative POSIX path to its area. */
export function makeAreaMatcher(areas: readonly Area[]): (file: string) => AreaAssignment {
  const compiled = areas.map((a, i) => ({
    matches: makeGlobMatcher(a.paths),
    // Frozen and shared: thousands of files get the same few assignments.
    assignment: Object.freeze({ name: a.name, priority: a.priority, order: i }),
  }));
  const other: AreaAssignment = Object.freeze({ name: OTHER_AREA, priority: 'low', order: areas.length });
  return (file) => {
    for (const c of compiled) if (c.matches(file)) return c.assignment;
    return other;
  };
}

const cache = new WeakMap<readonly Area[], (file: string) => AreaAssignment>();

/** Convenience lookup; the matcher for an `areas` array is built on first use and kept. */
export function areaOf(file: string, areas: readonly Area[]): AreaAssignment {
  let match = cache.get(areas);
  if (!match) {
    match = makeAreaMatcher(areas);
    cache.set(areas, match);
  }
  return match(file);
}
