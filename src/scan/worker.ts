// A scan worker thread: receives a ScanJob once, then batches of file paths; answers each batch
// with its outcomes and waits for the next.

import { parentPort, workerData } from 'node:worker_threads';
import { FileScanner, type ScanJob } from './fileScanner.js';

const scanner = new FileScanner(workerData as ScanJob);
parentPort!.on('message', (files: string[]) => {
  parentPort!.postMessage(files.map((f) => scanner.scan(f)));
});
