// The project's import graph: every file scanned, reduced to how often each key (`module:Name`,
// `module:*`, `module`) is imported and by which files. Worker threads start scanning as soon as
// the file list is known; the main thread builds the module index meanwhile, tells them each
// file's module (for relative imports), then scans batches itself.

import type { ModuleBindings } from '../python/bindings.js';
import type { ModuleIndex } from '../python/moduleIndex.js';
import { splitKey } from './importKeys.js';
import { parseBindings, type ParsedBindings } from './prefetch.js';
import { GraphScanner, selvesOf, type GraphBatch, type GraphCounts, type Selves } from './graphScanner.js';
import { ThreadPool } from './threads.js';
import { workerUrl } from '../bundle.js';
import { addUses } from './attributeUses.js';

export interface Edge {
  /** Import statements' names that spell the key, plus its attribute uses (attributeUses.ts). */
  imports: number;
  /** Of `imports`, the uses through a module import (`m.X`). */
  attributeUses: number;
  /** Positions in ImportGraph.files, ascending, each once. */
  files: number[];
  /** `counts[j]`: of `imports`, those in the file `files[j]`. */
  counts: number[];
}

export interface ImportGraph {
  /** Root-relative POSIX paths of the files scanned. */
  files: string[];
  bytes: number;
  edges: Map<string, Edge>;
  errors: { file: string; message: string }[];
  /** Threads that scanned, the main thread included. */
  threads: number;
}

/** What the main thread sends a worker (worker.ts). `batch`, `flush` and `bindings` are answered. */
export type ToWorker =
  | { type: 'start'; root: string; tops: string[] }
  | { type: 'selves'; selves: Selves }
  | { type: 'batch'; batch: GraphBatch }
  | { type: 'flush' }
  | { type: 'bindings'; modules: [string, string][] };

const BATCH = 128;
const BINDINGS_BATCH = 8;

export function startPool(workers: number): ThreadPool {
  return new ThreadPool(workers, workerUrl('discover-worker.js', new URL('./worker.js', import.meta.url)));
}

/**
 * Scan `files` (root-relative) into the import graph. `makeIndex` builds the module index; it runs
 * on the main thread while the workers (if any) already scan.
 */
export async function buildGraph(
  root: string,
  files: string[],
  makeIndex: () => ModuleIndex,
  pool: ThreadPool,
  tops: string[],
  /** Files read so far, of all. */
  onProgress?: (done: number, of: number) => void,
): Promise<{ graph: ImportGraph; index: ModuleIndex }> {
  const batches: GraphBatch[] = [];
  for (let first = 0; first < files.length; first += BATCH) batches.push({ first, files: files.slice(first, first + BATCH) });
  const main = new GraphScanner(root, tops);
  let index: ModuleIndex | null = null;
  const start = (): void => {
    index = makeIndex();
    const selves = selvesOf(files, index);
    main.setSelves(selves);
    if (pool.size > 0) pool.broadcast({ type: 'selves', selves } satisfies ToWorker);
  };
  pool.broadcast({ type: 'start', root, tops } satisfies ToWorker);
  const counts = await pool.run<GraphBatch, GraphCounts>(
    batches,
    (batch) => ({ type: 'batch', batch }) satisfies ToWorker,
    (batch) => {
      main.scan(batch);
      return main.take();
    },
    start,
    onProgress && ((done, of) => onProgress(done === of ? files.length : done * BATCH, files.length)),
  );
  if (index === null) start(); // no files at all
  // Imports a worker deferred until the index came, if it came after its last batch.
  if (pool.size > 0) counts.push(...(await pool.gather<GraphCounts>({ type: 'flush' } satisfies ToWorker)));

  const edges = new Map<string, Edge>();
  let bytes = 0;
  const errors: { file: string; message: string }[] = [];
  for (const c of counts) {
    bytes += c.bytes;
    for (const e of c.errors) errors.push({ file: files[e.file], message: e.message });
    for (let i = 0; i < c.keys.length; i++) {
      const edge = edges.get(c.keys[i]);
      if (edge === undefined) edges.set(c.keys[i], { imports: c.imports[i], files: c.files[i], counts: c.counts[i], attributeUses: 0 });
      else {
        edge.imports += c.imports[i];
        for (const f of c.files[i]) edge.files.push(f);
        for (const n of c.counts[i]) edge.counts.push(n);
      }
    }
  }
  const graph: ImportGraph = { files, bytes, edges, errors, threads: pool.size + 1 };
  addUses(graph, index!, counts.map((c) => c.uses));
  // Answers come in any order, a deferred import may list its file again, and so may its uses.
  for (const e of edges.values()) sortFiles(e);
  errors.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return { graph, index: index! };
}

/** An edge's files ascending and each once, its per-file counts summed to match. */
function sortFiles(e: Edge): void {
  const f = e.files;
  let sorted = true;
  for (let j = 1; j < f.length && sorted; j++) sorted = f[j - 1] < f[j];
  if (sorted) return;
  const order = f.map((_, j) => j).sort((a, b) => f[a] - f[b]);
  const files: number[] = [];
  const counts: number[] = [];
  for (const j of order) {
    if (files[files.length - 1] === f[j]) counts[counts.length - 1] += e.counts[j];
    else (files.push(f[j]), counts.push(e.counts[j]));
  }
  e.files = files;
  e.counts = counts;
}

/**
 * Parse, on every thread, the project modules the graph imports names from: the resolver's main
 * cost (a syntax tree per module). Modules reached only through re-export chains are parsed
 * later, on demand.
 */
export async function prefetchBindings(
  root: string,
  graph: ImportGraph,
  index: ModuleIndex,
  pool: ThreadPool,
  /** Modules parsed so far, of all. */
  onProgress?: (done: number, of: number) => void,
): Promise<Map<string, ModuleBindings | null>> {
  const wanted = new Map<string, string>();
  for (const key of graph.edges.keys()) {
    const [module, name] = splitKey(key);
    if (name === null || name === '*' || wanted.has(module)) continue;
    const file = index.get(module)?.file;
    if (file) wanted.set(module, file);
  }
  const list = [...wanted];
  const jobs: [string, string][][] = [];
  for (let i = 0; i < list.length; i += BINDINGS_BATCH) jobs.push(list.slice(i, i + BINDINGS_BATCH));
  const parsed = await pool.run<[string, string][], ParsedBindings>(
    jobs,
    (modules) => ({ type: 'bindings', modules }) satisfies ToWorker,
    (modules) => parseBindings(root, modules),
    undefined,
    onProgress && ((done, of) => onProgress(done === of ? list.length : done * BINDINGS_BATCH, list.length)),
  );
  return new Map(parsed.flat());
}
