import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addPeriod, cstDayOf, formatDate, parseDate, parsePeriod } from '../../language/calendar.js';

const day = (s: string) => parseDate(s)!;
const plus = (d: string, p: string, sign: 1 | -1 = 1) => formatDate(addPeriod(day(d), parsePeriod(p)!, sign));

describe('the CST calendar', () => {
  it('reads only real dates', () => {
    expect(parseDate('2016-12-01')).toBeDefined();
    expect(parseDate('2020-02-29')).toBeDefined();
    for (const bad of ['2019-02-29', '2016-13-01', '2016-00-10', '2016-04-31', '16-12-01', '2016-12-1']) expect(parseDate(bad)).toBeUndefined();
  });

  it('places an instant on its Beijing date', () => {
    expect(formatDate(cstDayOf('2016-11-30T16:00:00Z')!)).toBe('2016-12-01');
    expect(formatDate(cstDayOf('2016-11-30T15:59:59Z')!)).toBe('2016-11-30');
    expect(formatDate(cstDayOf('2019-12-31T16:30:00Z')!)).toBe('2020-01-01');
    expect(formatDate(cstDayOf('2020-01-01T00:00:00+08:00')!)).toBe('2020-01-01');
    expect(formatDate(cstDayOf('2019-12-31T11:00:00-05:00')!)).toBe('2020-01-01');
    expect(cstDayOf('not a time')).toBeUndefined();
  });

  it('adds periods on the calendar', () => {
    expect(plus('2021-01-15', 'P6M')).toBe('2021-07-15');
    expect(plus('2021-01-31', 'P1M')).toBe('2021-02-28');
    expect(plus('2020-01-31', 'P1M')).toBe('2020-02-29');
    expect(plus('2020-02-29', 'P1Y')).toBe('2021-02-28');
    expect(plus('2016-12-01', 'P60D')).toBe('2017-01-30');
    expect(plus('2018-08-01', 'P2M')).toBe('2018-10-01');
    expect(plus('2018-08-01', 'P30D')).toBe('2018-08-31');
    expect(plus('2018-12-31', 'P2W')).toBe('2019-01-14');
    expect(plus('2018-03-31', 'P1M', -1)).toBe('2018-02-28');
    expect(plus('0050-06-01', 'P1Y')).toBe('0051-06-01');
  });

  it('reads date-only ISO 8601 periods and nothing else', () => {
    expect(parsePeriod('P1Y2M3W4D')).toEqual({ years: 1, months: 2, days: 25 });
    for (const bad of ['P', 'PT1H', 'P1DT2H', 'P1.5D', 'P1D1M', '60D']) expect(parsePeriod(bad)).toBeUndefined();
  });

  it('adding days and subtracting them again is the identity', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40_000 }), fc.integer({ min: 0, max: 5000 }), (d, n) => {
        const p = { years: 0, months: 0, days: n };
        expect(addPeriod(addPeriod(d, p), p, -1)).toBe(d);
      }),
    );
  });

  it('adding months never moves past the end of the target month', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40_000 }), fc.integer({ min: 0, max: 120 }), (d, months) => {
        const start = formatDate(d);
        const end = formatDate(addPeriod(d, { years: 0, months, days: 0 }));
        const total = Number(start.slice(0, 4)) * 12 + Number(start.slice(5, 7)) - 1 + months;
        expect(end.slice(0, 7)).toBe(`${String(Math.floor(total / 12)).padStart(4, '0')}-${String((total % 12) + 1).padStart(2, '0')}`);
        expect(Number(end.slice(8))).toBeLessThanOrEqual(Number(start.slice(8)));
      }),
    );
  });
});
