// No code injection: the generator writes a policy's strings into the constant table, never into
// source text, so a hostile string in a policy is data wherever it goes: a compared value, a name, a
// code, a field's key, an article's text.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { shippedVocabulary, vocabularySource } from '../helpers.js';
import { compile } from '../../engine/compile.js';
import { evaluate } from '../../engine/evaluate.js';
import { generate } from '../../engine/generate.js';
import { interpret } from '../../engine/reference/interpret.js';
import { buildBundle, decide, type Decision, type Event } from '../../engine/index.js';
import { parseDate, restDaysOf } from '../../language/calendar.js';
import { EMPTY_CALENDAR } from '../../language/check-calendar.js';
import type { CheckedArticle, CheckedBundle, CheckedDefinition, CheckedRegulation, CheckedRule } from '../../language/checked.js';
import { explain, renderExplanation } from '../../engine/explain.js';
import { format } from '../../language/format.js';

const HOSTILE = ['"); process.exit(1); //', "'); throw new Error('x'); //", '${process.exit(1)}', '`${1+1}`', '\\', '\u2028', '\u2029', '</script><script>alert(1)</script>', '\u0000'];
const root = new URL('../../', import.meta.url).pathname;

const quote = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

describe('hostile strings in a policy', () => {
  it.each(HOSTILE)('%j stays data: compared as a value, quoted as text, printed back unchanged', (hostile) => {
    const files = [
      vocabularySource(),
      { path: 'demo/regulation.tiaoli', text: `regulation demo title zh ${quote(hostile)} in force from 2020-01-01 articles 1\n` },
      {
        path: 'demo/article-1.tiaoli',
        text: `article 1 of demo version 1 in effect from 2020-01-01\nparagraph 1 zh ${quote(hostile)} en ${quote(hostile)}\nrule r cites demo article 1 on feature.launch when feature.id is ${quote(hostile)} then deny\n`,
      },
    ];
    const { policy, diagnostics } = buildBundle(files);
    expect(diagnostics).toEqual([]);
    const ev = { id: 'e', type: 'feature.launch' as const, occurredAt: '2021-01-01T00:00:00Z', provider: { id: 'p', services: [], businesses: [] }, feature: { id: hostile, deepSynthesis: false, mediaAttributes: false, socialMobilization: false } };
    const d = decide(policy!, ev) as Decision;
    expect(d.allowed).toBe(false);
    expect(d.trace[0]!.facts).toEqual({ 'feature.id': hostile });
    expect((decide(policy!, { ...ev, feature: { ...ev.feature, id: `${hostile}x` } }) as Decision).allowed).toBe(true);
    expect(renderExplanation(explain(policy!, ev), ev, 'en')).toContain(`“${hostile}”`);
    expect(JSON.parse(JSON.stringify(d))).toEqual(d);
    // The formatter prints it back quoted exactly as written, and the result means the same.
    const formatted = format(files[2]!).text!;
    expect(formatted.split(quote(hostile)).length - 1).toBe(3);
    const again = decide(buildBundle([files[0]!, files[1]!, { ...files[2]!, text: formatted }]).policy!, ev) as Decision;
    expect([again.allowed, again.trace[0]!.facts]).toEqual([false, { 'feature.id': hostile }]);
  });

  it('only the generator turns text into code', () => {
    const files = ['language', 'engine'].flatMap((dir) => readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts')).map((f) => join(root, dir, f)));
    // A method named eval (a Z3 model's, engine/analysis/) evaluates a term, not text.
    const making = files.filter((f) => /(?<!\.)\beval\(|new Function\(|\bFunction\(|vm\.run|runInNewContext/.test(readFileSync(f, 'utf8')));
    expect(making.map((f) => f.slice(root.length))).toEqual(['engine/generate.ts']);
  });
});

/** Text that means something in JavaScript source, in a string, a comment, a template or an object. */
const FRAGMENTS = ['"', "'", '`', '\\', '*/', '/*', '${', '}', '\u2028', '\u2029', '__proto__', 'constructor', '\n', '</script>', '\u0000', '); process.exit(1); //'];
/** A name JavaScript could read as an identifier: the generator may write those (vocabulary keys) in its source. */
const identifierLike = (s: string) => /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(s) && s !== '__proto__';
const hostile = fc
  .array(fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ unit: 'binary', maxLength: 6 })), { minLength: 1, maxLength: 4 })
  .map((parts) => parts.join(''))
  .filter((s) => s.length > 0 && !s.includes('.') && !identifierLike(s));
const N = 24;
const SPAN = { file: 'f', start: { offset: 0, line: 3, column: 1 }, end: { offset: 0, line: 3, column: 1 } };
const DAY = parseDate('2020-01-01')!;

/** A bundle whose every string a policy can set is `s[i]`: names, files, codes, compared values, field keys, the event type. */
function bundleOf(s: readonly string[]): { bundle: CheckedBundle; rule: CheckedRule; definitions: CheckedDefinition[] } {
  const str = { t: 'string' } as const;
  const definitions: CheckedDefinition[] = [{ name: s[3]!, file: s[2]!, span: SPAN, body: { k: 'cmp', op: '=', domain: 'string', left: { k: 'field', path: `${s[4]}.${s[5]}`, type: str }, right: { k: 'const', value: s[6]! } } }];
  const rule: CheckedRule = {
    id: s[7]!,
    name: s[8]!,
    regulation: s[0]!,
    article: 1,
    file: s[2]!,
    span: SPAN,
    citation: { regulation: s[0]!, article: 1, paragraph: 1 },
    on: [s[9]!],
    when: {
      k: 'all',
      items: [
        { k: 'ref', name: s[3]! },
        { k: 'oneOf', left: { k: 'field', path: `${s[4]}.${s[10]}`, type: str }, values: [s[11]!, s[12]!], negated: false },
        { k: 'has', mode: 'any', path: s[13]!, values: [s[14]!] },
        // Present first: `meets` asks the vocabulary of the reference, which has no such code.
        { k: 'any', items: [{ k: 'present', path: s[16]!, present: true }, { k: 'meets', path: s[13]!, code: s[15]!, accepted: [s[15]!] }] },
      ],
    },
    outcomes: [
      { k: 'deny' },
      { k: 'verification', code: s[17]! },
      { k: 'label', code: s[18]! },
      { k: 'disposal', code: s[19]! },
      { k: 'retain', record: s[20]!, period: { years: 0, months: 0, days: 1 }, periodText: s[21]!, from: { k: 'field', path: 'occurredAt', type: { t: 'timestamp' } } },
      { k: 'oblige', code: s[22]!, due: { k: 'date', day: DAY } },
    ],
  };
  const article: CheckedArticle = { file: s[2]!, regulation: s[0]!, article: 1, version: 1, from: DAY, paragraphs: [{ number: 1, zh: s[23]! }], rules: [rule] };
  const regulation: CheckedRegulation = { file: s[1]!, id: s[0]!, inForce: DAY, articleCount: 1 };
  return { bundle: { vocabulary: shippedVocabulary().vocabulary, calendar: EMPTY_CALENDAR, regulations: [regulation], articles: [article], definitions }, rule, definitions };
}

/** An event of the bundle's type that meets its rule or misses it by one fact. */
function eventOf(s: readonly string[], miss: number): Event {
  return {
    id: 'e',
    type: s[9]!,
    occurredAt: '2021-01-01T00:00:00Z',
    [s[4]!]: { [s[5]!]: miss === 1 ? `${s[6]}x` : s[6], [s[10]!]: miss === 2 ? `${s[12]}x` : s[12] },
    [s[13]!]: miss === 3 ? [] : [s[14]!, s[15]!],
    [s[16]!]: 1,
  } as unknown as Event;
}

describe('the generator, given hostile strings in every place a policy can put one', () => {
  it('writes the same source as for harmless ones: strings are constants, never code', () => {
    const harmless = Array.from({ length: N }, (_, i) => `#${i}`);
    const sourceOf = (s: readonly string[]) => {
      const { bundle, rule } = bundleOf(s);
      return generate(bundle, s[23]!, restDaysOf(EMPTY_CALENDAR), [{ consulted: [], rules: [rule], deletion: undefined }]).source;
    };
    const expected = sourceOf(harmless);
    fc.assert(
      fc.property(fc.uniqueArray(hostile, { minLength: N, maxLength: N }), (s) => {
        expect(sourceOf(s)).toBe(expected);
      }),
      { numRuns: 200 },
    );
  });

  it('decides as the reference interpreter does, the strings compared and shown as data', () => {
    fc.assert(
      fc.property(fc.uniqueArray(hostile, { minLength: N, maxLength: N }), fc.integer({ min: 0, max: 3 }), (s, miss) => {
        const { bundle } = bundleOf(s);
        const ev = eventOf(s, miss);
        const d = evaluate(compile(bundle, s[23]!), ev);
        expect(JSON.stringify(d)).toBe(JSON.stringify(interpret(bundle, s[23]!, ev)));
        expect(d.allowed).toBe(miss !== 0);
        if (miss === 0) expect([d.verification, d.labeling, d.disposal, d.trace[0]!.rule]).toEqual([[s[17]], [s[18]], [s[19]], s[7]]);
      }),
      { numRuns: 200 },
    );
  });
});
