// One long-lived `git cat-file --batch` process: every tree and blob history reads goes through
// it. Requests are written as they come and answered in order, so many can be in flight at once.

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { GitError } from './git.js';

export interface GitObject {
  /** The object's name (hex). */
  oid: string;
  type: string;
  data: Buffer;
}

interface Pending {
  spec: string;
  resolve(o: GitObject | null): void;
  reject(e: unknown): void;
}

export class CatFile {
  private readonly proc: ChildProcessWithoutNullStreams;
  private readonly queue: Pending[] = [];
  private head = 0;
  /** Unparsed output. */
  private chunks: Buffer[] = [];
  private buffered = 0;
  /** The object being received: its header is read, `got` bytes of its content have arrived. */
  private current: { oid: string; type: string; data: Buffer; got: number } | null = null;
  private stderr = '';
  private failure: Error | null = null;

  constructor(repoDir: string) {
    this.proc = spawn('git', ['cat-file', '--batch'], { cwd: repoDir, windowsHide: true });
    this.proc.stdout.on('data', (b: Buffer) => this.onData(b));
    this.proc.stderr.on('data', (b: Buffer) => {
      this.stderr += b.toString('utf8');
    });
    this.proc.on('error', (e) => this.fail(e));
    this.proc.on('close', (code) => this.fail(new GitError(['cat-file', '--batch'], code, this.stderr)));
    // A write after git exited is reported by 'close'; do not let EPIPE throw.
    this.proc.stdin.on('error', () => {});
  }

  /** The object `spec` names (`<oid>`, `<commit>:<path>`), or null when there is none. */
  read(spec: string): Promise<GitObject | null> {
    if (this.failure) return Promise.reject(this.failure);
    if (/[\n\r]/.test(spec)) return Promise.resolve(null);
    return new Promise((resolve, reject) => {
      this.queue.push({ spec, resolve, reject });
      this.proc.stdin.write(spec + '\n');
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.proc.exitCode !== null || this.proc.signalCode !== null) return resolve();
      this.proc.once('close', () => resolve());
      this.proc.stdin.end();
    });
  }

  private fail(e: Error): void {
    if (this.failure) return;
    this.failure = e;
    for (let i = this.head; i < this.queue.length; i++) this.queue[i].reject(e);
    this.queue.length = 0;
    this.head = 0;
  }

  private take(): Pending {
    const p = this.queue[this.head++];
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
    return p;
  }

  private onData(b: Buffer): void {
    let off = 0;
    while (off < b.length) {
      const cur = this.current;
      if (cur !== null) {
        const size = cur.data.length;
        if (cur.got < size) {
          const n = Math.min(size - cur.got, b.length - off);
          b.copy(cur.data, cur.got, off, off + n);
          cur.got += n;
          off += n;
          if (cur.got < size) return;
        }
        // The LF that ends every object.
        if (off >= b.length) return;
        off++;
        this.current = null;
        this.take().resolve({ oid: cur.oid, type: cur.type, data: cur.data });
        continue;
      }
      // A header line: `<oid> <type> <size>` or `<spec> missing` (or `ambiguous`).
      const nl = b.indexOf(10, off);
      if (nl < 0) {
        this.chunks.push(b.subarray(off));
        this.buffered += b.length - off;
        return;
      }
      let line: string;
      if (this.buffered > 0) {
        this.chunks.push(b.subarray(off, nl));
        line = Buffer.concat(this.chunks).toString('utf8');
        this.chunks = [];
        this.buffered = 0;
      } else line = b.toString('utf8', off, nl);
      off = nl + 1;
      const parts = line.split(' ');
      if (parts.length === 3 && /^\d+$/.test(parts[2])) {
        this.current = { oid: parts[0], type: parts[1], data: Buffer.allocUnsafe(parseInt(parts[2], 10)), got: 0 };
      } else {
        this.take().resolve(null);
      }
    }
  }
}
