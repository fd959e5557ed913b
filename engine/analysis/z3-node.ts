// Loads Z3 (compiled to WebAssembly, the z3-solver package) under Node: the one module of
// engine/analysis/ that is Node-only. The browser loads its own build and hands the analysis a
// Context the same way.
import { init, killThreads } from 'z3-solver';
import type { Z3 } from './solver.js';

export interface LoadedZ3 {
  readonly z3: Z3;
  /** Ends Z3's worker threads, which could otherwise keep Node running. The context is unusable after. */
  readonly close: () => Promise<void>;
}

export async function loadZ3(): Promise<LoadedZ3> {
  let closing = false;
  // Once its threads are being ended, Z3 may still report their messages ("received cleanupThread
  // command from terminated worker"): noise about the shutdown we asked for, not a problem to show.
  const api = await init({ printErr: (text: string) => closing || process.stderr.write(`${text}\n`) });
  return {
    z3: new api.Context('main'),
    close: () => {
      closing = true;
      return killThreads(api.em);
    },
  };
}
