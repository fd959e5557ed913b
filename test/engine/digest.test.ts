// The digest names a policy revision, so its canonical form may never change by accident: every
// log and signed revision holds digests. It is held to the canonical form written plainly (sorted
// keys, recursively; spans as their first line), on the shipped bundle and on generated ones, and
// to the shipped bundle's digest as logs have it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalForm, checkSources, digestOf } from '../../engine/bundle.js';
import type { CheckedBundle } from '../../language/checked.js';
import { shippedPolicy } from '../helpers.js';
import { validBundle } from '../policy-arbitraries.js';

function plainly(v: unknown, key = ''): string {
  if (key === 'span') return String((v as { start: { line: number } }).start.line);
  if (Array.isArray(v)) return `[${v.map((x) => plainly(x)).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const keys = Object.keys(v)
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${plainly((v as Record<string, unknown>)[k], k)}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

describe('the canonical form and digest of a bundle', () => {
  it('is the sorted-key JSON of the checked bundle, for the shipped bundle and generated ones', () => {
    const shipped = shippedPolicy();
    expect(canonicalForm(shipped.checked)).toBe(plainly(shipped.checked));
    fc.assert(
      fc.property(validBundle, (sources) => {
        const { checked } = checkSources(sources);
        expect(canonicalForm(checked)).toBe(plainly(checked));
      }),
      { numRuns: 50 },
    );
  });

  it('is the sha256 of that text, as logs hold it', async () => {
    const { createHash } = await import('node:crypto');
    const checked: CheckedBundle = shippedPolicy().checked;
    expect(digestOf(checked)).toBe(`sha256:${createHash('sha256').update(plainly(checked)).digest('hex')}`);
  });
});
