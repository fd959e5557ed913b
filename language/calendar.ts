// The China Standard Time calendar (UTC+8, no daylight saving): the only notion of "date" in
// Tiaoli. Dates are day numbers (days since 1970-01-01); periods are ISO 8601 with date parts only.

const DAY_MS = 86_400_000;
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
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return undefined;
  return utcDay(y, mo, d);
}

/** The CST calendar date on which an RFC 3339 instant falls: 2019-12-31T16:30:00Z is 2020-01-01. */
export function cstDayOf(timestamp: string): DayNumber | undefined {
  const ms = Date.parse(timestamp);
  return Number.isNaN(ms) ? undefined : Math.floor((ms + CST_OFFSET_MS) / DAY_MS);
}

export function formatDate(day: DayNumber): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** The longest period a policy may name: any event date plus it stays within the calendar. */
const MAX_PERIOD_DAYS = 1000 * 366;

/** `P60D`, `P2M`, `P1Y6M`, `P2W` → a period; undefined for time parts, anything malformed, or over 1000 years. */
export function parsePeriod(text: string): Period | undefined {
  const m = /^P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$/.exec(text);
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
  const d = new Date(day * DAY_MS);
  const totalMonths = d.getUTCFullYear() * 12 + d.getUTCMonth() + sign * (p.years * 12 + p.months);
  const year = Math.floor(totalMonths / 12);
  const month = totalMonths - year * 12 + 1;
  const dom = Math.min(d.getUTCDate(), daysInMonth(year, month));
  return utcDay(year, month, dom) + sign * p.days;
}

/** Date.UTC reads years 0–99 as 1900–1999; setUTCFullYear does not. */
function utcDay(year: number, month: number, day: number): DayNumber {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  return Math.round(d.getTime() / DAY_MS);
}

function daysInMonth(year: number, month: number): number {
  return utcDay(year, month + 1, 1) - utcDay(year, month, 1);
}
