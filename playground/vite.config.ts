// The playground page, built into dist/playground, which the service serves at `/`.
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
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

/**
 * Monaco's module that starts language workers (JSON's, for the event editor) imports every editor
 * feature for its side effects, which would undo the page's choice of features (src/monaco.ts):
 * those imports are dropped, the page imports the features it offers.
 */
function monacoFeaturesAsChosen(): Plugin {
  return {
    name: 'tiaoli-monaco-features',
    transform(code, id) {
      if (!id.replaceAll('\\', '/').endsWith('monaco-editor/esm/vs/internal/common/workers.js')) return undefined;
      return { code: code.replace(/^import '\.\.\/\.\.\/editor\/(contrib|standalone\/browser|browser\/widget\/diffEditor)\/[^']+';$/gm, ''), map: null };
    },
  };
}

/**
 * The editor's chunk (src/main.ts, Monaco) preloaded by the page: boot.ts imports it only once the
 * first view has rested, and the browser fetches and compiles it meanwhile, with the chunks it imports.
 */
function preloadEditor(): Plugin {
  return {
    name: 'tiaoli-preload-editor',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(_html, { bundle }) {
        const chunks = Object.values(bundle ?? {}).flatMap((c) => (c.type === 'chunk' ? [c] : []));
        const main = chunks.find((c) => c.facadeModuleId?.replaceAll('\\', '/').endsWith('/src/main.ts'));
        if (!main) throw new Error('the build has no chunk for src/main.ts to preload');
        return [main.fileName, ...main.imports].map((file) => ({ tag: 'link', attrs: { rel: 'modulepreload', crossorigin: true, href: `${BASE}${file}` }, injectTo: 'head' as const }));
      },
    },
  };
}

/** What is worth compressing: text, and WebAssembly (Z3's 35 MB is 5.4 MB as brotli). */
const COMPRESSIBLE = /\.(html|js|mjs|css|json|svg|ttf|wasm|map)$/;
/** Brotli's best quality takes about a minute for Z3; a file this large gets quality 9, a few seconds, 6% larger. */
const BEST_UP_TO = 8 << 20;

/**
 * Every compressible file of the build written beside itself as `.br` and `.gz` (after the other
 * plugins have written theirs, Z3 included), for @fastify/static's `preCompressed` to send to a
 * browser that accepts them: nothing is compressed per request.
 */
function precompressed(): Plugin {
  const br = promisify(brotliCompress);
  const gz = promisify(gzip);
  let out = '';
  return {
    name: 'tiaoli-precompressed',
    apply: 'build',
    configResolved: (config) => void (out = config.build.outDir),
    async closeBundle() {
      const files = readdirSync(out, { recursive: true, encoding: 'utf8' }).filter((f) => COMPRESSIBLE.test(f));
      await Promise.all(
        files.map(async (f) => {
          const data = readFileSync(join(out, f));
          const quality = data.length <= BEST_UP_TO ? constants.BROTLI_MAX_QUALITY : 9;
          const params = { [constants.BROTLI_PARAM_QUALITY]: quality, [constants.BROTLI_PARAM_SIZE_HINT]: data.length };
          const [b, g] = await Promise.all([br(data, { params }), gz(data, { level: 9 })]);
          writeFileSync(join(out, `${f}.br`), b);
          writeFileSync(join(out, `${f}.gz`), g);
        }),
      );
    },
  };
}

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: BASE,
  // The page is built only, never served by Vite: nothing to pre-bundle or watch.
  logLevel: 'warn',
  plugins: [monacoFeaturesAsChosen(), z3(), preloadEditor(), precompressed()],
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
