// Sorted lists of strings (file listings are sorted): checking the order, and finding a key by
// binary search without building a set of every entry.

export function isSorted(list: readonly string[]): boolean {
  for (let i = 1; i < list.length; i++) if (list[i - 1]! > list[i]!) return false;
  return true;
}

/** The first position in sorted `list` whose entry is not before `key` (list.length when none). */
export function lowerBound(list: readonly string[], key: string): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Whether sorted `list` holds `key`. */
export function sortedIncludes(list: readonly string[], key: string): boolean {
  return list[lowerBound(list, key)] === key;
}
