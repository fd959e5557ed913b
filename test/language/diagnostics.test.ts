// The checker's diagnostics: each kind of mistake yields its code at the right place, with help.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildBundle, readPolicyDir, SHIPPED_POLICIES } from '../../engine/index.js';
import { DIAGNOSTICS, type Diagnostic } from '../../language/diagnostics.js';
import { format } from '../../language/format.js';
import type { SourceFile } from '../../language/source.js';

const shipped = readPolicyDir(SHIPPED_POLICIES);
const REGULATION = shipped.find((s) => s.path === 'live-2016/regulation.tiaoli')!;

/** The shipped bundle with one file replaced (or added). */
function bundleWith(path: string, text: string): Diagnostic[] {
  const files = shipped.filter((s) => s.path !== path).concat({ path, text });
  return [...buildBundle(files).diagnostics];
}

const header = 'article 12 of live-2016\nversion 1 in effect from 2016-12-01\nparagraph 1 zh "……"\nparagraph 2 zh "……"\n';
const ARTICLE_12 = 'live-2016/article-12.tiaoli';

const at = (d: Diagnostic) => `${d.span.start.line}:${d.span.start.column}`;

describe('a file with three different mistakes', () => {
  const text = `${header}
rule phone
  cites live-2016 article 12 paragraph 1
  on account.register
  when not actor.verifed meets phone_number
  then require verification phone_number

rule identity
  cites live-2016 article 12 paragraph 1
  on content.publish
  when actor.verified has identity_doc
  then deny

rule uncited
  on identity.disclosure
  then deny
`;
  const ds = bundleWith(ARTICLE_12, text).filter((d) => d.span.file === ARTICLE_12);

  it('yields three diagnostics, each at its line:column with help', () => {
    expect(ds.map((d) => [d.code, at(d)])).toEqual([
      ['TL050', '9:12'],
      ['TL051', '15:27'],
      ['TL040', '18:6'],
    ]);
    for (const d of ds) expect(d.help.length).toBeGreaterThan(10);
  });

  it('suggests the field and value that were meant', () => {
    expect(ds[0]!.message).toBe('the event has no field actor.verifed');
    expect(ds[0]!.help).toBe('did you mean `actor.verified`?');
    expect(ds[1]!.message).toContain('identity_doc');
    expect(ds[1]!.help).toBe('did you mean `identity_document`?');
    expect(ds[2]!.help).toContain('cites live-2016 article 12 paragraph 1');
  });
});

/** One injected mistake per diagnostic the checker can give, and the code it must produce (from the formatter when a row says so). */
const injections: [string, string, SourceFile[], ((files: SourceFile[]) => readonly Diagnostic[])?][] = [
  ['TL001', 'unexpected character', [{ path: ARTICLE_12, text: `${header}rule r cites live-2016 article 12 on content.publish when actor.blacklisted @ then deny\n` }]],
  ['TL002', 'syntax error', [{ path: ARTICLE_12, text: `${header}rule r cites live-2016 article 12 on content.publish when then deny\n` }]],
  ['TL003', 'invalid date', [{ path: ARTICLE_12, text: header.replace('2016-12-01', '2016-02-30') + 'non-operative because "x"\n' }]],
  ['TL004', 'invalid period', [{ path: ARTICLE_12, text: `${header}rule r cites live-2016 article 12 on content.publish then retain content_and_logs for PT1H from occurredAt\n` }]],
  ['TL005', 'bad escape', [{ path: ARTICLE_12, text: header.replace('"……"', '"\\n"') + 'non-operative because "x"\n' }]],
  ['TL010', 'unknown regulation', [{ path: ARTICLE_12, text: header.replace('of live-2016', 'of live-2017') + 'non-operative because "x"\n' }]],
  ['TL011', 'article out of range', [{ path: 'live-2016/article-21.tiaoli', text: header.replace('article 12', 'article 21') + 'non-operative because "x"\n' }]],
  ['TL012', 'overlapping versions', [{ path: 'live-2016/article-12.v2.tiaoli', text: header.replace('version 1 in effect from 2016-12-01', 'version 2 in effect from 2018-01-01') + 'non-operative because "x"\n' }]],
  ['TL013', 'duplicate version', [{ path: 'live-2016/article-12.v2.tiaoli', text: header + 'non-operative because "x"\n' }]],
  ['TL014', 'duplicate regulation', [{ path: 'live-2016/regulation-copy.tiaoli', text: REGULATION.text }]],
  ['TL015', 'empty period', [{ path: ARTICLE_12, text: header.replace('2016-12-01', '2016-12-01 until 2016-01-01') + 'non-operative because "x"\n' }]],
  ['TL016', 'duplicate paragraph', [{ path: ARTICLE_12, text: header.replace('paragraph 2', 'paragraph 1') + 'non-operative because "x"\n' }]],
  ['TL017', 'article unaccounted', [{ path: ARTICLE_12, text: header }]],
  ['TL018', 'non-operative with rules', [{ path: ARTICLE_12, text: `${header}non-operative because "x"\nrule r cites live-2016 article 12 on content.publish then deny\n` }]],
  ['TL019', 'version before regulation', [{ path: ARTICLE_12, text: header.replace('2016-12-01', '2016-01-01') + 'non-operative because "x"\n' }]],
  ['TL020', 'no paragraphs', [{ path: ARTICLE_12, text: 'article 12 of live-2016 version 1 in effect from 2016-12-01\nnon-operative because "x"\n' }]],
  ['TL021', 'missing article', [{ path: ARTICLE_12, text: '' }]],
  ['TL030', 'duplicate definition', [{ path: ARTICLE_12, text: `${header}non-operative because "x"\ndefine live-provider as actor.blacklisted\n` }]],
  ['TL031', 'unknown name', [{ path: ARTICLE_12, text: `${header}rule r cites live-2016 article 12 on content.publish when live-provder then deny\n` }]],
  ['TL032', 'definition cycle', [{ path: ARTICLE_12, text: `${header}non-operative because "x"\ndefine a1 as b1\ndefine b1 as a1\n` }]],
  ['TL033', 'duplicate rule', [{ path: ARTICLE_12, text: `${header}rule r cites live-2016 article 12 on content.publish then deny\nrule r cites live-2016 article 12 on content.publish then deny\n` }]],
  ['TL040', 'missing citation', [{ path: ARTICLE_12, text: `${header}rule r on content.publish then deny\n` }]],
  ['TL041', 'cited article missing', [{ path: ARTICLE_12, text: `${header}rule r cites live-2016 article 99 on content.publish then deny\n` }]],
  ['TL042', 'cited paragraph missing', [{ path: ARTICLE_12, text: `${header}rule r cites live-2016 article 12 paragraph 3 on content.publish then deny\n` }]],
  ['TL050', 'unknown field', [{ path: ARTICLE_12, text: `${header}rule r cites live-2016 article 12 on content.publish when content.kind is video then deny\n` }]],
  ['TL051', 'unknown value', [{ path: ARTICLE_12, text: `${header}rule r cites live-2016 article 12 on content.publish when content.form is movie then deny\n` }]],
  ['TL052', 'unknown event type', [{ path: ARTICLE_12, text: `${header}rule r cites live-2016 article 12 on content.publsh then deny\n` }]],
  ['TL053', 'type mismatch', [{ path: ARTICLE_12, text: `${header}rule r cites live-2016 article 12 on content.publish when actor.priorViolations before 2016-12-01 then deny\n` }]],
  ['TL054', 'unknown code', [{ path: ARTICLE_12, text: `${header}rule r cites live-2016 article 12 on content.publish then take scold\n` }]],
  ['TL055', 'not a condition', [{ path: ARTICLE_12, text: `${header}rule r cites live-2016 article 12 on content.publish when actor.role then deny\n` }]],
  ['TL057', 'duplicate event type', [{ path: ARTICLE_12, text: `${header}rule r cites live-2016 article 12 on content.publish, content.publish then deny\n` }]],
  ['TL060', 'formatting would drop text', [{ path: 'live-2016/regulation.tiaoli', text: REGULATION.text.replace('title en', 'title zh "twice" title en') }], (files) => files.flatMap((f) => format(f).diagnostics)],
];

describe('every diagnostic kind', () => {
  it.each(injections)('%s (%s)', (code, _what, files, diagnose) => {
    const paths = new Set(files.map((f) => f.path));
    const ds = diagnose ? diagnose(files) : buildBundle(shipped.filter((s) => !paths.has(s.path)).concat(files.filter((f) => f.text !== ''))).diagnostics;
    expect(ds.map((d) => d.code)).toContain(code);
    const d = ds.find((x) => x.code === code)!;
    expect(d.span.start.line).toBeGreaterThan(0);
    expect(d.help).not.toBe('');
  });

  it('has a test for every entry of the table', () => {
    const tested = new Set(injections.map(([c]) => c));
    expect(Object.values(DIAGNOSTICS).map((e) => e.code).filter((c) => !tested.has(c))).toEqual([]);
  });

  it('codes are unique', () => {
    const codes = Object.values(DIAGNOSTICS).map((e) => e.code);
    expect(new Set(codes).size).toBe(codes.length);
  });
});

describe('mutated policy sources', () => {
  const sample = shipped.find((s) => s.path === ARTICLE_12)!;
  const mutation = fc.oneof(
    fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
    fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.string({ unit: 'grapheme', maxLength: 12 }) }),
    fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  );

  it('always give diagnostics with valid spans, never an exception', () => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (mutations) => {
        let text = sample.text;
        for (const m of mutations) {
          const at = m.at % (text.length + 1);
          text = m.kind === 'delete' ? text.slice(0, at) + text.slice(at + m.length) : m.kind === 'insert' ? text.slice(0, at) + m.text + text.slice(at) : text.slice(0, at);
        }
        const ds = bundleWith(ARTICLE_12, text);
        const lines = text.split('\n').length;
        for (const d of ds.filter((x) => x.span.file === ARTICLE_12)) {
          expect(d.span.start.line).toBeGreaterThanOrEqual(1);
          expect(d.span.start.line).toBeLessThanOrEqual(lines);
          expect(d.span.start.offset).toBeLessThanOrEqual(text.length);
          expect(d.message).not.toBe('');
        }
      }),
      { numRuns: 300 },
    );
  });
});
