// The shims a project holds now: every module whose file carries a canon shim block, read back.

import { join } from 'node:path';
import type { ModuleIndex } from '../python/moduleIndex.js';
import { readSource } from '../python/source.js';
import { BEGIN_MARKER, END_MARKER, findBlock, readBlock, splitBom, type BlockRow, type BlockSpan } from './block.js';

export interface InstalledShim {
  file: string;
  module: string;
  isPackage: boolean;
  /** A UTF-8 byte-order mark, kept apart from `text`. */
  bom: string;
  text: string;
  /** null when the block is damaged (see `damaged`). */
  span: BlockSpan | null;
  damaged: string | null;
  rows: BlockRow[];
  forward: string | null;
}

export function listInstalledShims(root: string, index: ModuleIndex): InstalledShim[] {
  const out: InstalledShim[] = [];
  for (const m of index.toData().modules) {
    if (m.file === null || !m.file.endsWith('.py')) continue;
    let raw: string;
    try {
      raw = readSource(join(root, m.file));
    } catch {
      continue;
    }
    const { bom, text } = splitBom(raw);
    if (!text.includes(BEGIN_MARKER) && !text.includes(END_MARKER)) continue;
    const found = findBlock(text);
    if (found.kind === 'none') continue;
    const base = { file: m.file, module: m.name, isPackage: m.isPackage, bom, text };
    if (found.kind === 'damaged') {
      out.push({ ...base, span: null, damaged: found.reason, rows: [], forward: null });
      continue;
    }
    const info = readBlock(text.slice(found.span.start, found.span.end));
    out.push({ ...base, span: found.span, damaged: null, ...info });
  }
  return out.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}
