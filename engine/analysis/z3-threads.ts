// z3-solver runs a check on one of Z3's threads and, while it runs, lets JavaScript run: among it the
// finalizers of collected terms, models and vectors, which release them (`dec_ref`) in the context
// the check is using. A Z3 context belongs to one thread at a time, so those releases corrupt its
// memory: a wrong answer, "memory access out of bounds", or a check that never returns (seen in the
// playground's worker on its second analysis, and under Node with frequent collections). Z3's own
// `enable_concurrent_dec_ref` queues AST releases only, and still failed under Node. So the low-level
// API is wrapped: a release waits until no call runs on Z3's threads. Browser-safe: it only wraps
// the functions it is given.
import type { Z3Core } from 'z3-solver/build/low-level/index.js';

/** The low-level functions that free what they are given: they must not run beside a check. */
const RELEASES = /(^|_)dec_ref$|^del_context$|^rcf_del$/;

export function releasingBetweenChecks(api: Z3Core): Z3Core {
  let running = 0;
  const waiting: (() => void)[] = [];
  const settled = () => {
    if (--running === 0) for (const release of waiting.splice(0)) release();
  };
  const wrap = (name: string, f: (...args: unknown[]) => unknown) => {
    if (RELEASES.test(name)) return (...args: unknown[]) => (running > 0 ? void waiting.push(() => f(...args)) : f(...args));
    // The calls that run on Z3's threads are those that answer a promise.
    return (...args: unknown[]) => {
      const answer = f(...args);
      if (!(answer instanceof Promise)) return answer;
      running++;
      return answer.finally(settled);
    };
  };
  return Object.fromEntries(Object.entries(api).map(([name, f]) => [name, typeof f === 'function' ? wrap(name, f as (...args: unknown[]) => unknown) : f])) as Z3Core;
}
