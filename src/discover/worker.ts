// A discover worker thread. Messages in order: `start` (the project root), then batches of files,
// `selves` (each file's module, once the main thread has built the index) among them, and `flush`
// after the last batch; then `modules` (the project's module names) and `attrs` requests (uses
// through module imports, attributeUses.ts), and `bindings` requests. Each batch, flush and bindings request is
// answered once, in order.

import { parentPort } from 'node:worker_threads';
import type { ToWorker } from './graph.js';
import { attributeCounts } from './attributeUses.js';
import { GraphScanner } from './graphScanner.js';
import { parseBindings } from './prefetch.js';

let root = '';
let scanner: GraphScanner | null = null;
/** The project's modules, for the attribute-use pass. */
let modules = new Set<string>();

function readOrNull(file: string): string | null {
  try {
    return scanner!.read(file);
  } catch {
    return null;
  }
}
parentPort!.on('message', (msg: ToWorker) => {
  switch (msg.type) {
    case 'start':
      root = msg.root;
      scanner = new GraphScanner(root);
      break;
    case 'selves':
      scanner!.setSelves(msg.selves);
      break;
    case 'batch':
      scanner!.scan(msg.batch);
      parentPort!.postMessage(scanner!.take());
      break;
    case 'flush':
      parentPort!.postMessage(scanner!.take());
      break;
    case 'bindings':
      parentPort!.postMessage(parseBindings(root, msg.modules));
      break;
    case 'modules':
      modules = new Set(msg.names);
      break;
    case 'attrs':
      parentPort!.postMessage(attributeCounts(msg.files, (f) => readOrNull(f), (m) => modules.has(m)));
      break;
  }
});
