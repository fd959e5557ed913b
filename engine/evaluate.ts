// Compiled policy + valid event → decision. Pure: no clock, no I/O; the same pair gives the same
// decision byte for byte, whatever the order of the rules in the bundle or of lists in the event.
import { addPeriod, cstDayOf, formatDate } from '../language/calendar.js';
import type { CheckedCitation, CheckedOutcome } from '../language/checked.js';
import { value, type CompiledPolicy, type CompiledRule, type Facts } from './compile.js';
import type { Citation, Decision, Obligation, Retention, TraceEntry } from './schema/decision.js';
import type { Event } from './schema/event.js';

interface Fired {
  readonly rule: CompiledRule;
  readonly outcomes: readonly Effect[];
}

/** An outcome as it applies to this event. */
type Effect =
  | { readonly k: 'deny' }
  | { readonly k: 'verification' | 'label' | 'disposal'; readonly code: string }
  | { readonly k: 'retain'; readonly record: string; readonly period: string; readonly until: string }
  | { readonly k: 'oblige'; readonly code: string; readonly due?: string };

export function evaluate(policy: CompiledPolicy, ev: Event): Decision {
  const day = cstDayOf(ev.occurredAt)!;
  const fired: Fired[] = [];
  const consulted: Decision['policy']['articles'] = [];
  for (const a of policy.byType.get(ev.type) ?? []) {
    if (day < a.from || day >= a.until) continue;
    consulted.push({ file: a.article.file, regulation: a.article.regulation, article: a.article.article, version: a.article.version });
    for (const rule of a.rules) {
      if (!rule.test(ev)) continue;
      const outcomes = rule.rule.outcomes.map((o) => effect(o, ev, day)).filter((e): e is Effect => e !== undefined);
      if (outcomes.length > 0) fired.push({ rule, outcomes });
    }
  }
  return assemble(policy.digest, ev, fired, consulted);
}

/**
 * What an outcome means for this event. On `record.delete`, `retain K for P` protects the record being
 * deleted, if it is of kind K: counted from the record's creation, deletion is refused through the
 * last day of the period (the day of creation is not counted, as in 民法典 art. 201).
 */
function effect(o: CheckedOutcome, ev: Event, day: number): Effect | undefined {
  switch (o.k) {
    case 'deny':
    case 'verification':
    case 'label':
    case 'disposal':
      return o;
    case 'retain': {
      if (ev.type === 'record.delete') {
        const created = ev.record && cstDayOf(ev.record.createdAt);
        if (!ev.record || ev.record.kind !== o.record || created === undefined) return undefined;
        const until = addPeriod(created, o.period);
        return day <= until ? { k: 'retain', record: o.record, period: o.periodText, until: formatDate(until) } : undefined;
      }
      const from = value(o.from)(ev);
      return typeof from === 'number' ? { k: 'retain', record: o.record, period: o.periodText, until: formatDate(addPeriod(from, o.period)) } : undefined;
    }
    case 'oblige': {
      const due = o.due && value(o.due)(ev);
      return typeof due === 'number' ? { k: 'oblige', code: o.code, due: formatDate(due) } : { k: 'oblige', code: o.code };
    }
  }
}

function assemble(digest: string, ev: Event, fired: readonly Fired[], consulted: Decision['policy']['articles']): Decision {
  const verification = new Set<string>();
  const labeling = new Set<string>();
  const disposal = new Set<string>();
  const retention = new Map<string, Retention>();
  const obligations = new Map<string, Obligation>();
  const citations = new Map<string, Citation>();
  let allowed = true;
  for (const { rule, outcomes } of fired) {
    const c = rule.rule.citation;
    citations.set(citationKey(c), citationOf(c));
    for (const o of outcomes) {
      switch (o.k) {
        case 'deny':
          allowed = false;
          break;
        case 'verification':
          verification.add(o.code);
          break;
        case 'label':
          labeling.add(o.code);
          break;
        case 'disposal':
          disposal.add(o.code);
          break;
        case 'retain':
          retention.set(`${o.record}\0${o.until}\0${o.period}`, { record: o.record as Retention['record'], period: o.period, until: o.until });
          // A record still under retention may not be deleted.
          if (ev.type === 'record.delete') allowed = false;
          break;
        case 'oblige':
          obligations.set(`${o.code}\0${o.due ?? ''}`, { code: o.code as Obligation['code'], ...(o.due === undefined ? {} : { due: o.due }) });
          break;
      }
    }
  }
  // An identity check still missing means the action cannot proceed.
  if (verification.size > 0) allowed = false;
  return {
    eventId: ev.id,
    allowed,
    verification: sorted(verification),
    labeling: sorted(labeling),
    disposal: sorted(disposal),
    retention: [...retention.entries()].sort(byKey).map(([, v]) => v),
    obligations: [...obligations.entries()].sort(byKey).map(([, v]) => v),
    citations: [...citations.entries()].sort(byKey).map(([, v]) => v),
    policy: { digest, articles: [...consulted].sort((a, b) => cmp(a.regulation, b.regulation) || a.article - b.article || a.version - b.version) },
    trace: [...fired].sort((a, b) => cmp(ruleKey(a.rule), ruleKey(b.rule))).map((f) => traceOf(f, ev)),
  };
}

function traceOf({ rule }: Fired, ev: Event): TraceEntry {
  // Run the test again, this time noting every fact it reads: cheap, as only fired rules get here.
  const facts: Facts = new Map();
  rule.test(ev, facts);
  return {
    rule: rule.rule.id,
    file: rule.rule.file,
    line: rule.rule.span.start.line,
    citation: citationOf(rule.rule.citation),
    facts: Object.fromEntries([...facts.entries()].sort(([a], [b]) => cmp(a, b))),
  };
}

const citationOf = (c: CheckedCitation): Citation =>
  c.paragraph === undefined ? { regulation: c.regulation, article: c.article } : { regulation: c.regulation, article: c.article, paragraph: c.paragraph };
const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const sorted = <T extends string>(s: Set<string>): T[] => ([...s] as T[]).sort(cmp);
const byKey = ([a]: [string, unknown], [b]: [string, unknown]): number => cmp(a, b);
const pad = (n: number): string => String(n).padStart(4, '0');
/** Sorts rules by regulation, article (numerically) and name. */
const ruleKey = ({ rule: r }: CompiledRule): string => `${r.regulation}\0${pad(r.article)}\0${r.name}`;
/** Sorts by regulation, then article and paragraph numerically. */
const citationKey = (c: CheckedCitation): string => `${c.regulation}\0${pad(c.article)}\0${pad(c.paragraph ?? 0)}`;
