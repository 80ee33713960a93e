// Git trees read through cat-file: parsed once per object name, and compared the way git's
// diff-tree does, descending only into subtrees whose names differ, so that a commit that changes
// a few files costs a few tree reads however large the project is.

import type { CatFile } from './catFile.js';

export interface TreeEntry {
  name: string;
  /** tree: a folder; blob: a regular file (100644 / 100755); other: a symlink or a submodule. */
  kind: 'tree' | 'blob' | 'other';
  oid: string;
}

/** A file whose blob differs between two trees: `before`/`after` null when it is absent there. */
export interface BlobChange {
  path: string;
  before: string | null;
  after: string | null;
}

export class TreeReader {
  private readonly trees = new Map<string, Promise<Map<string, TreeEntry>>>();

  constructor(
    private readonly cat: CatFile,
    /** Bytes of an object name in a tree entry: 20 (SHA-1) or 32 (SHA-256). */
    private readonly hashBytes: number,
  ) {}

  /** The tree of `path` (POSIX, '' for the top) at `commit`; null when the commit has no such folder. */
  async treeAt(commit: string, path: string): Promise<string | null> {
    const o = await this.cat.read(`${commit}:${path}`);
    if (o === null || o.type !== 'tree') return null;
    if (!this.trees.has(o.oid)) this.trees.set(o.oid, Promise.resolve(this.parse(o.data)));
    return o.oid;
  }

  /** The blobs that differ between trees `a` and `b` (null: the empty tree), among paths `want` accepts. */
  async diff(a: string | null, b: string | null, want: (path: string) => boolean): Promise<BlobChange[]> {
    const out: BlobChange[] = [];
    await this.walk(a, b, '', want, out);
    return out;
  }

  private async walk(a: string | null, b: string | null, base: string, want: (path: string) => boolean, out: BlobChange[]): Promise<void> {
    if (a === b) return;
    const [ea, eb] = await Promise.all([this.entries(a), this.entries(b)]);
    const sub: Promise<void>[] = [];
    const visit = (x: TreeEntry | undefined, y: TreeEntry | undefined, name: string): void => {
      if (x && y && x.oid === y.oid && x.kind === y.kind) return;
      const path = base === '' ? name : `${base}/${name}`;
      const xt = x?.kind === 'tree' ? x.oid : null;
      const yt = y?.kind === 'tree' ? y.oid : null;
      if (xt !== null || yt !== null) sub.push(this.walk(xt, yt, path, want, out));
      const xb = x?.kind === 'blob' ? x.oid : null;
      const yb = y?.kind === 'blob' ? y.oid : null;
      if (xb !== yb && want(path)) out.push({ path, before: xb, after: yb });
    };
    for (const [name, x] of ea) visit(x, eb.get(name), name);
    for (const [name, y] of eb) if (!ea.has(name)) visit(undefined, y, name);
    await Promise.all(sub);
  }

  private entries(oid: string | null): Promise<Map<string, TreeEntry>> {
    if (oid === null) return Promise.resolve(new Map());
    let p = this.trees.get(oid);
    if (!p) {
      p = this.cat.read(oid).then((o) => {
        if (o === null || o.type !== 'tree') throw new Error(`git object ${oid} is not a tree`);
        return this.parse(o.data);
      });
      this.trees.set(oid, p);
    }
    return p;
  }

  /** A tree object: `<mode> <name>\0<raw object name>` repeated. */
  private parse(data: Buffer): Map<string, TreeEntry> {
    const out = new Map<string, TreeEntry>();
    let p = 0;
    while (p < data.length) {
      const sp = data.indexOf(32, p);
      const nul = data.indexOf(0, sp + 1);
      if (sp < 0 || nul < 0) break;
      const mode = data.toString('latin1', p, sp);
      const name = data.toString('utf8', sp + 1, nul);
      const oid = data.toString('hex', nul + 1, nul + 1 + this.hashBytes);
      p = nul + 1 + this.hashBytes;
      const kind = mode === '40000' ? 'tree' : mode === '100644' || mode === '100755' ? 'blob' : 'other';
      out.set(name, { name, kind, oid });
    }
    return out;
  }
}
