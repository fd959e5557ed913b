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

// An event's times are asked after several times while it is decided (validation, the in-force
// check, its rules): the answers for the last two are kept, for an event's time and its record's.
const recent: [string | undefined, DayNumber | undefined][] = [
  [undefined, undefined],
  [undefined, undefined],
];
let older = 0;

/** The CST calendar date on which an RFC 3339 instant falls: 2019-12-31T16:30:00Z is 2020-01-01. */
export function cstDayOf(timestamp: string): DayNumber | undefined {
  if (recent[0]![0] === timestamp) return recent[0]![1];
  if (recent[1]![0] === timestamp) return recent[1]![1];
  const ms = Date.parse(timestamp);
  const day = Number.isNaN(ms) ? undefined : Math.floor((ms + CST_OFFSET_MS) / DAY_MS);
  recent[older] = [timestamp, day];
  older = 1 - older;
  return day;
}

export function formatDate(day: DayNumber): string {
  const [y, m, d] = civil(day);
  // Outside years 0–9999 a date keeps the form toISOString gives it.
  if (y < 0 || y > 9999) return new Date(day * DAY_MS).toISOString().slice(0, 10);
  return `${String(y).padStart(4, '0')}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
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
