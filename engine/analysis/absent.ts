// TL104, "unknown is not compliant": a rule that an absent fact switches off. For each rule and
// each optional fact it reads (a field, or an object holding one), Z3 looks for two events alike
// but for that fact: absent from the first, present in the second. The second fires the rule; the
// first does not and is allowed, so leaving the fact out of an event escapes the duty. The engine
// decides both events to confirm the finding.
//
// A fact whose presence the rule's condition tests in so many words (`is present`, `is absent`)
// has its absence read by the policy itself, as the author chose and a comment there says why: it is
// not reported. Nor is a field whose absence the vocabulary says is a no or a none (`absent means
// …`), nor a fact every event of the rule's types must carry (`required`, `requires`): validation
// refuses an event without it.
import type { CheckedRule, Cond, Value } from '../../language/checked.js';
import { diagnostic } from '../../language/diagnostics.js';
import type { CompiledPolicy } from '../compile.js';
import { fieldReader } from '../fields.js';
import { evaluate } from '../evaluate.js';
import type { Decision } from '../schema/decision.js';
import type { Event } from '../schema/event.js';
import type { Finding } from './analyze.js';
import { decisionTerms, type DecisionTerms, type RuleTerms } from './decision-smt.js';
import { eventTerms, parentOf, presenceOf, type EventTerms, type FieldTerm } from './event-smt.js';
import { Prover, type Bool, type Model, type Z3 } from './solver.js';
import { witnessEvent, witnessPreferences } from './witness.js';

/** What a condition reads: every fact, and the facts whose presence it tests in so many words. */
export interface Reads {
  readonly facts: ReadonlySet<string>;
  readonly tested: ReadonlySet<string>;
}

/** The facts `rule` reads, through the definitions `bodies` and in its outcomes' dates, with the objects that hold them. */
export function readsOf(rule: CheckedRule, bodies: ReadonlyMap<string, Cond>): Reads {
  const facts = new Set<string>();
  const tested = new Set<string>();
  const seen = new Set<string>();
  const note = (path: string): void => {
    for (let p: string | undefined = path; p !== undefined; p = parentOf(p)) facts.add(p);
  };
  const value = (v: Value): void => {
    switch (v.k) {
      case 'field':
        return note(v.path);
      case 'shift':
      case 'moved':
        return value(v.base);
      case 'const':
      case 'date':
        return;
    }
  };
  const cond = (c: Cond): void => {
    switch (c.k) {
      case 'all':
      case 'any':
        return c.items.forEach(cond);
      case 'not':
        return cond(c.item);
      case 'ref': {
        const body = bodies.get(c.name);
        if (body && !seen.has(c.name)) {
          seen.add(c.name);
          cond(body);
        }
        return;
      }
      case 'present':
        tested.add(c.path);
        return note(c.path);
      case 'flag':
      case 'has':
      case 'meets':
        return note(c.path);
      case 'cmp':
        value(c.left);
        return value(c.right);
      case 'oneOf':
        return value(c.left);
      case 'always':
      case 'const':
        return;
    }
  };
  cond(rule.when);
  for (const o of rule.outcomes) {
    if (o.k === 'retain') value(o.from);
    else if (o.k === 'oblige' && o.due) value(o.due);
  }
  return { facts, tested };
}

/** The facts whose absence a rule reads of its own accord: optional on some event type it is for, and not tested for presence. */
function optionalFacts(rule: CheckedRule, bodies: ReadonlyMap<string, Cond>, terms: EventTerms): string[] {
  const { facts, tested } = readsOf(rule, bodies);
  const { vocab } = terms;
  // A fact is always there where it and each object holding it is required, on its own or by the event type.
  const always = (path: string, type: string): boolean => {
    for (let p: string | undefined = path; p !== undefined; p = parentOf(p)) {
      const parent = parentOf(p);
      if (!(vocab.required.has(p) || (parent === undefined && vocab.requiredByType[type]!.includes(p)))) return false;
    }
    return true;
  };
  const stated = (f: string): boolean => vocab.fields.get(f)?.absentMeans !== undefined;
  return [...facts].filter((f) => !tested.has(f) && !stated(f) && rule.on.some((t) => !always(f, t))).sort();
}

/** `inside` is `fact` or something it holds. */
const within = (inside: string, fact: string): boolean => inside === fact || inside.startsWith(`${fact}.`);

/** The two events agree on everything outside `fact`. */
function alikeBut(a: EventTerms, b: EventTerms, fact: string): Bool[] {
  const { z3 } = a;
  const same: Bool[] = [];
  for (const [path, present] of a.objects) if (!within(path, fact)) same.push(present.eq(b.objects.get(path)!));
  for (const [path, f] of a.fields) {
    if (within(path, fact)) continue;
    const g = b.fields.get(path)! as typeof f;
    same.push(f.present.eq(g.present));
    if (f.t === 'set') for (const [v, m] of f.members) same.push(m.eq((g as Extract<FieldTerm, { t: 'set' }>).members.get(v)!));
    else same.push(z3.Eq(f.value, (g as Exclude<FieldTerm, { t: 'set' }>).value));
  }
  return same;
}

const fired = (d: Decision, rule: CheckedRule): boolean => d.trace.some((t) => t.rule === rule.id && t.file === rule.file);

/** The rules of `reported` (none that never fire) that an absent optional fact switches off, each with its two events. */
export async function absentFacts(z3: Z3, policy: CompiledPolicy, terms: EventTerms, decision: DecisionTerms, reported: readonly RuleTerms[]): Promise<{ findings: Finding[]; queries: number; ms: number }> {
  const bundle = policy.checked;
  const bodies = new Map(bundle.definitions.map((d) => [d.name, d.body]));
  const twin = eventTerms(z3, terms.strings, terms.vocab, { mark: "'", calendar: terms.calendar });
  const twinDecision = decisionTerms(twin, bundle);
  const twinOf = new Map(decision.rules.map((r, i) => [r, twinDecision.rules[i]!]));
  const prover = new Prover(z3, [...terms.schema, ...twin.schema].map((s) => s.holds), terms.calendar);
  const prefer = witnessPreferences(terms);
  const findings: Finding[] = [];
  for (const r of reported) {
    for (const fact of optionalFacts(r.rule, bodies, terms)) {
      const goals = [z3.Not(presenceOf(terms, fact)), presenceOf(twin, fact), ...alikeBut(terms, twin, fact), decision.allowed, z3.Not(r.fires), twinOf.get(r)!.fires];
      const answer = await prover.check(goals, prefer);
      if (answer.status === 'unknown') throw new Error(`Z3 could not decide whether an absent ${fact} switches off ${r.rule.id} (${answer.reason})`);
      if (answer.status === 'unsat') continue;
      const [without, given] = confirmed(policy, r.rule, fact, terms, twin, answer.model);
      findings.push({ diagnostic: diagnostic('absentFact', r.rule.span, { name: r.rule.name, fact, given: JSON.stringify(given) }), witness: without });
    }
  }
  return { findings, queries: prover.queries, ms: prover.ms };
}

/** The two events of a model, decided by the engine as the finding says, or an error: the encoding's bug. */
function confirmed(policy: CompiledPolicy, rule: CheckedRule, fact: string, terms: EventTerms, twin: EventTerms, model: Model): [Event, unknown] {
  const without = witnessEvent(terms, model);
  const withFact = witnessEvent(twin, model);
  const a = evaluate(policy, without);
  const b = evaluate(policy, withFact);
  if (!a.allowed || fired(a, rule) || !fired(b, rule)) {
    throw new Error(`the witnesses of ${rule.id} switched off by an absent ${fact} are not decided so: ${JSON.stringify(without)} and ${JSON.stringify(withFact)}`);
  }
  const given = fieldReader(fact)(withFact);
  return [without, given];
}
