// The one reader of time bounds (`--from`/`--to`, `/v1/log?from=`), checked against the calendar and
// against Date's own UTC arithmetic as an independent oracle of which dates exist.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cstDayOf, parseDate, parseTimeBound } from '../../language/calendar.js';
import { instant } from '../arbitraries.js';

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
/** Whether y-m-d exists, by Date: a day past the month's end rolls over into the next month. */
const exists = (y: number, m: number, d: number) => {
  const t = new Date(Date.UTC(y, m - 1, d));
  t.setUTCFullYear(y);
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
};
const ymd = fc.record({ y: fc.integer({ min: 1, max: 9999 }), m: fc.integer({ min: 1, max: 12 }), d: fc.integer({ min: 1, max: 31 }) });

describe('parseTimeBound', () => {
  it('takes exactly the dates that exist, each as its first and last millisecond in Beijing', () => {
    fc.assert(
      fc.property(ymd, ({ y, m, d }) => {
        const text = `${pad(y, 4)}-${pad(m)}-${pad(d)}`;
        const start = parseTimeBound(text, 'start');
        const end = parseTimeBound(text, 'end');
        expect(start.ok).toBe(exists(y, m, d));
        expect(end.ok).toBe(start.ok);
        if (!start.ok || !end.ok) {
          expect(start.ok ? '' : start.problem).toContain('is not a date of the calendar');
          return;
        }
        // The bounds fall on that CST day, and the next day starts one millisecond after the end.
        expect(cstDayOf(start.time)).toBe(parseDate(text));
        expect(cstDayOf(end.time)).toBe(parseDate(text));
        expect(Date.parse(end.time) - Date.parse(start.time)).toBe(86_400_000 - 1);
      }),
      { numRuns: 5000 },
    );
  });

  it('takes a time with its offset as it is, and refuses it without one, whatever the machine zone', () => {
    fc.assert(
      fc.property(instant, fc.constantFrom<'start' | 'end'>('start', 'end'), (t, edge) => {
        expect(parseTimeBound(t, edge)).toEqual({ ok: true, time: t });
        const local = t.replace(/(Z|[+-]\d{2}:\d{2})$/, '');
        const r = parseTimeBound(local, edge);
        expect(r.ok).toBe(false);
        expect(r.ok ? '' : r.problem).toContain('has no UTC offset');
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses rolled-over dates and times on them, and what is no time at all', () => {
    for (const text of ['2019-02-30', '2019-02-29', '2019-13-01', '2019-02-30T00:00:00+08:00', '2100-02-29']) expect(parseTimeBound(text, 'start')).toEqual({ ok: false, problem: `${text.slice(0, 10)} is not a date of the calendar` });
    for (const text of ['yesterday', '', '2019-3-1', '1551398400000', '2019-03-01 08:00:00+08:00']) expect(parseTimeBound(text, 'end').ok).toBe(false);
    expect(parseTimeBound('2020-02-29', 'start')).toEqual({ ok: true, time: '2020-02-29T00:00:00.000+08:00' });
  });
});
