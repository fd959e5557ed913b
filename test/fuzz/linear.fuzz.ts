// Run by `npm run fuzz` only (it times things): the passes take time linear in the input on inputs
// built to trigger backtracking in the lexer or deep recursion.
import { describe, expect, it } from 'vitest';
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
