// A policy revision signed by whoever approved it: Ed25519 over the revision's canonical digest and
// the signer's name. `tiaoli sign` makes one; the service, given a public key, puts in force only a
// revision signed by it, and the log keeps the signature with the activation.
import type { KeyObject } from 'node:crypto';
import { keyId, signText, verifyText } from './keys.js';

export interface RevisionSignature {
  /** The revision's digest (`sha256:…`, engine/bundle.ts). */
  readonly digest: string;
  /** Who signed, as they named themselves (a person, a role): what the log records beside the key. */
  readonly signer: string;
  readonly keyId: string;
  /** Ed25519 over `revisionStatement`, base64. */
  readonly signature: string;
}

/** The bytes signed, one field a line. */
export const revisionStatement = (digest: string, signer: string): string => `tiaoli revision v1\ndigest ${digest}\nsigner ${signer}\n`;

export function signRevision(digest: string, signer: string, key: KeyObject): RevisionSignature {
  return { digest, signer, keyId: keyId(key), signature: signText(revisionStatement(digest, signer), key) };
}

/**
 * Why `s` does not put the revision of `digest` in force under `key`, or undefined when it does.
 * The signer's name is in the signed bytes, so it cannot be changed after signing.
 */
export function revisionSignatureProblem(s: RevisionSignature, digest: string, key: KeyObject): string | undefined {
  if (s.digest !== digest) return `the signature is for revision ${s.digest}, not for ${digest}, the one these policies compile to`;
  if (s.keyId !== keyId(key)) return `the signature is by key ${s.keyId}, not by the configured key ${keyId(key)}`;
  if (!verifyText(revisionStatement(s.digest, s.signer), s.signature, key)) return 'the signature does not verify: the digest, the signer or the signature was changed';
  return undefined;
}

/** A signature as sent or read from a file: its fields checked, or why not. */
export function revisionSignatureFrom(value: unknown): RevisionSignature | string {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'expected the JSON object tiaoli sign prints';
  const v = value as Record<string, unknown>;
  for (const name of ['digest', 'signer', 'keyId', 'signature'] as const) {
    if (typeof v[name] !== 'string' || v[name] === '') return `${name}: expected a string, as tiaoli sign prints it`;
  }
  // A line break in the name would let one statement read as another.
  if (/[\n\r]/.test(v['signer'] as string)) return 'signer: one line';
  const { digest, signer, keyId: id, signature } = v as unknown as RevisionSignature;
  return { digest, signer, keyId: id, signature };
}
