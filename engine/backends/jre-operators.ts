// The json-rules-engine backend's own condition operators: a third opinion on what each means,
// written from README "Meaning, precisely" apart from language/operators.ts (the compiled engine's)
// and engine/reference/ (the reference interpreter's), so that a wrong predicate in any one of them
// shows as a difference (test/properties/backends.test.ts). Facts come in as json-rules-engine
// hands them over: undefined when the event has no such field, dates as CST day numbers.
import type { Cond } from '../../language/checked.js';

type Predicate = (fact: unknown, value: unknown) => boolean;

const known = (x: unknown): boolean => x !== undefined && x !== null;
/** A set as a list of its members; no set is the empty one. */
const setOf = (x: unknown): readonly unknown[] => (Array.isArray(x) ? x : []);
const listOf = (x: unknown): readonly unknown[] => x as readonly unknown[];

/** Comparisons are false when either side is unknown, whatever the relation. */
const compare =
  (relation: (a: number, b: number) => boolean): Predicate =>
  (a, b) =>
    known(a) && known(b) && relation(a as number, b as number);

/** Each operator the backend registers, by the name its conditions give. */
export const JRE_OPERATORS = {
  'tl:is': compare((a, b) => a === b),
  'tl:isNot': compare((a, b) => a !== b),
  'tl:before': compare((a, b) => a < b),
  'tl:onOrBefore': compare((a, b) => a <= b),
  'tl:after': compare((a, b) => a > b),
  'tl:onOrAfter': compare((a, b) => a >= b),
  'tl:oneOf': (v, list) => known(v) && listOf(list).indexOf(v) >= 0,
  'tl:notOneOf': (v, list) => known(v) && listOf(list).indexOf(v) < 0,
  'tl:hasAny': (set, list) => listOf(list).some((x) => setOf(set).indexOf(x) >= 0),
  'tl:hasAll': (set, list) => listOf(list).every((x) => setOf(set).indexOf(x) >= 0),
  'tl:present': (v) => known(v),
  'tl:absent': (v) => !known(v),
  'tl:yes': (v) => v === true,
} satisfies Record<string, Predicate>;

export type JreOperator = keyof typeof JRE_OPERATORS;

const RELATION = { '=': 'tl:is', '!=': 'tl:isNot', '<': 'tl:before', '<=': 'tl:onOrBefore', '>': 'tl:after', '>=': 'tl:onOrAfter' } as const satisfies Record<Extract<Cond, { k: 'cmp' }>['op'], JreOperator>;

/** The operator a test of one fact asks; `meets` asks whether the verified set has any identity that meets the code. */
export function jreOperator(c: Extract<Cond, { k: 'cmp' | 'oneOf' | 'has' | 'meets' | 'present' | 'flag' }>): JreOperator {
  switch (c.k) {
    case 'cmp':
      return RELATION[c.op];
    case 'oneOf':
      return c.negated ? 'tl:notOneOf' : 'tl:oneOf';
    case 'has':
      return c.mode === 'all' ? 'tl:hasAll' : 'tl:hasAny';
    case 'meets':
      return 'tl:hasAny';
    case 'present':
      return c.present ? 'tl:present' : 'tl:absent';
    case 'flag':
      return 'tl:yes';
  }
}
