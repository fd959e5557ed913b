// The reference interpreter's calendar, written from README "Meaning, precisely" (Time, Periods,
// Rest days) with nothing taken from language/calendar.ts, which the fast path uses: a date is a
// year, month and day in China Standard Time, counted as whole days since 1970-01-01 by JavaScript's
// own Date arithmetic. Plain rather than fast.
import type { HolidayCalendar } from '../../language/checked.js';
import type { Period } from '../../language/calendar.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const CST_MS = 8 * 60 * 60 * 1000;

/** The day number of a proleptic Gregorian date; month 1–12. setUTCFullYear, since Date.UTC reads years 0–99 as 1900–1999. */
function dayOfDate(year: number, month: number, day: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  return Math.round(d.getTime() / DAY_MS);
}

/** Year, month (1–12) and day of the month of a day number. */
function dateOfDay(day: number): { year: number; month: number; day: number } {
  const d = new Date(day * DAY_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

function monthLength(year: number, month: number): number {
  // Day 0 of the next month is this month's last.
  const d = new Date(0);
  d.setUTCFullYear(year, month, 0);
  return d.getUTCDate();
}

/** A `YYYY-MM-DD` date field's day, or undefined when it names no date. */
export function dayOfDateText(text: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1 || day > monthLength(year, month)) return undefined;
  return dayOfDate(year, month, day);
}

/** The CST date on which an RFC 3339 timestamp falls: 2016-11-30T16:00:00Z is 2016-12-01. */
export function dayOfTimestamp(text: string): number | undefined {
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : Math.floor((ms + CST_MS) / DAY_MS);
}

/** A day as the decision writes it, `YYYY-MM-DD`. */
export function dateText(day: number): string {
  const { year, month, day: d } = dateOfDay(day);
  if (year < 0 || year > 9999) return new Date(day * DAY_MS).toISOString().slice(0, 10);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/**
 * A day plus (sign 1) or minus (sign -1) a period: years count as twelve months; the months keep the
 * day of the month, or take the month's last day when it has none (2021-01-31 + P1M = 2021-02-28);
 * then the days.
 */
export function plusPeriod(day: number, period: Period, sign: 1 | -1): number {
  const start = dateOfDay(day);
  const months = start.month - 1 + sign * (period.years * 12 + period.months);
  const year = start.year + Math.floor(months / 12);
  const month = (((months % 12) + 12) % 12) + 1;
  const dayOfMonth = Math.min(start.day, monthLength(year, month));
  return dayOfDate(year, month, dayOfMonth) + sign * period.days;
}

/**
 * Whether a day is a rest day (法定休假日) by the calendar: a holiday holds it, or it is a Saturday or a
 * Sunday that no holiday makes a working day. Outside the declared years only the weekly rest is known.
 */
export function isRest(calendar: HolidayCalendar, day: number): boolean {
  const holidays = calendar.years.flatMap((y) => y.holidays);
  if (holidays.some((h) => h.from <= day && day <= h.to)) return true;
  const weekDay = new Date(day * DAY_MS).getUTCDay();
  const weekend = weekDay === 0 || weekDay === 6;
  return weekend && !holidays.some((h) => h.worked.includes(day));
}

/** `DATE moved past rest days`: the day, or when it rests, the first working day after (民法典 art. 203). */
export function pastRest(calendar: HolidayCalendar, day: number): number {
  let d = day;
  while (isRest(calendar, d)) d += 1;
  return d;
}
