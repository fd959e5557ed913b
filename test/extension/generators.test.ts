// The event generators draw from the vocabulary they are given: with the worked extension's, they
// generate its new event type and every field it adds, and every event they make is valid in it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadPolicyDir, validate } from '../../engine/index.js';
import { indexOf } from '../../language/vocabulary.js';
import { anyEventIn, eventNear } from '../arbitraries.js';
import { revision } from './revision.js';

const policy = loadPolicyDir(revision()).policy!;
const vocab = indexOf(policy.checked.vocabulary);

/** Every dotted path a value sits at in `v`, objects included. */
const paths = (v: unknown, prefix = ''): string[] =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.entries(v).flatMap(([k, x]) => [prefix + k, ...paths(x, `${prefix}${k}.`)]) : [];

describe('event generators over an extended vocabulary', () => {
  it.each([
    ['anyEventIn', anyEventIn(vocab)],
    ['eventNear', eventNear(['2021-01-01'], ['P7D'], ['tip.send'], vocab)],
  ])('%s: every event is valid in it, and together they carry every field it declares', (_, events) => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(events, (ev) => {
        const v = validate(policy.checked.vocabulary, ev);
        expect(v.ok, JSON.stringify(v)).toBe(true);
        seen.add(`type:${ev.type}`);
        for (const p of paths(ev)) seen.add(p);
      }),
      { numRuns: 400 },
    );
    const declared = [...vocab.fieldPaths, ...vocab.objects.keys(), ...vocab.eventTypes.map((t) => `type:${t}`)];
    expect(declared.filter((p) => !seen.has(p))).toEqual([]);
    expect(seen).toContain('tip.amount');
    expect(seen).toContain('actor.minor');
  });
});
