// Conditions as Z3 formulas over the event's terms, mirroring engine/compile.ts case by case: an
// absent fact makes a comparison false (`is` and `is not` alike), an absent set is empty, `flag`
// means the value true, `is one of` is false when the field is absent either way, definitions are
// used through `ref`, dates and times compare by CST day and `plus`/`minus` move them on the
// calendar. The translation agrees with the compiled closure on every event
// (test/analysis/translation.test.ts).
import type { CheckedBundle, CheckedDefinition, Cond, Scalar, Value } from '../../language/checked.js';
import { compare as compareNow } from '../compile.js';
import type { EventTerms, FieldTerm } from './event-smt.js';
import type { Arith, Bool } from './solver.js';

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
const EQUALITY: ReadonlySet<Op> = new Set(['=', '!=']);

export interface Translator {
  readonly cond: (c: Cond) => Bool;
  /** A date or time value (a `from` or `due`) as a CST day, and whether the event has it. */
  readonly day: (v: Value) => { readonly present: Bool; readonly value: Arith };
}

/** The translation of conditions and values against one bundle's definitions. */
export function translator(terms: EventTerms, definitions: readonly CheckedDefinition[]): Translator {
  const { z3 } = terms;
  const bodies = new Map(definitions.map((d) => [d.name, d.body]));
  const translated = new Map<string, Bool>();
  const T = z3.Bool.val(true);
  const F = z3.Bool.val(false);

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
    if (l.k === 'const' && r.k === 'const') return z3.Bool.val(compareNow(op, l.value, r.value));
    if (r.k === 'const') return withConstant(op, l as Fact, r.value, false);
    if (l.k === 'const') return withConstant(op, r, l.value, true);
    if (l.k === 'set' || r.k === 'set' || l.k !== r.k || (l.k === 'text' && !EQUALITY.has(op))) return unordered(op);
    return z3.And(l.present, r.present, relate(op, l.value, r.value));
  };

  /** A fact compared with a constant (on its right, or on its left when `flipped`). */
  const withConstant = (op: Op, fact: Fact, c: Scalar, flipped: boolean): Bool => {
    if (fact.k === 'text' && !EQUALITY.has(op)) return unordered(op);
    const v = fact.k === 'set' ? undefined : constantAs(fact, c);
    // A value of another kind is never `===` to the fact; the checker lets no order ask.
    if (v === undefined) return op === '!=' ? fact.present : op === '=' ? F : unordered(op);
    return z3.And(fact.present, flipped ? relate(op, v, (fact as Valued).value) : relate(op, (fact as Valued).value, v));
  };

  const relate = (op: Op, a: Bool | Arith, b: Bool | Arith): Bool => {
    // `false < true` in JavaScript: booleans order as 0 and 1.
    const num = (x: Bool | Arith): Arith => (z3.isBool(x) ? (z3.If(x, z3.Int.val(1), z3.Int.val(0)) as Arith) : x);
    if (op === '=') return z3.Eq(a, b);
    if (op === '!=') return z3.Not(z3.Eq(a, b));
    const [x, y] = [num(a), num(b)];
    return op === '<' ? x.lt(y) : op === '<=' ? x.le(y) : op === '>' ? x.gt(y) : x.ge(y);
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
      case 'flag': {
        const f = field(c.path) as Extract<Operand, { k: 'bool' }>;
        return z3.And(f.present, f.value);
      }
      case 'present': {
        const present = terms.objects.get(c.path) ?? terms.fields.get(c.path)!.present;
        return c.present ? present : z3.Not(present);
      }
      case 'cmp':
        return compare(c.op, value(c.left), value(c.right));
      case 'oneOf': {
        const left = value(c.left);
        if (left.k === 'const') return z3.Bool.val(c.values.includes(left.value) !== c.negated);
        const among = z3.Or(...c.values.map((v) => compare('=', left, { k: 'const', value: v })));
        return z3.And(left.present, c.negated ? z3.Not(among) : among);
      }
      case 'has': {
        const members = c.values.map((v) => member(c.path, v));
        return c.mode === 'all' ? z3.And(...members) : z3.Or(...members);
      }
      case 'meets':
        return z3.Or(...c.accepted.map((v) => member(c.path, v)));
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
