// Compiled policy + valid event → decision. Pure: no clock, no I/O; the same pair gives the same
// decision byte for byte, whatever the order of the rules in the bundle or of lists in the event.
// `assemble` is the one place where the compiled engine's rules that held become a decision; what
// each outcome means is outcomes.ts. The reference interpreter (engine/reference/) and the
// json-rules-engine backend assemble their own, as independent checks of this one.
import { cstDayOf, formatDate, type DayNumber } from '../language/calendar.js';
import type { CheckedCitation, CheckedRule, Value } from '../language/checked.js';
import { newScope, segmentOn, type ArticleRef, type Read, type CompiledPolicy, type CompiledRule, type Facts, type Scope } from './compile.js';
import { denies, LIST_OF, markBinding, retainedUntil, type Deletion } from './outcomes.js';
import type { Citation, Decision, Obligation, Retention, TraceEntry } from './schema/decision.js';
import type { Event } from './schema/event.js';

export function evaluate(policy: CompiledPolicy, ev: Event): Decision {
  return evaluateWith(policy, ev, true);
}

/**
 * The decision without the facts behind its trace (each entry's `facts` is empty): for comparing
 * outcomes (a diff), which never looks at facts, at less cost.
 */
export function evaluateOutcome(policy: CompiledPolicy, ev: Event): Decision {
  return evaluateWith(policy, ev, false);
}

function evaluateWith(policy: CompiledPolicy, ev: Event, traced: boolean): Decision {
  const day = cstDayOf(ev.occurredAt)!;
  const { consulted, rules } = segmentOn(policy, ev.type, day);
  const held: CompiledRule[] = [];
  const s = newScope(policy);
  for (let i = 0; i < rules.length; i++) if (rules[i]!.test(ev, s)) held.push(rules[i]!);
  return assemble(policy, ev, day, policy.deletions.get(ev.type), consulted, held, traced ? (rule) => factsRead(rule, ev, s) : noFacts);
}

const NO_FACTS: Facts = new Map();
const noFacts = (): Facts => NO_FACTS;

/** Runs a rule's test again, this time noting every fact it reads: cheap, as only fired rules get here. */
function factsRead(rule: CompiledRule, ev: Event, s: Scope): Facts {
  const facts: Facts = new Map();
  s.facts = facts;
  rule.test(ev, s);
  s.facts = undefined;
  return facts;
}

/**
 * The decision, from what a backend found for an event on CST day `day`: the article versions in
 * effect that it consulted (by regulation, article and version; the decision keeps the array, which
 * may be shared and frozen), the rules whose conditions held,
 * and (asked only of rules that fire) the facts each one read. A rule fires when at least one of
 * its outcomes applies to the event; outcomes of every fired rule unite.
 */
export function assemble<R extends { readonly rule: CheckedRule }>(
  policy: { readonly digest: string; readonly read: (v: Value) => Read },
  ev: Event,
  day: DayNumber,
  deletion: Deletion | undefined,
  consulted: readonly ArticleRef[],
  held: readonly R[],
  factsOf: (held: R, ev: Event) => Facts,
): Decision {
  const codes = { verification: [] as string[], labeling: [] as string[], disposal: [] as string[] };
  // Lists of a few entries each, kept unique by key, then ordered by it.
  const retention: Keyed<Retention>[] = [];
  const obligations: Keyed<Obligation>[] = [];
  const citations: Keyed<Citation>[] = [];
  const fired: { readonly held: R; readonly about: About }[] = [];
  let allowed = true;
  for (const h of held) {
    let applies = false;
    for (const o of h.rule.outcomes) {
      switch (o.k) {
        case 'deny':
          // It fills no list; it refuses, as `denies` says below.
          break;
        case 'verification':
        case 'label':
        case 'disposal':
          addOnce(codes[LIST_OF[o.k]], o.code);
          break;
        case 'retain': {
          const until = retainedUntil(o, ev, day, policy.read, deletion);
          if (until === undefined) continue;
          const r: Retention = { record: o.record as Retention['record'], period: o.periodText, until: formatDate(until) };
          keep(retention, `${r.record}\0${r.until}\0${r.period}`, r);
          break;
        }
        case 'oblige': {
          const due = o.due && policy.read(o.due)(ev);
          const ob: Obligation = typeof due === 'number' ? { code: o.code as Obligation['code'], due: formatDate(due) } : { code: o.code as Obligation['code'] };
          keep(obligations, `${ob.code}\0${ob.due ?? ''}`, ob);
          break;
        }
      }
      applies = true;
      if (denies(o, deletion)) allowed = false;
    }
    if (!applies) continue;
    const a = about(h.rule);
    fired.push({ held: h, about: a });
    keep(citations, a.citationKey, a.citation);
  }
  if (fired.length > 1) fired.sort((a, b) => cmp(a.about.ruleKey, b.about.ruleKey));
  const retained = byKey(retention);
  markBinding(retained);
  // The default sort orders strings by UTF-16 code units, as `cmp` does.
  return {
    eventId: ev.id,
    allowed,
    verification: codes.verification.sort() as Decision['verification'],
    labeling: codes.labeling.sort() as Decision['labeling'],
    disposal: codes.disposal.sort() as Decision['disposal'],
    retention: retained,
    obligations: byKey(obligations),
    citations: byKey(citations),
    policy: { digest: policy.digest, articles: consulted as ArticleRef[] },
    trace: fired.map(({ held: h, about: a }): TraceEntry => {
      const r = h.rule;
      return { rule: r.id, file: r.file, line: r.span.start.line, citation: a.citation, facts: sortedObject(factsOf(h, ev)) };
    }),
  };
}

// Per rule and article, what every decision would otherwise recompute: built once, on first use.
// Shared objects are frozen, so no caller can change another's decision.
interface About {
  readonly citation: Citation;
  /** Sorts by regulation, then article and paragraph numerically. */
  readonly citationKey: string;
  /** Sorts rules by regulation, article (numerically) and name. */
  readonly ruleKey: string;
}
const abouts = new WeakMap<CheckedRule, About>();
function about(r: CheckedRule): About {
  let a = abouts.get(r);
  if (!a) {
    const c = r.citation;
    a = {
      citation: Object.freeze(citationOf(c)),
      citationKey: `${c.regulation}\0${pad(c.article)}\0${pad(c.paragraph ?? 0)}`,
      ruleKey: `${r.regulation}\0${pad(r.article)}\0${r.name}`,
    };
    abouts.set(r, a);
  }
  return a;
}

const citationOf = (c: CheckedCitation): Citation =>
  c.paragraph === undefined ? { regulation: c.regulation, article: c.article } : { regulation: c.regulation, article: c.article, paragraph: c.paragraph };
const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
/** A number's digits after a character counting them, so that keys order numbers by value however many digits (paragraph 10000 after 9999). */
const pad = (n: number): string => {
  const digits = String(n);
  return String.fromCharCode(digits.length) + digits;
};
const addOnce = (list: string[], code: string): void => {
  if (!list.includes(code)) list.push(code);
};
interface Keyed<T> {
  readonly key: string;
  readonly value: T;
}
function keep<T>(list: Keyed<T>[], key: string, value: T): void {
  for (let i = 0; i < list.length; i++) if (list[i]!.key === key) return;
  list.push({ key, value });
}
/** The values, in the order of their keys. */
const byKey = <T>(list: Keyed<T>[]): T[] => (list.length > 1 ? list.sort((a, b) => cmp(a.key, b.key)) : list).map((e) => e.value);
/** Facts as an object with its keys in order, so the trace's bytes do not depend on reading order. */
function sortedObject(facts: Facts): Record<string, unknown> {
  // A rule reads a handful of facts: an insertion sort of their keys beats a general sort's setup.
  const keys: string[] = [];
  for (const k of facts.keys()) {
    let i = keys.length;
    while (i > 0 && keys[i - 1]! > k) i--;
    keys.splice(i, 0, k);
  }
  const o: Record<string, unknown> = {};
  for (let i = 0; i < keys.length; i++) o[keys[i]!] = facts.get(keys[i]!);
  return o;
}
