// The full parser (tree-sitter-python), loaded lazily: used only for the few files canon must
// understand beyond their imports (modules that verify follows, files that fix rewrites).

import { createRequire } from 'node:module';
import type ParserType from 'tree-sitter';

const require = createRequire(import.meta.url);
let parser: ParserType | null = null;

export type SyntaxNode = ParserType.SyntaxNode;
export type Tree = ParserType.Tree;

/** Parse a latin1-held source (see source.ts); node indices are then byte offsets. */
export function parsePython(text: string): Tree {
  if (parser === null) {
    const Parser = require('tree-sitter') as typeof ParserType;
    const Python = require('tree-sitter-python');
    parser = new Parser();
    parser.setLanguage(Python);
  }
  // The default input buffer is small; give it the whole text at once.
  return parser.parse(text, null, { bufferSize: Math.max(32 * 1024, text.length * 2 + 16) });
}
