// The CLI writes decisions with decisionJson: it must give JSON.stringify's bytes exactly.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decisionJson } from '../../engine/decision-json.js';
import { anyEvent, eventNear } from '../arbitraries.js';
import { decideShipped } from '../helpers.js';

describe('decisionJson', () => {
  it('gives the bytes JSON.stringify gives, for any decision', () => {
    const events = fc.oneof(anyEvent, eventNear(['2016-12-01', '2018-08-01', '2020-01-01'], ['P30D', 'P60D']));
    fc.assert(
      fc.property(events, fc.string({ unit: 'grapheme' }), (ev, id) => {
        for (const d of [decideShipped(ev), decideShipped({ ...ev, id: id || 'x' })]) expect(decisionJson(d)).toBe(JSON.stringify(d));
      }),
      { numRuns: 1000 },
    );
  });
});
