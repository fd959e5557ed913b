// Fuzzing policy sources: mutated shipped files and random token streams. The passes always return
// diagnostics with valid spans and never throw (linear time is checked by `npm run fuzz`).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildBundle, readPolicyDir, SHIPPED_POLICIES } from '../../engine/index.js';
import type { Diagnostic } from '../../language/diagnostics.js';
import { format } from '../../language/format.js';
import { codeFrame, LINE_BREAK, offsetAt, positionAt } from '../../language/source.js';
import { KEYWORDS } from '../../language/tokens.js';
import { PATHOLOGICAL, RUNS } from './generators.js';

const shipped = readPolicyDir(SHIPPED_POLICIES);

function expectValidSpans(text: string, path: string, ds: readonly Diagnostic[]): void {
  const lines = text.split(LINE_BREAK).length;
  for (const d of ds.filter((x) => x.span.file === path)) {
    expect(d.span.start.line).toBeGreaterThanOrEqual(1);
    expect(d.span.start.line).toBeLessThanOrEqual(lines);
    expect(d.span.start.offset).toBeGreaterThanOrEqual(0);
    expect(d.span.end.offset).toBeLessThanOrEqual(text.length + 1);
    expect(d.span.start.offset).toBeLessThanOrEqual(d.span.end.offset);
    expect(d.message).not.toBe('');
  }
}

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 80 }) }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 200 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.string({ unit: 'binary', maxLength: 16 }) }),
  fc.record({ kind: fc.constant('swap' as const), a: fc.nat(), b: fc.nat() }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never;

function mutate(text: string, m: Mutation): string {
  const at = (n: number) => n % (text.length + 1);
  switch (m.kind) {
    case 'delete':
      return text.slice(0, at(m.at)) + text.slice(at(m.at) + m.length);
    case 'duplicate':
      return text.slice(0, at(m.at) + m.length) + text.slice(at(m.at));
    case 'insert':
      return text.slice(0, at(m.at)) + m.text + text.slice(at(m.at));
    case 'truncate':
      return text.slice(0, at(m.at));
    case 'swap': {
      const words = text.split(/(\s+)/);
      const [i, j] = [m.a % words.length, m.b % words.length];
      [words[i], words[j]] = [words[j]!, words[i]!];
      return words.join('');
    }
  }
}

const token = fc.oneof(
  fc.constantFrom(...KEYWORDS),
  fc.constantFrom('(', ')', '[', ']', ',', '.', '<', '<=', '>', '>=', '"text"', '"open', '2016-12-01', '2016-02-30', 'P60D', 'PT1H', '12', 'live-2016', 'actor.verified', 'phone_number', '#c\n', '@'),
  fc.stringMatching(/^[a-z][a-z0-9_-]{0,8}$/),
);

describe('policy sources', () => {
  it('mutated shipped files give diagnostics with valid spans, never an exception', () => {
    fc.assert(
      fc.property(fc.constantFrom(...shipped), fc.array(mutation, { minLength: 1, maxLength: 5 }), (file, ms) => {
        const text = ms.reduce(mutate, file.text);
        const { diagnostics } = buildBundle(shipped.filter((s) => s.path !== file.path).concat({ path: file.path, text }));
        expectValidSpans(text, file.path, diagnostics);
        expectValidSpans(text, file.path, format({ path: file.path, text }).diagnostics);
      }),
      { numRuns: RUNS ? Math.floor(RUNS / 10) : 200 },
    );
  });

  it('count a lone \\r as a line end, as the lexer does (a case the fuzzer found)', () => {
    const file = shipped.find((s) => s.path === 'live-2016/article-09.tiaoli')!;
    // The file's text cut short, its first line ended by a lone \r: lexer and spans once disagreed.
    const text = `\r${file.text.slice(0, -60)}`;
    const { diagnostics } = buildBundle(shipped.filter((s) => s.path !== file.path).concat({ path: file.path, text }));
    const ours = diagnostics.filter((d) => d.span.file === file.path);
    expect(ours.length).toBeGreaterThan(0);
    expect(Math.max(...ours.map((d) => d.span.start.line))).toBe(text.split('\n').length + 1);
    expectValidSpans(text, file.path, diagnostics);
    // Positions from offsets and code frames count lines the lexer's way too.
    expect(positionAt('a\rb\r\nc', 2)).toEqual({ offset: 2, line: 2, column: 1 });
    expect(positionAt('a\rb\r\nc', 5)).toEqual({ offset: 5, line: 3, column: 1 });
    expect(codeFrame({ path: 'x', text: 'a\rbc\r\nd' }, { file: 'x', start: { offset: 2, line: 2, column: 1 }, end: { offset: 4, line: 2, column: 3 } })).toBe('2 | bc\n  | ^^');
  });

  it('give back the offset of a line and column, lines ending as positionAt ends them', () => {
    const text = fc.string({ unit: fc.constantFrom('a', '条', '\n', '\r', '\r\n', ' '), maxLength: 40 });
    fc.assert(
      fc.property(text, fc.nat(), (t, n) => {
        const offset = n % (t.length + 1);
        // Between the \r and the \n of a line break is no place a line and column name.
        fc.pre(!(t[offset - 1] === '\r' && t[offset] === '\n'));
        const { line, column } = positionAt(t, offset);
        expect(offsetAt(t, line, column)).toBe(offset);
      }),
      { numRuns: RUNS },
    );
    expect(offsetAt('ab\ncd', 9, 9)).toBe(5);
  });

  it('random token streams give diagnostics with valid spans, never an exception', () => {
    fc.assert(
      fc.property(fc.array(token, { maxLength: 120 }), (tokens) => {
        const text = tokens.join(' ');
        const path = 'live-2016/article-12.tiaoli';
        const { diagnostics } = buildBundle(shipped.filter((s) => s.path !== path).concat({ path, text }));
        expectValidSpans(text, path, diagnostics);
        expectValidSpans(text, path, format({ path, text }).diagnostics);
      }),
      { numRuns: RUNS ? Math.floor(RUNS / 10) : 200 },
    );
  });

  it.each(Object.entries(PATHOLOGICAL))('%s: diagnostics, no exception', (_, make) => {
    const text = make(20_000);
    expectValidSpans(text, 'x/a.tiaoli', buildBundle([{ path: 'x/a.tiaoli', text }]).diagnostics);
  });
});
