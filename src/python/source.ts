// How canon holds a Python file's text: as a latin1 ("binary") string, one char per byte, so that
// every offset in canon is a byte offset and the original bytes come back exactly. Also finds the
// file's declared encoding (PEP 263), its BOM and its line ending, which rewrites must keep.

import { readFileSync } from 'node:fs';

export interface SourceInfo {
  /** Declared or implied encoding: 'utf-8' unless a PEP 263 line says otherwise. */
  encoding: string;
  bom: boolean;
  /** The first line ending found ('\n' when there is none). */
  eol: '\n' | '\r\n' | '\r';
}

export function readSource(path: string): string {
  return readFileSync(path).toString('latin1');
}

export function toBytes(text: string): Buffer {
  return Buffer.from(text, 'latin1');
}

const CODING = /^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)/;

export function sourceInfo(text: string): SourceInfo {
  const bom = text.startsWith('\xef\xbb\xbf');
  let encoding = 'utf-8';
  // PEP 263: the declaration must be on line 1 or 2.
  let p = bom ? 3 : 0;
  for (let i = 0; i < 2 && p < text.length; i++) {
    let e = text.indexOf('\n', p);
    if (e < 0) e = text.length;
    const m = CODING.exec(text.slice(p, e));
    if (m) {
      encoding = m[1].toLowerCase().replace(/_/g, '-');
      break;
    }
    p = e + 1;
  }
  const nl = text.indexOf('\n');
  const cr = text.indexOf('\r');
  const eol = cr >= 0 && (nl < 0 || cr < nl) ? (text.charCodeAt(cr + 1) === 10 ? '\r\n' : '\r') : '\n';
  return { encoding, bom, eol };
}

/** Encode replacement text (Unicode) as the file's bytes, held as a latin1 string. */
export function encodeFor(text: string, info: SourceInfo): string {
  // Identifiers canon writes are almost always ASCII: the common case costs nothing.
  if (!/[^\x00-\x7f]/.test(text)) return text;
  const enc = info.encoding;
  if (enc === 'latin-1' || enc === 'iso-8859-1' || enc === 'latin1' || enc === 'iso8859-1') {
    return Buffer.from(text, 'latin1').toString('latin1');
  }
  return Buffer.from(text, 'utf8').toString('latin1');
}

/** Decode a byte-string slice for display (UTF-8 unless the file declares latin-1). */
export function decodeFor(bytes: string, info?: SourceInfo): string {
  if (!/[\x80-\xff]/.test(bytes)) return bytes;
  const enc = info?.encoding ?? 'utf-8';
  if (enc === 'latin-1' || enc === 'iso-8859-1' || enc === 'latin1' || enc === 'iso8859-1') return bytes;
  return Buffer.from(bytes, 'latin1').toString('utf8');
}
