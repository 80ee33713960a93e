// Text edits against one original text: `{start, end, text}` in byte offsets, checked for overlap
// and applied once, from the end backwards.

export interface Edit {
  start: number;
  end: number;
  text: string;
}

/** Apply `edits` to `text`; throws on overlapping edits (a bug in the caller, not user input). */
export function applyEdits(text: string, edits: readonly Edit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].start < sorted[i - 1].end) {
      throw new Error(`overlapping edits at ${sorted[i - 1].start}-${sorted[i - 1].end} and ${sorted[i].start}-${sorted[i].end}`);
    }
  }
  let out = text;
  for (let i = sorted.length - 1; i >= 0; i--) {
    const e = sorted[i];
    out = out.slice(0, e.start) + e.text + out.slice(e.end);
  }
  return out;
}

/** Where offset `p` of the original text lands after `edits` (none of which may contain `p`). */
export function mapOffset(p: number, edits: readonly Edit[]): number {
  let shift = 0;
  for (const e of edits) if (e.end <= p) shift += e.text.length - (e.end - e.start);
  return p + shift;
}
