// The playground page, built into dist/playground, which the service serves at `/`.
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const BASE = '/';

/**
 * Z3 for the analysis worker: z3-solver's emscripten build, copied as it is (never bundled) into
 * assets/z3-<content hash>/, so it is cached for good like the other assets. z3-built.wasm (35 MB)
 * is fetched only when an analysis first runs; z3-built.js is the classic script each of Z3's
 * threads (a worker of its own) runs; z3-built.mjs is the same script exporting `initZ3`, for the
 * analysis worker, a module worker, to import. The page learns the directory as `__Z3_DIR__`.
 */
function z3(): Plugin {
  const build = dirname(createRequire(import.meta.url).resolve('z3-solver/build/z3-built.js'));
  const script = readFileSync(join(build, 'z3-built.js'), 'utf8');
  const wasm = join(build, 'z3-built.wasm');
  const dir = `assets/z3-${createHash('sha256').update(script).update(readFileSync(wasm)).digest('hex').slice(0, 12)}`;
  return {
    name: 'tiaoli-z3',
    config: () => ({ define: { __Z3_DIR__: JSON.stringify(`${BASE}${dir}/`) } }),
    writeBundle({ dir: out }) {
      const to = join(out!, dir);
      mkdirSync(to, { recursive: true });
      copyFileSync(wasm, join(to, 'z3-built.wasm'));
      writeFileSync(join(to, 'z3-built.js'), script);
      writeFileSync(join(to, 'z3-built.mjs'), `${script}\nexport default initZ3;\n`);
    },
  };
}

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: BASE,
  // The page is built only, never served by Vite: nothing to pre-bundle or watch.
  logLevel: 'warn',
  plugins: [z3()],
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
