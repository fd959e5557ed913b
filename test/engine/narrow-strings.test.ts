// Names read from policy files that hold Chinese are kept one byte a character (language/lower.ts):
// decisions carry them into every JSON text, UTF-8 output and log hash, each of which costs several
// times as much for text held two bytes a character. V8's serializer tells the two forms apart
// (tag '"' for one byte a character, 'c' for two), which nothing else in the language shows.
import { serialize } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { buildBundle, decide, readPolicyDir, SHIPPED_POLICIES } from '../../engine/index.js';
import { eventMaker } from '../../scripts/bench-events.js';

const held = (s: string): 'one byte' | 'two bytes' => (serialize(s)[2] === 0x22 ? 'one byte' : 'two bytes');

function* strings(v: unknown, path: string): Generator<[string, string]> {
  if (typeof v === 'string') yield [path, v];
  else if (Array.isArray(v)) for (const x of v) yield* strings(x, `${path}[]`);
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) yield* strings(x, `${path}.${k}`);
}

describe('the strings of a decision', () => {
  it('are held one byte a character when they can be, with the policies compiled from files holding Chinese', () => {
    const sources = readPolicyDir(SHIPPED_POLICIES);
    // The premise: files whose text is held two bytes a character, as every slice of it would be.
    expect(sources.some((s) => /[^\x00-\xff]/.test(s.text))).toBe(true);
    const policy = buildBundle(sources).policy!;
    const next = eventMaker(3);
    const wide = new Map<string, string>();
    let seen = 0;
    for (let i = 0; i < 500; i++) {
      for (const [path, s] of strings(decide(policy, JSON.parse(JSON.stringify(next()))), '')) {
        seen++;
        if (!/[^\x00-\xff]/.test(s) && held(s) === 'two bytes') wide.set(path, s);
      }
    }
    expect(seen).toBeGreaterThan(10_000);
    expect(Object.fromEntries(wide)).toEqual({});
  });
});
