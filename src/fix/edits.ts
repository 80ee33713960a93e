// Text edits as plain records: `{start, end, text}` against the ORIGINAL text (byte offsets over a
// latin1-held string, see python/source.ts), checked for overlap, then applied once, from the end.

export interface Edit {
  start: number;
  /** Exclusive; `start === end` inserts. */
  end: number;
  /** Replacement, already encoded as the file's bytes (latin1-held). */
  text: string;
}

export interface EditConflict {
  a: Edit;
  b: Edit;
}

/**
 * Edits sorted by start; insertions at the same offset keep the order they were made in. Two edits
 * conflict when their ranges share a byte, or when an insertion falls strictly inside a replacement.
 */
export function sortEdits(edits: readonly Edit[]): { sorted: Edit[]; conflict: EditConflict | null } {
  const sorted = edits
    .map((e, i) => ({ e, i }))
    .sort((x, y) => x.e.start - y.e.start || x.e.end - y.e.end || x.i - y.i)
    .map((x) => x.e);
  for (let k = 1; k < sorted.length; k++) {
    const a = sorted[k - 1];
    const b = sorted[k];
    if (b.start < a.end) return { sorted, conflict: { a, b } };
  }
  return { sorted, conflict: null };
}

/** Apply non-conflicting edits; throws on a conflict (the planner must never produce one). */
export function applyEdits(text: string, edits: readonly Edit[]): string {
  if (edits.length === 0) return text;
  const { sorted, conflict } = sortEdits(edits);
  if (conflict) {
    throw new Error(`overlapping edits at ${conflict.a.start}-${conflict.a.end} and ${conflict.b.start}-${conflict.b.end}`);
  }
  // One pass from the front, joining slices: equivalent to applying from the end backwards, without
  // re-copying the tail for every edit.
  const parts: string[] = [];
  let at = 0;
  for (const e of sorted) {
    parts.push(text.slice(at, e.start), e.text);
    at = e.end;
  }
  parts.push(text.slice(at));
  return parts.join('');
}
