// `npm run fuzz`: the fuzz properties with a large budget (FUZZ_RUNS), plus the timing checks.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: { include: ['test/fuzz/**/*.{test,fuzz}.ts'], testTimeout: 3_600_000 },
});
