// The generated shim block inside a legacy module: its markers, where it sits in a file, and the
// facts canon reads back from it (the moved-name table, the forwarding target). Offsets are bytes.
//
// The table rows are `"Name": ("canonical.module", "Name"),`, one per line: the resolver
// (python/resolve.ts, SHIM_ROW) reads the same rows so that verify follows shims canon wrote.

export const BEGIN_MARKER = '# canon: begin shim';
export const BOM = '\xef\xbb\xbf';
export const END_MARKER = '# canon: end shim';

const ROW = /^[ \t]*"(\w+)": \("([\w.]+)", "(\w+)"\),[ \t]*\r?$/gm;
const FORWARD = /^_CANON_FORWARD = "([\w.]+)"[ \t]*\r?$/m;

export interface BlockRow {
  /** The legacy name served by the module. */
  name: string;
  module: string;
  attr: string;
}

export interface BlockSpan {
  /** Start of the begin marker's line. */
  start: number;
  /** Just after the end marker's line ending (or the end of the file). */
  end: number;
}

export type BlockSearch = { kind: 'none' } | { kind: 'found'; span: BlockSpan } | { kind: 'damaged'; reason: string };

/** A file's text split into its UTF-8 byte-order mark (kept apart from all analysis) and the rest. */
export function splitBom(raw: string): { bom: string; text: string } {
  return raw.startsWith(BOM) ? { bom: BOM, text: raw.slice(3) } : { bom: '', text: raw };
}

/** Where the shim block is: the markers must each appear once, at the start of a line, in order. */
export function findBlock(text: string): BlockSearch {
  const begins = markerLines(text, BEGIN_MARKER);
  const ends = markerLines(text, END_MARKER);
  if (begins.length === 0 && ends.length === 0) return { kind: 'none' };
  if (begins.length !== 1 || ends.length !== 1) {
    return { kind: 'damaged', reason: `expected one "${BEGIN_MARKER}" and one "${END_MARKER}" line, found ${begins.length} and ${ends.length}` };
  }
  if (ends[0] < begins[0]) return { kind: 'damaged', reason: `"${END_MARKER}" comes before "${BEGIN_MARKER}"` };
  return { kind: 'found', span: { start: begins[0], end: lineEnd(text, ends[0]) } };
}

/** The moved-name table and forwarding target of a block's text. */
export function readBlock(block: string): { rows: BlockRow[]; forward: string | null } {
  const rows: BlockRow[] = [];
  for (const m of block.matchAll(ROW)) rows.push({ name: m[1], module: m[2], attr: m[3] });
  const f = FORWARD.exec(block);
  return { rows, forward: f ? f[1] : null };
}

/** Offsets of the lines that are exactly `marker` (trailing spaces allowed). */
function markerLines(text: string, marker: string): number[] {
  const out: number[] = [];
  let from = 0;
  for (;;) {
    const at = text.indexOf(marker, from);
    if (at < 0) return out;
    from = at + marker.length;
    const atLineStart = at === 0 || text[at - 1] === '\n' || text[at - 1] === '\r';
    const rest = text.slice(from, lineContentEnd(text, from));
    if (atLineStart && rest.trim() === '') out.push(at);
  }
}

function lineContentEnd(text: string, p: number): number {
  let i = p;
  while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
  return i;
}

/** Offset just after the line ending of the line holding `p`. */
export function lineEnd(text: string, p: number): number {
  let i = lineContentEnd(text, p);
  if (text[i] === '\r') i++;
  if (text[i] === '\n') i++;
  return i;
}

/** Offset of the start of the line holding `p`. */
export function lineStart(text: string, p: number): number {
  let i = p;
  while (i > 0 && text[i - 1] !== '\n' && text[i - 1] !== '\r') i--;
  return i;
}

/** True when the line starting at `p` holds only whitespace (or `p` is the end of the text). */
export function isBlankLine(text: string, p: number): boolean {
  return text.slice(p, lineContentEnd(text, p)).trim() === '';
}
