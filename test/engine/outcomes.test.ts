// engine/outcomes.ts, the one statement of what outcomes mean, against the contract and against what
// the generated evaluator decides: over generated outcomes and events of every type, an outcome refuses exactly
// when `denies` says, shows in the list LIST_OF names with the code `codeOf` gives, and a retention
// on the deletion event protects the record being deleted through the end of its period.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { shows } from '../../engine/analysis/contradictions.js';
import { compile } from '../../engine/compile.js';
import { evaluate } from '../../engine/evaluate.js';
import type { Decision, Event } from '../../engine/index.js';
import { codeOf, codesIn, deletionsOf, denies, LIST_OF, protecting, type OutcomeKind } from '../../engine/outcomes.js';
import { addPeriod, parseDate, parsePeriod } from '../../language/calendar.js';
import { EMPTY_CALENDAR } from '../../language/check-calendar.js';
import type { CheckedArticle, CheckedBundle, CheckedOutcome, CheckedRegulation, CheckedRule, Value } from '../../language/checked.js';
import type { Span } from '../../language/source.js';
import { eventNear } from '../arbitraries.js';
import { shippedVocabulary } from '../helpers.js';
import { DATES, PERIODS } from '../policy-arbitraries.js';

const VOCABULARY = shippedVocabulary();
const DELETIONS = deletionsOf(VOCABULARY.vocabulary);
/** The contract's one deletion event. */
const DELETION = DELETIONS.get('record.delete')!;

const SPAN: Span = { file: 'demo/article-1.tiaoli', start: { offset: 0, line: 1, column: 1 }, end: { offset: 0, line: 1, column: 1 } };
const rule = (n: number, outcomes: readonly CheckedOutcome[]): CheckedRule => ({
  id: `demo/1/r${n}`,
  name: `r${n}`,
  regulation: 'demo',
  article: 1,
  file: SPAN.file,
  span: SPAN,
  citation: { regulation: 'demo', article: 1, paragraph: n + 1 },
  on: [...VOCABULARY.eventTypes],
  when: { k: 'always' },
  outcomes,
});
/** The decision when every one of `rules` holds: a bundle of them alone (no holidays), in force on every day events have. */
function decideHeld(ev: Event, ...rules: CheckedRule[]): Decision {
  const article: CheckedArticle = { file: SPAN.file, regulation: 'demo', article: 1, version: 1, from: ALWAYS, paragraphs: [], rules };
  const regulation: CheckedRegulation = { file: 'demo/regulation.tiaoli', id: 'demo', inForce: ALWAYS, articleCount: 1 };
  const bundle: CheckedBundle = { vocabulary: VOCABULARY.vocabulary, calendar: EMPTY_CALENDAR, regulations: [regulation], articles: [article], definitions: [] };
  return evaluate(compile(bundle, 'digest'), ev);
}
const ALWAYS = parseDate('1000-01-01')!;

/** A retention's start: the event's time, a date that may be absent, a fixed date. */
const from = fc.constantFrom<Value>(
  { k: 'field', path: 'occurredAt', type: { t: 'timestamp' } },
  { k: 'field', path: 'provider.launchedAt', type: { t: 'date' } },
  { k: 'date', day: parseDate('2018-08-01')! },
);
type Retain = Extract<CheckedOutcome, { k: 'retain' }>;
const retain = fc.record({ record: fc.constantFrom(...VOCABULARY.codes.record), periodText: fc.constantFrom(...PERIODS), from }).map(
  (r): Retain => ({ k: 'retain', record: r.record, period: parsePeriod(r.periodText)!, periodText: r.periodText, from: r.from }),
);
const outcome: fc.Arbitrary<CheckedOutcome> = fc.oneof(
  fc.constant<CheckedOutcome>({ k: 'deny' }),
  fc.constantFrom(...VOCABULARY.codes.verification).map((code): CheckedOutcome => ({ k: 'verification', code })),
  fc.constantFrom(...VOCABULARY.codes.label).map((code): CheckedOutcome => ({ k: 'label', code })),
  fc.constantFrom(...VOCABULARY.codes.disposal).map((code): CheckedOutcome => ({ k: 'disposal', code })),
  retain,
  fc.record({ code: fc.constantFrom(...VOCABULARY.codes.obligation), due: fc.option(from, { nil: undefined }) }).map((o): CheckedOutcome => ({ k: 'oblige', ...o })),
);
/** Events of every type, deletions often, around the days and periods the outcomes use. */
const anyType = eventNear(DATES, PERIODS, [DELETION.type as Event['type']]);
const rules = fc.array(fc.array(outcome, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 3 }).map((os) => os.map((o, i) => rule(i, o)));

/** The CST calendar day of an instant, computed apart from the engine: shift by +8 h. */
const cstDay = (timestamp: string): number => Math.floor((Date.parse(timestamp) + 8 * 3_600_000) / 86_400_000);

describe('the meaning of outcomes', () => {
  it('reads the deletion event and its record where the shipped vocabulary says, as the contract does', () => {
    expect([...DELETIONS.keys()]).toEqual(['record.delete']);
    expect([DELETION.kind, DELETION.createdAt]).toEqual(['record.kind', 'record.createdAt']);
    expect(VOCABULARY.requiredByType['record.delete']).toContain('record');
    expect(VOCABULARY.fields.get(DELETION.kind)?.type).toEqual({ t: 'enum', values: ['content_and_logs', 'network_logs'], enumeration: 'record_kind' });
    expect(VOCABULARY.fields.get(DELETION.createdAt)?.type).toEqual({ t: 'timestamp' });
  });

  it('fills the contract’s list for each kind, with its code', () => {
    expect(LIST_OF).toEqual({ verification: 'verification', label: 'labeling', disposal: 'disposal', retain: 'retention', oblige: 'obligations' });
    const retention: CheckedOutcome = { k: 'retain', record: 'network_logs', period: parsePeriod('P6M')!, periodText: 'P6M', from: { k: 'date', day: 0 } };
    expect([{ k: 'deny' }, { k: 'label', code: 'news_source' }, retention].map((o) => codeOf(o as CheckedOutcome))).toEqual([undefined, 'news_source', 'network_logs']);
  });

  it('refuses on a deny and a missing verification on every event type, on a retention only on deletion', () => {
    const kinds: Record<OutcomeKind, CheckedOutcome> = {
      deny: { k: 'deny' },
      verification: { k: 'verification', code: 'phone_number' },
      label: { k: 'label', code: 'news_source' },
      disposal: { k: 'disposal', code: 'warn' },
      retain: { k: 'retain', record: 'content_and_logs', period: parsePeriod('P60D')!, periodText: 'P60D', from: { k: 'date', day: 0 } },
      oblige: { k: 'oblige', code: 'handle_complaint' },
    };
    for (const type of VOCABULARY.eventTypes) {
      const refusing = Object.values(kinds).filter((o) => denies(o, DELETIONS.get(type))).map((o) => o.k);
      expect(refusing, type).toEqual(type === 'record.delete' ? ['deny', 'verification', 'retain'] : ['deny', 'verification']);
    }
  });

  it('`denies` agrees with what the evaluator does to `allowed`', () => {
    fc.assert(
      fc.property(rules, anyType, (rs, ev) => {
        const d = decideHeld(ev, ...rs);
        // A retention refuses only where it shows: it keeps nothing when it does not apply.
        const shown = (o: CheckedOutcome) => o.k !== 'retain' || d.retention.some((r) => r.record === o.record && r.period === o.periodText);
        expect(d.allowed).toBe(!rs.some((r) => r.outcomes.some((o) => denies(o, DELETIONS.get(ev.type)) && shown(o))));
      }),
      { numRuns: 1000 },
    );
  });

  it('an applying outcome shows in its list, by its code, and in no other list', () => {
    fc.assert(
      fc.property(outcome, anyType, (o, ev) => {
        const d = decideHeld(ev, rule(0, [o]));
        fc.pre(d.trace.length === 1);
        const list = o.k === 'deny' ? undefined : LIST_OF[o.k];
        for (const other of Object.values(LIST_OF)) expect(codesIn(d, other), other).toEqual(other === list ? [codeOf(o)] : []);
        expect(shows(d, { k: o.k, ...(list && { code: codeOf(o)! }) })).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('on deletion, a retention protects the record being deleted through the last day of its period, counted from its creation', () => {
    const deletions = anyType.filter((ev) => ev.type === DELETION.type);
    fc.assert(
      fc.property(retain, deletions, (o, ev) => {
        const d = decideHeld(ev, rule(0, [o]));
        const until = addPeriod(cstDay(ev.record!.createdAt), o.period);
        const kept = ev.record!.kind === o.record && cstDay(ev.occurredAt) <= until;
        expect(d.allowed).toBe(!kept);
        expect(d.retention.length).toBe(kept ? 1 : 0);
        expect(protecting(d, ev, DELETION)).toBe(kept ? d.retention[0] : undefined);
        if (kept) expect(parseDate(d.retention[0]!.until)).toBe(until);
      }),
      { numRuns: 1000 },
    );
  });
});
