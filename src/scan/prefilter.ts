// The byte prefilter: a file whose bytes contain none of the needles cannot mention a legacy path
// or a project import, so it is never lexed. Buffer.indexOf is a native substring search.

export class Prefilter {
  private readonly needles: Buffer[];

  constructor(needles: readonly string[]) {
    // Longer needles first: they are rarer, so a hit ends the search sooner on average... and a
    // miss costs the same either way.
    this.needles = [...new Set(needles)].filter((n) => n.length > 0).sort((a, b) => b.length - a.length).map((n) => Buffer.from(n, 'utf8'));
  }

  mayMatch(bytes: Buffer): boolean {
    for (const n of this.needles) if (bytes.indexOf(n) >= 0) return true;
    return false;
  }
}
