// The page's analysis worker: what the edits change, proved or shown by witness events, with the
// semantic analysis of engine/analysis/ and Z3 compiled to WebAssembly, loaded on the first
// request (35 MB). One request at a time; the page cancels one by terminating the worker.
import { analyze } from '../../engine/analysis/analyze.js';
import { compare } from '../../engine/analysis/compare.js';
import type { Z3 } from '../../engine/analysis/solver.js';
import { buildBundle } from '../../engine/bundle.js';
import type { CompiledPolicy } from '../../engine/compile.js';
import { fixturesOf } from '../../engine/policy-tests.js';
import type { ChangeMessage, ChangeReport, ChangeRequest, FileText } from './protocol.js';
import { loadZ3 } from './z3.js';

let z3: Z3 | undefined;
/** The policies in force: the same in every request of the page, so compiled once. */
let shipped: CompiledPolicy | undefined;
const post = (m: ChangeMessage) => postMessage(m);

function compiled(files: readonly FileText[], which: string): CompiledPolicy {
  const { policy } = buildBundle(files);
  if (!policy) throw new Error(`the ${which} policies do not compile`);
  return policy;
}

async function run(r: ChangeRequest): Promise<ChangeReport> {
  let loadMs = 0;
  if (!z3) {
    post({ kind: 'progress', stage: 'loading' });
    const start = performance.now();
    z3 = await loadZ3();
    loadMs = performance.now() - start;
  }
  post({ kind: 'progress', stage: 'comparing' });
  const start = performance.now();
  const base = (shipped ??= compiled(r.shipped, 'shipped'));
  const edited = compiled(r.edited, 'edited');
  const comparison = await compare(z3, base, edited, { fixtures: fixturesOf(r.fixtures) });
  const paths = new Set(r.editedPaths);
  const { findings } = paths.size ? await analyze(z3, edited, { only: (rule) => paths.has(rule.file) }) : { findings: [] };
  return { comparison, findings, loadMs, analysisMs: performance.now() - start };
}

self.onmessage = (e: MessageEvent<ChangeRequest>) => {
  run(e.data).then(
    (report) => post({ kind: 'done', report }),
    (err: unknown) => post({ kind: 'failed', message: err instanceof Error ? err.message : String(err) }),
  );
};
