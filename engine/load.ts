// Reading a policy directory from disk (Node only): every *.tiaoli file below it, and its policy tests,
// named by their paths relative to the directory, so a bundle's digest does not depend on where it was
// checked out.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SourceFile } from '../language/source.js';
import { buildBundle, type BundleResult } from './bundle.js';
import { FIXTURES_FILE, POLICY_EXTENSION, TEST_SUFFIX } from './files.js';
import type { TestSource } from './policy-tests.js';

/** The package's root directory, found from this module whether it runs from source or dist/. */
export const PACKAGE_ROOT = (() => {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
})();

/** The policies shipped with Tiaoli. */
export const SHIPPED_POLICIES = join(PACKAGE_ROOT, 'policies');

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

export interface TestFiles {
  readonly tests: TestSource[];
  readonly fixtures: TestSource[];
}

/** Policy test files under `path` (a file or a directory), named relative to the policy directory. */
export function readTestFiles(policyDir: string, path: string = policyDir): TestFiles {
  const files = statSync(path).isDirectory()
    ? readdirSync(path, { recursive: true, encoding: 'utf8' }).map((f) => join(path, f))
    : [path];
  const read = (f: string): TestSource => ({ path: relative(policyDir, f).split(sep).join('/'), text: readFileSync(f, 'utf8') });
  const fixtures = readdirSync(policyDir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith(FIXTURES_FILE))
    .map((f) => read(join(policyDir, f)));
  return { tests: files.filter((f) => f.endsWith(TEST_SUFFIX)).sort().map(read), fixtures };
}
