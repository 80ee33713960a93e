// Compiles rewritten files with CPython before they are written: a few long-lived `python3`
// processes (one per core, up to 4, started as work arrives) read files as JSON lines on stdin and
// answer with the compile error, if any. Spawned with an argument array; a missing interpreter is
// reported as such, never as a failed file.

import { spawn, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';

const SCRIPT = `
import sys, json, base64, warnings
warnings.simplefilter("ignore")
out = []
for line in sys.stdin:
    i, path, data = json.loads(line)
    try:
        compile(base64.b64decode(data), path, "exec", dont_inherit=True)
        out.append([i, None])
    except Exception as e:
        where = getattr(e, "lineno", None)
        msg = getattr(e, "msg", None) or str(e)
        out.append([i, type(e).__name__ + ": " + str(msg) + (" (line %d)" % where if where else "")])
sys.stdout.write(json.dumps(out))
`;

/** Per submitted file: null when it compiles, else the error; 'unavailable' when python3 could not run. */
export type CompileOutcome = string | null;

interface Proc {
  child: ChildProcess;
  bytes: number;
  done: Promise<Map<number, CompileOutcome> | 'unavailable'>;
}

/** Which interpreter: an explicit option, else $CANON_PYTHON, else `python3`; '' or 'none' disables. */
export function pythonCommand(explicit?: string | null): string | null {
  const v = explicit !== undefined ? explicit : process.env.CANON_PYTHON ?? 'python3';
  return v === null || v === '' || v === 'none' ? null : v;
}

export class PythonPool {
  private readonly procs: Proc[] = [];
  private next = 0;
  private submitted = 0;
  private readonly max: number;

  constructor(private readonly command: string | null) {
    this.max = Math.max(1, Math.min(availableParallelism(), 4));
  }

  get enabled(): boolean {
    return this.command !== null;
  }

  /** Queue a file (its bytes) for compilation; returns its id. */
  submit(path: string, bytes: Buffer): number {
    const id = this.next++;
    if (this.command === null) return id;
    // A new process for every ~256 KB queued, up to one per core.
    if (this.procs.length < this.max && (this.procs.length === 0 || this.submitted > this.procs.length * 256 * 1024)) this.spawn();
    const p = this.procs.reduce((a, b) => (b.bytes < a.bytes ? b : a));
    p.bytes += bytes.length;
    this.submitted += bytes.length;
    p.child.stdin?.write(JSON.stringify([id, path, bytes.toString('base64')]) + '\n');
    return id;
  }

  private spawn(): void {
    const child = spawn(this.command!, ['-I', '-c', SCRIPT], { stdio: ['pipe', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    const errs: Buffer[] = [];
    child.stdout!.on('data', (b: Buffer) => chunks.push(b));
    child.stderr!.on('data', (b: Buffer) => errs.push(b));
    // A process that dies early must not take the run down with EPIPE.
    child.stdin!.on('error', () => undefined);
    const done = new Promise<Map<number, CompileOutcome> | 'unavailable'>((resolve) => {
      child.on('error', () => resolve('unavailable'));
      child.on('close', (code) => {
        if (code !== 0) {
          resolve('unavailable');
          return;
        }
        try {
          const rows = JSON.parse(Buffer.concat(chunks).toString('utf8')) as [number, string | null][];
          resolve(new Map(rows));
        } catch {
          resolve('unavailable');
        }
      });
    });
    this.procs.push({ child, bytes: 0, done });
  }

  /** Close the queues and wait: id -> outcome, or 'unavailable' when python3 could not run. */
  async finish(): Promise<Map<number, CompileOutcome> | 'unavailable'> {
    if (this.command === null) return 'unavailable';
    for (const p of this.procs) p.child.stdin?.end();
    const all = new Map<number, CompileOutcome>();
    for (const p of this.procs) {
      const r = await p.done;
      if (r === 'unavailable') return 'unavailable';
      for (const [k, v] of r) all.set(k, v);
    }
    return all;
  }
}

/** Compile a batch in one go (a fresh pool); null entries compile. */
export async function compileAll(command: string | null, files: { path: string; bytes: Buffer }[]): Promise<(CompileOutcome)[] | 'unavailable'> {
  const pool = new PythonPool(command);
  const ids = files.map((f) => pool.submit(f.path, f.bytes));
  const r = await pool.finish();
  if (r === 'unavailable') return 'unavailable';
  return ids.map((id) => (r.has(id) ? r.get(id)! : 'python3 gave no answer for this file'));
}
