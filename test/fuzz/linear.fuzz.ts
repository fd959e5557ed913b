// Run by `npm run fuzz` only (it times things): the passes take time linear in the input on inputs
// built to trigger backtracking in the lexer or deep recursion, and the CLI reads a long line so.
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readEventBatches, type InputItem } from '../../engine/cli/events.js';
import { buildBundle } from '../../engine/index.js';
import { PATHOLOGICAL } from './generators.js';

describe('policy sources take linear time', () => {
  it.each(Object.entries(PATHOLOGICAL))('%s', (_, make) => {
    const time = (n: number) => {
      const text = make(n);
      const start = performance.now();
      for (let i = 0; i < 3; i++) buildBundle([{ path: 'x/a.tiaoli', text }]);
      return (performance.now() - start) / 3;
    };
    time(10_000); // warm up
    const small = time(50_000);
    const large = time(200_000);
    console.log(`${_}: 50k ${small.toFixed(1)} ms, 200k ${large.toFixed(1)} ms`);
    // 4× the input: linear is about 4×, quadratic about 16×; the margin absorbs noise and GC.
    expect(large / Math.max(small, 1)).toBeLessThan(9);
  });
});

describe('the event reader takes linear time', () => {
  it('reads one long line in time linear in its length', async () => {
    // One line of n bytes in 64 KiB chunks, as a file is read; 4× the bytes should take about 4× the
    // time (the quadratic reader took 16×). The best of three runs, against the machine's noise.
    const time = async (n: number): Promise<number> => {
      const bytes = Buffer.from(`"${'x'.repeat(n - 2)}"\n`);
      const chunks = Array.from({ length: Math.ceil(bytes.length / 65_536) }, (_, i) => bytes.subarray(i * 65_536, (i + 1) * 65_536));
      let best = Infinity;
      for (let run = 0; run < 3; run++) {
        const start = performance.now();
        const items: InputItem[] = [];
        for await (const batch of readEventBatches(Readable.from(chunks))) items.push(...batch);
        best = Math.min(best, performance.now() - start);
        expect(items).toHaveLength(1);
        expect(items[0]!.ok).toBe(true);
      }
      return best;
    };
    await time(1 << 20); // warm up
    const small = await time(4_000_000);
    const large = await time(16_000_000);
    expect(large / Math.max(small, 1)).toBeLessThan(9);
  });
});
