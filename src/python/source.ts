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

/** The PEP 263 declaration as written (line 1, or line 2 after a comment-only or blank line 1), or null. */
function codingCookie(text: string, bom: boolean): string | null {
  let p = bom ? 3 : 0;
  for (let i = 0; i < 2 && p < text.length; i++) {
    let e = text.indexOf('\n', p);
    if (e < 0) e = text.length;
    const line = text.slice(p, e);
    const m = CODING.exec(line);
    if (m) return m[1];
    if (!/^[ \t\f]*(#.*)?\r?$/.test(line)) return null;
    p = e + 1;
  }
  return null;
}

/** CPython's own normalisation of a declared encoding's name (tokenizer.c, get_normal_name). */
function normalName(name: string): string {
  const n = name.toLowerCase().replace(/_/g, '-');
  if (n === 'utf-8' || n.startsWith('utf-8-')) return 'utf-8';
  if (/^(latin-1|iso-8859-1|iso-latin-1)(-|$)/.test(n)) return 'iso-8859-1';
  return n;
}

const LATIN1 = new Set(['iso-8859-1', 'latin1', 'latin-1', 'iso8859-1', 'l1']);

/**
 * Why CPython would refuse to decode this file's bytes (BOM, PEP 263 declaration, else strict
 * UTF-8), or null. Used only without python3, which is the judge when present; stricter than
 * CPython where unsure (an encoding canon cannot check, invalid UTF-8 inside a comment).
 */
export function pythonDecodeError(text: string): string | null {
  if (text.includes('\0')) return 'the file contains a NUL byte';
  const bom = text.startsWith('\xef\xbb\xbf');
  const cookie = codingCookie(text, bom);
  const enc = cookie === null ? 'utf-8' : normalName(cookie);
  if (bom && enc !== 'utf-8') return `encoding problem: ${enc} with BOM`;
  if (LATIN1.has(enc)) return null;
  const bytes = Buffer.from(text, 'latin1');
  if (enc === 'ascii' || enc === 'us-ascii') {
    const at = bytes.findIndex((b) => b > 0x7f);
    return at < 0 ? null : `'ascii' codec can't decode byte 0x${bytes[at].toString(16)} at byte ${at}`;
  }
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(enc, { fatal: true });
  } catch {
    return `canon cannot check the declared encoding ${cookie} without python3`;
  }
  try {
    decoder.decode(bytes);
    return null;
  } catch {
    return `the bytes are not valid ${enc}${cookie === null ? ' (no encoding is declared)' : ''}`;
  }
}

export function sourceInfo(text: string): SourceInfo {
  const bom = text.startsWith('\xef\xbb\xbf');
  const cookie = codingCookie(text, bom);
  const encoding = cookie === null ? 'utf-8' : cookie.toLowerCase().replace(/_/g, '-');
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
