// Adds a [tool.canon] section to pyproject.toml as text, so every other byte (formatting,
// comments, key order) stays as it was. The result is parsed and compared with the original:
// everything outside tool.canon must be unchanged, or nothing is written.

import { parse, TomlError } from 'smol-toml';
import { UsageError } from '../core/errors.js';

/** A table header line: `[a.b]` or `[[a."b"]]`, then an optional comment. */
const HEADER = /^[ \t]*(\[\[?)[ \t]*((?:[A-Za-z0-9_-]+|"(?:[^"\\\n]|\\.)*"|'[^'\n]*')(?:[ \t]*\.[ \t]*(?:[A-Za-z0-9_-]+|"(?:[^"\\\n]|\\.)*"|'[^'\n]*'))*)[ \t]*\]\]?[ \t]*(#.*)?$/;

function keyParts(dotted: string): string[] {
  const parts: string[] = [];
  const re = /[ \t]*(?:([A-Za-z0-9_-]+)|"((?:[^"\\\n]|\\.)*)"|'([^'\n]*)')[ \t]*\.?/g;
  for (let m = re.exec(dotted); m && m[0] !== ''; m = re.exec(dotted)) parts.push(m[1] ?? (m[2] !== undefined ? (JSON.parse(`"${m[2]}"`) as string) : m[3]!));
  return parts;
}

function isCanonHeader(line: string): boolean {
  const m = HEADER.exec(line);
  if (!m) return false;
  const parts = keyParts(m[2]!);
  return parts[0] === 'tool' && parts[1] === 'canon';
}

function parseDoc(text: string, what: string): Record<string, unknown> {
  try {
    return parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    const why = e instanceof TomlError ? e.message.split('\n\n')[0]!.replace(/^Invalid TOML document: /, '') : String(e);
    throw new UsageError(`${what}: ${why}`);
  }
}

function withoutCanon(doc: Record<string, unknown>): unknown {
  const tool = doc['tool'];
  if (typeof tool !== 'object' || tool === null || !('canon' in tool)) return doc;
  const { canon: _canon, ...rest } = tool as Record<string, unknown>;
  const copy: Record<string, unknown> = { ...doc, tool: rest };
  if (Object.keys(rest).length === 0) delete copy['tool'];
  return copy;
}

/** Comparable text for a parsed document (smol-toml's tables have no prototype; integers may be bigints). */
function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? `${x}n` : x));
}

export function hasCanonTable(text: string): boolean {
  const tool = parseDoc(text, 'pyproject.toml is not valid TOML')['tool'];
  return typeof tool === 'object' && tool !== null && 'canon' in tool;
}

/**
 * `text` with `section` (a `[tool.canon]` section, `\n` line ends) added: appended at the end, or
 * with `replace`, put where the first existing tool.canon table was, after removing every
 * `[tool.canon...]` table. Throws UsageError when the file cannot take it textually.
 */
export function addCanonSection(text: string, section: string, replace: boolean): string {
  const before = parseDoc(text, 'pyproject.toml is not valid TOML; fix it first');
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const body = section.replace(/\n/g, eol);
  let result: string;
  if (replace) {
    const kept: string[] = [];
    let insertAt = -1;
    let inCanon = false;
    // Comment lines right above a header (no blank line between) belong to that header: held
    // back until it is known whether the table they introduce is kept.
    let pending: string[] = [];
    for (const line of text.split(/(?<=\n)/)) {
      const bare = line.replace(/\r?\n$/, '');
      if (HEADER.test(bare)) {
        const canon = isCanonHeader(bare);
        if (canon && insertAt < 0) insertAt = kept.length;
        if (inCanon && !canon) kept.push(...pending);
        pending = [];
        inCanon = canon;
        if (!canon) kept.push(line);
      } else if (!inCanon) kept.push(line);
      else if (/^[ \t]*#/.test(bare)) pending.push(line);
      else pending = [];
    }
    if (insertAt < 0) {
      throw new UsageError('pyproject.toml defines tool.canon without a [tool.canon] header (dotted keys or an inline table); remove it by hand, or write canon.toml instead (`canon init --config canon.toml`)');
    }
    const head = kept.slice(0, insertAt).join('');
    const tail = kept.slice(insertAt).join('');
    const gap = tail === '' || /^[ \t]*\r?\n/.test(tail) ? '' : eol;
    result = (head === '' || head.endsWith('\n') ? head : head + eol) + body + gap + tail;
  } else {
    let t = text;
    if (t !== '' && !t.endsWith('\n')) t += eol;
    result = t === '' || /\n[ \t]*\r?\n$/.test(t) || t.trim() === '' ? t + body : t + eol + body;
  }
  const after = parseDoc(result, 'adding [tool.canon] would make pyproject.toml invalid');
  if (canonical(withoutCanon(before)) !== canonical(withoutCanon(after))) {
    throw new UsageError('cannot add [tool.canon] to pyproject.toml without changing its other settings; write canon.toml instead (`canon init --config canon.toml`)');
  }
  return result;
}
