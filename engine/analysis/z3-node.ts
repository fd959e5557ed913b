// Loads Z3 (compiled to WebAssembly, the z3-solver package) under Node: the one module of
// engine/analysis/ that is Node-only. Started as z3-solver's own Node entry starts it (the
// low-level wrapper around its emscripten module, then the high-level API), but with releases held
// back while a check runs (z3-threads.ts). The browser loads its own build the same way.
import { createRequire } from 'node:module';
import { killThreads } from 'z3-solver';
import { createApi } from 'z3-solver/build/high-level/index.js';
import { init } from 'z3-solver/build/low-level/index.js';
import type { Z3 } from './solver.js';
import { releasingBetweenChecks } from './z3-threads.js';

export interface LoadedZ3 {
  readonly z3: Z3;
  /** Ends Z3's worker threads, which could otherwise keep Node running. The context is unusable after. */
  readonly close: () => Promise<void>;
}

export async function loadZ3(): Promise<LoadedZ3> {
  let closing = false;
  // The emscripten module is CommonJS without types.
  const initZ3: unknown = createRequire(import.meta.url)('z3-solver/build/z3-built.js');
  // Once its threads are being ended, Z3 may still report their messages ("received cleanupThread
  // command from terminated worker"): noise about the shutdown we asked for, not a problem to show.
  const { Z3, em } = await init(initZ3, { printErr: (text: string) => closing || process.stderr.write(`${text}\n`) });
  return {
    z3: new (createApi(releasingBetweenChecks(Z3), em).Context)('main'),
    close: () => {
      closing = true;
      // A thread that does not end when told would keep Node running after the answer is out
      // (seen once in CI: the analysis printed, the process never exited): none holds it open.
      const { PThread } = em as { PThread: { unusedWorkers: { unref?: () => void }[]; runningWorkers: { unref?: () => void }[] } };
      for (const worker of [...PThread.unusedWorkers, ...PThread.runningWorkers]) worker.unref?.();
      return killThreads(em);
    },
  };
}
