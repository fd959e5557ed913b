// Checked bundle → evaluator. Conditions become closures over precomputed field readers: a string
// from a policy is only ever data (a path, a code, a constant) and can never become code.
import { addPeriod, cstDayOf, parseDate, pastRestDays, restDaysOf, type DayNumber, type Period, type RestDays } from '../language/calendar.js';
import type * as K from '../language/checked.js';
import { operatorOf } from '../language/operators.js';
import type { Decision } from './schema/decision.js';
import type { Event } from './schema/event.js';
import { deletionsOf, type Deletion } from './outcomes.js';

/** Event fields a rule read, by path, when the caller asks for them (only for rules that fire). */
export type Facts = Map<string, unknown>;

/**
 * What testing conditions against one event has learned so far: each definition's value, by its
 * index, and (once asked) the facts it read. Rules share definitions (`live-provider` opens most of
 * them) and definitions share one another, so each is tested once per event, traced or not. `facts`
 * is where the test now running notes what it reads, when the caller asks (a trace). One scope
 * serves one event only: a caller that changes the event takes a new scope.
 */
export interface Scope {
  readonly values: (boolean | undefined)[];
  readonly read: (Facts | undefined)[];
  facts: Facts | undefined;
}
/** A scope for testing `policy`'s conditions against one event. */
export function newScope(policy: CompiledPolicy): Scope {
  // Sized once, so that no assignment grows an array.
  const n = policy.checked.definitions.length;
  return { values: new Array<boolean | undefined>(n), read: new Array<Facts | undefined>(n), facts: undefined };
}

export type Test = (ev: Event, s: Scope) => boolean;
export type Read = (ev: Event, facts?: Facts) => unknown;

export interface CompiledRule {
  readonly rule: K.CheckedRule;
  readonly test: Test;
}

/** How a decision names an article version it consulted. */
export type ArticleRef = Decision['policy']['articles'][number];

/**
 * What an event of one type consults on the days from `from` to the next segment's: which article
 * versions are in effect is a function of type and day alone, so it is worked out once per bundle,
 * cutting each type's days wherever a version comes into or goes out of force.
 */
export interface Segment {
  /** The first day; -Infinity for the days before anything is in force. */
  readonly from: number;
  /** The versions in effect, by regulation, article and version; shared by every decision on these days, so frozen. */
  readonly consulted: readonly ArticleRef[];
  /** Their rules for this type, in that order. */
  readonly rules: readonly CompiledRule[];
}

export interface CompiledPolicy {
  readonly checked: K.CheckedBundle;
  readonly digest: string;
  /** For each event type with rules, its segments in order of days (`segmentOn` finds a day's). */
  readonly byType: ReadonlyMap<string, readonly Segment[]>;
  /** Any condition of this bundle (or built against its definitions) as a test, compiled once per node. */
  readonly condition: (c: K.Cond) => Test;
  /** The deletion events of its vocabulary, by type (engine/outcomes.ts). */
  readonly deletions: ReadonlyMap<string, Deletion>;
  /** Any value of this bundle (a `due`, a retention's `from`) as a reader, made once per node. */
  readonly read: (v: K.Value) => Read;
}

export function compile(checked: K.CheckedBundle, digest: string): CompiledPolicy {
  const rest = restDaysOf(checked.calendar);
  const index = new Map(checked.definitions.map((d, i) => [d.name, i]));
  const compiledDefs: Test[] = [];
  // The checker cut every definition cycle, so compiling a definition where it is used terminates.
  const ref = (name: string): Test => {
    const i = index.get(name);
    if (i === undefined) return () => false;
    return (compiledDefs[i] ??= remembered(i, cond(checked.definitions[i]!.body, ref, rest)));
  };
  const conditions = new WeakMap<K.Cond, Test>();
  const condition = (c: K.Cond): Test => {
    let t = conditions.get(c);
    if (!t) conditions.set(c, (t = cond(c, ref, rest)));
    return t;
  };

  const regulations = new Map(checked.regulations.map((r) => [r.id, r]));
  const versions = new Map<string, Version[]>();
  // Decisions list the articles consulted in this order, so evaluation need not sort them.
  for (const article of [...checked.articles].sort(byArticle)) {
    const reg = regulations.get(article.regulation);
    if (!reg) continue;
    const { from, until } = daysInForce(article, reg);
    const rules = article.rules.map((rule) => ({ rule, test: condition(rule.when) }));
    const ref = articleRef(article);
    for (const type of new Set(article.rules.flatMap((r) => r.on))) {
      const list = versions.get(type) ?? [];
      list.push({ ref, from, until, rules: rules.filter((r) => r.rule.on.includes(type)) });
      versions.set(type, list);
    }
  }
  const byType = new Map([...versions].map(([type, list]) => [type, segments(list)]));
  return { checked, digest, byType, condition, deletions: deletionsOf(checked.vocabulary), read: readers(rest) };
}

/** Values as readers against `rest`, each made once, on first use. */
export function readers(rest: RestDays): (v: K.Value) => Read {
  const made = new WeakMap<K.Value, Read>();
  return (v) => {
    let r = made.get(v);
    if (!r) made.set(v, (r = value(v, rest)));
    return r;
  };
}

/** One article version with rules for a type, and the days it is in effect (`until` exclusive, Infinity when open). */
interface Version {
  readonly ref: ArticleRef;
  readonly from: DayNumber;
  readonly until: number;
  readonly rules: readonly CompiledRule[];
}

/** A type's days, cut where any of its versions starts or stops: within a segment, every version is in effect throughout or not at all. */
function segments(versions: readonly Version[]): Segment[] {
  const cuts = [...new Set(versions.flatMap((v) => [v.from, v.until]))].filter((d) => d !== Infinity).sort((a, b) => a - b);
  return [-Infinity, ...cuts].map((from) => {
    const on = versions.filter((v) => v.from <= from && from < v.until);
    return { from, consulted: Object.freeze(on.map((v) => v.ref)), rules: on.flatMap((v) => v.rules) };
  });
}

const NO_SEGMENT: Segment = { from: -Infinity, consulted: Object.freeze([]), rules: [] };

/** The segment of an event type's days that holds `day` (an empty one for a type without rules). */
export function segmentOn(policy: CompiledPolicy, type: string, day: DayNumber): Segment {
  const list = policy.byType.get(type);
  if (list === undefined) return NO_SEGMENT;
  // The last segment that starts on or before the day; the first starts at -Infinity.
  let lo = 0;
  let hi = list.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (list[mid]!.from <= day) lo = mid;
    else hi = mid - 1;
  }
  return list[lo]!;
}

/** The days on which an article version applies: its regulation in force and the version in effect. `until` is exclusive, Infinity when open. */
export const daysInForce = (article: K.CheckedArticle, regulation: K.CheckedRegulation): { readonly from: DayNumber; readonly until: number } => ({
  from: Math.max(regulation.inForce, article.from),
  until: Math.min(regulation.repealed ?? Infinity, article.until ?? Infinity),
});

const articleRef = (a: K.CheckedArticle): ArticleRef => Object.freeze({ file: a.file, regulation: a.regulation, article: a.article, version: a.version });

/** Sorts article versions by regulation, then article and version numerically. */
const byArticle = (a: { regulation: string; article: number; version: number }, b: typeof a): number =>
  (a.regulation < b.regulation ? -1 : a.regulation > b.regulation ? 1 : 0) || a.article - b.article || a.version - b.version;

const own = (o: unknown, k: string): unknown => (o !== null && typeof o === 'object' && Object.hasOwn(o, k) ? (o as Record<string, unknown>)[k] : undefined);

/**
 * Definition `i`, tested once per scope. Traced, it is tested once more, noting what it reads in its
 * own facts, which every traced use then adds to its caller's: the trace shows what the definition
 * read, as if it had been read again, without reading it again.
 */
function remembered(i: number, test: Test): Test {
  return (ev, s) => {
    const outer = s.facts;
    if (outer === undefined) return (s.values[i] ??= test(ev, s));
    let read = s.read[i];
    if (read === undefined) {
      s.facts = read = new Map();
      s.values[i] = test(ev, s);
      s.facts = outer;
      s.read[i] = read;
    }
    for (const [path, v] of read) outer.set(path, v);
    return s.values[i]!;
  };
}

/** Reads an event field by its dotted path (own properties only); null reads as absent. */
export function fieldReader(path: string): (ev: Event) => unknown {
  const keys = path.split('.');
  // Every event field is one or two keys deep: those are read without a loop.
  const [a, b] = keys as [string, string];
  if (keys.length === 1) return (ev) => own(ev, a) ?? undefined;
  if (keys.length === 2) return (ev) => own(own(ev, a), b) ?? undefined;
  return (ev) => keys.reduce<unknown>(own, ev) ?? undefined;
}

/**
 * A fact as a trace shows it. Lists are sets: shown sorted, so the trace cannot depend on the
 * event's order. An object is only ever asked after for its presence, so the trace notes just that.
 */
function traced(v: unknown): unknown {
  return Array.isArray(v) ? [...(v as string[])].sort() : v !== null && typeof v === 'object' ? true : (v ?? null);
}

function field(path: string): Read {
  const read = fieldReader(path);
  return (ev, facts) => {
    const v = read(ev);
    facts?.set(path, traced(v));
    return v;
  };
}

/** A value reader; dates and times come out as CST day numbers, moved past the rest days of `rest`. */
export function value(v: K.Value, rest: RestDays): Read {
  switch (v.k) {
    case 'const':
      return () => v.value;
    case 'date':
      return () => v.day;
    case 'field': {
      const read = field(v.path);
      const { t } = v.type;
      return t === 'date' || t === 'timestamp' ? (ev, f) => asDay(read(ev, f), t) : read;
    }
    case 'shift':
    case 'moved': {
      // A date the policy names, moved by periods and past rest days, is the same day for every event.
      const day = constantDay(v, rest);
      if (day !== undefined) return () => day;
      const base = value(v.base, rest);
      return v.k === 'shift' ? (ev, f) => shifted(base(ev, f), v) : (ev, f) => moved(base(ev, f), rest);
    }
  }
}

/** A date or timestamp field's value as its CST day number; undefined when absent. */
export const asDay = (raw: unknown, type: 'date' | 'timestamp'): DayNumber | undefined =>
  typeof raw !== 'string' ? undefined : type === 'date' ? parseDate(raw) : cstDayOf(raw);

/** A day moved by a period; an absent day stays absent. */
const shifted = (day: unknown, by: { readonly period: Period; readonly sign: 1 | -1 }): DayNumber | undefined =>
  typeof day === 'number' ? addPeriod(day, by.period, by.sign) : undefined;

/** The day a value names whatever the event, when it reads no field of it. */
function constantDay(v: K.Value, rest: RestDays): DayNumber | undefined {
  switch (v.k) {
    case 'date':
      return v.day;
    case 'shift':
      return shifted(constantDay(v.base, rest), v);
    case 'moved':
      return moved(constantDay(v.base, rest), rest);
    default:
      return undefined;
  }
}

/** A last day moved past rest days (民法典 art. 203); an absent day stays absent. */
const moved = (day: unknown, rest: RestDays): DayNumber | undefined => (typeof day === 'number' ? pastRestDays(rest, day) : undefined);

/**
 * A condition as a closure, each operator by its predicate in language/operators.ts. So `not
 * actor.verified meets phone_number` holds for an actor with no record of verification, and
 * `actor.role is not publisher` needs a role to be known.
 */
function cond(c: K.Cond, ref: (name: string) => Test, rest: RestDays): Test {
  switch (c.k) {
    case 'always':
      return () => true;
    case 'const':
      return () => c.value;
    case 'all': {
      const items = c.items.map((i) => cond(i, ref, rest));
      return (ev, s) => {
        for (let i = 0; i < items.length; i++) if (!items[i]!(ev, s)) return false;
        return true;
      };
    }
    case 'any': {
      const items = c.items.map((i) => cond(i, ref, rest));
      return (ev, s) => {
        for (let i = 0; i < items.length; i++) if (items[i]!(ev, s)) return true;
        return false;
      };
    }
    case 'not': {
      const item = cond(c.item, ref, rest);
      return (ev, s) => !item(ev, s);
    }
    case 'ref':
      return ref(c.name);
    case 'flag':
    case 'present': {
      const read = field(c.path);
      const { holds } = operatorOf(c);
      return (ev, s) => holds(read(ev, s.facts));
    }
    case 'cmp': {
      const [l, r] = [value(c.left, rest), value(c.right, rest)];
      const { holds } = operatorOf(c);
      // Both sides are read, whatever the first gives: the trace shows every fact a rule consulted.
      return (ev, s) => holds(l(ev, s.facts), r(ev, s.facts));
    }
    case 'oneOf': {
      const read = value(c.left, rest);
      const { holds } = operatorOf(c);
      const { values } = c;
      return (ev, s) => holds(read(ev, s.facts), values);
    }
    case 'has':
    case 'meets': {
      const read = field(c.path);
      const { holds } = operatorOf(c);
      const values = c.k === 'has' ? c.values : c.accepted;
      return (ev, s) => holds(read(ev, s.facts), values);
    }
  }
}
