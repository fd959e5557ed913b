// The thread side of window.ts: opens its own connection to the log and checks the windows it is
// sent, posting each back with its buffers moved, not copied.
import { parentPort, workerData } from 'node:worker_threads';
import { ChainHasher } from './chain.js';
import { openLog } from './open.js';
import { checkWindow, type WindowTask } from './window.js';

const log = openLog((workerData as { readonly location: string }).location, { existing: true, mapped: true });
const hasher = new ChainHasher();
parentPort!.postMessage('ready');
parentPort!.on('message', (task: WindowTask & { readonly k: number }) => {
  void checkWindow(log, task, hasher).then((window) => parentPort!.postMessage({ k: task.k, window }, window ? [window.seqs.buffer, window.leaves.buffer, window.hashes.buffer] : []));
});
