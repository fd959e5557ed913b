// The worker-thread side of compile-worker.ts: parses and checks uploaded sources, and posts back the
// diagnostics, the checked bundle and, when it has no errors, its digest. Plain data only: closures
// cannot cross threads, so the caller compiles.
import { parentPort, workerData } from 'node:worker_threads';
import { hasErrors } from '../../language/diagnostics.js';
import type { SourceFile } from '../../language/source.js';
import { checkSources, digestOf } from '../bundle.js';
import type { Checked } from './compile-worker.js';

const { diagnostics, checked } = checkSources(workerData as readonly SourceFile[]);
const reply: Checked = hasErrors(diagnostics) ? { diagnostics } : { diagnostics, checked, digest: digestOf(checked) };
parentPort!.postMessage(reply);
