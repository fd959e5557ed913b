// Releases held back while Z3 runs a check on its threads (z3-threads.ts): in a model of the
// low-level API for any order of calls, and in the real Z3 during a comparison with the garbage
// collector run every millisecond — where, unguarded, the finalizers do release terms mid-check
// (which corrupted Z3's memory in the playground's second analysis).
import { setFlagsFromString } from 'node:v8';
import { createRequire } from 'node:module';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createApi } from 'z3-solver/build/high-level/index.js';
import { init, type Z3Core } from 'z3-solver/build/low-level/index.js';
import { killThreads } from 'z3-solver';
import { compare } from '../../engine/analysis/compare.js';
import { releasingBetweenChecks } from '../../engine/analysis/z3-threads.js';
import { shippedPolicy } from '../helpers.js';
import { edited } from './bundles.js';

type Op = { readonly k: 'start' } | { readonly k: 'settle'; readonly which: number; readonly fails: boolean } | { readonly k: 'release'; readonly what: number } | { readonly k: 'sync' };

describe('releases wait for the checks running on Z3 threads', () => {
  it('in a model of the API: a release runs at once when no check runs, else after the last one settles, in order; answers pass through', async () => {
    const op: fc.Arbitrary<Op> = fc.oneof(
      fc.constant({ k: 'start' } as const),
      fc.record({ k: fc.constant('settle' as const), which: fc.nat(), fails: fc.boolean() }),
      fc.record({ k: fc.constant('release' as const), what: fc.nat(1000) }),
      fc.constant({ k: 'sync' } as const),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 40 }), async (ops) => {
        const released: number[] = [];
        const pending: { settle: (fails: boolean) => void }[] = [];
        const fake = {
          dec_ref: (_c: number, what: number) => void released.push(what),
          solver_check: () => new Promise((resolve, reject) => pending.push({ settle: (fails) => (fails ? reject(new Error('failed')) : resolve('sat')) })),
          mk_true: (c: number) => c + 1,
          version: '4',
        };
        const api = releasingBetweenChecks(fake as unknown as Z3Core) as unknown as typeof fake;
        expect(api.version).toBe('4');
        // The model: a release asked while checks run is applied once none does.
        const expected: number[] = [];
        const waiting: number[] = [];
        let running = 0;
        const answers: Promise<unknown>[] = [];
        const turn = () => new Promise((r) => setTimeout(r, 0));
        for (const o of ops) {
          if (o.k === 'start') {
            running++;
            answers.push(api.solver_check().catch((e: Error) => e.message));
          } else if (o.k === 'settle' && pending.length > 0) {
            pending.splice(o.which % pending.length, 1)[0]!.settle(o.fails);
            await turn();
            if (--running === 0) expected.push(...waiting.splice(0));
          } else if (o.k === 'release') {
            api.dec_ref(0, o.what);
            (running > 0 ? waiting : expected).push(o.what);
          } else if (o.k === 'sync') {
            expect(api.mk_true(41)).toBe(42);
          }
          expect(released).toEqual(expected);
        }
        for (const p of pending.splice(0)) p.settle(false);
        await turn();
        for (const a of await Promise.all(answers)) expect(['sat', 'failed']).toContain(a);
        expect(released).toEqual([...expected, ...waiting]);
      }),
      { numRuns: 300 },
    );
  });

  it('in Z3, comparing with the collector running every millisecond: unguarded, finalizers would release terms mid-check; guarded, never', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const { Z3, em } = await init(createRequire(import.meta.url)('z3-solver/build/z3-built.js'));
    const head = edited({ path: 'live-2016/article-16.tiaoli', from: 'P60D', to: 'P90D' });
    /** Releases in the API `guard` hands to the high-level API, counted beneath it: all of them, and those while a check ran. */
    async function releases(guard: (api: Z3Core) => Z3Core): Promise<{ all: number; midCheck: number; changes: number }> {
      let running = 0;
      const seen = { all: 0, midCheck: 0 };
      const counted = Object.fromEntries(
        Object.entries(Z3).map(([name, f]) => {
          if (typeof f !== 'function') return [name, f];
          const g = f as (...args: unknown[]) => unknown;
          return [
            name,
            (...args: unknown[]) => {
              if (/dec_ref$/.test(name)) {
                seen.all++;
                // Counted and leaked: running it would corrupt Z3's memory, which is what the guard prevents.
                if (running > 0) return void seen.midCheck++;
              }
              const answer = g(...args);
              if (!(answer instanceof Promise)) return answer;
              running++;
              return answer.finally(() => running--);
            },
          ];
        }),
      ) as unknown as Z3Core;
      const z3 = new (createApi(guard(counted), em).Context)('main');
      const collecting = setInterval(gc, 1);
      try {
        const c = await compare(z3, shippedPolicy(), head);
        return { ...seen, changes: c.changes.length };
      } finally {
        clearInterval(collecting);
      }
    }
    try {
      const unguarded = await releases((api) => api);
      expect(unguarded.midCheck).toBeGreaterThan(0);
      const guarded = await releases(releasingBetweenChecks);
      expect(guarded.all).toBeGreaterThan(0);
      expect(guarded.midCheck).toBe(0);
      expect(guarded.changes).toBeGreaterThan(0);
    } finally {
      await killThreads(em);
    }
  }, 120_000);
});
