// A bundle: a set of policy files, parsed, checked and compiled, with the sha256 digest of its
// canonical form. The digest names a policy revision: the same rules give the same digest however
// the files were laid out on disk, and any change a decision could show changes it.
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import type { CheckedBundle } from '../language/checked.js';
import { hasErrors, type Diagnostic } from '../language/diagnostics.js';
import { snapshot, type Snapshot } from '../language/services/workspace.js';
import type { SourceFile } from '../language/source.js';
import { compile, type CompiledPolicy } from './compile.js';

export interface BundleResult {
  /** Present only when no diagnostic is an error. */
  readonly policy?: CompiledPolicy;
  readonly diagnostics: readonly Diagnostic[];
  /** The checked bundle, best effort even with errors: what an editor resolves names against. */
  readonly checked: CheckedBundle;
}

export function buildBundle(sources: readonly SourceFile[]): BundleResult {
  const s = snapshot(sources);
  const policy = compileSnapshot(s);
  return { ...(policy ? { policy } : {}), diagnostics: s.diagnostics, checked: s.checked };
}

/** The policy of a checked snapshot, when it has no error: what an editor keeping its snapshot compiles. */
export function compileSnapshot(s: Snapshot): CompiledPolicy | undefined {
  return hasErrors(s.diagnostics) ? undefined : compile(s.checked, digestOf(s.checked));
}

/** Parses and checks: all of building but compiling, and plain data (what a worker thread can hand back). */
export function checkSources(sources: readonly SourceFile[]): { readonly diagnostics: readonly Diagnostic[]; readonly checked: CheckedBundle } {
  const { diagnostics, checked } = snapshot(sources);
  return { diagnostics, checked };
}

/** The canonical form: the checked bundle as sorted-key JSON, spans reduced to the line a trace shows. */
export function canonicalForm(bundle: CheckedBundle): string {
  return stableStringify(bundle, (key, v) => (key === 'span' ? (v as { start: { line: number } }).start.line : v));
}

export function digestOf(bundle: CheckedBundle): string {
  return `sha256:${bytesToHex(sha256(utf8ToBytes(canonicalForm(bundle))))}`;
}

function stableStringify(v: unknown, replace: (key: string, v: unknown) => unknown, key = ''): string {
  const r = replace(key, v);
  if (Array.isArray(r)) return `[${r.map((x) => stableStringify(x, replace)).join(',')}]`;
  if (r !== null && typeof r === 'object') {
    const entries = Object.entries(r)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${stableStringify(x, replace, k)}`).join(',')}}`;
  }
  // Infinity never occurs in a checked bundle; numbers, strings and booleans print as JSON.
  return JSON.stringify(r);
}
