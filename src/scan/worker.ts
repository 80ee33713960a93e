// A scan worker thread. It may be started before the job is known (so that loading its code
// overlaps the project listing); when the job comes it lexes the files the main thread queues and
// claims files of its own, as share.ts describes, then answers with what it found.

import { parentPort } from 'node:worker_threads';
import { scanShare, type ShareMessage } from './share.js';

parentPort!.once('message', (msg: ShareMessage) => {
  parentPort!.postMessage(scanShare(msg, undefined, msg.queue ? 'lexer' : 'alone'));
});
