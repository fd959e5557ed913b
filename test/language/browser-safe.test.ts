// language/ and the engine's core run in the browser (the playground): no Node built-ins there.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;
// keys.ts and signed-revision.ts: Ed25519 through node:crypto, for the CLI and the service;
// package-root.ts: where dist/ is on disk, for the service's files and the threads it starts.
const NODE_ONLY = new Set(['engine/load.ts', 'engine/index.ts', 'engine/analysis/z3-node.ts', 'engine/keys.ts', 'engine/signed-revision.ts', 'engine/package-root.ts']);

function tsFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => `${dir}/${f}`);
}

describe('browser-safe modules', () => {
  const NODE_DIRS = ['engine/cli/', 'engine/log/', 'engine/server/'];
  const files = [...tsFiles('language'), ...tsFiles('engine').filter((f) => !NODE_DIRS.some((d) => f.startsWith(d)) && !NODE_ONLY.has(f))];

  it.each(files)('%s imports no Node built-in', (file) => {
    const text = readFileSync(join(root, file), 'utf8');
    expect(text).not.toMatch(/from ['"](node:|fs['"]|path['"]|os['"]|child_process['"])/);
    expect(text).not.toMatch(/\bprocess\./);
    // The browser brings its own Z3: the analysis takes a Context, and only the Node loader loads one.
    expect(text).not.toMatch(/^import (?!type )[^;]*from 'z3-solver'/m);
  });
});
