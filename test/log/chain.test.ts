// The bulk hashing of the chain (ChainHasher, what appends and verify use) against its one
// definition (entryLeaf, chainHash): the same hashes for any entry, text of any script included,
// and buffers reused across entries of any size.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chainEntries, chainHash, ChainHasher, EMPTY_HEAD, entryLeaf, leafHead, rechain } from '../../engine/log/chain.js';

const runs = Number(process.env['FUZZ_RUNS'] ?? 200);
// Whole code points, astral ones and U+0000 included: a UTF-16 string that JSON.stringify would give.
const text = fc.string({ unit: 'grapheme', maxLength: 40 });
const column = fc.record({
  format: fc.constantFrom(1, 2),
  seq: fc.integer({ min: 1, max: 2 ** 40 }),
  event_id: text,
  type: text,
  occurred_at: text,
  occurred_ms: fc.integer({ min: -(2 ** 45), max: 2 ** 45 }),
  decided_at: text,
  digest: text,
});

describe('the chain hashed in bulk', () => {
  it('gives entryLeaf and chainHash for any entry, text of any script, one hasher for all', () => {
    const hasher = new ChainHasher();
    fc.assert(
      fc.property(column, fc.oneof(text, text.map((s) => s.repeat(3_000))), text, fc.uint8Array({ minLength: 32, maxLength: 32 }), (c, event, decision, previous) => {
        const leaf = entryLeaf({ ...c, event, decision });
        expect(Buffer.from(hasher.leaf(c, event, decision), 'binary')).toEqual(leaf);
        expect(hasher.link(Buffer.from(previous).toString('hex'), hasher.leaf(c, event, decision))).toBe(chainHash(Buffer.from(previous), leaf).toString('hex'));
      }),
      { numRuns: runs },
    );
  });

  it('opens an entry’s bytes with JSON.stringify’s text of its columns, whatever a row holds', () => {
    // Lone surrogates, quotes, backslashes, control characters; numbers as text, non-finite or absent; other types put in by hand.
    const odd = fc.oneof(fc.string({ unit: 'binary', maxLength: 12 }), fc.constantFrom('"', '\\', '\u0000', '\u001f', '\u2028', '\ud800', '\udfff', '\u00ff'), fc.double(), fc.constantFrom(undefined, null, true, -0, 'NaN', ''), fc.integer().map(String));
    const columns = fc.record({ format: odd, seq: odd, event_id: odd, type: odd, occurred_at: odd, occurred_ms: odd, decided_at: odd, digest: odd });
    fc.assert(
      fc.property(fc.oneof(column, columns), fc.nat(), fc.nat(), (c, e, d) => {
        const r = c as Parameters<typeof leafHead>[0];
        expect(leafHead(r, e, d)).toBe(JSON.stringify([Number(r.format), Number(r.seq), r.event_id, r.type, r.occurred_at, Number(r.occurred_ms), r.decided_at, r.digest, e, d]));
      }),
      { numRuns: runs * 5 },
    );
  });

  it('chains entries as rechain does', () => {
    const entries = ['a', '日志', '\u{1F600}'].map((s, i) => ({ eventId: `e-${s}`, type: 't', occurredAt: '2020-01-01T00:00:00Z', decidedAt: '2020-01-01T00:00:01Z', digest: 'd', event: { s }, decision: { i } }));
    const rows = chainEntries(EMPTY_HEAD, entries);
    expect(rows.map((r) => r.hash)).toEqual(rechain(EMPTY_HEAD.hash, rows).map((r) => r.hash));
    expect(new Set(rows.map((r) => r.hash)).size).toBe(3);
  });
});
