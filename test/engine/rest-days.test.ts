// `moved past rest days` read from an event field: both backends decide alike, as art. 203 says, and
// the Z3 encoding moves every day as language/calendar.ts does.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pastRest } from '../../engine/analysis/calendar-smt.js';
import { loadZ3, type LoadedZ3 } from '../../engine/analysis/z3-node.js';
import { compileJre, decideJre } from '../../engine/backends/jre.js';
import { buildBundle, decide, type CompiledPolicy } from '../../engine/index.js';
import { addPeriod, formatDate, isRestDay, parseDate, parsePeriod, pastRestDays, restDaysOf, type DayNumber } from '../../language/calendar.js';
import { calendarSource, vocabularySource } from '../helpers.js';

const day = (s: string): DayNumber => parseDate(s)!;
const DEADLINE = 'provider.launchedAt plus P30D moved past rest days';
const sources = [
  vocabularySource(),
  calendarSource(),
  { path: 'demo/regulation.tiaoli', text: 'regulation demo title zh "示例" in force from 2016-01-01 articles 1\n' },
  {
    path: 'demo/article-1.tiaoli',
    text: `article 1 of demo version 1 in effect from 2016-01-01\nparagraph 1 zh "……"\nrule file-within-thirty-days cites demo article 1 on content.publish when occurredAt on or before ${DEADLINE} then oblige public_security_filing due ${DEADLINE}\n`,
  },
];
const built = buildBundle(sources);
const policy = built.policy as CompiledPolicy;
const rest = restDaysOf(policy.checked.calendar);
const event = (launchedAt: string, occurredAt: string) => ({
  id: 'e',
  type: 'content.publish',
  occurredAt,
  provider: { id: 'p', services: ['live_broadcast'], businesses: [], launchedAt },
  actor: { id: 'a' },
  content: { id: 'c', form: 'video', category: 'general' },
});

describe('a deadline moved past rest days, from an event field', () => {
  it('compiles', () => expect(built.diagnostics.filter((d) => d.severity === 'error')).toEqual([]));

  it('is due on the first working day after the rest, in both backends', async () => {
    const jre = compileJre(policy.checked, policy.digest);
    // 2018-09-01 plus P30D is 2018-10-01, National Day: due 2018-10-08, the grace holds through it.
    for (const [occurredAt, due] of [
      ['2018-10-08T23:59:59+08:00', '2018-10-08'],
      ['2018-10-09T00:00:00+08:00', undefined],
    ] as const) {
      const d = decide(policy, event('2018-09-01', occurredAt));
      expect(JSON.stringify(await decideJre(jre, event('2018-09-01', occurredAt)))).toBe(JSON.stringify(d));
      expect('obligations' in d && d.obligations).toEqual(due ? [{ code: 'public_security_filing', due }] : []);
    }
  });

  it('agrees between the backends and with art. 203 for any launch day', async () => {
    const jre = compileJre(policy.checked, policy.digest);
    const P30D = parsePeriod('P30D')!;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: day('2016-01-01'), max: day('2028-06-30') }), async (launched) => {
        const due = pastRestDays(rest, addPeriod(launched, P30D));
        const ev = event(formatDate(launched), `${formatDate(due)}T12:00:00+08:00`);
        const d = decide(policy, ev);
        expect(JSON.stringify(await decideJre(jre, ev))).toBe(JSON.stringify(d));
        expect('obligations' in d && d.obligations).toEqual([{ code: 'public_security_filing', due: formatDate(due) }]);
      }),
      { numRuns: 200 },
    );
  });
});

describe('the Z3 encoding of moving past rest days', () => {
  let z3: LoadedZ3;
  beforeAll(async () => {
    z3 = await loadZ3();
  }, 60_000);
  afterAll(() => z3?.close());

  it('is a constant for a constant', () => {
    const t = pastRest(z3.z3, rest)(z3.z3.Int.val(day('2018-10-01')));
    expect(Number((t as unknown as { value: () => bigint }).value())).toBe(day('2018-10-08'));
  });

  it('moves every day as pastRestDays does: at the edges of the declared years, in the two amended years, and beyond', async () => {
    const { z3: ctx } = z3;
    const x = ctx.Int.const('x');
    const moved = pastRest(ctx, rest)(x);
    const wrong: string[] = [];
    const span = (from: string, to: string) => Array.from({ length: day(to) - day(from) + 1 }, (_, i) => day(from) + i);
    const days = [...span('2015-12-01', '2016-02-29'), ...span('2018-09-01', '2020-12-31'), ...span('2026-11-01', '2027-02-28'), day('2031-03-01'), day('2031-03-02')];
    for (const d of days) {
      const v = await ctx.simplify(ctx.substitute(moved, [x, ctx.Int.val(d)]));
      const got = ctx.isIntVal(v) ? Number(v.value()) : NaN;
      if (got !== pastRestDays(rest, d)) wrong.push(`${formatDate(d)} → ${got}`);
    }
    expect(wrong).toEqual([]);
  }, 120_000);

  it('proves the moved day is never a rest day, here in 2018', async () => {
    const { z3: ctx } = z3;
    const x = ctx.Int.const('x');
    const moved = pastRest(ctx, rest)(x);
    const solver = new ctx.Solver();
    // No day of the year moves earlier than itself, or onto a rest day (one year: the proof is slow).
    const [from, to] = [day('2018-01-01'), day('2018-12-31')];
    const restDays = Array.from({ length: to - from + 12 }, (_, i) => from + i).filter((d) => isRestDay(rest, d));
    solver.add(x.ge(from), x.le(to), ctx.Or(moved.lt(x), ...restDays.map((d) => moved.eq(d))));
    expect(await solver.check()).toBe('unsat');
  }, 120_000);
});
