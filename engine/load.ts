// Reading a policy directory from disk (Node only): every *.tiaoli file below it, named by its path
// relative to the directory, so a bundle's digest does not depend on where it was checked out.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SourceFile } from '../language/source.js';
import { buildBundle, type BundleResult } from './bundle.js';

export const POLICY_EXTENSION = '.tiaoli';

/** The policies shipped with Tiaoli, found from this module whether it runs from source or dist/. */
export const SHIPPED_POLICIES = (() => {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return join(dir, 'policies');
})();

export function readPolicyDir(dir: string): SourceFile[] {
  const entries = readdirSync(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith(POLICY_EXTENSION))
    .map((e) => {
      const full = join(e.parentPath, e.name);
      return { path: relative(dir, full).split(sep).join('/'), text: readFileSync(full, 'utf8') };
    });
}

export function loadPolicyDir(dir: string = SHIPPED_POLICIES): BundleResult & { readonly sources: readonly SourceFile[] } {
  const sources = readPolicyDir(dir);
  return { ...buildBundle(sources), sources };
}
