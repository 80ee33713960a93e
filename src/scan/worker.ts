// A scan worker thread: receives a ScanJob first (it may be started before the job is known, so
// that its start-up overlaps the project listing), then batches of file paths; answers each batch
// with its outcomes and waits for the next.

import { parentPort } from 'node:worker_threads';
import { FileScanner, type ScanJob } from './fileScanner.js';

let scanner: FileScanner | null = null;
parentPort!.on('message', (msg: { job: ScanJob } | string[]) => {
  if (!Array.isArray(msg)) {
    scanner = new FileScanner(msg.job);
    return;
  }
  parentPort!.postMessage(msg.map((f) => scanner!.scan(f)));
});
