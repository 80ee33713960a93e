// A discover worker thread. Messages in order: `start` (the project root), then batches of files,
// `selves` (each file's module, once the main thread has built the index) among them, and `flush`
// after the last batch; then `bindings` requests. Each batch, flush and bindings request is
// answered once, in order.

import { parentPort } from 'node:worker_threads';
import type { ToWorker } from './graph.js';
import { GraphScanner } from './graphScanner.js';
import { parseBindings } from './prefetch.js';

let root = '';
let scanner: GraphScanner | null = null;
parentPort!.on('message', (msg: ToWorker) => {
  switch (msg.type) {
    case 'start':
      root = msg.root;
      scanner = new GraphScanner(root, msg.tops);
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
  }
});
