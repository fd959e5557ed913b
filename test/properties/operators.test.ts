// Every operator of language/operators.ts, asked of every kind of operand it accepts, means one thing
// to every reader: written in the table's words, the checker accepts it and gives that operator; on
// valid events the compiled closure, the json-rules-engine backend and the Z3 encoding agree. Asked
// of a kind it does not accept, the checker refuses it. The Z3 side is the independent one: its
// encodings are written over presences and integer relations, not over JavaScript values.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { textConstants, translator } from '../../engine/analysis/condition-smt.js';
import { eventTerms, pinned } from '../../engine/analysis/event-smt.js';
import { Prover, type Z3 } from '../../engine/analysis/solver.js';
import { compileJre, decideJre } from '../../engine/backends/jre.js';
import { newScope } from '../../engine/compile.js';
import { fieldReader } from '../../engine/fields.js';
import { cstDayOf, formatDate, restDaysOf } from '../../language/calendar.js';
import { buildBundle } from '../../engine/index.js';
import type { FieldType } from '../../language/checked.js';
import { OPERATORS, operatorOf, spellings, type Operator } from '../../language/operators.js';
import { indexOf } from '../../language/vocabulary.js';
import { useZ3 } from '../analysis/bundles.js';
import { eventNear } from '../arbitraries.js';
import { vocabularySource } from '../helpers.js';

const loaded = useZ3();
let z3: Z3;
beforeAll(() => {
  z3 = loaded();
});

const RUNS = Number(process.env['OPERATOR_RUNS'] ?? 40);
const DATES = ['2016-12-01', '2018-08-01', '2020-02-29'];
const PERIODS = ['P30D', 'P1M'];

const vocabulary = vocabularySource();
const vocab = indexOf(buildBundle([vocabulary]).checked.vocabulary);
const fieldsOf = (types: readonly FieldType['t'][]) => vocab.fieldPaths.filter((p) => types.includes(vocab.fields.get(p)!.type.t));
const typeOf = (path: string) => vocab.fields.get(path)!.type;
const DOMAIN_TYPES = { temporal: ['date', 'timestamp'], int: ['int'], string: ['string'], enum: ['enum'], bool: ['bool'] } as const;

const word = (v: string) => (v.includes('.') ? JSON.stringify(v) : v);

/**
 * A value of a field's kind, as policy text: a word of its enumeration, a number, text events use, a
 * date (maybe moved), a yes/no; often the value `own` the event at hand has there, so that equality
 * and each bound are met.
 */
function literal(t: FieldType, own?: unknown): fc.Arbitrary<string> {
  const any = ((): fc.Arbitrary<string> => {
    switch (t.t) {
      case 'enum':
      case 'set':
        // A value with a dot (`access.request`) would read as a field: quoted, it is the value.
        return fc.constantFrom(...t.values).map(word);
      case 'int':
        return fc.integer({ min: 0, max: 6 }).map(String);
      case 'string':
        return fc.constantFrom('"p-1"', '"a-1"', '"x"', '"nobody"');
      case 'date':
      case 'timestamp':
        return fc.tuple(fc.constantFrom(...DATES), fc.option(fc.constantFrom(...PERIODS.map((p) => ` plus ${p}`), ...PERIODS.map((p) => ` minus ${p}`)), { nil: '' })).map(([d, s]) => d + s);
      case 'bool':
        return fc.constantFrom('true', 'false');
    }
  })();
  const ownText = (): string[] => {
    if (own === undefined) return [];
    if (t.t === 'set') return (own as string[]).map(word);
    if (t.t === 'enum') return [word(own as string)];
    if (t.t === 'string') return [JSON.stringify(own)];
    if (t.t === 'timestamp') return [formatDate(cstDayOf(own as string)!)];
    return [String(own)];
  };
  const mine = ownText();
  return mine.length > 0 ? fc.oneof(any, fc.constantFrom(...mine)) : any;
}

/** `op` asked of `path` (an accepted one), as the text a policy author would write. */
function written(op: Operator, path: string, own: unknown): fc.Arbitrary<string> {
  const t = typeOf(path);
  const word = fc.constantFrom(...spellings(op), ...(op.name === 'flag' ? [''] : []));
  const list = fc.uniqueArray(literal(t, own), { minLength: 1, maxLength: 3 }).map((vs) => `[${vs.join(', ')}]`);
  switch (op.name) {
    case 'flag':
      return fc.constant(path);
    case 'present':
    case 'absent':
      return word.map((w) => `${path} ${w}`);
    case 'meets':
      return fc.constantFrom(...vocab.codes.verification).map((code) => `${path} meets ${code}`);
    case 'has':
      return literal(t, own).map((v) => `${path} has ${v}`);
    case 'oneOf':
    case 'notOneOf':
    case 'hasAny':
    case 'hasAll':
      return list.map((l) => `${path} ${op.words} ${l}`);
    default: {
      // A comparison: with a value, or with another field of its domain (never two enumerations' fields).
      const others = t.t === 'enum' ? [] : fieldsOf(DOMAIN_TYPES[domainOf(t)]).filter((p) => p !== path);
      const right = others.length > 0 ? fc.oneof(literal(t, own), fc.constantFrom(...others)) : literal(t, own);
      return fc.tuple(word, right, fc.boolean()).map(([w, r, swap]) => (swap ? `${r} ${w} ${path}` : `${path} ${w} ${r}`));
    }
  }
}

function domainOf(t: FieldType): keyof typeof DOMAIN_TYPES {
  return t.t === 'date' || t.t === 'timestamp' ? 'temporal' : t.t === 'set' ? 'enum' : t.t;
}

/** Every identity some verification code is met by: the set `meets` reads must hold them all. */
const identities = Object.values(vocab.metBy).flat();

/** The fields `op` may be asked of: for a comparison, those of each domain it compares. */
function accepted(op: Operator): string[] {
  if (op.cond === 'cmp') return fieldsOf(op.domains.flatMap((d) => DOMAIN_TYPES[d]));
  const paths = fieldsOf(op.fields);
  return op.name === 'meets' ? paths.filter((p) => identities.every((v) => (typeOf(p) as { values: readonly string[] }).values.includes(v))) : paths;
}

const bundle = (when: string) =>
  buildBundle([
    vocabulary,
    { path: 'r/regulation.tiaoli', text: 'regulation r\n  in force from 2010-01-01\n  articles 1\n' },
    {
      path: 'r/article-01.tiaoli',
      text: `article 1 of r\nversion 1 in effect from 2010-01-01\n\nparagraph 1\n  zh "……"\n\nrule t\n  cites r article 1\n  on ${vocab.eventTypes.join(', ')}\n  when ${when}\n  then\n    deny\n`,
    },
  ]);

describe('each operator means one thing to the checker, both backends and Z3', () => {
  it.each(OPERATORS.map((op) => [op.name, op] as const))('%s, on every kind of operand it accepts', async (_, op) => {
    const paths = accepted(op);
    expect(paths.length, 'no field of the vocabulary takes it').toBeGreaterThan(0);
    const cases = fc
      .tuple(fc.constantFrom(...paths), fc.array(eventNear(DATES, PERIODS), { minLength: 1, maxLength: 3 }))
      .chain(([p, events]) => written(op, p, fieldReader(p)(events[0]!)).map((when) => [when, events] as const));
    await fc.assert(
      fc.asyncProperty(cases, async ([when, events]) => {
        const built = bundle(when);
        expect(built.diagnostics.filter((d) => d.severity === 'error'), when).toEqual([]);
        const policy = built.policy!;
        const rule = policy.checked.articles[0]!.rules[0]!;
        expect(operatorOf(rule.when)?.name, when).toBe(op.name);
        const jre = compileJre(policy.checked, policy.digest);
        const terms = eventTerms(z3, textConstants([policy.checked]), indexOf(policy.checked.vocabulary));
        const encoded = translator(terms, policy.checked.definitions, restDaysOf(policy.checked.calendar)).cond(rule.when);
        const prover = new Prover(z3, terms.schema.map((s) => s.holds), terms.calendar);
        for (const ev of events) {
          const compiled = policy.condition(rule.when)(ev, newScope(policy));
          const other = await decideJre(jre, ev);
          if ('error' in other) throw new Error(JSON.stringify(other.error));
          const a = await prover.check(pinned(terms, ev));
          if (a.status !== 'sat') throw new Error(`pinned event: ${a.status}`);
          const where = `${when}\n${JSON.stringify(ev)}`;
          expect(other.trace.length === 1, `json-rules-engine: ${where}`).toBe(compiled);
          expect(z3.isTrue(a.model.eval(encoded, true)), `Z3: ${where}`).toBe(compiled);
        }
      }),
      { numRuns: RUNS },
    );
  }, 120_000);

  it.each(OPERATORS.map((op) => [op.name, op] as const))('%s, asked of a field of a kind it does not take, is an error', (_, op) => {
    const taken = new Set(accepted(op));
    const refused = vocab.fieldPaths.filter((p) => !taken.has(p));
    if (refused.length === 0) return;
    fc.assert(
      fc.property(
        fc.constantFrom(...refused).chain((p) => literal(typeOf(p)).map((v) => [p, v] as const)),
        ([path, value]) => {
          const rest = op.cond === 'cmp' || op.name === 'has' || op.name === 'meets' ? ` ${value}` : op.cond === 'present' || op.cond === 'flag' ? '' : ` [${value}]`;
          const when = op.name === 'flag' ? path : `${path} ${op.cond === 'cmp' ? (op.symbol ?? op.words) : op.words}${rest}`;
          expect(bundle(when).diagnostics.filter((d) => d.severity === 'error').map((d) => d.code), when).not.toEqual([]);
        },
      ),
      { numRuns: Math.min(RUNS, 30) },
    );
  });
});

describe('the table says what it is asked of, and no less', () => {
  it('presence takes every field; a comparison, each domain it names', () => {
    expect(accepted(OPERATORS.find((o) => o.name === 'present')!)).toEqual(vocab.fieldPaths);
    for (const op of OPERATORS) if (op.cond === 'cmp') for (const d of op.domains) expect(fieldsOf(DOMAIN_TYPES[d]).length, `${op.name} ${d}`).toBeGreaterThan(0);
  });
});
