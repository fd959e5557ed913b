// Bundles for the analysis tests: the shipped policies with files replaced or edited, and Z3 loaded
// once per test file.
import { afterAll, beforeAll } from 'vitest';
import type { Z3 } from '../../engine/analysis/solver.js';
import { loadZ3, type LoadedZ3 } from '../../engine/analysis/z3-node.js';
import { buildBundle, readPolicyDir, SHIPPED_POLICIES, type CompiledPolicy } from '../../engine/index.js';
import { formatDiagnostic } from '../../language/diagnostics.js';
import type { SourceFile } from '../../language/source.js';

export const shippedFiles: readonly SourceFile[] = readPolicyDir(SHIPPED_POLICIES);

/** A replacement: `text` stands at `path` (null removes the file), or every `from` there becomes `to`. */
export type Edit = { readonly path: string; readonly text: string | null } | { readonly path: string; readonly from: string; readonly to: string };

/** The shipped policies with the edits made, compiled; throws when they do not compile or an edit does not apply. */
export function edited(...edits: readonly Edit[]): CompiledPolicy {
  let files = [...shippedFiles];
  for (const e of edits) {
    if ('text' in e) {
      files = files.filter((f) => f.path !== e.path).concat(e.text === null ? [] : [{ path: e.path, text: e.text }]);
      continue;
    }
    const f = files.find((x) => x.path === e.path);
    if (!f?.text.includes(e.from)) throw new Error(`${e.path} has no ${JSON.stringify(e.from)}`);
    files = files.map((x) => (x === f ? { ...x, text: x.text.replaceAll(e.from, e.to) } : x));
  }
  const built = buildBundle(files);
  if (!built.policy) throw new Error(built.diagnostics.map(formatDiagnostic).join('\n'));
  return built.policy;
}

/** Z3, loaded before the file's tests and closed after them. */
export function useZ3(): () => Z3 {
  let loaded: LoadedZ3 | undefined;
  beforeAll(async () => {
    loaded = await loadZ3();
  });
  afterAll(() => loaded?.close());
  return () => loaded!.z3;
}
