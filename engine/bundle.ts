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

/**
 * A bundle checked beforehand, for the sources whose `key` (sourcesKey) it names: the command
 * line's of the shipped policies, written by the build beside it (scripts/bundle-cli.js), so that a
 * start need not parse them. Any other sources are parsed and checked as ever.
 */
export interface Prebuilt {
  readonly key: string;
  readonly checked: CheckedBundle;
  readonly diagnostics: readonly Diagnostic[];
}

/** What names a set of sources: the sha256 of each path and text, in order. */
export function sourcesKey(sources: readonly SourceFile[]): string {
  return sha256Of(sources.map((s) => `${s.path}\0${s.text}\0`).join(''));
}

export function buildBundle(sources: readonly SourceFile[], prebuilt?: Prebuilt): BundleResult {
  if (prebuilt !== undefined && prebuilt.key === sourcesKey(sources)) {
    const { checked, diagnostics } = prebuilt;
    return { ...(hasErrors(diagnostics) ? {} : { policy: compile(checked, digestOf(checked)) }), diagnostics, checked };
  }
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
  // JSON.stringify serialises what the replacer returns: each object as a copy with its keys in
  // order (the checked bundle's keys are field names, never integer-like, which objects would list first).
  return JSON.stringify(bundle, (key, v: unknown) => {
    if (key === 'span') return (v as { start: { line: number } }).start.line;
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    const sorted: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) sorted[k] = (v as Record<string, unknown>)[k];
    return sorted;
  });
}

// Node's own sha256 where there is one (several times faster at start); the playground's worker has @noble/hashes.
const nodeCrypto = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule?.('node:crypto') as typeof import('node:crypto') | undefined;

export const digestOf = (bundle: CheckedBundle): string => sha256Of(canonicalForm(bundle));

function sha256Of(text: string): string {
  return `sha256:${nodeCrypto ? nodeCrypto.createHash('sha256').update(text).digest('hex') : bytesToHex(sha256(utf8ToBytes(text)))}`;
}
