import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Property tests run many cases; keep the default per-test limit generous but finite.
    testTimeout: 60_000,
  },
});
