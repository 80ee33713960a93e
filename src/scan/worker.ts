// A scan worker thread. It may be started before the job is known (so that loading its code
// overlaps the project listing); when the job comes it claims batches of files from the shared
// cursor until none are left, exactly as the main thread does, then answers with what it found.

import { parentPort } from 'node:worker_threads';
import { scanShare, type ShareMessage } from './share.js';

parentPort!.once('message', (msg: ShareMessage) => {
  parentPort!.postMessage(scanShare(msg));
});
