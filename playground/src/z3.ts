// Z3 in the browser: z3-solver's emscripten build, which the page's build copies to __Z3_DIR__
// (vite.config.ts), started the way z3-solver's own browser entry does (the low-level wrapper
// around `initZ3`, then the high-level API), but with `initZ3` imported rather than read from a
// global, and with releases held back while a check runs (z3-threads.ts). Its threads are workers
// running z3-built.js and share the module's memory, so the page must be cross-origin isolated (the
// service sends COOP and COEP). Runs in the analysis worker.
import { createApi } from 'z3-solver/build/high-level/index.js';
import { init } from 'z3-solver/build/low-level/index.js';
import type { Z3 } from '../../engine/analysis/solver.js';
import { releasingBetweenChecks } from '../../engine/analysis/z3-threads.js';

export async function loadZ3(): Promise<Z3> {
  if (!crossOriginIsolated) throw new Error('Z3 needs SharedArrayBuffer, and the page is not cross-origin isolated (Cross-Origin-Opener-Policy and Cross-Origin-Embedder-Policy headers)');
  const dir = new URL(__Z3_DIR__, location.href);
  const at = (file: string) => new URL(file, dir).href;
  const { default: initZ3 } = (await import(/* @vite-ignore */ at('z3-built.mjs'))) as { default: unknown };
  // Without these, emscripten would look for the wasm next to this worker's script, and start its
  // threads from `document.currentScript`, which a worker has not.
  const { Z3, em } = await init(initZ3, { locateFile: at, mainScriptUrlOrBlob: at('z3-built.js') });
  return new (createApi(releasingBetweenChecks(Z3), em).Context)('main');
}
