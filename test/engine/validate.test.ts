// The quick check of events (engine/validate.ts `quickCheck`) against the full validation (the
// reserved-key scan, ajv, the calendar): it accepts every valid event, and accepts nothing the full
// validation refuses, whatever the input — bad events, any value at any field, objects that are not
// plain. Its no is only ever a cue to validate fully, so only a yes can be wrong.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { eventSchema } from '../../engine/schema/event.js';
import { eventValidator, quickCheck } from '../../engine/validate.js';
import { anyEvent } from '../arbitraries.js';
import { badEvent } from '../fuzz/generators.js';
import { shippedVocabulary } from '../helpers.js';

const VOCABULARY = shippedVocabulary();
const quick = quickCheck(eventSchema(VOCABULARY.vocabulary))!;
const full = eventValidator(VOCABULARY.vocabulary, { quick: false });
const PATHS = [...VOCABULARY.fields.keys(), ...VOCABULARY.objects.keys()];
/** Each set's first value twice: every item allowed, the set not a set. */
const TWICE = [...VOCABULARY.fields.values()].flatMap((f) => (f.type.t === 'set' ? [[f.type.values[0], f.type.values[0]]] : []));

/** `ev` with `value` at `path` (its object made if absent). */
function withValue(ev: unknown, path: string, value: unknown): unknown {
  const o = structuredClone(ev) as Record<string, unknown>;
  const keys = path.split('.');
  let at = o;
  for (const k of keys.slice(0, -1)) at = (at[k] = at[k] !== null && typeof at[k] === 'object' ? at[k] : {}) as Record<string, unknown>;
  at[keys.at(-1)!] = value;
  return o;
}

const agrees = (input: unknown): void => {
  if (quick(input)) expect(full(input), JSON.stringify(input)?.slice(0, 300)).toEqual({ ok: true, event: input });
};

describe('the quick check of events', () => {
  it('is built for the shipped vocabulary', () => {
    expect(typeof quick).toBe('function');
  });

  it('accepts every valid event, as the full validation does', () => {
    fc.assert(
      fc.property(anyEvent, (ev) => {
        expect(full(ev).ok).toBe(true);
        expect(quick(ev)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('accepts no bad event', () => {
    fc.assert(fc.property(badEvent, (bad) => agrees(JSON.parse(bad.json))), { numRuns: 500 });
  });

  it('accepts nothing the full validation refuses, with any value at any field', () => {
    const value = fc.oneof(fc.anything({ maxDepth: 3 }), fc.constantFrom('', '\ud800', '2019-02-29', '2016-12-31T23:59:60Z', '0999-12-31', '9000-01-01T00:00:00Z', 1.5, -1, 2 ** 53, Infinity, NaN, null, [], ['a', 'a'], {}, ...TWICE));
    fc.assert(fc.property(anyEvent, fc.constantFrom(...PATHS), value, (ev, path, v) => agrees(withValue(ev, path, v))), { numRuns: 3000 });
  });

  it('leaves objects with a prototype of their own, and arrays with more than items, to the full validation', () => {
    fc.assert(
      fc.property(anyEvent, (ev) => {
        const inherited = Object.assign(Object.create({ provider: 5 }), ev);
        expect(quick(inherited)).toBe(false);
        const set = withValue(ev, 'actor.verified', Object.assign(['phone_number'], { extra: { __proto__: null } }));
        expect(quick(set)).toBe(false);
        [inherited, set].forEach(agrees);
      }),
      { numRuns: 100 },
    );
  });

  it('is not built for a schema with a keyword it does not know', () => {
    expect(quickCheck({ ...eventSchema(VOCABULARY.vocabulary), additionalProperties: false })).toBeUndefined();
  });
});
