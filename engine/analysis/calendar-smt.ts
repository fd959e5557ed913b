// language/calendar.ts's `addPeriod` over Z3 terms. Days are added as they are (linear). Moving
// by months and years, which keeps the day of the month or takes the month's last day, is exact
// by abstraction and refinement:
//   · each move by k months is an uninterpreted function of the day, bounded by how far k months
//     can move any day (measured over one 400-year cycle, after which the calendar repeats);
//   · when a model of a query moves some day otherwise than addPeriod does, a lemma gives the
//     move exactly on that day's whole month (a day plus a constant, or the target month's last
//     day), and the query is solved again, asked to keep the moved days where they now are
//     (solver.ts).
// Every lemma is a fact of the calendar, so an unsat answer is a proof; a sat answer is taken only
// once its model agrees with addPeriod on every move it makes. (H. Hinnant's days_from_civil and
// civil_from_days in linear arithmetic, with divisions by constants, are exact too, and were the
// first encoding: Z3 then took over a minute to find a witness in a window of a few days, such as
// P6M against P180D, where the lemmas take milliseconds.)
import { addPeriod, pastRestDays, weekday, type DayNumber, type Period, type RestDays } from '../../language/calendar.js';
import { intOf, type Arith, type Bool, type Model, type Z3 } from './solver.js';

interface Move {
  readonly months: number;
  readonly day: Arith;
  readonly moved: Arith;
  /** Whether the day is itself the result of a move (`… minus P6M plus P6M`). */
  readonly nested: boolean;
}

const CYCLE_DAYS = 146_097;
const bounds = new Map<number, readonly [number, number]>();

/** How many days k months move a day, at least and at most, over every day of a 400-year cycle. */
function reach(months: number): readonly [number, number] {
  let b = bounds.get(months);
  if (!b) {
    let [lo, hi] = [Infinity, -Infinity];
    for (let d = 0; d < CYCLE_DAYS; d++) {
      const by = monthsLater(d, months) - d;
      if (by < lo) lo = by;
      if (by > hi) hi = by;
    }
    bounds.set(months, (b = [lo, hi]));
  }
  return b;
}

const monthsLater = (day: DayNumber, months: number): DayNumber => addPeriod(day, { years: 0, months: Math.abs(months), days: 0 }, months < 0 ? -1 : 1);

export class Calendar {
  private readonly moves = new Map<number, Move>();
  /** Terms that are moves by months, or days added to one. */
  private readonly derived = new Set<number>();
  private readonly functions = new Map<number, ReturnType<Z3['Function']['declare']>>();
  /** Facts of the calendar about the moves made so far; every query asserts them. */
  readonly lemmas: Bool[] = [];

  constructor(private readonly z3: Z3) {}

  /** `day` moved by `period` (backwards when sign is -1). */
  shift(day: Arith, period: Period, sign: 1 | -1): Arith {
    const { z3 } = this;
    // A date the policy names is moved here, on the calendar.
    if (z3.isIntVal(day)) return z3.Int.val(addPeriod(Number(day.value()), period, sign));
    const months = sign * (period.years * 12 + period.months);
    const byMonths = months === 0 ? day : this.byMonths(day, months);
    const moved = period.days === 0 ? byMonths : byMonths.add(sign * period.days);
    if (months !== 0 || this.derived.has(day.id())) this.derived.add(moved.id());
    return moved;
  }

  private byMonths(day: Arith, months: number): Arith {
    const { z3 } = this;
    let f = this.functions.get(months);
    if (!f) this.functions.set(months, (f = z3.Function.declare(`months${months > 0 ? '+' : ''}${months}`, z3.Int.sort(), z3.Int.sort())));
    const moved = f.call(day) as Arith;
    if (!this.moves.has(moved.id())) {
      this.moves.set(moved.id(), { months, day, moved, nested: this.derived.has(day.id()) });
      const [lo, hi] = reach(months);
      this.lemmas.push(z3.And(moved.sub(day).ge(lo), moved.sub(day).le(hi)));
    }
    return moved;
  }

  /**
   * The days the model moves, where it has them: what a check after a refinement is asked to keep.
   * Not the days that are themselves moved, which the refinement may just have corrected.
   */
  where(model: Model): Bool[] {
    return [...this.moves.values()].filter((m) => !m.nested).map(({ day }) => day.eq(model.eval(day, true)));
  }

  /** Lemmas correcting the model where it moves a day otherwise than the calendar does; none when it agrees. */
  refine(model: Model): Bool[] {
    const { z3 } = this;
    const num = (a: Arith) => intOf(z3, model, a);
    const fresh: Bool[] = [];
    for (const { months, day, moved } of this.moves.values()) {
      const d = num(day);
      if (num(moved) === monthsLater(d, months)) continue;
      // The month of d: its first day goes to the target month's first, and each day after it
      // keeps its distance, up to the target month's last day. Date counts on the same proleptic
      // Gregorian calendar, for any day a model gives.
      const first = d - new Date(d * 86_400_000).getUTCDate() + 1;
      const length = monthsLater(first, 1) - first;
      const target = monthsLater(first, months);
      const targetLength = monthsLater(target, 1) - target;
      const within = (from: number, to: number) => z3.And(day.ge(from), day.le(to));
      fresh.push(z3.Implies(within(first, first + Math.min(length, targetLength) - 1), moved.eq(day.add(target - first))));
      if (length > targetLength) fresh.push(z3.Implies(within(first + targetLength, first + length - 1), moved.eq(target + targetLength - 1)));
    }
    this.lemmas.push(...fresh);
    return fresh;
  }
}

/**
 * `day` moved past the rest days of `rest` (language/calendar.ts's pastRestDays, 民法典 art. 203):
 * a constant for a constant. Otherwise the weekly rest, a Saturday moved two days and a Sunday one,
 * except on the days where the holidays make it otherwise: each run of them sent to its working day
 * (a holiday's rest days, and the days leading into them, to the day after the rest; a weekend day
 * worked, to itself) by one ite. Exact, with no lemma to refine. The chain is built once, over a
 * day of its own, and each day moved is put in its place (building it costs more than solving it).
 */
export function pastRest(z3: Z3, rest: RestDays): (day: Arith) => Arith {
  let chain: { readonly over: Arith; readonly moved: Arith } | undefined;
  return (day) => {
    if (z3.isIntVal(day)) return z3.Int.val(pastRestDays(rest, Number(day.value())));
    if (!chain) {
      const over = z3.Int.const('rest-day');
      chain = { over, moved: restChain(z3, rest, over) };
    }
    return z3.substitute(chain.moved, [chain.over, day]) as Arith;
  };
}

function restChain(z3: Z3, rest: RestDays, day: Arith): Arith {
  const wd = day.add(3).mod(7);
  let moved = z3.If(wd.eq(5), day.add(2), z3.If(wd.eq(6), day.add(1), day)) as Arith;
  const declared = [...rest.rest, ...rest.worked];
  if (declared.length === 0) return moved;
  // The weekly rest alone, and where the holidays send a day instead: the same beyond a week of them.
  const weekly = (d: DayNumber): DayNumber => d + (weekday(d) === 5 ? 2 : weekday(d) === 6 ? 1 : 0);
  const [lo, hi] = [Math.min(...declared) - 7, Math.max(...declared) + 7];
  for (let d = lo; d <= hi; d++) {
    const to = pastRestDays(rest, d);
    if (to === weekly(d)) continue;
    // A run of days sent to the same day, or each to itself.
    const same = to === d;
    let end = d;
    while (end + 1 <= hi && pastRestDays(rest, end + 1) !== weekly(end + 1) && (same ? pastRestDays(rest, end + 1) === end + 1 : pastRestDays(rest, end + 1) === to)) end++;
    moved = z3.If(z3.And(day.ge(d), day.le(end)), same ? day : z3.Int.val(to), moved) as Arith;
    d = end;
  }
  return moved;
}
