// The json-rules-engine backend: the checked bundle compiled to json-rules-engine rules, and decided
// by json-rules-engine itself. It is one of the three independent opinions (with the closure
// compiler and the reference interpreter, engine/reference/) that test/properties/backends.test.ts
// requires to give byte-identical decisions, and the baseline `npm run bench` measures. json-rules-engine is asynchronous, so this backend is too.
//
// How the language maps:
// - one Engine per event type, holding each rule that is `on` it (compile.ts indexes by type too);
// - a rule is `all` of its article's in-force window and its `when`, the window first;
// - a definition is a named condition (engine.setCondition), referenced where it is used;
// - an event field is a fact named by its path, read off the event the run's almanac carries; with
//   params `{ day }` a date or time comes out as its CST day number, moved by params `shifts`;
// - each operator is registered with this backend's own predicate (jre-operators.ts: absent makes a
//   comparison false, an absent set is empty), not the operator table's that compile.ts uses; the
//   days are language/calendar.ts's, which the reference interpreter does not use;
// - the items of `all` and `any` get descending priorities, so json-rules-engine evaluates them one
//   at a time, left to right, and stops once the result is known, as the closures do. The facts a
//   fired rule read (its trace) are then the same, and are read off json-rules-engine's result tree;
// - what a fired rule's outcomes mean for the event is this backend's own too (`decision` below):
//   a `due`, a retention's `from` and a deleted record's kind and creation are facts it asks the run's
//   almanac for. Nothing here comes from engine/compile.ts, evaluate.ts, outcomes.ts or the
//   reference interpreter: with them it makes three independent opinions.
import { Almanac, Engine, type NestedCondition, type RuleResult, type TopLevelCondition } from 'json-rules-engine';
import { addPeriod, cstDayOf, formatDate, parseDate, pastRestDays, restDaysOf, type Period, type RestDays } from '../../language/calendar.js';
import type { CheckedArticle, CheckedBundle, CheckedOutcome, CheckedRule, Cond, Scalar, Value, Vocabulary } from '../../language/checked.js';
import { indexOf } from '../../language/vocabulary.js';
import { decideWith, type DecisionError } from '../decide.js';
import type { Citation, Decision, Obligation, Retention, TraceEntry } from '../schema/decision.js';
import type { Event } from '../schema/event.js';
import { JRE_OPERATORS, jreOperator } from './jre-operators.js';

type ArticleRef = Decision['policy']['articles'][number];

/** A deletion event's type, and the paths of the deleted record's kind and creation. */
interface Deletion {
  readonly kind: string;
  readonly created: string;
  readonly createdType: 'date' | 'timestamp';
}

export interface JrePolicy {
  readonly digest: string;
  /** What its events are validated against. */
  readonly vocabulary: Vocabulary;
  /** Its vocabulary's deletion events, by type. */
  readonly deletions: ReadonlyMap<string, Deletion>;
  /** For each event type, an engine with the rules that are `on` it. */
  readonly engines: ReadonlyMap<string, Engine>;
  /** Each json-rules-engine rule's checked rule and article, by the rule's name. */
  readonly rules: ReadonlyMap<string, { readonly rule: CheckedRule; readonly article: ArticleRef }>;
  readonly rest: RestDays;
}

/** The event being decided travels with the run, so field facts can read it synchronously. */
class EventAlmanac extends Almanac {
  constructor(readonly event: Event) {
    super();
  }
}

type Shift = { readonly period: Period; readonly sign: 1 | -1 };
interface FieldParams {
  readonly day?: 'date' | 'timestamp';
  readonly shifts?: readonly Shift[];
  /** The shifted day moved past rest days, last (`moved past rest days` ends an operand). */
  readonly moved?: true;
}

/** The window condition's name: the rule results tell from it which articles were consulted. */
const IN_FORCE = 'in-force';
// Facts of our own start with @, which no event field path does.
const DAY = '@day';
const CONSTANT = '@constant';

export function compileJre(checked: CheckedBundle, digest: string): JrePolicy {
  const vocab = indexOf(checked.vocabulary);
  const rest = restDaysOf(checked.calendar);
  const definitions = new Set(checked.definitions.map((d) => d.name));
  const toJre = (c: Cond): NestedCondition => condition(c, definitions, rest);
  const named = checked.definitions.map((d) => [d.name, topLevel(toJre(d.body))] as const);
  const regulations = new Map(checked.regulations.map((r) => [r.id, r]));
  const engines = new Map<string, Engine>();
  const rules = new Map<string, { rule: CheckedRule; article: ArticleRef }>();
  const engineFor = (type: string): Engine => {
    let engine = engines.get(type);
    if (!engine) {
      engine = new Engine();
      for (const [name, holds] of Object.entries(JRE_OPERATORS)) engine.addOperator(name, holds);
      for (const path of [...vocab.fieldPaths, ...vocab.objects.keys()]) engine.addFact(path, fieldFact(path, rest), { cache: false });
      engine.addFact(DAY, (_, a) => cstDayOf((a as EventAlmanac).event.occurredAt), { cache: false });
      engine.addFact(CONSTANT, (params) => params['value'] as unknown, { cache: false });
      for (const [name, body] of named) engine.setCondition(name, body);
      engines.set(type, engine);
    }
    return engine;
  };
  for (const article of checked.articles) {
    const reg = regulations.get(article.regulation);
    if (!reg) continue;
    const window: NestedCondition[] = [{ fact: DAY, operator: 'greaterThanInclusive', value: Math.max(reg.inForce, article.from) }];
    const ends = [reg.repealed, article.until].filter((d) => d !== undefined);
    if (ends.length > 0) window.push({ fact: DAY, operator: 'lessThan', value: Math.min(...ends) });
    for (const rule of article.rules) {
      const name = `${article.file}#${rule.name}`;
      rules.set(name, { rule, article: refOf(article) });
      for (const type of rule.on) {
        engineFor(type).addRule({ name, conditions: { all: ordered([{ all: window, name: IN_FORCE }, toJre(rule.when)]) }, event: { type: 'fired' } });
      }
    }
  }
  const deletions = new Map(
    checked.vocabulary.events.flatMap((e) => (e.deletes ? [[e.type, { kind: e.deletes.kind, created: e.deletes.created, createdType: vocab.fields.get(e.deletes.created)!.type.t as Deletion['createdType'] }] as const] : [])),
  );
  return { digest, vocabulary: checked.vocabulary, deletions, engines, rules, rest };
}

const refOf = (a: CheckedArticle): ArticleRef => ({ file: a.file, regulation: a.regulation, article: a.article, version: a.version });

/** Decides a valid event with json-rules-engine. */
export async function evaluateJre(policy: JrePolicy, ev: Event): Promise<Decision> {
  const engine = policy.engines.get(ev.type);
  if (!engine) return decision(policy, ev, [], []);
  const { results, failureResults, almanac } = await engine.run({}, { almanac: new EventAlmanac(ev) });
  const consulted = new Map<string, ArticleRef>();
  for (const r of [...results, ...failureResults]) {
    const { article } = policy.rules.get(r.name)!;
    if (windowHeld(r)) consulted.set(article.file + '#' + article.version, article);
  }
  const fired: Fired[] = [];
  for (const result of results) {
    const { rule } = policy.rules.get(result.name)!;
    const applied: Applied[] = [];
    for (const o of rule.outcomes) {
      const a = await applies(o, ev, almanac, policy);
      if (a) applied.push(a);
    }
    if (applied.length > 0) fired.push({ rule, applied, facts: factsOf(result, ev) });
  }
  const articles = [...consulted.values()].sort((a, b) => order(a.regulation, b.regulation) || a.article - b.article || a.version - b.version);
  return decision(policy, ev, articles, fired);
}

/** Validates untrusted input, then decides it with json-rules-engine (see decide.ts). */
export async function decideJre(policy: JrePolicy, input: unknown): Promise<Decision | DecisionError> {
  return decideWith(policy.vocabulary, input, evaluateJre, policy);
}

/** An outcome as it applies to one event: what it adds to the decision, and whether it refuses. */
type Applied =
  | { readonly to: 'verification' | 'labeling' | 'disposal'; readonly code: string; readonly refuses: boolean }
  | { readonly to: 'retention'; readonly entry: Retention; readonly refuses: boolean }
  | { readonly to: 'obligations'; readonly entry: Obligation }
  | { readonly to: 'none'; readonly refuses: true };

interface Fired {
  readonly rule: CheckedRule;
  readonly applied: readonly Applied[];
  readonly facts: ReadonlyMap<string, unknown>;
}

/**
 * What an outcome of a rule that held does on this event, or undefined when nothing (a retention
 * with nothing to keep from, or on a deletion one that does not cover the record being deleted).
 * Dates are the almanac's facts, asked with the same params as in conditions.
 */
async function applies(o: CheckedOutcome, ev: Event, almanac: Almanac, policy: JrePolicy): Promise<Applied | undefined> {
  const ask = (v: Value): Promise<unknown> => {
    const x = operand(v, policy.rest);
    return 'literal' in x ? Promise.resolve(x.literal) : almanac.factValue(x.fact, x.params);
  };
  switch (o.k) {
    case 'deny':
      return { to: 'none', refuses: true };
    case 'verification':
      return { to: 'verification', code: o.code, refuses: true };
    case 'label':
      return { to: 'labeling', code: o.code, refuses: false };
    case 'disposal':
      return { to: 'disposal', code: o.code, refuses: false };
    case 'oblige': {
      const due = o.due ? await ask(o.due) : undefined;
      return { to: 'obligations', entry: typeof due === 'number' ? { code: o.code as Obligation['code'], due: formatDate(due) } : { code: o.code as Obligation['code'] } };
    }
    case 'retain': {
      const deletion = policy.deletions.get(ev.type);
      const keep = (until: number): Applied => ({ to: 'retention', entry: { record: o.record as Retention['record'], period: o.periodText, until: formatDate(until) }, refuses: deletion !== undefined });
      if (!deletion) {
        const from = await ask(o.from);
        return typeof from === 'number' ? keep(addPeriod(from, o.period)) : undefined;
      }
      if ((await almanac.factValue(deletion.kind)) !== o.record) return undefined;
      const until = await almanac.factValue<unknown>(deletion.created, { day: deletion.createdType, shifts: [{ period: o.period, sign: 1 }] } satisfies FieldParams);
      const today = await almanac.factValue<number>(DAY);
      return typeof until === 'number' && today <= until ? keep(until) : undefined;
    }
  }
}

const order = (a: string, b: string): number => (a === b ? 0 : a < b ? -1 : 1);
/** Sorts by each key in turn, texts by code unit and numbers by value. */
const byKeys =
  <T>(...keys: ((x: T) => string | number)[]) =>
  (a: T, b: T): number => {
    for (const key of keys) {
      const [x, y] = [key(a), key(b)];
      const c = typeof x === 'number' ? x - (y as number) : order(x, y as string);
      if (c !== 0) return c;
    }
    return 0;
  };
/** The distinct entries (by their JSON), sorted. */
const distinct = <T>(entries: readonly T[], by: (a: T, b: T) => number): T[] => [...new Map(entries.map((e) => [JSON.stringify(e), e])).values()].sort(by);

/**
 * Retentions with their standing where a record kind is kept under several periods: those whose
 * last day no other of the kind passes bind, the rest do not; a kind kept once gets no mark.
 */
function bindingMarked(retention: readonly Retention[]): Retention[] {
  const latest = new Map<string, { day: number; count: number }>();
  for (const r of retention) {
    const day = parseDate(r.until)!;
    const seen = latest.get(r.record);
    latest.set(r.record, { day: Math.max(day, seen?.day ?? day), count: (seen?.count ?? 0) + 1 });
  }
  return retention.map((r) => {
    const kind = latest.get(r.record)!;
    return kind.count === 1 ? r : { ...r, binding: parseDate(r.until) === kind.day };
  });
}

/** The decision: fired rules' outcomes united; allowed unless one refuses; every fired rule cited and traced. */
function decision(policy: JrePolicy, ev: Event, articles: ArticleRef[], fired: readonly Fired[]): Decision {
  const all = fired.flatMap((f) => f.applied);
  const codes = (to: 'verification' | 'labeling' | 'disposal') => [...new Set(all.flatMap((a) => (a.to === to ? [a.code] : [])))].sort(order);
  const citation = (r: CheckedRule): Citation => ({ regulation: r.citation.regulation, article: r.citation.article, ...(r.citation.paragraph === undefined ? {} : { paragraph: r.citation.paragraph }) });
  const trace = [...fired].sort(byKeys((f) => f.rule.regulation, (f) => f.rule.article, (f) => f.rule.name));
  return {
    eventId: ev.id,
    allowed: !all.some((a) => 'refuses' in a && a.refuses),
    verification: codes('verification') as Decision['verification'],
    labeling: codes('labeling') as Decision['labeling'],
    disposal: codes('disposal') as Decision['disposal'],
    retention: bindingMarked(
      distinct(
        all.flatMap((a) => (a.to === 'retention' ? [a.entry] : [])),
        byKeys((r) => r.record, (r) => r.until, (r) => r.period),
      ),
    ),
    obligations: distinct(
      all.flatMap((a) => (a.to === 'obligations' ? [a.entry] : [])),
      byKeys((o) => o.code, (o) => o.due ?? ''),
    ),
    citations: distinct(
      fired.map((f) => citation(f.rule)),
      byKeys((c) => c.regulation, (c) => c.article, (c) => c.paragraph ?? 0),
    ),
    policy: { digest: policy.digest, articles },
    trace: trace.map((f): TraceEntry => ({ rule: f.rule.id, file: f.rule.file, line: f.rule.span.start.line, citation: citation(f.rule), facts: Object.fromEntries([...f.facts].sort((a, b) => order(a[0], b[0]))) })),
  };
}

/** An event field by its dotted path, own properties only; null reads as absent. */
function fieldAt(ev: Event, path: string): unknown {
  let v: unknown = ev;
  for (const key of path.split('.')) v = v !== null && typeof v === 'object' && Object.hasOwn(v, key) ? (v as Record<string, unknown>)[key] : undefined;
  return v ?? undefined;
}

function fieldFact(path: string, rest: RestDays) {
  return (params: FieldParams, almanac: Almanac): unknown => {
    const raw = fieldAt((almanac as EventAlmanac).event, path);
    if (params.day === undefined) return raw;
    if (typeof raw !== 'string') return undefined;
    let day = params.day === 'date' ? parseDate(raw) : cstDayOf(raw);
    for (const s of params.shifts ?? []) if (day !== undefined) day = addPeriod(day, s.period, s.sign);
    return params.moved && day !== undefined ? pastRestDays(rest, day) : day;
  };
}

/** A value as the left side of a condition (always a fact) or its right side (a fact or a literal). */
type Operand = { readonly fact: string; readonly params?: FieldParams | { readonly value: unknown } } | { readonly literal: Scalar | undefined };

function operand(v: Value, rest: RestDays): Operand {
  switch (v.k) {
    case 'const':
      return { literal: v.value };
    case 'date':
      return { literal: v.day };
    case 'field':
      return v.type.t === 'date' || v.type.t === 'timestamp' ? { fact: v.path, params: { day: v.type.t, shifts: [] } } : { fact: v.path };
    case 'shift': {
      const base = operand(v.base, rest);
      if ('literal' in base) return { literal: typeof base.literal === 'number' ? addPeriod(base.literal, v.period, v.sign) : undefined };
      const params = base.params as FieldParams | undefined;
      return { fact: base.fact, params: { ...params, shifts: [...(params?.shifts ?? []), { period: v.period, sign: v.sign }] } };
    }
    case 'moved': {
      const base = operand(v.base, rest);
      if ('literal' in base) return { literal: typeof base.literal === 'number' ? pastRestDays(rest, base.literal) : undefined };
      return { fact: base.fact, params: { ...(base.params as FieldParams | undefined), moved: true } };
    }
  }
}

const left = (o: Operand) => ('literal' in o ? { fact: CONSTANT, params: { value: o.literal } } : o);
const right = (o: Operand): unknown => ('literal' in o ? o.literal : o);
const constant = (value: boolean): NestedCondition => ({ fact: CONSTANT, params: { value }, operator: 'equal', value: true });

function condition(c: Cond, definitions: ReadonlySet<string>, rest: RestDays): NestedCondition {
  const sub = (x: Cond) => condition(x, definitions, rest);
  switch (c.k) {
    case 'always':
      return { all: [] };
    case 'const':
      return constant(c.value);
    case 'all':
      return { all: ordered(c.items.map(sub)) };
    case 'any':
      // json-rules-engine counts an empty `any` as true; in Tiaoli, as in logic, it is false.
      return c.items.length === 0 ? constant(false) : { any: ordered(c.items.map(sub)) };
    case 'not':
      return { not: sub(c.item) };
    case 'ref':
      return definitions.has(c.name) ? { condition: c.name } : constant(false);
    case 'flag':
    case 'present':
      // json-rules-engine wants a value even where the operator reads none.
      return { fact: c.path, operator: jreOperator(c), value: null };
    case 'cmp':
      return { ...left(operand(c.left, rest)), operator: jreOperator(c), value: right(operand(c.right, rest)) };
    case 'oneOf':
      return { ...left(operand(c.left, rest)), operator: jreOperator(c), value: c.values };
    case 'has':
      return { fact: c.path, operator: jreOperator(c), value: c.values };
    case 'meets':
      return { fact: c.path, operator: jreOperator(c), value: c.accepted };
  }
}

/** Descending priorities: json-rules-engine then evaluates the items in order, stopping early. */
const ordered = (items: readonly NestedCondition[]): NestedCondition[] => items.map((c, i) => ({ ...c, priority: items.length - i }));

/** A named condition's root must be `all`, `any`, `not` or a reference. */
const topLevel = (c: NestedCondition): TopLevelCondition => ('fact' in c ? { all: [c] } : c);

type Node = { all?: Node[]; any?: Node[]; not?: Node; name?: string; result?: boolean; fact?: string; value?: unknown };

function windowHeld(r: RuleResult): boolean {
  return ((r.conditions as Node).all ?? []).some((c) => c.name === IN_FORCE && c.result === true);
}

/**
 * The event fields a rule's conditions read, from the conditions json-rules-engine evaluated, as the
 * trace shows them: a list sorted (a set), an object (only ever asked whether it is there) as true,
 * an absent field as null.
 */
function factsOf(r: RuleResult, ev: Event): Map<string, unknown> {
  const facts = new Map<string, unknown>();
  const note = (fact: unknown) => {
    if (typeof fact !== 'string' || fact.startsWith('@')) return;
    const v = fieldAt(ev, fact);
    facts.set(fact, v === undefined ? null : Array.isArray(v) ? [...(v as string[])].sort() : typeof v === 'object' ? true : v);
  };
  const visit = (c: Node): void => {
    if (c.name === IN_FORCE) return;
    if (c.all) c.all.forEach(visit);
    else if (c.any) c.any.forEach(visit);
    else if (c.not) visit(c.not);
    else if (c.result !== undefined) {
      note(c.fact);
      if (c.value !== null && typeof c.value === 'object' && 'fact' in c.value) note(c.value.fact);
    }
  };
  visit(r.conditions as Node);
  return facts;
}
