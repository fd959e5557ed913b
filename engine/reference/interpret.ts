// The reference interpreter: the definitional semantics of a checked bundle, written plainly from
// README "Meaning, precisely" for clarity, not speed. It shares nothing with the fast path
// (engine/compile.ts, evaluate.ts, outcomes.ts, decide.ts, nor the predicates of
// language/operators.ts or the day arithmetic of language/calendar.ts): only the checked AST, the
// vocabulary and the contract types. test/properties/backends.test.ts requires the compiled engine,
// this interpreter and json-rules-engine to give byte-identical decisions.
//
// Every call works from the bundle alone: nothing is prepared, cached or shared between events.
import type { CheckedArticle, CheckedBundle, CheckedOutcome, CheckedRule, Cond, Value } from '../../language/checked.js';
import type { Citation, Decision, Obligation, Retention, TraceEntry } from '../schema/decision.js';
import type { Event } from '../schema/event.js';
import { dateText, dayOfDateText, dayOfTimestamp, pastRest, plusPeriod } from './days.js';

/** What deciding one event needs at hand: the bundle, the event, and the fields read so far (for the trace). */
interface Reading {
  readonly bundle: CheckedBundle;
  readonly event: Event;
  /** Field path → the value as the trace shows it. */
  readonly facts: Map<string, unknown>;
}

/** The decision on a valid event (validation is engine/validate.ts's). */
export function interpret(bundle: CheckedBundle, digest: string, event: Event): Decision {
  const today = dayOfTimestamp(event.occurredAt)!;
  const consulted = articlesInEffect(bundle, event.type, today);
  const deletion = bundle.vocabulary.events.find((e) => e.type === event.type)?.deletes;

  const verification = new Set<string>();
  const labeling = new Set<string>();
  const disposal = new Set<string>();
  const retention: Retention[] = [];
  const obligations: Obligation[] = [];
  const citations: Citation[] = [];
  const trace: { rule: CheckedRule; entry: TraceEntry }[] = [];
  let allowed = true;

  for (const article of consulted) {
    for (const rule of article.rules.filter((r) => r.on.includes(event.type))) {
      const reading: Reading = { bundle, event, facts: new Map() };
      if (!holds(rule.when, reading)) continue;
      // A rule fires when at least one of its outcomes applies to the event.
      let fired = false;
      for (const outcome of rule.outcomes) {
        const applied = apply(outcome);
        fired ||= applied;
      }
      if (!fired) continue;
      const citation = citationOf(rule);
      citations.push(citation);
      trace.push({ rule, entry: { rule: rule.id, file: rule.file, line: rule.span.start.line, citation: citationOf(rule), facts: inKeyOrder(reading.facts) } });
    }
  }

  /** Applies one outcome of a rule whose condition held; false when it says nothing about this event. */
  function apply(outcome: CheckedOutcome): boolean {
    const noTrace: Reading = { bundle, event, facts: new Map() };
    switch (outcome.k) {
      case 'deny':
        allowed = false;
        return true;
      case 'verification':
        // A missing verification denies: the action waits for it.
        verification.add(outcome.code);
        allowed = false;
        return true;
      case 'label':
        labeling.add(outcome.code);
        return true;
      case 'disposal':
        disposal.add(outcome.code);
        return true;
      case 'oblige': {
        const due = outcome.due && day(outcome.due, noTrace);
        obligations.push(due === undefined ? { code: outcome.code as Obligation['code'] } : { code: outcome.code as Obligation['code'], due: dateText(due) });
        return true;
      }
      case 'retain': {
        if (deletion) {
          // On a deletion, the retention protects the record being deleted when it is of its kind,
          // measured from the record's creation, through the last day of the period.
          if (read(deletion.kind, noTrace) !== outcome.record) return false;
          const created = day({ k: 'field', path: deletion.created, type: fieldType(bundle, deletion.created) }, noTrace);
          if (created === undefined) return false;
          const until = plusPeriod(created, outcome.period, 1);
          if (today > until) return false;
          retention.push({ record: outcome.record as Retention['record'], period: outcome.periodText, until: dateText(until) });
          allowed = false;
          return true;
        }
        const from = day(outcome.from, noTrace);
        if (from === undefined) return false;
        retention.push({ record: outcome.record as Retention['record'], period: outcome.periodText, until: dateText(plusPeriod(from, outcome.period, 1)) });
        return true;
      }
    }
  }

  return {
    eventId: event.id,
    allowed,
    verification: [...verification].sort(byText) as Decision['verification'],
    labeling: [...labeling].sort(byText) as Decision['labeling'],
    disposal: [...disposal].sort(byText) as Decision['disposal'],
    retention: withBinding(unique(retention).sort((a, b) => byText(a.record, b.record) || byText(a.until, b.until) || byText(a.period, b.period))),
    obligations: unique(obligations).sort((a, b) => byText(a.code, b.code) || byText(a.due ?? '', b.due ?? '')),
    citations: unique(citations).sort((a, b) => byText(a.regulation, b.regulation) || a.article - b.article || (a.paragraph ?? 0) - (b.paragraph ?? 0)),
    policy: { digest, articles: consulted.map((a) => ({ file: a.file, regulation: a.regulation, article: a.article, version: a.version })) },
    trace: trace.sort((a, b) => byText(a.rule.regulation, b.rule.regulation) || a.rule.article - b.rule.article || byText(a.rule.name, b.rule.name)).map((t) => t.entry),
  };
}

/**
 * Where one record kind is kept under more than one period, each of its entries says whether it
 * binds: the latest last day binds (ties alike), the others are met by it. A kind kept once is left
 * as it is.
 */
function withBinding(retention: Retention[]): Retention[] {
  return retention.map((r) => {
    const sameKind = retention.filter((o) => o.record === r.record);
    if (sameKind.length === 1) return r;
    const latest = Math.max(...sameKind.map((o) => dayOfDateText(o.until)!));
    return { ...r, binding: dayOfDateText(r.until) === latest };
  });
}

/**
 * The article versions with a rule on `type` that apply on `day`: their regulation in force
 * (`repealed on` the first day it is not) and the version in effect (`until` likewise), ordered by
 * regulation, then article and version.
 */
function articlesInEffect(bundle: CheckedBundle, type: string, day: number): CheckedArticle[] {
  const inForce = (a: CheckedArticle): boolean => {
    const regulation = bundle.regulations.find((r) => r.id === a.regulation);
    if (!regulation) return false;
    const regulationInForce = regulation.inForce <= day && (regulation.repealed === undefined || day < regulation.repealed);
    const versionInEffect = a.from <= day && (a.until === undefined || day < a.until);
    return regulationInForce && versionInEffect;
  };
  return bundle.articles
    .filter((a) => a.rules.some((r) => r.on.includes(type)) && inForce(a))
    .sort((a, b) => byText(a.regulation, b.regulation) || a.article - b.article || a.version - b.version);
}

/** Whether a condition holds of the event: `and` and `or` read left to right and stop once the answer is known. */
function holds(c: Cond, r: Reading): boolean {
  switch (c.k) {
    case 'always':
      return true;
    case 'const':
      return c.value;
    case 'all':
      for (const item of c.items) if (!holds(item, r)) return false;
      return true;
    case 'any':
      for (const item of c.items) if (holds(item, r)) return true;
      return false;
    case 'not':
      return !holds(c.item, r);
    case 'ref': {
      // A defined term means its definition, read again where it is used (a name the checker left undefined means nothing holds).
      const definition = r.bundle.definitions.find((d) => d.name === c.name);
      return definition !== undefined && holds(definition.body, r);
    }
    case 'flag':
      return read(c.path, r) === true;
    case 'present':
      return (read(c.path, r) !== undefined) === c.present;
    case 'cmp': {
      // Both sides are read (the trace shows both); an absent side makes any comparison false.
      const left = operand(c.left, r);
      const right = operand(c.right, r);
      if (left === undefined || right === undefined) return false;
      switch (c.op) {
        case '=':
          return left === right;
        case '!=':
          return left !== right;
        case '<':
          return left < right;
        case '<=':
          return left <= right;
        case '>':
          return left > right;
        case '>=':
          return left >= right;
      }
    }
    case 'oneOf': {
      const v = operand(c.left, r);
      if (v === undefined) return false;
      return c.values.includes(v) !== c.negated;
    }
    case 'has': {
      const set = members(read(c.path, r));
      return c.mode === 'all' ? c.values.every((v) => set.includes(v)) : c.values.some((v) => set.includes(v));
    }
    case 'meets': {
      // The verified identities that meet the code, read from the vocabulary's verification table (`met by`).
      const table = r.bundle.vocabulary.enumerations.find((e) => e.codes === 'verification');
      const metBy = table?.values.find((v) => v.name === c.code)?.metBy ?? [];
      return members(read(c.path, r)).some((v) => metBy.includes(v as string));
    }
  }
}

/** An absent set is empty. */
const members = (v: unknown): readonly unknown[] => (Array.isArray(v) ? v : []);

/** A value as a comparison sees it: dates and times as CST day numbers; undefined when absent. */
function operand(v: Value, r: Reading): string | number | boolean | undefined {
  switch (v.k) {
    case 'const':
      return v.value;
    case 'field':
      return v.type.t === 'date' || v.type.t === 'timestamp' ? day(v, r) : (read(v.path, r) as string | number | boolean | undefined);
    case 'date':
    case 'shift':
    case 'moved':
      return day(v, r);
  }
}

/** The CST day a date value names; an absent date stays absent however it is shifted or moved. */
function day(v: Value, r: Reading): number | undefined {
  switch (v.k) {
    case 'date':
      return v.day;
    case 'field': {
      const raw = read(v.path, r);
      if (typeof raw !== 'string') return undefined;
      return v.type.t === 'date' ? dayOfDateText(raw) : dayOfTimestamp(raw);
    }
    case 'shift': {
      const base = day(v.base, r);
      return base === undefined ? undefined : plusPeriod(base, v.period, v.sign);
    }
    case 'moved': {
      const base = day(v.base, r);
      return base === undefined ? undefined : pastRest(r.bundle.calendar, base);
    }
    case 'const':
      return undefined;
  }
}

/**
 * An event field by its dotted path, own properties only; null is absent. The read is noted for the
 * trace: a list as a sorted set, an object (asked only whether it is there) as `true`, absent as null.
 */
function read(path: string, r: Reading): unknown {
  let v: unknown = r.event;
  for (const key of path.split('.')) {
    v = v !== null && typeof v === 'object' && Object.hasOwn(v, key) ? (v as Record<string, unknown>)[key] : undefined;
  }
  if (v === null) v = undefined;
  r.facts.set(path, Array.isArray(v) ? [...v].sort() : typeof v === 'object' ? true : v === undefined ? null : v);
  return v;
}

function fieldType(bundle: CheckedBundle, path: string) {
  return bundle.vocabulary.fields.find((f) => f.path === path)!.type;
}

const citationOf = (rule: CheckedRule): Citation => {
  const { regulation, article, paragraph } = rule.citation;
  return paragraph === undefined ? { regulation, article } : { regulation, article, paragraph };
};

/** Orders text by UTF-16 code units, as the decision's lists are ordered. */
const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Entries once each (equal when their JSON is). */
const unique = <T>(list: readonly T[]): T[] => [...new Map(list.map((x) => [JSON.stringify(x), x])).values()];

/** The trace's facts with their keys in order. */
function inKeyOrder(facts: ReadonlyMap<string, unknown>): Record<string, unknown> {
  return Object.fromEntries([...facts.keys()].sort(byText).map((k) => [k, facts.get(k)]));
}
