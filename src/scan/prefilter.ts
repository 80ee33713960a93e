// The byte prefilter: a file whose text contains none of the needles cannot mention a legacy path,
// so it is never lexed for one. One regular-expression pass over the latin1-held text finds any of
// the needles at once (faster here than one native substring search per needle).

export class Prefilter {
  private readonly re: RegExp | null;

  constructor(needles: readonly string[]) {
    const parts = [...new Set(needles)]
      .filter((n) => n.length > 0)
      // Needles are identifiers; a non-ASCII one is matched by its UTF-8 bytes, as the text holds them.
      .map((n) => Buffer.from(n, 'utf8').toString('latin1').replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    this.re = parts.length > 0 ? new RegExp(parts.join('|')) : null;
  }

  /** `text` is the file held as latin1 (source.ts). */
  mayMatch(text: string): boolean {
    return this.re !== null && this.re.test(text);
  }
}
