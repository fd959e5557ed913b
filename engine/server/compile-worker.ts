// Building a bundle from uploaded sources off the main thread, within a heap limit and a wall-time
// limit, so that no upload can stall or exhaust the service. The checker's limits (language/limits.ts)
// bound the work of any bundle; these bound the process against what they do not foresee. The worker
// runs dist/engine/server/compile-thread.js, tsc's output (`npm run build`), from source, from dist/
// and from the bundled CLI alike: the thread's own modules are loaded from dist/engine.
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { CheckedBundle } from '../../language/checked.js';
import type { Diagnostic } from '../../language/diagnostics.js';
import type { SourceFile } from '../../language/source.js';
import { compile, type CompiledPolicy } from '../compile.js';
import { PACKAGE_ROOT } from '../package-root.js';

const THREAD = join(PACKAGE_ROOT, 'dist', 'engine', 'server', 'compile-thread.js');

/** What the thread posts: the checked bundle and its digest only when no diagnostic is an error. */
export type Checked = { readonly diagnostics: readonly Diagnostic[] } & ({ readonly checked: CheckedBundle; readonly digest: string } | { readonly checked?: undefined });

export type IsolatedBuild =
  /** Compiled (warnings may come with it). */
  | { readonly ok: true; readonly policy: CompiledPolicy; readonly diagnostics: readonly Diagnostic[] }
  /** The sources have errors: the diagnostics say where. */
  | { readonly ok: false; readonly reason: 'invalid'; readonly diagnostics: readonly Diagnostic[] }
  /** The build was stopped: past `timeoutMs`, past `maxHeapMb`, or the thread failed otherwise. */
  | { readonly ok: false; readonly reason: 'timeout' | 'out_of_memory' | 'crashed'; readonly message: string };

export interface IsolationLimits {
  /** Wall time for parsing and checking, after which the thread is terminated. */
  readonly timeoutMs: number;
  /** The thread's old-generation heap. */
  readonly maxHeapMb: number;
}

/**
 * Parses and checks `sources` in a worker thread, then compiles the checked bundle here (cheap: one
 * closure per node). Never rejects: every way of failing is an IsolatedBuild.
 */
export function buildBundleIsolated(sources: readonly SourceFile[], limits: IsolationLimits): Promise<IsolatedBuild> {
  return new Promise((resolve) => {
    const worker = new Worker(THREAD, {
      workerData: sources.map(({ path, text }) => ({ path, text })),
      resourceLimits: { maxOldGenerationSizeMb: limits.maxHeapMb },
    });
    let settled = false;
    const settle = (result: IsolatedBuild) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      resolve(result);
    };
    const timer = setTimeout(
      () => settle({ ok: false, reason: 'timeout', message: `building the bundle took longer than ${limits.timeoutMs} ms` }),
      limits.timeoutMs,
    );
    worker.once('message', (m: Checked) =>
      settle(m.checked ? { ok: true, policy: compile(m.checked, m.digest), diagnostics: m.diagnostics } : { ok: false, reason: 'invalid', diagnostics: m.diagnostics }),
    );
    worker.once('error', (e: Error & { code?: string }) =>
      settle(
        e.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? { ok: false, reason: 'out_of_memory', message: `building the bundle needed more than ${limits.maxHeapMb} MB of heap` }
          : { ok: false, reason: 'crashed', message: e.message },
      ),
    );
    worker.once('exit', (code) => settle({ ok: false, reason: 'crashed', message: `the build thread exited (code ${code}) without a result` }));
  });
}
