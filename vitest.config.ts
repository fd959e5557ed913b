import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Property tests run many cases; keep the default per-test limit generous but finite.
    testTimeout: 60_000,
    // Hooks start servers, child processes and browsers: on a loaded 2-core machine a child `tiaoli
    // serve` took over vitest's default 10 s to print its port.
    hookTimeout: 60_000,
  },
});
