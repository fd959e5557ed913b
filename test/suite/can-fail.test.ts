// The suite's own check that its assertions can fail: no length asserted to be at least 0, and no
// value compared with itself or with a spread copy of itself, in any test source (this one included).
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../', import.meta.url).pathname;

/** The text inside the bracket opened at `open` (the index of `(`), or undefined if it never closes. */
function inside(text: string, open: number): string | undefined {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) return text.slice(open + 1, i);
  }
  return undefined;
}

/** A value written without its spacing or a copying spread: `[...x]`, `{ ...x }` and `x` are one value. */
const plain = (v: string): string => v.replace(/\s+/g, '').replace(/^\[\.\.\.(.*)\]$/, '$1').replace(/^\{\.\.\.(.*)\}$/, '$1');

/** Each assertion of `text` that cannot fail, as `line: source`. */
export function cannotFail(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/\bexpect\(/g)) {
    const actual = inside(text, m.index + 'expect'.length);
    if (actual === undefined) continue;
    const rest = text.slice(m.index + 'expect('.length + actual.length + 1);
    const matcher = /^\s*((?:\.not)?\.(toEqual|toStrictEqual|toBe|toBeGreaterThanOrEqual|toBeGreaterThan))\(/.exec(rest);
    if (!matcher) continue;
    const expected = inside(rest, matcher[0].length - 1);
    if (expected === undefined) continue;
    const negated = matcher[1]!.startsWith('.not');
    const name = matcher[2]!;
    const always =
      ((name === 'toBeGreaterThanOrEqual' && plain(expected) === '0') || (name === 'toBeGreaterThan' && plain(expected) === '-1')) && /\.length$|\.size$/.test(plain(actual))
        ? !negated
        : ['toEqual', 'toStrictEqual', 'toBe'].includes(name) && plain(actual) === plain(expected);
    if (always) found.push(`${text.slice(0, m.index).split('\n').length}: ${text.slice(m.index, m.index + 'expect('.length + actual.length + 1 + matcher[0].length + expected.length + 1).replace(/\s+/g, ' ')}`);
  }
  return found;
}

describe('assertions that cannot fail', () => {
  it('are recognised: a length at least 0, a value compared with itself or its copy', () => {
    // The samples are put together from parts, so that this file holds none of them and is scanned like the rest.
    const e = 'expect';
    const atLeast = ['toBeGreaterThan', 'OrEqual'].join('');
    expect(cannotFail(`${e}(r.lines.length).${atLeast}(0);`)).toEqual([`1: ${e}(r.lines.length).${atLeast}(0)`]);
    expect(cannotFail(`${e}(s.size).toBeGreaterThan(-1);`)).toHaveLength(1);
    expect(cannotFail(`\n${e}([...KEYWORDS]).toEqual(KEYWORDS);`)).toEqual([`2: ${e}([...KEYWORDS]).toEqual(KEYWORDS)`]);
    expect(cannotFail(`${e}(f(a, b)).toStrictEqual(f(a,\n  b));`)).toHaveLength(1);
    expect(cannotFail(`${e}(x).toBe(x)`)).toHaveLength(1);
    // Assertions that can fail are left alone.
    expect(cannotFail(`${e}(r.lines.length).toBeGreaterThan(0); ${e}(fmt(x)).toBe(x); ${e}(x).not.toBe(y); ${e}(d.span.start.offset).${atLeast}(0)`)).toEqual([]);
  });

  it('are nowhere in the test sources', () => {
    const files = readdirSync(ROOT, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts') && !f.includes('node_modules'))
      .map((f) => join(ROOT, f));
    expect(files.length, 'the scan reads the test sources').toBeGreaterThan(50);
    const found = files.flatMap((f) => cannotFail(readFileSync(f, 'utf8')).map((hit) => `${relative(ROOT, f)}:${hit}`));
    expect(found).toEqual([]);
  });
});
