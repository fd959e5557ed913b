// Conditions as Z3 formulas over the event's terms: each operator by its encoding in
// language/operators.ts (an absent fact makes a comparison false, an absent set is empty …), over
// the values read here; definitions are used through `ref`, dates and times compare by CST day and
// `plus`/`minus` move them on the calendar. The translation agrees with the compiled closure on
// every event (test/analysis/translation.test.ts, test/properties/operators.test.ts).
import type { CheckedBundle, CheckedDefinition, Cond, Scalar, Value } from '../../language/checked.js';
import { operator, operatorOf, type Logic } from '../../language/operators.js';
import type { RestDays } from '../../language/calendar.js';
import { pastRest } from './calendar-smt.js';
import type { EventTerms, FieldTerm } from './event-smt.js';
import type { Arith, Bool, Z3 } from './solver.js';

/** A value a condition reads: an event fact (present or not), or a constant of the policy. */
type Operand =
  | { readonly k: 'bool'; readonly present: Bool; readonly value: Bool }
  /** Numbers and CST days. */
  | { readonly k: 'num'; readonly present: Bool; readonly value: Arith }
  /** Texts: `values` for an enum's index, else the string encoding of event-smt.ts. */
  | { readonly k: 'text'; readonly present: Bool; readonly value: Arith; readonly values?: readonly string[] }
  /** A set is a list, equal to no constant. */
  | { readonly k: 'set'; readonly present: Bool }
  | { readonly k: 'const'; readonly value: Scalar };

type Fact = Exclude<Operand, { k: 'const' }>;
type Valued = Exclude<Fact, { k: 'set' }>;
type Op = Extract<Cond, { k: 'cmp' }>['op'];
/** Whether `op` compares texts: the checker lets no order ask of one. */
const ofTexts = (op: Op): boolean => operator(op).domains.includes('string');

/** Z3's terms as the operator table builds with them: booleans order as 0 and 1, as `false < true` does in JavaScript. */
function logic(z3: Z3): Logic<Bool, Bool | Arith> {
  const num = (x: Bool | Arith): Arith => (z3.isBool(x) ? (z3.If(x, z3.Int.val(1), z3.Int.val(0)) as Arith) : x);
  return {
    and: (...items) => z3.And(...items),
    or: (...items) => z3.Or(...items),
    not: (item) => z3.Not(item),
    eq: (a, b) => z3.Eq(a, b),
    lt: (a, b) => num(a).lt(num(b)),
    le: (a, b) => num(a).le(num(b)),
    gt: (a, b) => num(a).gt(num(b)),
    ge: (a, b) => num(a).ge(num(b)),
  };
}

export interface Translator {
  readonly cond: (c: Cond) => Bool;
  /** A date or time value (a `from` or `due`) as a CST day, and whether the event has it. */
  readonly day: (v: Value) => { readonly present: Bool; readonly value: Arith };
}

/** The translation of conditions and values against one bundle's definitions and rest days. */
export function translator(terms: EventTerms, definitions: readonly CheckedDefinition[], rest: RestDays): Translator {
  const { z3 } = terms;
  const bodies = new Map(definitions.map((d) => [d.name, d.body]));
  const translated = new Map<string, Bool>();
  const T = z3.Bool.val(true);
  const F = z3.Bool.val(false);
  const L = logic(z3);
  const movedPastRest = pastRest(z3, rest);

  // The checker cut every definition cycle, so translating a definition where it is used terminates.
  const ref = (name: string): Bool => {
    let b = translated.get(name);
    if (!b) translated.set(name, (b = cond(bodies.get(name) ?? { k: 'const', value: false })));
    return b;
  };

  const field = (path: string): Operand => {
    const f = terms.fields.get(path)!;
    switch (f.t) {
      case 'bool':
        return { k: 'bool', present: f.present, value: f.value };
      case 'set':
        return { k: 'set', present: f.present };
      case 'enum':
        return { k: 'text', present: f.present, value: f.value, values: f.values };
      case 'string':
        return { k: 'text', present: f.present, value: f.value };
      default:
        return { k: 'num', present: f.present, value: f.value };
    }
  };

  const value = (v: Value): Operand => {
    switch (v.k) {
      case 'const':
        return { k: 'const', value: v.value };
      case 'date':
        return { k: 'num', present: T, value: z3.Int.val(v.day) };
      case 'field':
        return field(v.path);
      case 'shift': {
        const base = value(v.base);
        if (base.k !== 'num') throw new Error(`only days move by a period (${v.text})`);
        return { k: 'num', present: base.present, value: terms.calendar.shift(base.value, v.period, v.sign) };
      }
      case 'moved': {
        const base = value(v.base);
        if (base.k !== 'num') throw new Error('only days move past rest days');
        return { k: 'num', present: base.present, value: movedPastRest(base.value) };
      }
    }
  };

  /** A constant as the other side reads it; undefined when no value there can equal it. */
  const constantAs = (other: Valued, c: Scalar): Bool | Arith | undefined => {
    switch (other.k) {
      case 'bool':
        return typeof c === 'boolean' ? z3.Bool.val(c) : undefined;
      case 'num':
        return typeof c === 'number' ? z3.Int.val(c) : undefined;
      case 'text': {
        if (typeof c !== 'string') return undefined;
        const i = other.values ? other.values.indexOf(c) : terms.strings.indexOf(c);
        return i < 0 ? undefined : z3.Int.val(other.values ? i : -(i + 1));
      }
    }
  };

  const compare = (op: Op, l: Operand, r: Operand): Bool => {
    const { holds, encode } = operator(op);
    if (l.k === 'const' && r.k === 'const') return z3.Bool.val(holds(l.value, r.value));
    if (r.k === 'const') return withConstant(op, l as Fact, r.value, false);
    if (l.k === 'const') return withConstant(op, r, l.value, true);
    if (l.k === 'set' || r.k === 'set' || l.k !== r.k || (l.k === 'text' && !ofTexts(op))) return unordered(op);
    return encode(L, l, r);
  };

  /** A fact compared with a constant (on its right, or on its left when `flipped`). */
  const withConstant = (op: Op, fact: Fact, c: Scalar, flipped: boolean): Bool => {
    if (fact.k === 'text' && !ofTexts(op)) return unordered(op);
    const v = fact.k === 'set' ? undefined : constantAs(fact, c);
    // A value of another kind is never `===` to the fact; the checker lets no order ask.
    if (v === undefined) return op === '!=' ? fact.present : op === '=' ? F : unordered(op);
    const [f, k] = [fact as Valued, { value: v }];
    return operator(op).encode(L, flipped ? k : f, flipped ? f : k);
  };

  const unordered = (op: Op): never => {
    throw new Error(`the checker lets no condition compare values of different kinds or order texts (${op})`);
  };

  const member = (path: string, v: string): Bool => (terms.fields.get(path) as Extract<FieldTerm, { t: 'set' }>).members.get(v) ?? F;

  function cond(c: Cond): Bool {
    switch (c.k) {
      case 'always':
        return T;
      case 'const':
        return z3.Bool.val(c.value);
      case 'all':
        return z3.And(...c.items.map(cond));
      case 'any':
        return z3.Or(...c.items.map(cond));
      case 'not':
        return z3.Not(cond(c.item));
      case 'ref':
        return ref(c.name);
      case 'flag':
        return operatorOf(c).encode(L, field(c.path) as Extract<Operand, { k: 'bool' }>);
      case 'present': {
        const present = terms.objects.get(c.path) ?? terms.fields.get(c.path)!.present;
        return operatorOf(c).encode(L, { present, value: present });
      }
      case 'cmp':
        return compare(c.op, value(c.left), value(c.right));
      case 'oneOf': {
        const left = value(c.left);
        const { holds, encode } = operatorOf(c);
        if (left.k === 'const') return z3.Bool.val(holds(left.value, c.values));
        return encode(L, left.present, c.values.map((v) => compare('=', left, { k: 'const', value: v })));
      }
      case 'has':
      case 'meets': {
        const { present } = terms.fields.get(c.path)!;
        return operatorOf(c).encode(L, present, (c.k === 'has' ? c.values : c.accepted).map((v) => member(c.path, v)));
      }
    }
  }
  const day = (v: Value) => {
    const d = value(v);
    if (d.k !== 'num') throw new Error('the checker lets only dates and times stand where a day is read');
    return d;
  };
  return { cond, day };
}

/** Every text a condition of these bundles compares a string field with. */
export function textConstants(bundles: readonly CheckedBundle[]): string[] {
  const out = new Set<string>();
  const text = (v: Value) => v.k === 'field' && v.type.t === 'string';
  const constant = (v: Scalar) => typeof v === 'string' && out.add(v);
  const walk = (c: Cond): void => {
    switch (c.k) {
      case 'all':
      case 'any':
        return c.items.forEach(walk);
      case 'not':
        return walk(c.item);
      case 'cmp':
        for (const [v, other] of [[c.left, c.right], [c.right, c.left]] as const) if (v.k === 'const' && text(other)) constant(v.value);
        return;
      case 'oneOf':
        if (text(c.left)) c.values.forEach(constant);
        return;
    }
  };
  for (const b of bundles) {
    b.definitions.forEach((d) => walk(d.body));
    b.articles.forEach((a) => a.rules.forEach((r) => walk(r.when)));
  }
  return [...out];
}
