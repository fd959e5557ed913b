// cstDayOf reads the usual form of a time itself; it must place every time on the day Date.parse does.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cstDayOf } from '../../language/calendar.js';
import { instant } from '../arbitraries.js';

const byDateParse = (s: string): number | undefined => {
  const ms = Date.parse(s);
  return Number.isNaN(ms) ? undefined : Math.floor((ms + 8 * 3_600_000) / 86_400_000);
};

/** Valid times (with fractions, around midnight), then a character or two changed. */
const times = fc
  .tuple(instant, fc.option(fc.stringMatching(/^\.\d{1,9}$/), { nil: '' }), fc.array(fc.tuple(fc.nat(), fc.constantFrom(...'0123456789-:.+TZtz 5')), { maxLength: 2 }))
  .map(([t, frac, edits]) => edits.reduce((s, [i, c]) => `${s.slice(0, i % s.length)}${c}${s.slice((i % s.length) + 1)}`, `${t.slice(0, 19)}${frac}${t.slice(19)}`));

describe('cstDayOf', () => {
  it('agrees with Date.parse on valid, nearly valid and arbitrary times', () => {
    fc.assert(
      fc.property(fc.oneof(times, fc.string({ maxLength: 30 }), fc.constantFrom('2016-11-30T15:59:59.9999999Z', '2016-12-31T23:59:60Z', '0000-01-01T00:00:00-23:59', '9999-12-31T23:59:59+00:00')), (s) => {
        expect(cstDayOf(s)).toBe(byDateParse(s));
      }),
      { numRuns: 20_000 },
    );
  });
});
