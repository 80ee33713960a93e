// Byte offset -> line/column, computed only when rendering, through a table built once per file.
// Lines are 1-based; columns are 1-based and count characters (UTF-8 decoded), as ruff prints them.

export interface Position {
  line: number;
  column: number;
}

/** The position of the last entry of ascending `sorted` that is <= `value` (0 when none is). */
export function lastAtMost(sorted: ArrayLike<number>, value: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (sorted[mid]! <= value) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

export class LineTable {
  private readonly starts: number[];

  constructor(private readonly text: string) {
    const starts = [0];
    if (text.indexOf('\r') < 0) {
      // The usual case, found with native searches: only `\n` ends lines.
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    } else {
      const len = text.length;
      for (let i = 0; i < len; i++) {
        const c = text.charCodeAt(i);
        if (c === 10) starts.push(i + 1);
        else if (c === 13) {
          if (text.charCodeAt(i + 1) === 10) i++;
          starts.push(i + 1);
        }
      }
    }
    this.starts = starts;
  }

  get lineCount(): number {
    return this.starts.length;
  }

  /** 1-based line of a byte offset. */
  lineOf(offset: number): number {
    return lastAtMost(this.starts, offset) + 1;
  }

  lineStart(line: number): number {
    return this.starts[line - 1] ?? this.text.length;
  }

  /** The text of a line without its line ending. */
  lineText(line: number): string {
    const s = this.lineStart(line);
    let e = line < this.starts.length ? this.starts[line] : this.text.length;
    while (e > s && (this.text.charCodeAt(e - 1) === 10 || this.text.charCodeAt(e - 1) === 13)) e--;
    return this.text.slice(s, e);
  }

  position(offset: number): Position {
    const line = this.lineOf(offset);
    const prefix = this.text.slice(this.starts[line - 1], offset);
    // Continuation bytes of UTF-8 (10xxxxxx) do not start a character.
    let column = prefix.length;
    for (let i = 0; i < prefix.length; i++) {
      const c = prefix.charCodeAt(i);
      if (c >= 0x80 && c < 0xc0) column--;
    }
    return { line, column: column + 1 };
  }
}
