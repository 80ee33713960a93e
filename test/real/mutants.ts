// Mutants of real Python files for the fuzz test: the ways a file in a real tree is broken
// (a flipped byte, a truncated write, a stray quote or bracket, a NUL, bytes that are not UTF-8
// with no coding line, Python 2 statements, nesting deeper than the parser allows) and a few
// that CPython still accepts (a coding line that makes the bytes valid, nesting it allows). Each
// mutant ends with an import a move applies to, so `canon fix` has something to rewrite in it.

export type MutationKind =
  | 'none'
  | 'flip'
  | 'truncate'
  | 'quote'
  | 'bracket'
  | 'nul'
  | 'bad-utf8'
  | 'bad-utf8-comment'
  | 'latin1-declared'
  | 'print2'
  | 'raise2'
  | 'nest-deep'
  | 'nest-ok'
  | 'tab-indent'
  | 'bom-latin1'
  | 'unknown-coding'
  | 'flip-import';

export const KINDS: MutationKind[] = [
  'none', 'flip', 'truncate', 'quote', 'bracket', 'nul', 'bad-utf8', 'bad-utf8-comment', 'latin1-declared', 'print2', 'raise2',
  'nest-deep', 'nest-ok', 'tab-indent', 'bom-latin1', 'unknown-coding', 'flip-import',
];

/** What every mutant ends with: the legacy import, and a use through the module. */
export const LEGACY_TAIL = Buffer.from('\nfrom legacy import Thing\nimport legacy\nprint(Thing, legacy.Thing)\n');

const pick = <T>(rand: () => number, xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
const at = (rand: () => number, n: number): number => Math.floor(rand() * Math.max(1, n));

/** Offsets where a line starts at column 0 (a statement boundary at module level, most often). */
function topLevelLineStarts(b: Buffer): number[] {
  const out: number[] = [0];
  for (let i = 0; i < b.length - 1; i++) {
    if (b[i] === 10 && b[i + 1] !== 32 && b[i + 1] !== 9 && b[i + 1] !== 10 && b[i + 1] !== 35) out.push(i + 1);
  }
  return out;
}

/** The first two lines with any PEP 263 coding declaration taken out (so bytes decode as UTF-8). */
function withoutCodingLine(b: Buffer): Buffer {
  const lines = b.toString('latin1').split('\n');
  for (let i = 0; i < Math.min(2, lines.length); i++) if (/^[ \t\f]*#.*?coding[:=]/.test(lines[i])) lines[i] = '#';
  return Buffer.from(lines.join('\n'), 'latin1');
}

const splice = (b: Buffer, pos: number, insert: string | Buffer, remove = 0): Buffer =>
  Buffer.concat([b.subarray(0, pos), typeof insert === 'string' ? Buffer.from(insert, 'latin1') : insert, b.subarray(pos + remove)]);

/** One mutant of `original` (a file CPython compiles). */
export function mutate(original: Buffer, kind: MutationKind, rand: () => number): Buffer {
  const lines = topLevelLineStarts(original);
  switch (kind) {
    case 'none':
      return Buffer.concat([original, LEGACY_TAIL]);
    case 'flip': {
      const b = Buffer.from(original);
      if (b.length > 0) b[at(rand, b.length)] = at(rand, 256);
      return Buffer.concat([b, LEGACY_TAIL]);
    }
    case 'truncate':
      return Buffer.concat([original.subarray(0, at(rand, original.length)), LEGACY_TAIL]);
    case 'quote':
      return Buffer.concat([splice(original, at(rand, original.length), pick(rand, ["'", '"', "'''", '"""', "f'{"])), LEGACY_TAIL]);
    case 'bracket':
      return Buffer.concat([splice(original, at(rand, original.length), pick(rand, ['(', ')', '[', ']', '{', '}'])), LEGACY_TAIL]);
    case 'nul':
      return Buffer.concat([splice(original, at(rand, original.length), '\0'), LEGACY_TAIL]);
    case 'bad-utf8':
      // In a string literal: compile() (and so import) rejects the file.
      return Buffer.concat([withoutCodingLine(original), Buffer.from('\n_s = "caf\xe9 \xff"\n', 'latin1'), LEGACY_TAIL]);
    case 'bad-utf8-comment':
      // In a comment: compile() and import accept it (only `python3 file.py` objects), so a
      // rewrite is allowed, and must still compile.
      return Buffer.concat([withoutCodingLine(original), Buffer.from('\n# caf\xe9 \xff\n', 'latin1'), LEGACY_TAIL]);
    case 'latin1-declared':
      return Buffer.concat([Buffer.from('# -*- coding: latin-1 -*-\n', 'latin1'), withoutCodingLine(original), Buffer.from('\n# caf\xe9\n', 'latin1'), LEGACY_TAIL]);
    case 'print2':
      return Buffer.concat([splice(original, pick(rand, lines), 'print "hello"\n'), LEGACY_TAIL]);
    case 'raise2':
      return Buffer.concat([splice(original, pick(rand, lines), 'def _f():\n    raise ValueError, "x"\n'), LEGACY_TAIL]);
    case 'nest-deep':
      return Buffer.concat([original, Buffer.from(`\n_deep = ${'('.repeat(5000)}1${')'.repeat(5000)}\n`), LEGACY_TAIL]);
    case 'nest-ok':
      return Buffer.concat([original, Buffer.from(`\n_deep = ${'('.repeat(50)}1${')'.repeat(50)}\n`), LEGACY_TAIL]);
    case 'tab-indent':
      return Buffer.concat([original, Buffer.from('\nif True:\n        x = 1\n\ty = 2\n'), LEGACY_TAIL]);
    case 'bom-latin1':
      return Buffer.concat([Buffer.from('\xef\xbb\xbf# -*- coding: latin-1 -*-\n', 'latin1'), withoutCodingLine(original), LEGACY_TAIL]);
    case 'unknown-coding':
      return Buffer.concat([Buffer.from('# -*- coding: no-such-codec -*-\n'), withoutCodingLine(original), LEGACY_TAIL]);
    case 'flip-import': {
      // Break the legacy import itself (or the line after it).
      const b = Buffer.concat([original, LEGACY_TAIL]);
      b[original.length + 1 + at(rand, LEGACY_TAIL.length - 2)] = pick(rand, [0x28, 0x27, 0x00, 0xff, 0x3a, 0x20]);
      return b;
    }
  }
}
