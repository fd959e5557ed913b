// The reference interpreter (engine/reference/) on the README's own examples of "Meaning, precisely",
// and a disagreement it found with the compiled engine, fixed there: citations ordered by paragraph
// as text past 9999.
import { describe, expect, it } from 'vitest';
import { compileJre, decideJre } from '../../engine/backends/jre.js';
import { buildBundle, decide, type Decision } from '../../engine/index.js';
import { dateText, dayOfDateText, dayOfTimestamp, pastRest, plusPeriod } from '../../engine/reference/days.js';
import { interpret } from '../../engine/reference/interpret.js';
import { calendarSource, event, ninetyDayRevision, shippedPolicy, vocabularySource } from '../helpers.js';

const day = (text: string) => dayOfDateText(text)!;

describe('the reference interpreter’s calendar', () => {
  it('counts a timestamp as the CST date on which it falls', () => {
    expect(dateText(dayOfTimestamp('2016-11-30T16:00:00Z')!)).toBe('2016-12-01');
    expect(dateText(dayOfTimestamp('2016-11-30T15:59:59.999Z')!)).toBe('2016-11-30');
    expect(dateText(dayOfTimestamp('2016-12-01T00:00:00+09:00')!)).toBe('2016-11-30');
  });

  it('adds months keeping the day of the month or taking the month’s last, then days; minus goes back alike', () => {
    expect(dateText(plusPeriod(day('2021-01-31'), { years: 0, months: 1, days: 0 }, 1))).toBe('2021-02-28');
    expect(dateText(plusPeriod(day('2020-02-29'), { years: 1, months: 0, days: 0 }, 1))).toBe('2021-02-28');
    expect(dateText(plusPeriod(day('2020-01-31'), { years: 0, months: 1, days: 1 }, 1))).toBe('2020-03-01');
    expect(dateText(plusPeriod(day('2020-03-31'), { years: 0, months: 1, days: 0 }, -1))).toBe('2020-02-29');
    expect(dateText(plusPeriod(day('0050-06-15'), { years: 0, months: 0, days: 60 }, 1))).toBe('0050-08-14');
  });

  it('moves a rest day to the first working day after the rest, and leaves a working day', () => {
    const { calendar } = shippedPolicy().checked;
    // National Day 2018 rests 10-01 to 10-07; 09-29 and 09-30 (a weekend) are worked.
    expect(dateText(pastRest(calendar, day('2018-10-01')))).toBe('2018-10-08');
    expect(dateText(pastRest(calendar, day('2018-09-29')))).toBe('2018-09-29');
    expect(dateText(pastRest(calendar, day('2018-09-28')))).toBe('2018-09-28');
    // A Saturday outside the declared years moves to the Monday.
    expect(dateText(pastRest(calendar, day('2030-01-05')))).toBe('2030-01-07');
  });
});

describe('the reference interpreter decides', () => {
  it('as the compiled engine on the shipped fixtures, refusals included', async () => {
    const policy = shippedPolicy();
    const jre = compileJre(policy.checked, policy.digest);
    const types = ['account.register', 'content.publish', 'interaction.post', 'content.flagged', 'record.delete', 'access.request', 'identity.disclosure', 'feature.launch'] as const;
    const decisions = types.map((t) => event(t)).map((ev) => [decide(policy, ev) as Decision, interpret(policy.checked, policy.digest, ev), ev] as const);
    expect(decisions.some(([d]) => !d.allowed)).toBe(true);
    for (const [compiled, reference, ev] of decisions) {
      expect(JSON.stringify(reference)).toBe(JSON.stringify(compiled));
      expect(JSON.stringify(await decideJre(jre, ev))).toBe(JSON.stringify(compiled));
    }
  });

  it('which of two retentions of one record kind binds, as the compiled engine: the latest until, both rules cited', async () => {
    const policy = ninetyDayRevision();
    const jre = compileJre(policy.checked, policy.digest);
    const publish = event('content.publish', { occurredAt: '2019-03-01T10:00:00+08:00' });
    const del = event('record.delete', { occurredAt: '2019-04-30T23:00:00+08:00', record: { kind: 'content_and_logs', createdAt: '2019-03-01T10:00:00+08:00' } });
    for (const ev of [publish, del]) {
      const reference = interpret(policy.checked, policy.digest, ev);
      expect(reference.retention.filter((r) => r.record === 'content_and_logs')).toEqual([
        { record: 'content_and_logs', period: 'P60D', until: '2019-04-30', binding: false },
        { record: 'content_and_logs', period: 'P90D', until: '2019-05-30', binding: true },
      ]);
      expect(reference.citations).toEqual(expect.arrayContaining([{ regulation: 'live-2016', article: 16, paragraph: 1 }, { regulation: 'notice-2018', article: 4, paragraph: 3 }]));
      expect(JSON.stringify(reference)).toBe(JSON.stringify(decide(policy, ev)));
      expect(JSON.stringify(await decideJre(jre, ev))).toBe(JSON.stringify(reference));
    }
    // Past the sixtieth day only ninety days keep the record: one entry, which says nothing of binding.
    const later = interpret(policy.checked, policy.digest, { ...del, occurredAt: '2019-05-01T00:00:00+08:00' });
    expect(later.retention).toEqual([{ record: 'content_and_logs', period: 'P90D', until: '2019-05-30' }]);
  });

  it('citations in order of paragraph by number, past paragraph 9999 too', async () => {
    const article = `article 1 of big
version 1 in effect from 2016-12-01

paragraph 9999
  zh "第九千九百九十九款。"

paragraph 10000
  zh "第一万款。"

rule cites-10000
  cites big article 1 paragraph 10000
  on content.publish
  then
    require label news_source

rule cites-9999
  cites big article 1 paragraph 9999
  on content.publish
  then
    require label synthetic_content
`;
    const built = buildBundle([
      vocabularySource(),
      calendarSource(),
      { path: 'big/regulation.tiaoli', text: 'regulation big\n  title zh "大"\n  in force from 2016-12-01\n  articles 1\n' },
      { path: 'big/article-01.tiaoli', text: article },
    ]);
    expect(built.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const policy = built.policy!;
    const ev = event('content.publish');
    const expected = [9999, 10000];
    const paragraphs = (d: Decision) => d.citations.map((c) => c.paragraph);
    expect(paragraphs(interpret(policy.checked, policy.digest, ev))).toEqual(expected);
    expect(paragraphs(decide(policy, ev) as Decision)).toEqual(expected);
    expect(paragraphs((await decideJre(compileJre(policy.checked, policy.digest), ev)) as Decision)).toEqual(expected);
  });
});
