// The SMT translation agrees with the engine: for random bundles and events, Z3 with the event's
// values pinned finds exactly the decision engine/evaluate.ts makes, rule by rule and part by part.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildBundle, type CompiledPolicy, type Decision, type Event } from '../../engine/index.js';
import { newScope } from '../../engine/compile.js';
import { Calendar } from '../../engine/analysis/calendar-smt.js';
import { textConstants } from '../../engine/analysis/condition-smt.js';
import { decisionTerms, type Entry } from '../../engine/analysis/decision-smt.js';
import { eventTerms, pinned, TIMESTAMP_DAYS } from '../../engine/analysis/event-smt.js';
import { intOf, Prover, type Arith, type Bool, type Model, type Z3 } from '../../engine/analysis/solver.js';
import { timestampOf } from '../../engine/analysis/witness.js';
import { addPeriod, cstDayOf, formatDate, parseDate, parsePeriod } from '../../language/calendar.js';
import { eventNear } from '../arbitraries.js';
import { DATES, PERIODS, validBundle } from '../policy-arbitraries.js';
import { cited, decideShipped, shippedPolicy } from '../helpers.js';
import { validate } from '../../engine/validate.js';
import { useZ3 } from './bundles.js';
import { indexOf } from '../../language/vocabulary.js';

const loaded = useZ3();
let z3: Z3;
beforeAll(() => {
  z3 = loaded();
});

const RUNS = Number(process.env['ANALYSIS_RUNS'] ?? 50);

describe('calendar arithmetic in Z3', () => {
  const prover = (calendar: Calendar, day: Arith) => new Prover(z3, [day.ge(TIMESTAMP_DAYS.min), day.le(TIMESTAMP_DAYS.max)], calendar);

  it('moves a day by any period exactly as language/calendar.ts does', async () => {
    const calendar = new Calendar(z3);
    const day = z3.Int.const('d');
    const p = prover(calendar, day);
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: TIMESTAMP_DAYS.min + 1000 * 366, max: TIMESTAMP_DAYS.max - 1000 * 366 }),
        fc.constantFrom('P1M', 'P6M', 'P1Y', 'P2Y1M3D', 'P13M', 'P60D', 'P1Y2M', 'P400Y', 'P1000Y', 'P99Y11M'),
        fc.constantFrom(1 as const, -1 as const),
        async (d, text, sign) => {
          const period = parsePeriod(text)!;
          const moved = calendar.shift(day, period, sign);
          const a = await p.check([day.eq(d)]);
          if (a.status !== 'sat') throw new Error(a.status);
          expect(intOf(z3, a.model, moved)).toBe(addPeriod(d, period, sign));
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('proves what holds of every day, and finds a real day where something does not', async () => {
    const calendar = new Calendar(z3);
    const day = z3.Int.const('e');
    const p = prover(calendar, day);
    const months = (n: number) => calendar.shift(day, { years: 0, months: n, days: 0 }, 1);
    expect((await p.check([months(6).le(day.add(180))])).status).toBe('unsat');
    expect((await p.check([months(12).neq(calendar.shift(day, { years: 1, months: 0, days: 0 }, 1))])).status).toBe('unsat');
    const a = await p.check([months(1).neq(day.add(30)), months(1).gt(day.add(29))]);
    if (a.status !== 'sat') throw new Error(a.status);
    const d = intOf(z3, a.model, day);
    expect(addPeriod(d, parsePeriod('P1M')!)).toBe(d + 31);
  });

  it('writes a timestamp on each CST day a valid one can fall on', () => {
    for (const day of [TIMESTAMP_DAYS.min, TIMESTAMP_DAYS.min + 1, parseDate('2020-01-01')!, TIMESTAMP_DAYS.max - 2, TIMESTAMP_DAYS.max - 1, TIMESTAMP_DAYS.max]) {
      const t = timestampOf(day);
      expect(cstDayOf(t), t).toBe(day);
      expect(validate(shippedPolicy().checked.vocabulary, { id: 'e', type: 'feature.launch', occurredAt: t, provider: { id: 'p', services: [], businesses: [] }, feature: { id: 'f', deepSynthesis: false, mediaAttributes: false, socialMobilization: false } }).ok, t).toBe(true);
    }
  });
});

/** What a model says the decision's outcome parts are, in the engine's terms. */
function decisionInModel(m: Model, d: ReturnType<typeof decisionTerms>) {
  const truth = (b: Bool) => z3.isTrue(m.eval(b, true));
  const num = (a: Entry['day']) => intOf(z3, m, a);
  const listed = (entries: readonly Entry[]) =>
    [...new Set(entries.filter((e) => truth(e.present)).map((e) => `${e.group}|${e.tag}|${truth(e.dayPresent) ? formatDate(num(e.day)) : ''}`))].sort();
  return {
    allowed: truth(d.allowed),
    members: [...d.members].filter(([, b]) => truth(b)).map(([k]) => k).sort(),
    retention: listed(d.retention),
    obligations: listed(d.obligations),
  };
}

function decisionParts(d: Decision, keys: Iterable<string>) {
  const has = (key: string): boolean => {
    const [list, code] = key.split(/:(.*)/) as [string, string];
    if (list === 'citations') return cited(d).includes(code);
    return (d[list as 'verification' | 'labeling' | 'disposal'] as string[]).includes(code);
  };
  return {
    allowed: d.allowed,
    members: [...keys].filter(has).sort(),
    retention: d.retention.map((r) => `${r.record}|${r.period}|${r.until}`).sort(),
    obligations: d.obligations.map((o) => `${o.code}||${o.due ?? ''}`).sort(),
  };
}

async function agrees(policy: CompiledPolicy, ev: Event): Promise<void> {
  const terms = eventTerms(z3, textConstants([policy.checked]), indexOf(policy.checked.vocabulary));
  const d = decisionTerms(terms, policy.checked);
  // Every valid event meets the schema constraints; the prover refines the calendar until it agrees.
  const a = await new Prover(z3, terms.schema.map((s) => s.holds), terms.calendar).check(pinned(terms, ev));
  if (a.status !== 'sat') throw new Error(`pinned event: ${a.status}`);
  const m = a.model;
  for (const r of d.rules) {
    expect(z3.isTrue(m.eval(r.when, true)), `${r.rule.id} when`).toBe(policy.condition(r.rule.when)(ev, newScope(policy)));
  }
  const decision = decideShipped(ev, policy);
  expect(decisionInModel(m, d)).toEqual(decisionParts(decision, d.members.keys()));
}

describe('conditions and decisions in Z3', () => {
  it('random bundles: every valid event satisfies the schema constraints, and Z3 decides it as the engine does', async () => {
    const bundles = validBundle.map((files) => buildBundle(files).policy!).filter((p) => p !== undefined);
    await fc.assert(
      fc.asyncProperty(bundles, fc.array(eventNear(DATES, PERIODS), { minLength: 1, maxLength: 4 }), async (policy, events) => {
        for (const ev of events) await agrees(policy, ev);
      }),
      { numRuns: RUNS },
    );
  });

  it('the shipped bundle: Z3 decides events as the engine does', async () => {
    const policy = shippedPolicy();
    const dates = ['2016-12-01', '2018-08-01', '2018-10-01', '2020-01-01'];
    await fc.assert(
      fc.asyncProperty(eventNear(dates, ['P30D', 'P60D', 'P6M']), async (ev) => agrees(policy, ev)),
      { numRuns: RUNS },
    );
  });
});
