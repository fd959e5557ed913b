// Bundles the command line (bin/tiaoli.js runs it) into dist/cli/: one module, plus a chunk for each
// command loaded on demand, instead of the thousand files Node would otherwise resolve and load at
// every start (chevrotain alone imports all 640 modules of lodash-es). Only the pure-JavaScript
// packages below are inlined; every other package, such as the HTTP service's, which serve files
// from their own directories, and native modules, is loaded from node_modules as usual.
// Runs after tsc, on its output (`npm run build`). Last, it writes the shipped policies checked
// (dist/cli/shipped-bundle.json), so that a command on them starts without parsing them.
import { writeFileSync } from 'node:fs';
import { build } from 'rolldown';

const INLINED = [
  'chevrotain',
  'lodash-es',
  '@chevrotain/',
  '@sinclair/typebox',
  'ajv',
  'ajv-formats',
  'fast-deep-equal',
  'fast-uri',
  'json-schema-traverse',
  'require-from-string',
  '@noble/hashes',
  'yaml',
  'commander',
  'diff',
];
const inlined = (id) => INLINED.some((p) => (p.endsWith('/') ? id.startsWith(p) : id === p || id.startsWith(`${p}/`)));

await build({
  input: new URL('../dist/engine/cli/main.js', import.meta.url).pathname,
  platform: 'node',
  resolve: { alias: { '@noble/hashes/sha2.js': new URL('cli-sha256.js', import.meta.url).pathname } },
  external: (id) => !id.startsWith('.') && !id.startsWith('/') && !id.startsWith('\0') && !inlined(id),
  output: { dir: new URL('../dist/cli', import.meta.url).pathname, format: 'esm', entryFileNames: 'tiaoli.js', chunkFileNames: '[name]-[hash].js', cleanDir: true, minify: true, sourcemap: true },
  logLevel: 'warn',
});

// The shipped policies, checked by the compiler just bundled (its tsc output), for the command line
// to start without parsing them; used only for sources with this key (engine/bundle.ts `Prebuilt`).
const { checkSources, sourcesKey } = await import('../dist/engine/bundle.js');
const { readPolicyDir, SHIPPED_POLICIES } = await import('../dist/engine/load.js');
const sources = readPolicyDir(SHIPPED_POLICIES);
const { checked, diagnostics } = checkSources(sources);
writeFileSync(new URL('../dist/cli/shipped-bundle.json', import.meta.url), JSON.stringify({ key: sourcesKey(sources), checked, diagnostics }));
