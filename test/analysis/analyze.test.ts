// `analyze`: rules that never fire (and why), rules other rules cover, outcomes that contradict;
// on hand-made article files put into the shipped bundle, and on the shipped bundle itself.
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, type Finding } from '../../engine/analysis/analyze.js';
import { shows } from '../../engine/analysis/contradictions.js';
import { validate, type CompiledPolicy } from '../../engine/index.js';
import { HEADER } from '../../language/diagnostics.js';
import { decideShipped, shippedPolicy, shippedVocabulary } from '../helpers.js';
import { edited, useZ3 } from './bundles.js';

const { codes: CODES, eventTypes: EVENT_TYPES } = shippedVocabulary();

const z3 = useZ3();
const ARTICLE_12 = 'live-2016/article-12.tiaoli';

/** The findings about the rules of article 12, once its file is `rules` (under the usual header). */
async function findingsFor(rules: string): Promise<Finding[]> {
  const policy = edited({ path: ARTICLE_12, text: HEADER + rules });
  return [...(await analyze(z3(), policy, { only: (r) => r.file === ARTICLE_12 })).findings];
}

const rule = (name: string, body: string, cites = 'live-2016 article 12') => `rule ${name} cites ${cites} ${body}\n`;
const brief = (f: Finding) => [f.diagnostic.code, f.diagnostic.span.start.line, f.diagnostic.message];

describe('rules that can never fire', () => {
  it.each([
    ['before the regulation is in force', 'on content.publish when occurredAt before 2016-06-01 then deny', 'live-2016 is in force from 2016-12-01, but its condition requires occurredAt before 2016-06-01'],
    ['a condition at odds with a definition', 'on content.publish when content.form is video and live-broadcast then deny', 'its condition requires content.form is video and live-broadcast, which cannot hold together'],
    ['dates that exclude each other', 'on content.publish when occurredAt after 2020-01-01 and occurredAt before 2019-01-01 then deny', 'its condition requires occurredAt after 2020-01-01 and occurredAt before 2019-01-01, which cannot hold together'],
    ['what the Event schema requires', 'on record.delete when record is absent then deny', 'it is for record.delete; by the Event schema, a record.delete event has record, but its condition requires record is absent'],
    ['what the Event schema bounds', 'on content.publish when actor.priorViolations < 0 then deny', 'by the Event schema, actor.priorViolations is at least 0, but its condition requires actor.priorViolations < 0'],
    [
      'a retention that keeps nothing on the events it is for',
      'on record.delete when record.kind is network_logs then retain content_and_logs for P60D from occurredAt',
      'it is for record.delete; its retentions apply only when the deleted record is content_and_logs and within the period, or else when their start date is known, but its condition requires record.kind is network_logs',
    ],
  ])('%s: TL100 at the rule, with the reason', async (_, body, reason) => {
    expect((await findingsFor(rule('r', body))).map(brief)).toEqual([['TL100', 5, `rule r can never fire: ${reason}`]]);
  });

  it('a version in effect only before its regulation', async () => {
    const header = HEADER.replace('in effect from 2016-12-01', 'in effect from 2016-01-01 until 2016-06-01');
    const policy = edited({ path: ARTICLE_12, text: header + rule('r', 'on content.publish then deny') });
    const { findings } = await analyze(z3(), policy, { only: (r) => r.file === ARTICLE_12 });
    expect(findings.map(brief)).toEqual([
      ['TL100', 5, 'rule r can never fire: live-2016 is in force from 2016-12-01; live-2016 article 12 version 1 is in effect from 2016-01-01 until 2016-06-01: these cannot hold together'],
    ]);
  });
});

describe('rules other rules cover', () => {
  it('under the same citation: TL101, a warning naming the covering rule', async () => {
    const findings = await findingsFor(rule('a', 'on content.publish when actor.blacklisted then deny', 'live-2016 article 12 paragraph 1') + rule('b', 'on content.publish when actor.blacklisted and actor.agreementSigned then deny', 'live-2016 article 12 paragraph 1'));
    expect(findings.map(brief)).toEqual([['TL101', 6, 'rule b changes no decision: whenever it fires, live-2016/12/a at live-2016/article-12.tiaoli:5 gives the same outcomes and the same citation']]);
    expect(findings[0]!.diagnostic.severity).toBe('warning');
  });

  it('under another citation: TL102, an info saying the decision cites both', async () => {
    const findings = await findingsFor(rule('a', 'on content.publish when actor.blacklisted then deny', 'live-2016 article 12 paragraph 1') + rule('b', 'on content.publish when actor.blacklisted and actor.agreementSigned then deny', 'live-2016 article 12 paragraph 2'));
    expect(findings.map(brief)).toEqual([
      ['TL102', 6, 'whenever rule b fires, live-2016/12/a at live-2016/article-12.tiaoli:5 gives the same outcomes; the decision still cites both live-2016 12.2 and live-2016 12.1'],
    ]);
    expect(findings[0]!.diagnostic.severity).toBe('info');
  });

  it('only when every outcome is covered, with the same value: a longer retention is not covered by a shorter one', async () => {
    const findings = await findingsFor(
      rule('short', 'on content.publish when live-provider then retain content_and_logs for P60D from occurredAt take warn') +
        rule('long', 'on content.publish when live-provider then retain content_and_logs for P90D from occurredAt') +
        rule('warned', 'on content.publish when live-provider and actor.blacklisted then take warn'),
    );
    // `short` gives the same retention as live-2016 art. 16, but nothing else warns every live
    // provider's publisher; `long` keeps longer than anything else.
    expect(findings.map(brief)).toEqual([['TL101', 7, expect.stringContaining('rule warned changes no decision: whenever it fires, live-2016/12/short')]]);
  });

  it('names the fewest covering rules when no single rule covers', async () => {
    const findings = await findingsFor(
      rule('users', 'on content.publish when actor.role is user and actor.blacklisted then deny') +
        rule('publishers', 'on content.publish when actor.role is publisher and actor.blacklisted then deny') +
        rule('everyone', 'on content.publish when actor.role is one of [user, publisher] and actor.blacklisted then deny'),
    );
    expect(findings.map((f) => f.diagnostic.message)).toContainEqual(
      'rule everyone changes no decision: whenever it fires, live-2016/12/publishers at live-2016/article-12.tiaoli:6 and live-2016/12/users at live-2016/article-12.tiaoli:5 gives the same outcomes and the same citation',
    );
  });
});

describe('outcomes that contradict', () => {
  it('are the vocabulary\'s conflicts: the three the shipped one declares, each code one of its own', () => {
    const conflicts = shippedPolicy().checked.vocabulary.conflicts;
    expect(conflicts.map((c) => [c.first, c.second, c.on])).toEqual([
      [{ k: 'deny' }, { k: 'oblige', code: 'provide_identity_information' }, 'identity.disclosure'],
      [{ k: 'disposal', code: 'warn' }, { k: 'disposal', code: 'close_account' }, undefined],
      [{ k: 'oblige', code: 'supplement_materials' }, { k: 'disposal', code: 'stop_service' }, undefined],
    ]);
    const codes: Record<string, readonly string[]> = { verification: CODES.verification, label: CODES.label, disposal: CODES.disposal, oblige: CODES.obligation, retain: CODES.record };
    for (const c of conflicts) {
      for (const p of [c.first, c.second]) if (p.code !== undefined) expect(codes[p.k], `${p.k} ${p.code}`).toContain(p.code);
      if (c.on) expect(EVENT_TYPES).toContain(c.on);
    }
  });

  it('a refusal and an obligation to disclose on one event: TL103 at both rules, with a witness the engine decides so', async () => {
    const policy = edited({ path: ARTICLE_12, text: HEADER + rule('refuse', 'on identity.disclosure then deny') + rule('disclose', 'on identity.disclosure when requester.legalBasis then oblige provide_identity_information') });
    const { findings } = await analyze(z3(), policy, { only: (r) => r.file === ARTICLE_12 });
    // A refusal of every disclosure contradicts the shipped duties to disclose too (notice-2018 四, av-2019 art. 17).
    expect(findings.map((f) => [f.diagnostic.code, f.diagnostic.severity, f.diagnostic.span.start.line])).toEqual([
      ['TL103', 'error', 5],
      ['TL103', 'error', 5],
      ['TL103', 'error', 5],
      ['TL103', 'error', 6],
    ]);
    const finding = findings.find((f) => f.diagnostic.message.includes('live-2016/12/disclose'))!;
    expect(finding.diagnostic.message).toBe(
      'rule refuse (deny) and live-2016/12/disclose at live-2016/article-12.tiaoli:6 (oblige provide_identity_information) apply to the same event: the disclosure is refused, yet the identity information is owed',
    );
    const witness = finding.witness!;
    expect(validate(shippedVocabulary().vocabulary, witness).ok).toBe(true);
    expect(witness).toMatchObject({ type: 'identity.disclosure', requester: { legalBasis: true } });
    const d = decideShipped(witness, policy);
    const [refusedYetOwed] = shippedPolicy().checked.vocabulary.conflicts;
    expect(shows(d, refusedYetOwed!.first) && shows(d, refusedYetOwed!.second)).toBe(true);
  });

  it('rules whose conditions exclude each other do not contradict (the shipped art. 12: a legal basis or none)', async () => {
    const { findings } = await analyze(z3(), shippedPolicy(), { only: (r) => r.file === ARTICLE_12 });
    expect(findings).toEqual([]);
  });
});

describe('rules an absent fact switches off (TL104)', () => {
  // A duty no other rule gives on these events, so that nothing else covers for it.
  const agreement = (when: string) => rule('r', `on account.register when live-provider and ${when} then oblige handle_complaint`);

  it('a duty that an actor of unknown role escapes: the finding, with the event that escapes it, allowed, and the one it binds', async () => {
    const findings = await findingsFor(agreement('actor.role is publisher'));
    expect(findings.map(brief)).toEqual([
      ['TL104', 5, 'rule r does not apply to an event that leaves out actor.role, though it would if the event gave it ("publisher"), and the decision then allows: unknown is taken for compliant'],
    ]);
    expect(findings[0]!.diagnostic.severity).toBe('warning');
    const escaped = findings[0]!.witness!;
    expect(validate(shippedVocabulary().vocabulary, escaped).ok).toBe(true);
    expect(escaped.actor).toBeDefined();
    expect(escaped.actor).not.toHaveProperty('role');
    const policy = edited({ path: ARTICLE_12, text: HEADER + agreement('actor.role is publisher') });
    expect(decideShipped(escaped, policy).allowed).toBe(true);
    const bound = decideShipped({ ...escaped, actor: { ...escaped.actor!, role: 'publisher' } }, policy);
    expect(bound.obligations).toContainEqual({ code: 'handle_complaint' });
  });

  it('is not reported where the condition reads the absence in so many words', async () => {
    expect(await findingsFor(agreement('(actor.role is publisher or actor.role is absent)'))).toEqual([]);
  });

  it('is not reported for a fact the vocabulary requires, or whose absence it says is a no, and is once it does not', async () => {
    expect(await findingsFor(rule('r', 'on content.publish when provider.services has audio_video then deny'))).toEqual([]);
    const blacklisted = rule('r', 'on content.publish when live-provider and actor.blacklisted then deny');
    expect(await findingsFor(blacklisted)).toEqual([]);
    const silent = edited({ path: ARTICLE_12, text: HEADER + blacklisted }, { path: 'vocabulary.tiaoli', from: '    absent means false because "the provider keeps its own blacklist (live-2016 art. 15): an actor it does not mark is not on it"\n', to: '' });
    const { findings } = await analyze(z3(), silent, { only: (r) => r.file === ARTICLE_12 });
    expect(findings.map((f) => [f.diagnostic.code, f.diagnostic.message.match(/leaves out (\S+),/)?.[1]])).toEqual([['TL104', 'actor.blacklisted']]);
  });
});

describe('the shipped bundle', () => {
  // Analysed once for the tests below, whatever order they run in; its solver time is `npm run bench`'s.
  let analysed: Awaited<ReturnType<typeof analyze>>;
  const policy: () => CompiledPolicy = shippedPolicy;
  beforeAll(async () => {
    analysed = await analyze(z3(), policy());
  });

  it('is analysed rule by rule', () => {
    expect(analysed.rules).toBe(policy().checked.articles.flatMap((a) => a.rules).length);
  });

  it('has no dead rule, no contradiction and no rule an absent fact switches off; four rules repeat what another provision decides, and are kept to cite their own (README)', () => {
    expect(analysed.findings.map((f) => [f.diagnostic.code, f.diagnostic.span.file, f.diagnostic.message.replace(/ at \S+/g, '')])).toEqual([
      ['TL102', 'av-2019/article-11.tiaoli', 'whenever rule no-synthetic-false-news fires, av-2019/9/no-prohibited-content gives the same outcomes; the decision still cites both av-2019 11.2 and av-2019 9'],
      ['TL102', 'live-2016/article-11.tiaoli', 'whenever rule users-interact-lawfully fires, live-2016/9/no-prohibited-live-content gives the same outcomes; the decision still cites both live-2016 11.3 and live-2016 9'],
      ['TL102', 'live-2016/article-11.tiaoli', 'whenever rule publishers-provide-lawful-content fires, live-2016/9/no-prohibited-live-content gives the same outcomes; the decision still cites both live-2016 11.2 and live-2016 9'],
      ['TL102', 'notice-2018/article-04.tiaoli', 'whenever rule content-and-logs-kept fires, live-2016/16/content-and-logs-kept-sixty-days gives the same outcomes; the decision still cites both notice-2018 4.3 and live-2016 16.1'],
    ]);
  });
});
