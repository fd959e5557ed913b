// The json-rules-engine backend: the checked bundle compiled to json-rules-engine rules, and decided
// by json-rules-engine itself. It is the independent second opinion the closure compiler is
// property-tested against (test/properties/backends.test.ts: byte-identical decisions), and the
// baseline `npm run bench` measures. json-rules-engine is asynchronous, so this backend is too.
//
// How the language maps:
// - one Engine per event type, holding each rule that is `on` it (compile.ts indexes by type too);
// - a rule is `all` of its article's in-force window and its `when`, the window first;
// - a definition is a named condition (engine.setCondition), referenced where it is used;
// - an event field is a fact named by its path, read off the event the run's almanac carries; with
//   params `{ day }` a date or time comes out as its CST day number, moved by params `shifts`;
// - each operator of language/operators.ts is registered under its name with its predicate (absent
//   makes a comparison false, an absent set is empty): the table's meanings, shared with compile.ts,
//   are checked on their own against their Z3 encodings (test/properties/operators.test.ts);
// - the items of `all` and `any` get descending priorities, so json-rules-engine evaluates them one
//   at a time, left to right, and stops once the result is known, as the closures do. The facts a
//   fired rule read (its trace) are then the same, and are read off json-rules-engine's result tree.
// What a fired rule's outcomes mean for the event is evaluate.ts's `assemble`, shared by both.
import { Almanac, Engine, type NestedCondition, type RuleResult, type TopLevelCondition } from 'json-rules-engine';
import { cstDayOf, restDaysOf, type RestDays } from '../../language/calendar.js';
import type { CheckedBundle, CheckedRule, Cond, Scalar, Value } from '../../language/checked.js';
import type { Vocabulary } from '../../language/checked.js';
import { indexOf } from '../../language/vocabulary.js';
import { OPERATORS, operatorOf } from '../../language/operators.js';
import { articleRef, asDay, byArticle, fieldReader, moved, readers, shifted, traced, type ArticleRef, type Facts, type Read } from '../compile.js';
import { decideWith, type DecisionError } from '../decide.js';
import { assemble } from '../evaluate.js';
import { deletionsOf, type Deletion } from '../outcomes.js';
import type { Decision } from '../schema/decision.js';
import type { Event } from '../schema/event.js';

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
  /** Its values (a `due`, a retention's `from`) as readers, for the decision's outcomes. */
  readonly read: (v: Value) => Read;
}

/** The event being decided travels with the run, so field facts can read it synchronously. */
class EventAlmanac extends Almanac {
  constructor(readonly event: Event) {
    super();
  }
}

type Shift = Pick<Extract<Value, { k: 'shift' }>, 'period' | 'sign'>;
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
      for (const op of OPERATORS) engine.addOperator(op.name, op.holds as (fact: unknown, value: never) => boolean);
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
    const from = Math.max(reg.inForce, article.from);
    const until = Math.min(reg.repealed ?? Infinity, article.until ?? Infinity);
    const window: NestedCondition[] = [{ fact: DAY, operator: '>=', value: from }];
    if (until !== Infinity) window.push({ fact: DAY, operator: '<', value: until });
    const ref = articleRef(article);
    for (const rule of article.rules) {
      const name = `${article.file}#${rule.name}`;
      rules.set(name, { rule, article: ref });
      for (const type of rule.on) {
        engineFor(type).addRule({ name, conditions: { all: ordered([{ all: window, name: IN_FORCE }, toJre(rule.when)]) }, event: { type: 'fired' } });
      }
    }
  }
  return { digest, vocabulary: checked.vocabulary, deletions: deletionsOf(checked.vocabulary), engines, rules, read: readers(rest) };
}

/** Decides a valid event with json-rules-engine. */
export async function evaluateJre(policy: JrePolicy, ev: Event): Promise<Decision> {
  const engine = policy.engines.get(ev.type);
  const deletion = policy.deletions.get(ev.type);
  const day = cstDayOf(ev.occurredAt)!;
  if (!engine) return assemble(policy, ev, day, deletion, [], [], noFacts);
  const { results, failureResults } = await engine.run({}, { almanac: new EventAlmanac(ev) });
  const consulted = new Set<ArticleRef>();
  for (const r of [...results, ...failureResults]) if (windowHeld(r)) consulted.add(policy.rules.get(r.name)!.article);
  const held = results.map((result) => ({ rule: policy.rules.get(result.name)!.rule, result }));
  return assemble(policy, ev, day, deletion, [...consulted].sort(byArticle), held, (h) => factsOf(h.result, ev));
}

/** Validates untrusted input, then decides it with json-rules-engine (see decide.ts). */
export async function decideJre(policy: JrePolicy, input: unknown): Promise<Decision | DecisionError> {
  return decideWith(policy.vocabulary, input, evaluateJre, policy);
}

function fieldFact(path: string, rest: RestDays) {
  const read = fieldReader(path);
  return (params: FieldParams, almanac: Almanac): unknown => {
    const raw = read((almanac as EventAlmanac).event);
    if (params.day === undefined) return raw;
    let day: unknown = asDay(raw, params.day);
    for (const s of params.shifts ?? []) day = shifted(day, s);
    return params.moved ? moved(day, rest) : day;
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
      if ('literal' in base) return { literal: shifted(base.literal, v) };
      const params = base.params as FieldParams | undefined;
      return { fact: base.fact, params: { ...params, shifts: [...(params?.shifts ?? []), { period: v.period, sign: v.sign }] } };
    }
    case 'moved': {
      const base = operand(v.base, rest);
      if ('literal' in base) return { literal: moved(base.literal, rest) };
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
      return { fact: c.path, operator: operatorOf(c).name, value: null };
    case 'cmp':
      return { ...left(operand(c.left, rest)), operator: operatorOf(c).name, value: right(operand(c.right, rest)) };
    case 'oneOf':
      return { ...left(operand(c.left, rest)), operator: operatorOf(c).name, value: c.values };
    case 'has':
      return { fact: c.path, operator: operatorOf(c).name, value: c.values };
    case 'meets':
      return { fact: c.path, operator: operatorOf(c).name, value: c.accepted };
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

/** The event fields a rule's conditions read, from the conditions json-rules-engine evaluated. */
function factsOf(r: RuleResult, ev: Event): Facts {
  const facts: Facts = new Map();
  const note = (fact: unknown) => {
    if (typeof fact === 'string' && !fact.startsWith('@')) facts.set(fact, traced(fieldReader(fact)(ev)));
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

const noFacts = (): Facts => new Map();
