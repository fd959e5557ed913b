// The fast validator's date and time formats accept exactly what ajv-formats accepts.
import { fullFormats } from 'ajv-formats/dist/formats.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quickFormats } from '../../engine/formats.js';
import { instant } from '../arbitraries.js';

type Check = (s: string) => boolean;
const ours = (name: 'date' | 'date-time') => quickFormats[name].validate as Check;
const theirs = (name: 'date' | 'date-time') => (fullFormats[name] as { validate: Check }).validate;

/** A valid time or date, then a few characters changed to ones that matter to either parser. */
const near = (valid: fc.Arbitrary<string>) =>
  fc
    .tuple(valid, fc.array(fc.tuple(fc.nat(), fc.constantFrom(...'0123456789-:.+TtZz \u00a0\u20282x')), { maxLength: 3 }))
    .map(([s, edits]) => edits.reduce((t, [i, c]) => (t.length === 0 ? c : `${t.slice(0, i % t.length)}${c}${t.slice((i % t.length) + 1)}`), s));
const date = instant.map((t) => t.slice(0, 10));
const fraction = fc.tuple(instant, fc.stringMatching(/^\.\d{1,4}$/)).map(([t, f]) => `${t.slice(0, 19)}${f}${t.slice(19)}`);

describe('the quick date and time formats', () => {
  it.each(['date', 'date-time'] as const)('%s: agree with ajv-formats on valid, nearly valid and arbitrary strings', (name) => {
    const strings = fc.oneof(near(name === 'date' ? date : fc.oneof(instant, fraction)), fc.string({ maxLength: 32 }), fc.constantFrom('2016-12-31T23:59:60Z', '2016-12-31T15:59:60-08:00', '2020-02-29', '2019-02-29'));
    fc.assert(
      fc.property(strings, (s) => {
        expect(ours(name)(s)).toBe(theirs(name)(s));
      }),
      { numRuns: 20_000 },
    );
  });
});
