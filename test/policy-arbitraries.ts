// fast-check arbitraries of valid policy bundles: regulation and article files built as ASTs from the
// event vocabulary, with conditions and outcomes of every kind over fields of every type, printed
// by the formatter. They check without errors, so backends can be compared on them
// (test/properties/backends.test.ts). Dates come from DATES and periods from PERIODS, so events
// drawn around the same days (arbitraries.ts, `eventNear`) fall on both sides of each boundary.
import fc from 'fast-check';
import type * as A from '../language/ast.js';
import { print } from '../language/format.js';
import type { SourceFile, Span } from '../language/source.js';
import { KEYWORDS } from '../language/tokens.js';
import type { FieldType } from '../language/vocabulary.js';
import { calendarSource, shippedVocabulary, vocabularySource } from './helpers.js';

const { fields: FIELDS, codes: CODES, eventTypes: EVENT_TYPES, metBy: VERIFICATION_MET_BY } = shippedVocabulary();
const OBJECTS = [...shippedVocabulary().objects.keys()];

/** The days generated policies name: in-force dates, month ends, a leap day. */
export const DATES = ['2016-12-01', '2018-08-01', '2019-01-31', '2020-01-01', '2020-02-29', '2021-06-30'] as const;
export const PERIODS = ['P1D', 'P2W', 'P30D', 'P60D', 'P1M', 'P6M', 'P1Y'] as const;

const SPAN: Span = { file: '', start: { offset: 0, line: 1, column: 1 }, end: { offset: 0, line: 1, column: 1 } };
/** Items are printed in the order of their start offsets. */
const at = (offset: number): Span => ({ ...SPAN, start: { ...SPAN.start, offset }, end: { ...SPAN.end, offset } });
const name = (text: string): A.Name => ({ text, span: SPAN });
const num = (value: number): A.NumberNode => ({ value, span: SPAN });
const ref = (path: string): A.Ref => ({ kind: 'ref', path: path.split('.'), span: SPAN });
const literal = <T extends A.Literal['type']>(type: T, value: Extract<A.Literal, { type: T }>['value']) => ({ kind: 'literal', type, value, span: SPAN }) as A.Literal;

const paths = (t: FieldType['t']) => [...FIELDS.values()].filter((f) => f.type.t === t).map((f) => f.path);
const valuesOf = (path: string): readonly string[] => (FIELDS.get(path)!.type as { values: readonly string[] }).values;
const keywords = new Set<string>(KEYWORDS);

/** A value of an enum or set field: a bare word where it lexes as a name, else quoted (either way when both do). */
const word = (w: string): fc.Arbitrary<A.Operand> =>
  /^[a-z][a-z_]*$/.test(w) && !keywords.has(w) ? fc.constantFrom<A.Operand>(ref(w), literal('string', w)) : fc.constant(literal('string', w));
const wordOf = (path: string) => fc.constantFrom(...valuesOf(path)).chain(word);
/** A list's values: never none, since an empty list is refused (TL056). */
const wordsOf = (path: string) => fc.array(wordOf(path), { minLength: 1, maxLength: 3 });

const date = fc.constantFrom(...DATES).map((d) => literal('date', d));
/**
 * A date or time: a field, a date, either moved by up to two periods; a field's then maybe moved past
 * rest days (a date's could leave the calendar's years, which the checker refuses: TL088).
 */
const temporal: fc.Arbitrary<A.Operand> = fc
  .tuple(
    fc.oneof(fc.constantFrom(...paths('date'), ...paths('timestamp')).map(ref), date),
    fc.array(fc.record({ sign: fc.constantFrom(1 as const, -1 as const), period: fc.constantFrom(...PERIODS) }), { maxLength: 2 }),
    fc.boolean(),
  )
  .map(([base, shifts, moved]) => {
    const shifted = shifts.reduce<A.Operand>((b, s) => ({ kind: 'shift', base: b, sign: s.sign, period: { text: s.period, span: SPAN }, span: SPAN }), base);
    return moved && base.kind === 'ref' ? { kind: 'moved', base: shifted, span: SPAN } : shifted;
  });

const IDS = ['p-1', 'a-1', 'c-1', 'f-1', 'ev-1'];
const compare = (op: fc.Arbitrary<A.CompareOp>, l: fc.Arbitrary<A.Operand>, r: fc.Arbitrary<A.Operand>): fc.Arbitrary<A.Condition> =>
  fc.tuple(op, l, r, fc.boolean()).map(([o, a, b, swap]) => ({ kind: 'compare', op: o, left: swap ? b : a, right: swap ? a : b, span: SPAN }));
const anyOp = fc.constantFrom<A.CompareOp>('=', '!=', '<', '<=', '>', '>=');
const eqOp = fc.constantFrom<A.CompareOp>('=', '!=');

const enumField = fc.constantFrom(...paths('enum'));
const setField = fc.constantFrom(...paths('set'));

/** A leaf condition over any field, object or defined term in `defined`. */
const leaf = (defined: readonly string[]): fc.Arbitrary<A.Condition> => {
  const truth = (o: fc.Arbitrary<A.Operand>) => o.map((operand): A.Condition => ({ kind: 'truth', operand, span: SPAN }));
  return fc.oneof(
    truth(fc.constantFrom(...paths('bool')).map(ref)),
    truth(fc.boolean().map((b) => literal('bool', b))),
    ...(defined.length > 0 ? [truth(fc.constantFrom(...defined).map(ref))] : []),
    compare(anyOp, temporal, temporal),
    compare(anyOp, fc.constant(ref('actor.priorViolations')), fc.oneof(fc.nat({ max: 4 }).map((n) => literal('int', n)), fc.constant(ref('actor.priorViolations')))),
    compare(eqOp, fc.constantFrom(...paths('string')).map(ref), fc.oneof(fc.constantFrom(...IDS).map((s) => literal('string', s)), fc.constantFrom(...paths('string')).map(ref))),
    compare(eqOp, fc.constantFrom(...paths('bool')).map(ref), fc.oneof(fc.boolean().map((b) => literal('bool', b)), fc.constantFrom(...paths('bool')).map(ref))),
    // Only an enum: `is` on a set would compare the whole set with one value (refused, TL053).
    fc.tuple(enumField, eqOp, fc.boolean()).chain(([p, op, swap]) =>
      wordOf(p).map((w): A.Condition => ({ kind: 'compare', op, left: swap ? w : ref(p), right: swap ? ref(p) : w, span: SPAN })),
    ),
    fc.tuple(fc.constantFrom(...FIELDS.keys(), ...OBJECTS), fc.boolean()).map(([p, present]): A.Condition => ({ kind: 'present', operand: ref(p), present, span: SPAN })),
    fc.tuple(enumField, fc.boolean()).chain(([p, negated]) => wordsOf(p).map((values): A.Condition => ({ kind: 'oneOf', operand: ref(p), values, negated, span: SPAN }))),
    fc.tuple(fc.array(fc.nat({ max: 4 }), { minLength: 1, maxLength: 3 }), fc.boolean()).map(([ns, negated]): A.Condition => ({
      kind: 'oneOf', operand: ref('actor.priorViolations'), values: ns.map((n) => literal('int', n)), negated, span: SPAN,
    })),
    fc.tuple(fc.constantFrom(...paths('string')), fc.subarray(IDS, { minLength: 1, maxLength: 3 }), fc.boolean()).map(([p, ids, negated]): A.Condition => ({
      kind: 'oneOf', operand: ref(p), values: ids.map((s) => literal('string', s)), negated, span: SPAN,
    })),
    setField.chain((p) => wordOf(p).map((v): A.Condition => ({ kind: 'has', mode: 'one', operand: ref(p), values: [v], span: SPAN }))),
    fc.tuple(setField, fc.constantFrom<A.HasMode>('any', 'all')).chain(([p, mode]) => wordsOf(p).map((values): A.Condition => ({ kind: 'has', mode, operand: ref(p), values, span: SPAN }))),
    fc.constantFrom(...Object.keys(VERIFICATION_MET_BY)).map((code): A.Condition => ({ kind: 'meets', operand: ref('actor.verified'), code: name(code), span: SPAN })),
  );
};

/** Conditions as the parser builds them (`and`/`or` of two or more), over the terms in `defined`. */
export const condition = (defined: readonly string[]): fc.Arbitrary<A.Condition> =>
  fc.letrec<{ c: A.Condition }>((tie) => ({
    c: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf(defined),
      fc.array(tie('c'), { minLength: 2, maxLength: 3 }).map((items): A.Condition => ({ kind: 'all', items, span: SPAN })),
      fc.array(tie('c'), { minLength: 2, maxLength: 3 }).map((items): A.Condition => ({ kind: 'any', items, span: SPAN })),
      tie('c').map((item): A.Condition => ({ kind: 'not', item, span: SPAN })),
    ),
  })).c;

const code = (list: readonly string[]) => fc.constantFrom(...list).map(name);
const outcome: fc.Arbitrary<A.Outcome> = fc.oneof(
  fc.constant<A.Outcome>({ kind: 'deny', span: SPAN }),
  code(CODES.verification).map((c): A.Outcome => ({ kind: 'verification', code: c, span: SPAN })),
  code(CODES.label).map((c): A.Outcome => ({ kind: 'label', code: c, span: SPAN })),
  code(CODES.disposal).map((c): A.Outcome => ({ kind: 'disposal', code: c, span: SPAN })),
  fc.tuple(code(CODES.record), fc.constantFrom(...PERIODS), temporal).map(([record, p, from]): A.Outcome => ({ kind: 'retain', record, period: { text: p, span: SPAN }, from, span: SPAN })),
  fc.tuple(code(CODES.obligation), fc.option(temporal, { nil: undefined })).map(([c, due]): A.Outcome => ({ kind: 'oblige', code: c, due, span: SPAN })),
);

interface ArticlePlan {
  readonly paragraphs: number;
  /** Version start days as indexes into DATES, ascending: each version ends where the next starts. */
  readonly versions: readonly number[];
  readonly rules: readonly { readonly on: readonly string[]; readonly paragraph?: number; readonly when?: A.Condition; readonly outcomes: readonly A.Outcome[] }[][];
}

/** `minRules`: rules the first version has at least (every regulation needs one rule, TL023). */
const articlePlan = (defined: readonly string[], minRules = 0): fc.Arbitrary<ArticlePlan> =>
  fc
    .tuple(fc.integer({ min: 1, max: 2 }), fc.uniqueArray(fc.nat({ max: DATES.length - 1 }), { minLength: 1, maxLength: 2 }), fc.boolean())
    .chain(([paragraphs, starts, endsEarly]) => {
      const versions = [...starts].sort((a, b) => a - b);
      const rule = fc.record(
        {
          on: fc.uniqueArray(fc.constantFrom(...EVENT_TYPES), { minLength: 1, maxLength: 3 }),
          paragraph: fc.option(fc.integer({ min: 1, max: paragraphs }), { nil: undefined }),
          when: fc.option(condition(defined), { nil: undefined, freq: 6 }),
          outcomes: fc.array(outcome, { minLength: 1, maxLength: 3 }),
        },
        { requiredKeys: ['on', 'outcomes'] },
      );
      // An article with no rules is declared non-operative.
      const rules = fc.tuple(...versions.map((_, v) => fc.array(rule, { minLength: v === 0 ? minRules : 0, maxLength: 3 })));
      return rules.map((r) => ({ paragraphs, versions: endsEarly && versions.at(-1)! < DATES.length - 1 ? [...versions, -1] : versions, rules: r }));
    });

const REGULATIONS = ['reg-a', 'reg-b'];

/**
 * A valid bundle: one or two regulations, each with one to three articles (the first with a rule),
 * each article in one or two versions (an article may also end), with definitions (each may use the
 * ones before it) spread over the files. Returns the printed sources, ready for buildBundle.
 */
export const validBundle: fc.Arbitrary<SourceFile[]> = fc
  .tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 0, max: 3 }))
  .chain(([regCount, defCount]) => {
    const defined = Array.from({ length: defCount }, (_, i) => `term-${i + 1}`);
    return fc.record({
      definitions: fc.tuple(...defined.map((_, i) => condition(defined.slice(0, i)))),
      homes: fc.array(fc.nat(), { minLength: defCount, maxLength: defCount }),
      regulations: fc.array(
        fc.record({
          // Mostly in force early, so that most events fall inside some article's window.
          inForce: fc.nat({ max: 2 }),
          repealed: fc.option(fc.nat({ max: DATES.length - 1 }), { nil: undefined }),
          articles: fc.tuple(articlePlan(defined, 1), fc.array(articlePlan(defined), { maxLength: 2 })).map(([first, rest]) => [first, ...rest]),
        }),
        { minLength: regCount, maxLength: regCount },
      ),
    });
  })
  .map(({ definitions, homes, regulations }) => {
    const files: (A.RegulationFile | A.ArticleFile)[] = [];
    regulations.forEach((reg, r) => {
      const id = REGULATIONS[r]!;
      // A regulation is repealed only after it is in force.
      const repealed = reg.repealed !== undefined && reg.repealed > reg.inForce ? DATES[reg.repealed] : undefined;
      files.push({
        kind: 'regulation',
        path: `${id}/regulation.tiaoli`,
        id: name(id),
        titleZh: { value: `法规 ${id}`, span: SPAN },
        inForce: { text: DATES[reg.inForce]!, span: SPAN },
        repealed: repealed === undefined ? undefined : { text: repealed, span: SPAN },
        articleCount: num(reg.articles.length),
        definitions: [],
        span: SPAN,
      });
      reg.articles.forEach((plan, a) => {
        const article = a + 1;
        plan.rules.forEach((rules, v) => {
          const until = plan.versions[v + 1];
          const items = rules.map(
            (x, i): A.Rule => ({
              kind: 'rule',
              name: name(`rule-${i + 1}`),
              citation: { kind: 'citation', regulation: name(id), article: num(article), paragraph: x.paragraph === undefined ? undefined : num(x.paragraph), span: SPAN },
              on: x.on.map(name),
              when: x.when,
              outcomes: x.outcomes,
              span: at(100 + i),
            }),
          );
          files.push({
            kind: 'article',
            path: `${id}/article-${article}-v${v + 1}.tiaoli`,
            article: num(article),
            regulation: name(id),
            version: num(v + 1),
            from: { text: DATES[plan.versions[v]!]!, span: SPAN },
            until: until === undefined ? undefined : { text: until === -1 ? DATES.at(-1)! : DATES[until]!, span: SPAN },
            paragraphs: Array.from({ length: plan.paragraphs }, (_, p): A.Paragraph => ({ kind: 'paragraph', number: num(p + 1), zh: { value: `第${p + 1}款`, span: SPAN }, span: at(p + 1) })),
            nonOperative: items.length === 0 ? { value: 'nothing to decide', span: at(50) } : undefined,
            definitions: [],
            rules: items,
            span: SPAN,
          });
        });
      });
    });
    // Each definition lives in some file; definitions are global to the bundle.
    definitions.forEach((body, i) => {
      const f = files[homes[i]! % files.length]!;
      (f.definitions as A.Definition[]).push({ kind: 'definition', name: name(`term-${i + 1}`), body, span: at(200 + i) });
    });
    return [vocabularySource(), calendarSource(), ...files.map((f) => ({ path: f.path, text: print(f) }))];
  });

/**
 * A valid bundle and one regulation more, in force from the first date, whose two rules keep one record
 * kind for two different periods on the same event types: so decisions that keep a kind under several
 * periods are common, not left to the luck of the draw.
 */
export const bundleKeepingOneKindTwice: fc.Arbitrary<SourceFile[]> = fc
  .tuple(
    validBundle,
    code(CODES.record),
    fc.uniqueArray(fc.constantFrom(...PERIODS), { minLength: 2, maxLength: 2 }),
    fc.tuple(temporal, temporal),
    fc.uniqueArray(fc.constantFrom(...EVENT_TYPES), { minLength: 1, maxLength: 3 }),
  )
  .map(([sources, record, periods, froms, on]) => {
    const id = 'reg-k';
    const regulation: A.RegulationFile = {
      kind: 'regulation',
      path: `${id}/regulation.tiaoli`,
      id: name(id),
      titleZh: { value: `法规 ${id}`, span: SPAN },
      inForce: { text: DATES[0], span: SPAN },
      repealed: undefined,
      articleCount: num(1),
      definitions: [],
      span: SPAN,
    };
    const rules = periods.map(
      (period, i): A.Rule => ({
        kind: 'rule',
        name: name(`keep-${i + 1}`),
        citation: { kind: 'citation', regulation: name(id), article: num(1), paragraph: undefined, span: SPAN },
        on: on.map(name),
        when: undefined,
        outcomes: [{ kind: 'retain', record, period: { text: period, span: SPAN }, from: froms[i]!, span: SPAN }],
        span: at(100 + i),
      }),
    );
    const article: A.ArticleFile = {
      kind: 'article',
      path: `${id}/article-1-v1.tiaoli`,
      article: num(1),
      regulation: name(id),
      version: num(1),
      from: { text: DATES[0], span: SPAN },
      until: undefined,
      paragraphs: [{ kind: 'paragraph', number: num(1), zh: { value: '第1款', span: SPAN }, span: at(1) }],
      nonOperative: undefined,
      definitions: [],
      rules,
      span: SPAN,
    };
    return [...sources, ...[regulation, article].map((f) => ({ path: f.path, text: print(f) }))];
  });
