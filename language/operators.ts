// The condition operators, each declared once (OPA's table of built-ins is the model): what it may be
// asked of, its runtime predicate, its Z3 encoding, its printed words and what an editor offers after
// it. The checker, the compiled engine (engine/compile.ts), the analysis (engine/analysis/
// condition-smt.ts, describe.ts), the formatter and the playground read this table. The reference
// interpreter (engine/reference/) and the json-rules-engine backend (engine/backends/jre-operators.ts)
// say each meaning again on purpose: they are the independent opinions the table is tested against.
//
// One meaning throughout: an absent fact makes a comparison false (`is` and `is not` alike) and
// `is one of` false either way; an absent set is empty; a bare yes/no field means the value true.
import type * as A from './ast.js';
import type * as K from './checked.js';

/** A fact as an encoding sees it: its value, and whether the event has it (a constant has no presence: it is always there). */
export interface Term<B, N> {
  readonly present?: B;
  readonly value: N;
}

/** What an encoding is built with: Z3's Bools in engine/analysis/condition-smt.ts. */
export interface Connectives<B> {
  readonly and: (...items: B[]) => B;
  readonly or: (...items: B[]) => B;
  readonly not: (item: B) => B;
}

/** The same, with relations of values (Z3's Ints, and Bools ordered as 0 and 1). */
export interface Logic<B, N> extends Connectives<B> {
  readonly eq: (a: N, b: N) => B;
  readonly lt: (a: N, b: N) => B;
  readonly le: (a: N, b: N) => B;
  readonly gt: (a: N, b: N) => B;
  readonly ge: (a: N, b: N) => B;
}

/** What an editor offers once an operator's words are written: the field's values, date fields, or verification codes. */
export type Completes = 'values' | 'dates' | 'verification';

interface Spelled {
  /** How it reads, and how the formatter prints it (after dates, for an order). */
  readonly words: string;
  /** Its symbol, printed where neither side is a date (`<`). */
  readonly symbol?: string;
  /** Other spellings the grammar reads as it, never printed (`is not absent`). */
  readonly also?: readonly string[];
  readonly completes?: Completes;
}

/** `is`, `is not`, `before` …: both sides of one domain; false when either side is absent. */
export interface Comparison extends Spelled {
  readonly name: A.CompareOp;
  readonly cond: 'cmp';
  /** The domains whose values it compares (the checker requires both sides of one). */
  readonly domains: readonly K.Domain[];
  readonly holds: (left: unknown, right: unknown) => boolean;
  readonly encode: <B, N>(L: Logic<B, N>, left: Term<B, N>, right: Term<B, N>) => B;
}

/** `is one of`, `has any of`, `meets` …: a field and a list of values (for `meets`, those that meet the code). */
export interface ListTest extends Spelled {
  readonly name: 'oneOf' | 'notOneOf' | 'has' | 'hasAny' | 'hasAll' | 'meets';
  readonly cond: 'oneOf' | 'has' | 'meets';
  /** The types of field it reads. */
  readonly fields: readonly K.FieldType['t'][];
  /** Whether it holds of the fact (undefined when absent) and the values. */
  readonly holds: (fact: unknown, values: readonly unknown[]) => boolean;
  /** From the fact's presence and, for each value, whether the fact is (or, a set, holds) it. */
  readonly encode: <B>(L: Connectives<B>, present: B, each: readonly B[]) => B;
}

/** `is present`, `is absent`, a bare yes/no field: one fact, nothing to compare it with. */
export interface FactTest extends Spelled {
  readonly name: 'present' | 'absent' | 'flag';
  readonly cond: 'present' | 'flag';
  /** The types of field it reads (presence also asks after objects). */
  readonly fields: readonly K.FieldType['t'][];
  readonly holds: (fact: unknown) => boolean;
  readonly encode: <B>(L: Connectives<B>, fact: Term<B, B>) => B;
}

export type Operator = Comparison | ListTest | FactTest;
export type OperatorName = Operator['name'];

const ANY_FIELD: readonly K.FieldType['t'][] = ['bool', 'int', 'string', 'date', 'timestamp', 'enum', 'set'];
const ORDERED: readonly K.Domain[] = ['temporal', 'int'];

/** A comparison: a relation of two present values; absent on either side makes it false. */
function comparison(name: A.CompareOp, words: string, symbol: string | undefined, domains: readonly K.Domain[], holds: (a: number, b: number) => boolean, relate: <B, N>(L: Logic<B, N>, a: N, b: N) => B): Comparison {
  return {
    name,
    cond: 'cmp',
    words,
    ...(symbol ? { symbol } : {}),
    completes: domains === ORDERED ? 'dates' : 'values',
    domains,
    // The checker lets only values of one domain meet, so the relation sees two numbers, texts or yes/no values.
    holds: (a, b) => a !== undefined && b !== undefined && holds(a as number, b as number),
    encode: (L, a, b) => L.and(...[a.present, b.present].filter((p) => p !== undefined), relate(L, a.value, b.value)),
  };
}

// Loops rather than some/every: these run for most rules of every event, and allocate nothing.

/** The set holds at least one of the values. */
function holdsAny(set: unknown, values: readonly unknown[]): boolean {
  if (!Array.isArray(set)) return false;
  for (let i = 0; i < values.length; i++) if (set.includes(values[i])) return true;
  return false;
}

/** The set holds every one of the values; an absent set is empty. */
function holdsAll(set: unknown, values: readonly unknown[]): boolean {
  const s: readonly unknown[] = Array.isArray(set) ? set : [];
  for (let i = 0; i < values.length; i++) if (!s.includes(values[i])) return false;
  return true;
}

/** Every operator, in the order the playground offers their words. */
export const OPERATORS: readonly Operator[] = [
  comparison('=', 'is', undefined, ['temporal', 'int', 'string', 'enum', 'bool'], (a, b) => a === b, (L, a, b) => L.eq(a, b)),
  comparison('!=', 'is not', undefined, ['temporal', 'int', 'string', 'enum', 'bool'], (a, b) => a !== b, (L, a, b) => L.not(L.eq(a, b))),
  comparison('<', 'before', '<', ORDERED, (a, b) => a < b, (L, a, b) => L.lt(a, b)),
  comparison('<=', 'on or before', '<=', ORDERED, (a, b) => a <= b, (L, a, b) => L.le(a, b)),
  comparison('>', 'after', '>', ORDERED, (a, b) => a > b, (L, a, b) => L.gt(a, b)),
  // The lexer reads `≥` as `>=` (language/tokens.ts), and there is no `≤`.
  { ...comparison('>=', 'on or after', '>=', ORDERED, (a, b) => a >= b, (L, a, b) => L.ge(a, b)), also: ['≥'] },
  {
    name: 'oneOf',
    cond: 'oneOf',
    words: 'is one of',
    completes: 'values',
    fields: ['enum', 'int', 'string'],
    holds: (v, values) => v !== undefined && values.includes(v),
    encode: (L, present, each) => L.and(present, L.or(...each)),
  },
  {
    name: 'notOneOf',
    cond: 'oneOf',
    words: 'is not one of',
    completes: 'values',
    fields: ['enum', 'int', 'string'],
    holds: (v, values) => v !== undefined && !values.includes(v),
    encode: (L, present, each) => L.and(present, L.not(L.or(...each))),
  },
  // A set's members read false when it is absent, so the set tests need no presence of their own.
  { name: 'has', cond: 'has', words: 'has', completes: 'values', fields: ['set'], holds: holdsAny, encode: (L, _, each) => L.or(...each) },
  { name: 'hasAny', cond: 'has', words: 'has any of', completes: 'values', fields: ['set'], holds: holdsAny, encode: (L, _, each) => L.or(...each) },
  { name: 'hasAll', cond: 'has', words: 'has all of', completes: 'values', fields: ['set'], holds: holdsAll, encode: (L, _, each) => L.and(...each) },
  { name: 'meets', cond: 'meets', words: 'meets', completes: 'verification', fields: ['set'], holds: holdsAny, encode: (L, _, each) => L.or(...each) },
  { name: 'present', cond: 'present', words: 'is present', also: ['is not absent'], fields: ANY_FIELD, holds: (v) => v !== undefined, encode: (_, f) => f.present! },
  { name: 'absent', cond: 'present', words: 'is absent', also: ['is not present'], fields: ANY_FIELD, holds: (v) => v === undefined, encode: (L, f) => L.not(f.present!) },
  { name: 'flag', cond: 'flag', words: '', fields: ['bool'], holds: (v) => v === true, encode: (L, f) => L.and(f.present!, f.value) },
];

const BY_NAME = new Map<OperatorName, Operator>(OPERATORS.map((o) => [o.name, o]));

/** The kind of operator a name names. */
type Named<N extends OperatorName> = N extends Comparison['name'] ? Comparison : N extends ListTest['name'] ? ListTest : FactTest;

/** The operator named `name`. */
export function operator<N extends OperatorName>(name: N): Named<N> {
  return BY_NAME.get(name) as Named<N>;
}

const HAS = { one: 'has', any: 'hasAny', all: 'hasAll' } as const;

/** What tells a condition's operator, in the checked form and as written alike (the AST says `compare` for `cmp`). */
interface Asked {
  readonly op?: A.CompareOp;
  readonly negated?: boolean;
  readonly mode?: A.HasMode;
  readonly present?: boolean;
}

function asked(kind: string, c: Asked): Operator | undefined {
  switch (kind) {
    case 'cmp':
    case 'compare':
      return operator(c.op!);
    case 'oneOf':
      return operator(c.negated ? 'notOneOf' : 'oneOf');
    case 'has':
      return operator(HAS[c.mode!]);
    case 'meets':
      return operator('meets');
    case 'present':
      return operator(c.present ? 'present' : 'absent');
    case 'flag':
      return operator('flag');
    default:
      return undefined;
  }
}

/** A checked condition's operator, or undefined for `and`, `or`, `not`, a constant or a defined term. */
export function operatorOf(c: Extract<K.Cond, { k: 'cmp' }>): Comparison;
export function operatorOf(c: Extract<K.Cond, { k: 'oneOf' | 'has' | 'meets' }>): ListTest;
export function operatorOf(c: Extract<K.Cond, { k: 'present' | 'flag' }>): FactTest;
export function operatorOf(c: K.Cond): Operator | undefined;
export function operatorOf(c: K.Cond): Operator | undefined {
  return asked(c.k, c as Asked);
}

/** A condition's operator as written, or undefined for `and`, `or`, `not` and a bare operand (a yes/no field or a defined term, told apart by the checker). */
export function writtenOperator(c: Extract<A.Condition, { kind: 'compare' }>): Comparison;
export function writtenOperator(c: Extract<A.Condition, { kind: 'oneOf' | 'has' | 'meets' }>): ListTest;
export function writtenOperator(c: Extract<A.Condition, { kind: 'present' }>): FactTest;
export function writtenOperator(c: A.Condition): Operator | undefined;
export function writtenOperator(c: A.Condition): Operator | undefined {
  return asked(c.kind, c as Asked);
}

/** How a comparison is printed: in words about dates (`before`), by its symbol otherwise (`<`), in words where it has none (`is`). */
export const printed = (o: Comparison, dates: boolean): string => (dates || o.symbol === undefined ? o.words : o.symbol);

/** Every spelling the grammar reads as `o`: its words, its symbol, the others. */
export const spellings = (o: Operator): string[] => [o.words, ...(o.symbol ? [o.symbol] : []), ...(o.also ?? [])].filter((s) => s !== '');

/** The comparisons that compare values of `domain`, in words (`` `is` and `is not` ``): what the checker offers instead of one that does not. */
export const comparisonsOf = (domain: K.Domain): string =>
  OPERATORS.filter((o): o is Comparison => o.cond === 'cmp' && o.domains.includes(domain))
    .map((o) => `\`${o.words}\``)
    .join(' and ');
