// `canon fix --import-check`: after writing, import every rewritten module in a fresh interpreter
// and put back the files of those that imported before the fix and fail after it. A compile check
// cannot see import-time failures (a name imported from a package still initializing); running
// the import can. Off by default: importing runs the project's code.
//
// One python3 process (CANON_PYTHON honoured) forks a child per module from a clean interpreter
// that has imported nothing of the project, so each import starts from an empty sys.modules at
// the cost of a fork. No bytecode is written (PYTHONDONTWRITEBYTECODE), so the tree is untouched.

import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { writeFileChecked } from '../fs/atomic.js';
import { scratchDir } from '../fs/temp.js';
import type { FileFix, FixPlan } from './api.js';

const DRIVER = `
import sys, os, json, select, signal, time
req = json.loads(sys.stdin.read())
roots, timeout, jobs = req["roots"], req["timeout"], req["jobs"]
path = roots + [p for p in sys.path if p not in ("", os.getcwd())]
results, queue, running = {}, list(req["modules"]), {}
def start(m):
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        try:
            null = os.open(os.devnull, os.O_RDWR)
            os.dup2(null, 0); os.dup2(null, 1); os.dup2(null, 2)
            sys.path[:] = path
            import importlib
            importlib.import_module(m)
            msg = ""
        except BaseException as e:
            msg = (type(e).__name__ + ": " + str(e)).splitlines()[0] if str(e) else type(e).__name__
            msg = msg or "failed"
        os.write(w, msg.encode("utf-8", "replace")[:2000])
        os._exit(0)
    os.close(w)
    running[r] = (m, pid, time.monotonic(), [])
while queue or running:
    while queue and len(running) < jobs:
        start(queue.pop(0))
    ready, _, _ = select.select(list(running), [], [], 0.2)
    for r in ready:
        m, pid, t0, buf = running[r]
        chunk = os.read(r, 4096)
        if chunk:
            buf.append(chunk)
            continue
        os.close(r)
        del running[r]
        _, status = os.waitpid(pid, 0)
        text = b"".join(buf).decode("utf-8", "replace")
        if os.WIFSIGNALED(status):
            results[m] = "killed by signal %d" % os.WTERMSIG(status)
        elif not buf and os.WEXITSTATUS(status) != 0:
            results[m] = "exited with status %d" % os.WEXITSTATUS(status)
        else:
            results[m] = text or None
    now = time.monotonic()
    for r, (m, pid, t0, buf) in list(running.items()):
        if now - t0 > timeout:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            os.close(r)
            del running[r]
            results[m] = "did not finish importing within %d s" % timeout
sys.stdout.write(json.dumps(results))
`;

/** module -> null (imported) or the error; 'unavailable' when the interpreter could not run. */
export type ImportOutcomes = Map<string, string | null> | 'unavailable';

export interface ImportRun {
  python: string;
  root: string;
  /** Import roots, root-relative (config.src). */
  src: readonly string[];
  /** Seconds one module may take to import. */
  timeout?: number;
}

export function importModules(run: ImportRun, modules: readonly string[]): Promise<ImportOutcomes> {
  if (modules.length === 0) return Promise.resolve(new Map());
  const request = JSON.stringify({
    roots: run.src.map((s) => resolve(run.root, s)),
    timeout: run.timeout ?? 60,
    jobs: Math.max(1, Math.min(availableParallelism(), 4)),
    modules,
  });
  return new Promise((done) => {
    const child = spawn(run.python, ['-c', DRIVER], {
      cwd: run.root,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
    });
    const out: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', () => undefined);
    child.stdin.on('error', () => undefined);
    child.on('error', () => done('unavailable'));
    child.on('close', (code) => {
      if (code !== 0) return done('unavailable');
      try {
        const rows = JSON.parse(Buffer.concat(out).toString('utf8')) as Record<string, string | null>;
        done(new Map(Object.entries(rows)));
      } catch {
        done('unavailable');
      }
    });
    child.stdin.end(request);
  });
}

export interface ImportCheckReport {
  /** The interpreter could not run: nothing was checked. */
  unavailable: boolean;
  /** Rewritten modules imported after the fix. */
  checked: string[];
  /** Modules that failed to import before the fix already: not judged. */
  failedBefore: { module: string; error: string }[];
  /** Files put back because their module (or one it needs) failed to import after the fix. */
  reverted: { file: string; module: string; error: string }[];
  /** Rewritten files that are not modules under an import root: not imported. */
  notModules: string[];
}

/**
 * The import check around a plan's write: `baseline` runs on the tree before `write()`, the check
 * after it; files whose module fails only after the fix are put back (when their bytes are still
 * canon's) and leave `plan.files` for `plan.errors`.
 */
export async function withImportCheck(run: ImportRun, plan: FixPlan, moduleOf: (file: string) => string | null, write: () => Promise<void>): Promise<ImportCheckReport> {
  const report: ImportCheckReport = { unavailable: false, checked: [], failedBefore: [], reverted: [], notModules: [] };
  const modules = new Map<string, FileFix>();
  for (const f of plan.files) {
    const m = moduleOf(f.file);
    if (m === null) report.notModules.push(f.file);
    else modules.set(m, f);
  }
  const before = await importModules(run, [...modules.keys()]);
  await write();
  if (before === 'unavailable') {
    report.unavailable = true;
    return report;
  }
  const judged = [...modules.keys()].filter((m) => {
    const e = before.get(m);
    if (e === undefined || e === null) return true;
    report.failedBefore.push({ module: m, error: e });
    return false;
  });
  const written = new Set(plan.files.map((f) => f.file));
  let pending = judged.filter((m) => written.has(modules.get(m)!.file));
  const putBack = new Set<string>();
  // Putting one file back can change what another imports: check again until nothing fails.
  for (let round = 0; pending.length > 0 && round <= judged.length; round++) {
    const after = await importModules(run, pending);
    if (after === 'unavailable') {
      report.unavailable = true;
      break;
    }
    if (round === 0) report.checked = [...pending];
    const failed = pending.filter((m) => after.get(m) !== null);
    if (failed.length === 0) break;
    for (const m of failed) {
      const f = modules.get(m)!;
      const error = after.get(m) ?? 'no answer';
      // Only bytes canon wrote itself are replaced: a file saved since is left as it is.
      const back = writeFileChecked(join(run.root, f.file), f.before, f.after, scratchDir(run.root)) === 'replaced';
      putBack.add(f.file);
      report.reverted.push({ file: f.file, module: m, error });
      plan.errors.push({
        file: f.file,
        message: back
          ? `\`import ${m}\` fails after the rewrite (${error}); the file was put back`
          : `\`import ${m}\` fails after the rewrite (${error}); the file changed since canon wrote it, so canon left it as it is`,
      });
    }
    pending = pending.filter((m) => !putBack.has(modules.get(m)!.file));
  }
  plan.files = plan.files.filter((f) => !putBack.has(f.file));
  return report;
}
