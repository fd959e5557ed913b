// A bundle's decision as Z3 terms over the event, mirroring engine/evaluate.ts: which rules fire,
// and the parts of the decision that are outcome. The trace and `policy` (articles consulted,
// digest) are provenance and are left out.
//
// A rule is held when the event's type is one it is for, its article version and regulation are in
// effect on the event's CST day (from ≤ day < until) and its condition holds. An outcome applies
// when held, except a `retain`: on the deletion event only if the record is of its kind and the day
// is within the period from the record's creation, elsewhere only if its `from` is known. A rule
// fires (is cited) when held and at least one of its outcomes applies. What each outcome means
// (its list, its code, when it refuses) is engine/outcomes.ts's.
import type { CheckedArticle, CheckedBundle, CheckedOutcome, CheckedRegulation, CheckedRule } from '../../language/checked.js';
import { restDaysOf } from '../../language/calendar.js';
import { citationText } from '../citation-text.js';
import { daysInForce } from '../compile.js';
import { deletionsOf, isCodeOutcome, LIST_OF, REFUSAL } from '../outcomes.js';
import { translator, type Translator } from './condition-smt.js';
import type { EventTerms, FieldTerm } from './event-smt.js';
import type { Arith, Bool } from './solver.js';

export interface OutcomeTerms {
  readonly outcome: CheckedOutcome;
  /** Whether it shows in the decision when its rule is held. */
  readonly applies: Bool;
  /** A retention's or obligation's entry in the decision. */
  readonly entry?: Entry;
}

export interface RuleTerms {
  readonly rule: CheckedRule;
  readonly article: CheckedArticle;
  readonly regulation: CheckedRegulation;
  readonly onType: Bool;
  readonly versionInEffect: Bool;
  readonly regulationInForce: Bool;
  readonly when: Bool;
  readonly held: Bool;
  readonly outcomes: readonly OutcomeTerms[];
  readonly fires: Bool;
  /** The days on which it applies: from ≤ day < until (Infinity when open). */
  readonly from: number;
  readonly until: number;
}

/**
 * A retention (group: record kind, tag: period, day: until) or an obligation (group: code, day: due
 * when it has one) that the decision lists when `present`.
 */
export interface Entry {
  readonly present: Bool;
  readonly group: string;
  readonly tag: string;
  readonly day: Arith;
  readonly dayPresent: Bool;
}

export interface DecisionTerms {
  /** The bundle's conditions and values, as the rules' terms were made. */
  readonly translate: Translator;
  readonly rules: readonly RuleTerms[];
  readonly allowed: Bool;
  /** Codes of `verification`, `labeling`, `disposal` and `citations`, by observable key, e.g. `disposal:warn`, `citations:live-2016 16.1`. */
  readonly members: ReadonlyMap<string, Bool>;
  readonly retention: readonly Entry[];
  readonly obligations: readonly Entry[];
}

export function decisionTerms(terms: EventTerms, bundle: CheckedBundle): DecisionTerms {
  const { z3, day, isType } = terms;
  const t = translator(terms, bundle.definitions, restDaysOf(bundle.calendar));
  // Each deletion event the vocabulary declares, with the deleted record's kind and creation day.
  const deletions = [...deletionsOf(bundle.vocabulary).values()].map((d) => ({
    deleting: isType(d.type),
    record: terms.fields.get(d.kind) as Extract<FieldTerm, { t: 'enum' }>,
    created: t.day({ k: 'field', path: d.createdAt, type: terms.vocab.fields.get(d.createdAt)!.type }),
  }));
  const regulations = new Map(bundle.regulations.map((r) => [r.id, r]));
  const within = (from: number, until: number | undefined): Bool => (until === undefined ? day.ge(from) : z3.And(day.ge(from), day.lt(until)));

  const rules: RuleTerms[] = [];
  const retention: Entry[] = [];
  const obligations: Entry[] = [];
  for (const article of bundle.articles) {
    const regulation = regulations.get(article.regulation);
    if (!regulation) continue;
    for (const rule of article.rules) {
      const onType = z3.Or(...rule.on.map(isType));
      const versionInEffect = within(article.from, article.until);
      const regulationInForce = within(regulation.inForce, regulation.repealed);
      const when = t.cond(rule.when);
      const held = z3.And(onType, versionInEffect, regulationInForce, when);
      const outcomes = rule.outcomes.map((outcome): OutcomeTerms => {
        if (outcome.k === 'retain') {
          const from = t.day(outcome.from);
          // Off a deletion it keeps from its `from`; on one, the record being deleted, if of its kind.
          let applies: Bool = from.present;
          let until: Arith = terms.calendar.shift(from.value, outcome.period, 1);
          for (const { deleting, record, created } of deletions) {
            const onDelete = terms.calendar.shift(created.value, outcome.period, 1);
            const kept = z3.And(record.present, record.value.eq(record.values.indexOf(outcome.record)), created.present, day.le(onDelete));
            applies = z3.If(deleting, kept, applies) as Bool;
            until = z3.If(deleting, onDelete, until) as Arith;
          }
          const entry = { present: z3.And(held, applies), group: outcome.record, tag: outcome.periodText, day: until, dayPresent: z3.Bool.val(true) };
          retention.push(entry);
          return { outcome, applies, entry };
        }
        const applies = z3.Bool.val(true);
        if (outcome.k === 'oblige') {
          const due = outcome.due ? t.day(outcome.due) : { present: z3.Bool.val(false), value: z3.Int.val(0) };
          const entry = { present: held, group: outcome.code, tag: '', day: due.value, dayPresent: due.present };
          obligations.push(entry);
          return { outcome, applies, entry };
        }
        return { outcome, applies };
      });
      const fires = z3.And(held, z3.Or(...outcomes.map((o) => o.applies)));
      rules.push({ rule, article, regulation, onType, versionInEffect, regulationInForce, when, held, outcomes, fires, ...daysInForce(article, regulation) });
    }
  }

  const members = new Map<string, Bool[]>();
  const note = (key: string, b: Bool) => members.set(key, [...(members.get(key) ?? []), b]);
  const refusing: Bool[] = [];
  for (const r of rules) {
    note(`citations:${citationText(r.rule.citation)}`, r.fires);
    for (const { outcome, applies } of r.outcomes) {
      const refusal = REFUSAL[outcome.k];
      // Every outcome but a retention applies whenever its rule is held.
      if (refusal === 'always') refusing.push(r.held);
      else if (refusal === 'deletion') for (const { deleting } of deletions) refusing.push(z3.And(deleting, r.held, applies));
      if (isCodeOutcome(outcome)) note(`${LIST_OF[outcome.k]}:${outcome.code}`, r.held);
    }
  }
  return {
    translate: t,
    rules,
    allowed: z3.Not(z3.Or(...refusing)),
    members: new Map([...members].map(([k, bs]) => [k, z3.Or(...bs)])),
    retention,
    obligations,
  };
}

/** Whether two entries of one group show the same in a decision. */
export function sameEntry(terms: EventTerms, a: Entry, b: Entry): Bool {
  const { z3 } = terms;
  if (a.tag !== b.tag) return z3.Bool.val(false);
  return z3.And(a.dayPresent.eq(b.dayPresent), z3.Implies(a.dayPresent, a.day.eq(b.day)));
}
