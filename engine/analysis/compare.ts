// Two revisions of the policies, compared with Z3 over every valid event: for each part of the
// decision that is outcome (allowed, each verification, label, disposal and citation, the
// retentions of each record kind, the obligations of each code), is there an event that the two
// decide differently? Unsat for every question is a proof that no event's decision changes; each
// sat answer gives one witness event for that kind of change, which the engine then decides under
// both revisions to confirm it. The trace and `policy` are provenance and not compared.
import { citationText } from '../citation-text.js';
import type { CompiledPolicy } from '../compile.js';
import { evaluate } from '../evaluate.js';
import type { Decision } from '../schema/decision.js';
import type { Event } from '../schema/event.js';
import { textConstants } from './condition-smt.js';
import { decisionTerms, sameEntry, type DecisionTerms, type Entry } from './decision-smt.js';
import { eventTerms, type EventTerms } from './event-smt.js';
import { Prover, type Bool, type Z3 } from './solver.js';
import { witnessEvent, witnessPreferences } from './witness.js';
import { articlesOf, changedRules, headline, lawyerPreferences, rulesBehind } from './lawyer.js';
import { glossaryOf, type Term } from '../../language/glossary.js';
import { indexOf } from '../../language/vocabulary.js';
import { validate } from '../validate.js';

export interface Difference {
  readonly field: string;
  readonly base: unknown;
  readonly head: unknown;
}

export interface Change {
  /** The part of the decision: `allowed`, `disposal:warn`, `citations:live-2016 16.1`, `retention:network_logs` … */
  readonly observable: string;
  /** How it changes, in words: `true → false`, `added`, `removed`, or the entries before and after. */
  readonly change: string;
  /** The part's value on the witness under base and under head: `allowed`'s boolean, whether a code or citation is there, a retention's or obligation's entries. */
  readonly before: unknown;
  readonly after: unknown;
  readonly witness: Event;
  readonly base: Decision;
  readonly head: Decision;
  /** The change in plain words, in Chinese and English: 「发布内容和日志信息保存期限：60 日 → 90 日，至 2019-05-30」. */
  readonly headline: Term;
  /** The articles of the changed rules behind it (`live-2016 16`): a report groups changes by them. */
  readonly articles: readonly string[];
  /** Every outcome field of the two decisions that differs on the witness. */
  readonly differences: readonly Difference[];
  /** The engine decides the witness differently, as Z3 said. False is a bug of the analysis. */
  readonly confirmed: boolean;
}

export interface Comparison {
  readonly changes: readonly Change[];
  /** Questions Z3 answered `unknown`: nothing is proved about them. */
  readonly undecided: readonly string[];
  /** Parts of the decision compared; those whose formulas are the same in both need no question. */
  readonly observables: number;
  readonly identical: number;
  readonly questions: number;
  readonly queries: number;
  readonly solverMs: number;
}

/** One question: can the observable differ so? `expect` gives its value under base and head. */
interface Question {
  readonly observable: string;
  readonly change: string;
  readonly differs: Bool;
  readonly expect?: readonly [boolean, boolean];
}

const OUTCOME_FIELDS = ['allowed', 'verification', 'labeling', 'disposal', 'retention', 'obligations', 'citations'] as const;

export interface CompareOptions {
  /** The policy tests' fixtures (partial events): a witness takes their values where they fit. */
  readonly fixtures?: readonly Record<string, unknown>[];
}

export async function compare(z3: Z3, base: CompiledPolicy, head: CompiledPolicy, options: CompareOptions = {}): Promise<Comparison> {
  const terms = eventTerms(z3, textConstants([base.checked, head.checked]), indexOf(head.checked.vocabulary));
  const { questions, observables, identical } = questionsOf(terms, decisionTerms(terms, base.checked), decisionTerms(terms, head.checked));
  // Events are drawn from the head's vocabulary, of the types both revisions declare: an event
  // type only one of them has is refused as invalid by the other, which no decision compares.
  const shared = indexOf(base.checked.vocabulary).eventTypes.filter((t) => indexOf(head.checked.vocabulary).events.has(t));
  const prover = new Prover(z3, [...terms.schema.map((s) => s.holds), shared.length > 0 ? z3.Or(...shared.map(terms.isType)) : z3.Bool.val(false)], terms.calendar);
  const prefer = witnessPreferences(terms);
  const changed = changedRules(base, head);
  const glossary = glossaryOf(head.checked.vocabulary);
  const changes: Change[] = [];
  const undecided: string[] = [];
  for (const q of questions) {
    const behind = rulesBehind(q.observable, changed);
    const answer = await prover.check([q.differs], [...lawyerPreferences(terms, head, behind, options.fixtures ?? []), ...prefer]);
    if (answer.status === 'unknown') undecided.push(`${q.observable} ${q.change}: ${answer.reason}`);
    if (answer.status !== 'sat') continue;
    const witness = witnessEvent(terms, answer.model);
    // Witness events have passed the head's schema already (witness.ts); the base's may differ
    // (a value only the head declares), and what it refuses is no change of decision.
    const refused = validate(base.checked.vocabulary, witness);
    if (!refused.ok) {
      undecided.push(`${q.observable} ${q.change}: the witness is not an event of the base's vocabulary (${refused.errors.map((e) => `${e.path} ${e.message}`).join('; ')})`);
      continue;
    }
    const [b, h] = [evaluate(base, witness), evaluate(head, witness)];
    const [pb, ph] = [part(b, q.observable), part(h, q.observable)];
    const event = head.checked.vocabulary.events.find((e) => e.type === witness.type)!;
    changes.push({
      headline: { zh: headline(glossary, event, q.observable, pb, ph, 'zh'), en: headline(glossary, event, q.observable, pb, ph, 'en') },
      articles: articlesOf(behind),
      observable: q.observable,
      change: q.expect ? q.change : `${describePart(pb)} → ${describePart(ph)}`,
      before: pb,
      after: ph,
      witness,
      base: b,
      head: h,
      differences: OUTCOME_FIELDS.filter((f) => JSON.stringify(b[f]) !== JSON.stringify(h[f])).map((field) => ({ field, base: b[field], head: h[field] })),
      confirmed: q.expect ? pb === q.expect[0] && ph === q.expect[1] : JSON.stringify(pb) !== JSON.stringify(ph),
    });
  }
  return { changes, undecided, observables, identical, questions: questions.length, queries: prover.queries, solverMs: prover.ms };
}

/** The questions to ask Z3: none about an observable whose formulas are the same in both. */
function questionsOf(terms: EventTerms, base: DecisionTerms, head: DecisionTerms): { questions: Question[]; observables: number; identical: number } {
  const { z3 } = terms;
  const F = z3.Bool.val(false);
  let observables = 0;
  let identical = 0;
  const asked = (same: boolean, questions: () => Question[]): Question[] => {
    observables++;
    if (same) identical++;
    return same ? [] : questions();
  };
  const flips = (observable: string, b: Bool, h: Bool, [gone, come]: readonly [string, string]): Question[] =>
    asked(b.eqIdentity(h), () => [
      { observable, change: gone, differs: z3.And(b, z3.Not(h)), expect: [true, false] },
      { observable, change: come, differs: z3.And(z3.Not(b), h), expect: [false, true] },
    ]);
  const keys = [...new Set([...base.members.keys(), ...head.members.keys()])].sort();
  const entries = (kind: 'retention' | 'obligations'): Question[] => {
    const groups = [...new Set([...base[kind], ...head[kind]].map((e) => e.group))].sort();
    return groups.flatMap((g) => {
      const [b, h] = [base[kind].filter((e) => e.group === g), head[kind].filter((e) => e.group === g)];
      return asked(sameTerms(b, h), () => [{ observable: `${kind}:${g}`, change: 'changes', differs: z3.Or(missing(terms, b, h), missing(terms, h, b)) }]);
    });
  };
  const questions = [
    ...flips('allowed', base.allowed, head.allowed, ['true → false', 'false → true']),
    ...keys.flatMap((k) => flips(k, base.members.get(k) ?? F, head.members.get(k) ?? F, ['removed', 'added'])),
    ...entries('retention'),
    ...entries('obligations'),
  ];
  return { questions, observables, identical };
}

/** Some entry of `a` shows in the decision and no entry of `b` shows the same. */
function missing(terms: EventTerms, a: readonly Entry[], b: readonly Entry[]): Bool {
  const { z3 } = terms;
  return z3.Or(...a.map((x) => z3.And(x.present, ...b.map((y) => z3.Not(z3.And(y.present, sameEntry(terms, x, y)))))));
}

const sameTerms = (a: readonly Entry[], b: readonly Entry[]): boolean =>
  a.length === b.length &&
  a.every((x, i) => {
    const y = b[i]!;
    return x.tag === y.tag && x.present.eqIdentity(y.present) && x.day.eqIdentity(y.day) && x.dayPresent.eqIdentity(y.dayPresent);
  });

/** The observable's value in a decision. */
function part(d: Decision, observable: string): unknown {
  const [list, code] = observable.split(/:(.*)/) as [string, string | undefined];
  switch (list) {
    case 'allowed':
      return d.allowed;
    case 'citations':
      return d.citations.some((c) => citationText(c) === code);
    case 'retention':
      return d.retention.filter((r) => r.record === code);
    case 'obligations':
      return d.obligations.filter((o) => o.code === code);
    default:
      return (d[list as 'verification' | 'labeling' | 'disposal'] as readonly string[]).includes(code!);
  }
}

/** Retention or obligation entries in words: `P60D until 2017-07-31`, `due 2018-07-01`, `none`. */
function describePart(entries: unknown): string {
  const list = entries as readonly { period?: string; until?: string; due?: string }[];
  if (list.length === 0) return 'none';
  return list.map((e) => (e.until !== undefined ? `${e.period} until ${e.until}` : e.due !== undefined ? `due ${e.due}` : 'no due date')).join(', ');
}
