// The playground page, built into dist/playground, which the service serves at `/`.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  // The page is built only, never served by Vite: nothing to pre-bundle or watch.
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('../dist/playground', import.meta.url)),
    emptyOutDir: true,
    // Monaco is one large chunk by nature; the size is reported in the README instead.
    chunkSizeWarningLimit: 4096,
    // Bundling Monaco's CSS takes a few seconds of plugin time, every build: nothing to warn about.
    rolldownOptions: { checks: { bundlerTimings: false } },
  },
  worker: { format: 'es' },
});
