// The holiday calendar file → the bundle's checked holiday calendar: each declared year's holidays
// (the runs of rest days its notices give) and the weekend days worked for them. A stage before the
// rules: `moved past rest days` reads what this declares.
import type * as A from './ast.js';
import { formatDate, newYear, parseDate, weekday, type DayNumber } from './calendar.js';
import type * as K from './checked.js';
import type { DiagnosticArgs, DiagnosticKind } from './diagnostics.js';
import type { Span } from './source.js';
import { missingNames } from './vocabulary.js';

type Report = (kind: DiagnosticKind, span: Span, args?: DiagnosticArgs) => void;

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const WEEKDAYS_ZH = ['周一', '周二', '周三', '周四', '周五', '周六', '周日'];

/** The calendar a bundle without a calendar file has: no year declared, every weekend a rest. */
export const EMPTY_CALENDAR: K.HolidayCalendar = { years: [] };

export function checkCalendar(files: readonly A.PolicyFile[], report: Report): K.HolidayCalendar {
  const calendars = files.filter((f): f is A.CalendarFile => f.kind === 'calendar');
  const [first, ...others] = calendars;
  for (const c of others) report('calendarTwice', c.id.span, { file: first!.path });
  if (!first) return EMPTY_CALENDAR;

  const years = new Map<number, { decl: A.YearDecl; checked: K.CalendarYear }>();
  /** What each day is already declared as, for a second declaration's message. */
  const declared = new Map<DayNumber, string>();
  const declare = (day: DayNumber, as: string, span: Span) => {
    const seen = declared.get(day);
    if (seen) report('calendarDayTwice', span, { date: formatDate(day), first: seen });
    else declared.set(day, as);
  };
  for (const y of first.years) {
    const year = y.year.value;
    const seen = years.get(year);
    if (seen) {
      report('calendarYearTwice', y.year.span, { year, line: seen.decl.span.start.line });
      continue;
    }
    if (y.sources.length === 0) report('calendarNoSource', y.year.span, { year });
    // A year's notice arranges its days, and the New Year holiday may start in the December before.
    const [lo, hi] = [newYear(year) - 31, newYear(year + 1) - 1];
    const day = (d: A.DateNode): DayNumber | undefined => {
      const n = parseDate(d.text);
      if (n === undefined) report('invalidDate', d.span, { text: d.text });
      else if (n < lo || n > hi) report('calendarDateOutsideYear', d.span, { date: d.text, year, before: year - 1 });
      else return n;
      return undefined;
    };
    const holidays: K.CalendarHoliday[] = [];
    for (const h of y.holidays) {
      const what = h.names.zh?.value ?? h.names.en?.value ?? `holiday from ${h.from.text}`;
      if (!h.names.zh || !h.names.en) report('missingNames', h.span, { what: 'holiday', whatZh: '假日', name: what, ...missingNames(h.names) });
      const from = day(h.from);
      const to = h.to ? day(h.to) : from;
      if (from === undefined || to === undefined) continue;
      if (to < from) {
        report('calendarHolidayBackwards', h.to!.span, { from: h.from.text, to: h.to!.text });
        continue;
      }
      for (let d = from; d <= to; d++) declare(d, `a rest day of ${what} (line ${h.span.start.line})`, h.span);
      const worked: DayNumber[] = [];
      for (const w of h.worked) {
        const d = day(w);
        if (d === undefined) continue;
        if (weekday(d) < 5) report('calendarWorkedWeekday', w.span, { date: w.text, weekday: WEEKDAYS[weekday(d)]!, weekdayZh: WEEKDAYS_ZH[weekday(d)]! });
        else declare(d, `a worked day of ${what} (line ${h.span.start.line})`, w.span);
        worked.push(d);
      }
      holidays.push({ zh: h.names.zh?.value ?? '', en: h.names.en?.value ?? '', from, to, worked });
    }
    years.set(year, { decl: y, checked: { year, file: first.path, sources: y.sources.map((s) => s.value), holidays } });
  }
  const ordered = [...years.values()].sort((a, b) => a.checked.year - b.checked.year);
  // A year left out between two declared ones would read its holidays as working days.
  for (let i = 1; i < ordered.length; i++) {
    const [a, b] = [ordered[i - 1]!.checked.year, ordered[i]!.checked.year];
    if (b !== a + 1) report('calendarGap', ordered[i]!.decl.year.span, { before: a, after: b, missing: a + 1 === b - 1 ? `${a + 1}` : `${a + 1} to ${b - 1}`, missingZh: a + 1 === b - 1 ? `${a + 1}` : `${a + 1} 至 ${b - 1}` });
  }
  return { years: ordered.map((y) => y.checked) };
}
