// The China Standard Time calendar (UTC+8, no daylight saving): the only notion of "date" in
// Tiaoli. Dates are day numbers (days since 1970-01-01); periods are ISO 8601 with date parts only.

import type { HolidayCalendar } from './checked.js';

export const DAY_MS = 86_400_000;
const CST_OFFSET_MS = 8 * 3_600_000;

/** Days since 1970-01-01. */
export type DayNumber = number;

export interface Period {
  readonly years: number;
  readonly months: number;
  readonly days: number;
}

/** `YYYY-MM-DD` → day number, or undefined if no such calendar date. */
export function parseDate(text: string): DayNumber | undefined {
  return text.length === 10 ? dateAt(text, 0) : undefined;
}

// Dates are read character by character: rules read them for every event, and a regular
// expression's match array costs more than the reading.

/** The day of the `YYYY-MM-DD` at `i` in `text` (what follows it is not looked at), or undefined. */
function dateAt(text: string, i: number): DayNumber | undefined {
  if (text.charCodeAt(i + 4) !== 45 || text.charCodeAt(i + 7) !== 45) return undefined;
  const y = digitsAt(text, i, 4);
  const mo = digitsAt(text, i + 5, 2);
  const d = digitsAt(text, i + 8, 2);
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return undefined;
  return utcDay(y, mo, d);
}

/** The `n` decimal digits at `i` in `text` as a number, or -1 if any is not a digit. */
function digitsAt(text: string, i: number, n: number): number {
  let v = 0;
  for (let k = i; k < i + n; k++) {
    const d = text.charCodeAt(k) - 48;
    if (!(d >= 0 && d <= 9)) return -1;
    v = v * 10 + d;
  }
  return v;
}

/** The CST calendar date on which an RFC 3339 instant falls: 2019-12-31T16:30:00Z is 2020-01-01. */
export function cstDayOf(timestamp: string): DayNumber | undefined {
  // Deciding one event asks for the day of its time several times (validation, articles in
  // effect, conditions, retention): the last answer is kept.
  if (timestamp === lastTime) return lastDay;
  const usual = usualTimeDay(timestamp);
  const ms = usual === undefined ? Date.parse(timestamp) : 0;
  lastTime = timestamp;
  lastDay = usual ?? (Number.isNaN(ms) ? undefined : Math.floor((ms + CST_OFFSET_MS) / DAY_MS));
  return lastDay;
}
let lastTime: string | undefined;
let lastDay: DayNumber | undefined;

/**
 * The CST day of a time in the usual form, YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM) with every part
 * in range (no leap second), read character by character; undefined for anything else, which
 * Date.parse then reads. A fraction of a second never moves an instant across midnight.
 */
export function usualTimeDay(s: string): DayNumber | undefined {
  if (s.length < 20 || s.charCodeAt(10) !== 84 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return undefined;
  const date = dateAt(s, 0);
  const h = digitsAt(s, 11, 2);
  const m = digitsAt(s, 14, 2);
  const sec = digitsAt(s, 17, 2);
  if (date === undefined || h < 0 || h > 23 || m < 0 || m > 59 || sec < 0 || sec > 59) return undefined;
  let i = 19;
  if (s.charCodeAt(i) === 46) {
    const start = ++i;
    while (i < s.length && digitsAt(s, i, 1) >= 0) i++;
    if (i === start) return undefined;
  }
  let east = 0;
  if (i === s.length - 1) {
    if (s.charCodeAt(i) !== 90) return undefined;
  } else {
    const sign = s.charCodeAt(i);
    const th = digitsAt(s, i + 1, 2);
    const tm = digitsAt(s, i + 4, 2);
    if (i !== s.length - 6 || (sign !== 43 && sign !== 45) || s.charCodeAt(i + 3) !== 58 || th < 0 || th > 23 || tm < 0 || tm > 59) return undefined;
    east = (sign === 43 ? 1 : -1) * (th * 60 + tm);
  }
  // Minutes from the written date's midnight to the instant, in Beijing.
  return date + Math.floor((h * 60 + m - east + 8 * 60) / 1440);
}

/** A bound of a time range (`--from`, `?to=`): the instant as RFC 3339, or why the text names none. */
export type TimeBound = { readonly ok: true; readonly time: string } | { readonly ok: false; readonly problem: string };

/**
 * The one reading of a time bound, for the command line and the HTTP API alike: a CST date
 * (YYYY-MM-DD) stands for that day's first or last millisecond in Beijing; a time must be in the
 * usual RFC 3339 form with its offset, since a time without one would be read in whatever zone the
 * reading machine is set to. An impossible date (2019-02-30) is refused, never rolled over.
 */
export function parseTimeBound(text: string, edge: 'start' | 'end'): TimeBound {
  const day = text.length >= 10 ? dateAt(text, 0) : undefined;
  if (text.length === 10 && day !== undefined) return { ok: true, time: `${text}T${edge === 'start' ? '00:00:00.000' : '23:59:59.999'}+08:00` };
  if (usualTimeDay(text) !== undefined) return { ok: true, time: text };
  if (/^\d{4}-\d{2}-\d{2}(T|$)/.test(text) && day === undefined) return { ok: false, problem: `${text.slice(0, 10)} is not a date of the calendar` };
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(text)) return { ok: false, problem: `${text} has no UTC offset: add +08:00 for China Standard Time, or Z for UTC` };
  return { ok: false, problem: `${JSON.stringify(text)} is neither a date (YYYY-MM-DD, China Standard Time) nor an RFC 3339 time with its offset (2019-03-01T08:00:00+08:00)` };
}

export function formatDate(day: DayNumber): string {
  const [y, m, d] = civil(day);
  // Outside years 0–9999 a date keeps the form toISOString gives it.
  if (y < 0 || y > 9999) return new Date(day * DAY_MS).toISOString().slice(0, 10);
  return `${String(y).padStart(4, '0')}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
}

/** Monday 0 … Sunday 6 (1970-01-01, day 0, was a Thursday). */
export const weekday = (day: DayNumber): number => (((day + 3) % 7) + 7) % 7;

/** The year of a day. */
export const yearOf = (day: DayNumber): number => civil(day)[0];

/** The first day of a year. */
export const newYear = (year: number): DayNumber => utcDay(year, 1, 1);

/**
 * A holiday calendar as art. 203 reads it: the days its holidays rest, and the weekend days they
 * work. Every other day rests when it is a Saturday or a Sunday (the weekly rest), in the declared
 * years and outside them alike.
 */
export interface RestDays {
  readonly rest: ReadonlySet<DayNumber>;
  readonly worked: ReadonlySet<DayNumber>;
}

export function restDaysOf(calendar: HolidayCalendar): RestDays {
  const holidays = calendar.years.flatMap((y) => y.holidays);
  const rest = new Set<DayNumber>();
  for (const h of holidays) for (let d = h.from; d <= h.to; d++) rest.add(d);
  return { rest, worked: new Set(holidays.flatMap((h) => h.worked)) };
}

/** Whether a day is a 法定休假日: a holiday's, or a weekend day not worked. */
export const isRestDay = (r: RestDays, day: DayNumber): boolean => r.rest.has(day) || (weekday(day) >= 5 && !r.worked.has(day));

/**
 * The last day of a period by 民法典 art. 203 (民法通则 art. 154, 民法总则 art. 203 before it): the day
 * itself, or, when it is a rest day, the first working day after the rest ends.
 */
export function pastRestDays(r: RestDays, day: DayNumber): DayNumber {
  let d = day;
  while (isRestDay(r, d)) d++;
  return d;
}

/** The longest period a policy may name: any event date plus it stays within the calendar. */
const MAX_PERIOD_DAYS = 1000 * 366;

/** A period as the language writes it: years, months, weeks and days, each optional, in that order (groups 1–4). */
export const PERIOD_SYNTAX = /^P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$/;

/** `P60D`, `P2M`, `P1Y6M`, `P2W` → a period; undefined for time parts, anything malformed, or over 1000 years. */
export function parsePeriod(text: string): Period | undefined {
  const m = PERIOD_SYNTAX.exec(text);
  if (!m) return undefined;
  const n = (s: string | undefined) => (s === undefined ? 0 : Number(s));
  const p = { years: n(m[1]), months: n(m[2]), days: n(m[3]) * 7 + n(m[4]) };
  return p.years * 366 + p.months * 31 + p.days > MAX_PERIOD_DAYS ? undefined : p;
}

/**
 * date + period on the calendar: years and months first, keeping the day of the month, or the
 * month's last day where it has none (2021-01-31 + P1M = 2021-02-28), then days. Sign -1 subtracts.
 */
export function addPeriod(day: DayNumber, p: Period, sign: 1 | -1 = 1): DayNumber {
  const [y, m, d] = civil(day);
  const totalMonths = y * 12 + m - 1 + sign * (p.years * 12 + p.months);
  const year = Math.floor(totalMonths / 12);
  const month = totalMonths - year * 12 + 1;
  const dom = Math.min(d, daysInMonth(year, month));
  return utcDay(year, month, dom) + sign * p.days;
}

// Proleptic Gregorian arithmetic after H. Hinnant's days_from_civil and civil_from_days: the
// engine turns dates into days and back for every event, and a Date object costs more than this.

/** The day number of a date; month 1–12, day 1 to the month's last. */
function utcDay(year: number, month: number, day: number): DayNumber {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  return era * 146_097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719_468;
}

/** The date of a day number: year, month 1–12, day of the month. */
function civil(day: DayNumber): [number, number, number] {
  const z = day + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const month = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (month <= 2 ? 1 : 0), month, doy - Math.floor((153 * mp + 2) / 5) + 1];
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  return month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : MONTH_DAYS[month - 1]!;
}
