// The holiday calendar: the shipped file checked day by day against an independent dataset (the npm
// package chinese-days), its checker's diagnostics, and art. 203's moved last day.
import { isWorkday } from 'chinese-days';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildBundle, readPolicyDir, SHIPPED_POLICIES } from '../../engine/index.js';
import { format } from '../../language/format.js';
import { formatDate, isRestDay, parseDate, pastRestDays, restDaysOf, weekday, yearOf, type DayNumber } from '../../language/calendar.js';
import { calendarSource, vocabularySource } from '../helpers.js';

const day = (s: string): DayNumber => parseDate(s)!;
const shipped = buildBundle([vocabularySource(), calendarSource()]).checked.calendar;
const rest = restDaysOf(shipped);
const [FIRST, LAST] = [day('2016-01-01'), day('2026-12-31')];
/** chinese-days' answer: the first day on or after `d` it calls a working day. */
const theirWorkingDay = (d: DayNumber): DayNumber => {
  let n = d;
  while (!isWorkday(formatDate(n))) n++;
  return n;
};

describe('the shipped holiday calendar', () => {
  it('declares every year from 2016 to 2026, each with its notice as a source', () => {
    expect(shipped.years.map((y) => y.year)).toEqual([2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026]);
    for (const y of shipped.years) expect(y.sources[0]).toContain(`国务院办公厅关于${y.year}年部分节假日安排的通知`);
  });

  it('agrees with chinese-days on every day from 2016-01-01 to 2026-12-31', () => {
    // The dataset answers as the notices do where it is sure: a check that it is read right.
    expect([isWorkday('2018-10-01'), isWorkday('2018-09-29'), isWorkday('2018-10-08')]).toEqual([false, true, true]);
    const differ: string[] = [];
    for (let d = FIRST; d <= LAST; d++) if (isRestDay(rest, d) === isWorkday(formatDate(d))) differ.push(formatDate(d));
    expect(differ).toEqual([]);
  });

  it('reads the amending notices: 2019 Labour Day of four days, 2020 Spring Festival to 02-02', () => {
    expect(['2019-05-03', '2019-05-04', '2020-02-01', '2020-02-02'].map((d) => isRestDay(rest, day(d)))).toEqual([true, true, true, true]);
    expect(['2019-04-28', '2019-05-05', '2020-01-19', '2020-02-03'].map((d) => isRestDay(rest, day(d)))).toEqual([false, false, false, false]);
  });
});

describe('art. 203: a last day on a rest day moves to the first working day after the rest', () => {
  const moved = (d: string) => formatDate(pastRestDays(rest, day(d)));

  it('moves across holidays and weekends, and keeps working days and weekend days worked', () => {
    expect(moved('2018-10-01')).toBe('2018-10-08');
    expect(moved('2018-10-07')).toBe('2018-10-08');
    expect(moved('2018-09-29')).toBe('2018-09-29');
    expect(moved('2018-09-30')).toBe('2018-09-30');
    expect(moved('2018-10-08')).toBe('2018-10-08');
    expect(moved('2023-09-29')).toBe('2023-10-07');
    expect(moved('2019-06-01')).toBe('2019-06-03');
  });

  it('outside the declared years, moves past the weekly rest only', () => {
    expect(moved('2030-01-05')).toBe('2030-01-07');
    expect(moved('2030-01-06')).toBe('2030-01-07');
    expect(moved('2030-01-01')).toBe('2030-01-01');
  });

  const days = fc.integer({ min: day('2010-01-01'), max: day('2032-12-31') });

  it('is never a rest day, never earlier than the plain day, and the plain day itself on a working day', () => {
    fc.assert(
      fc.property(days, (d) => {
        const m = pastRestDays(rest, d);
        expect(isRestDay(rest, m)).toBe(false);
        expect(m).toBeGreaterThanOrEqual(d);
        if (!isRestDay(rest, d)) expect(m).toBe(d);
        // Outside the declared years only the weekly rest moves a day: a Saturday's is the Monday.
        if (yearOf(d) > 2026 || yearOf(d) < 2016) expect(m - d).toBe(weekday(d) === 5 ? 2 : weekday(d) === 6 ? 1 : 0);
      }),
    );
  });

  it('agrees with chinese-days within the declared years', () => {
    const covered = fc.integer({ min: FIRST, max: LAST }).filter((d) => yearOf(pastRestDays(rest, d)) <= 2026);
    fc.assert(
      fc.property(covered, (d) => {
        expect(formatDate(pastRestDays(rest, d))).toBe(formatDate(theirWorkingDay(d)));
      }),
    );
  });
});

describe('the calendar checker', () => {
  const checked = (text: string) => buildBundle([vocabularySource(), { path: 'calendar.tiaoli', text }]).diagnostics.filter((d) => d.span.file === 'calendar.tiaoli' && d.code !== 'TL022');
  const at = (text: string) => checked(text).map((d) => `${d.code} ${d.span.start.line}:${d.span.start.column}`);

  it('accepts a well-formed year', () => {
    expect(at('calendar c\nyear 2018 source "s"\n  holiday zh "国庆节" en "National Day" from 2018-10-01 to 2018-10-07\n    worked 2018-09-29, 2018-09-30\n')).toEqual([]);
  });

  it('points at each mistake, with help in both languages', () => {
    const text = [
      'calendar c',
      'year 2018 source "s"',
      '  holiday zh "国庆节" en "National Day" from 2018-10-01 to 2018-10-07 worked 2018-10-08, 2018-10-06',
      '  holiday zh "中秋节" en "Mid-Autumn Festival" on 2018-10-03',
      '  holiday zh "春节" en "Spring Festival" on 2019-02-05',
      'year 2018 source "again"',
      'year 2020',
      '',
    ].join('\n');
    expect(at(text)).toEqual(['TL085 3:75', 'TL084 3:87', 'TL084 4:3', 'TL083 5:43', 'TL081 6:6', 'TL082 7:6', 'TL087 7:6']);
    for (const d of checked(text)) expect([d.help.length, d.helpZh.length]).not.toContain(0);
    expect(checked(text).map((d) => d.message)).toContain('2018-10-08 is a Monday: only a Saturday or a Sunday is worked in exchange (调休)');
  });
});

describe('`moved past rest days` in a rule', () => {
  const header = 'article 12 of live-2016\nversion 1 in effect from 2016-12-01\nparagraph 1 zh "……"\nparagraph 2 zh "……"\n';
  const shippedWith = (rule: string) => {
    const files = readPolicyDir(SHIPPED_POLICIES).filter((s) => s.path !== 'live-2016/article-12.tiaoli');
    return buildBundle([...files, { path: 'live-2016/article-12.tiaoli', text: `${header}${rule}\n` }]).diagnostics.filter((d) => d.span.file === 'live-2016/article-12.tiaoli');
  };
  const at = (rule: string) => shippedWith(rule).map((d) => `${d.code} ${d.span.start.line}:${d.span.start.column}`);
  const rule = (when: string) => `rule r cites live-2016 article 12 paragraph 1 on content.publish when ${when} then deny`;

  it('takes a date, a date field, or either shifted, wherever a date stands', () => {
    expect(at(rule('occurredAt on or before 2018-08-01 plus P2M moved past rest days'))).toEqual([]);
    expect(at(rule('provider.launchedAt moved past rest days before occurredAt'))).toEqual([]);
    expect(at('rule r cites live-2016 article 12 paragraph 1 on content.publish then oblige public_security_filing due provider.launchedAt plus P30D moved past rest days')).toEqual([]);
  });

  it('refuses what is not a date (TL053), and a written date outside the declared years (TL088)', () => {
    expect(at(rule('actor.priorViolations moved past rest days > 2'))).toEqual(['TL053 5:71']);
    const [d, ...others] = shippedWith(rule('occurredAt before 2026-12-31 plus P1D moved past rest days'));
    expect([`${d!.code} ${d!.span.start.line}:${d!.span.start.column}`, others]).toEqual(['TL088 5:89', []]);
    expect(d!.message).toBe('2027-01-01 is outside the years the holiday calendar declares (2016 to 2026)');
    expect(d!.help).toContain('国务院办公厅关于2027年部分节假日安排的通知');
    expect(at(rule('occurredAt before 2026-12-31 moved past rest days'))).toEqual([]);
  });

  it('is printed back by the formatter as it was written', () => {
    const text = `${header}\n${rule('occurredAt on or before 2018-08-01 plus P2M moved past rest days')}\n`;
    expect(format({ path: 'live-2016/article-12.tiaoli', text }).text).toContain('occurredAt on or before 2018-08-01 plus P2M moved past rest days');
  });
});
