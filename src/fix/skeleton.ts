// What python3 compiles to check a rewrite: the rewritten file with every top-level statement no
// edit touches blanked out, its line breaks kept so that line numbers hold.
//
// Why that is enough: a rewrite only edits import statements, and it is those edits that must not
// break the file. A top-level statement (a `def` or `class` with its whole body included) that no
// edit touches is byte for byte the one the original file had, and whether it compiles depends only
// on its own text, with two exceptions that are kept in full: `from __future__` imports (they change
// how the rest compiles, and must come first) and statements that mention `global` or `nonlocal`
// (whose validity depends on where names are bound). Everything an edit touches is compiled in
// full, in place, among the imports and `__future__` lines it must agree with. A statement that
// was already broken in the original stays as broken as it was: canon checks that it breaks
// nothing, not that the file was sound before. CPython compiles about 7 MB/s; this skeleton is
// usually a small part of the file.

import type { Chunk } from './chunks.js';
import type { Edit } from './edits.js';

const KEEP = /__future__|global|nonlocal/;

/**
 * Edits that blank the untouched top-level statements of `text` (the ORIGINAL text, whose `chunks`
 * these are), to be applied together with the rewrite's own `edits`.
 */
export function skeletonEdits(text: string, chunks: readonly Chunk[], edits: readonly Edit[]): Edit[] {
  const out: Edit[] = [];
  const sorted = [...edits].sort((a, b) => a.start - b.start);
  const anyKept = KEEP.test(text);
  const plainLines = text.indexOf('\r') < 0;
  let k = 0;
  for (const chunk of chunks) {
    while (k < sorted.length && sorted[k]!.end < chunk.start) k++;
    // Touched: an edit overlaps the chunk, or inserts at its edges.
    let touched = false;
    for (let j = k; j < sorted.length && sorted[j]!.start <= chunk.end && !touched; j++) {
      const e = sorted[j]!;
      touched = (e.start < chunk.end && e.end > chunk.start) || (e.start === e.end && (e.start === chunk.start || e.start === chunk.end));
    }
    if (touched || (anyKept && KEEP.test(text.slice(chunk.start, chunk.end)))) continue;
    let blank: string;
    if (plainLines) {
      let n = 0;
      for (let i = text.indexOf('\n', chunk.start); i >= 0 && i < chunk.end; i = text.indexOf('\n', i + 1)) n++;
      blank = '\n'.repeat(n);
    } else blank = text.slice(chunk.start, chunk.end).replace(/[^\r\n]+/g, '');
    if (blank.length === chunk.end - chunk.start) continue;
    // Next to the previous blanked chunk: one edit for both.
    const last = out[out.length - 1];
    if (last && last.end === chunk.start) {
      last.end = chunk.end;
      last.text += blank;
    } else out.push({ start: chunk.start, end: chunk.end, text: blank });
  }
  return out;
}
