// Unit tests for 网络音视频信息服务管理规定 (av-2019), one `describe` per article, written from the text
// (/work/shared/regulations/av-2019.zh.txt, .en.txt) and the rules in policies/av-2019/article-NN.tiaoli:
// for each operative article the case it allows, the case it forbids and its boundaries; for each
// non-operative article its declared reason.
import { describe, expect, it } from 'vitest';
import type { Decision, Event } from '../../engine/index.js';
import { cited, decideShipped, event, firedOf, laterFixtures, shippedArticle, shippedRegulation, type EventOverrides } from '../helpers.js';

// ---------------------------------------------------------------------------------------------
// Local helpers

type Over = EventOverrides;
type Content = Over['content'];

/** A time well inside the Regulations' force. */
const AT = '2020-06-01T12:00:00+08:00';

/**
 * An event at `AT` on an audio/video provider (no live broadcasting) in good standing, with `over`
 * merged in; `over.provider` is merged over that provider. Content defaults to a lawful video.
 */
function ev(type: Event['type'], over: Over = {}): Event {
  // Published and flagged content start from the lawful video; comments keep the helpers' comment.
  const content = type === 'content.publish' || type === 'content.flagged' ? { content: { ...laterFixtures.video, ...(over.content ?? {}) } } : {};
  return event(type, { occurredAt: AT, ...over, ...content, provider: { ...laterFixtures.avProvider, ...(over.provider ?? {}) } });
}

/** The event with one field dropped (e.g. `feature.securityAssessed`) or one object (`actor`). */
function without(e: Event, path: string): Event {
  const copy = JSON.parse(JSON.stringify(e)) as Record<string, Record<string, unknown>>;
  const [head, tail] = path.split('.') as [string, string | undefined];
  if (tail === undefined) delete copy[head];
  else delete copy[head]![tail];
  return copy as unknown as Event;
}

const rule = (article: number, name: string): string => `av-2019/${article}/${name}`;
const firedIn = (d: Decision, article: number): string[] => firedOf(d, 'av-2019', article).sort();
const ruleNames = (article: number): string[] => shippedArticle('av-2019', article).rules.map((r) => r.name).sort();

/**
 * A rule's outcomes as written, e.g. `['deny', 'take stop_transmission']`: for outcomes another article
 * also yields on every event this rule fires on (art. 9's refusal, art. 14's record and report), which
 * no decision can tell apart.
 */
function outcomesOf(article: number, name: string): string[] {
  const r = shippedArticle('av-2019', article).rules.find((x) => x.name === name);
  if (!r) throw new Error(`no rule ${name} in av-2019 article ${article}`);
  return r.outcomes.map((o) => {
    switch (o.k) {
      case 'deny':
        return 'deny';
      case 'disposal':
        return `take ${o.code}`;
      case 'label':
      case 'verification':
      case 'oblige':
        return `${o.k} ${o.code}`;
      case 'retain':
        return `retain ${o.record} ${o.periodText}`;
    }
  });
}

const liveOnly = { services: ['live_broadcast'] } as Over['provider'];
const nonReal = { synthetic: true, untrue: true } as Content;
const flagged = (content: Content = {}, over: Over = {}) => decideShipped(ev('content.flagged', { ...over, content: { prohibited: [], ...content } }));

// ---------------------------------------------------------------------------------------------

describe('regulation av-2019', () => {
  it('is declared with its titles, in force from 2020-01-01, with nineteen articles', () => {
    const reg = shippedRegulation('av-2019');
    expect(reg.titleZh).toBe('网络音视频信息服务管理规定');
    expect(reg.titleEn).toBe('Regulations on the Management of Network Audio and Video Information Services');
    expect(reg.articleCount).toBe(19);
  });

  it('quotes every paragraph in Chinese and English, one English paragraph to each Chinese one', () => {
    const paragraphs: Record<number, number> = { 2: 3, 11: 2, 12: 2, 17: 2 };
    for (let n = 1; n <= 19; n++) {
      const a = shippedArticle('av-2019', n);
      expect(a.paragraphs.map((p) => p.number), `art. ${n}`).toEqual(Array.from({ length: paragraphs[n] ?? 1 }, (_, k) => k + 1));
      for (const p of a.paragraphs) {
        expect(p.zh.length, `art. ${n}.${p.number}`).toBeGreaterThan(10);
        expect(p.en?.length, `art. ${n}.${p.number}`).toBeGreaterThan(20);
      }
    }
    // Spot checks that the English paragraphs are matched to the right Chinese ones.
    expect(shippedArticle('av-2019', 11).paragraphs[1]!.en).toMatch(/^Network audio and video information service providers and network audio/);
    expect(shippedArticle('av-2019', 12).paragraphs[1]!.en).toMatch(/Paragraph 1 of Article 11/);
    expect(shippedArticle('av-2019', 17).paragraphs[1]!.en).toMatch(/keep the network log/);
    expect(shippedArticle('av-2019', 17).paragraphs[1]!.zh).toContain('依法留存网络日志');
  });

  it('2019-12-31T16:00:00Z is already 2020-01-01 in Beijing: the Regulations apply', () => {
    for (const at of ['2019-12-31T16:00:00Z', '2019-12-31T16:30:00Z', '2020-01-01T00:00:00+08:00']) {
      const d = decideShipped(ev('content.publish', { occurredAt: at, content: { prohibited: ['rumor'] } }));
      expect(d.allowed, at).toBe(false);
      expect(firedIn(d, 9), at).toEqual([rule(9, 'no-prohibited-content')]);
    }
  });

  it('2019-12-31T15:59:59Z is still 2019-12-31: no article of the Regulations applies', () => {
    for (const at of ['2019-12-31T15:59:59Z', '2019-12-31T23:59:59+08:00']) {
      const d = decideShipped(ev('content.publish', { occurredAt: at, actor: { verified: [], agreementSigned: false }, content: { ...nonReal, prohibited: ['rumor'] } }));
      expect(d.allowed, at).toBe(true);
      expect(d.trace, at).toEqual([]);
      expect(d.policy.articles.filter((a) => a.regulation === 'av-2019'), at).toEqual([]);
    }
  });
});

describe.each([
  [1, /purpose|basis/i],
  [3, /authorit/i],
  [4, /principle/i],
  [5, /self-regulation|industry/i],
  [7, /organisational/i],
  [16, /technical support/i],
  [18, /penalt/i],
  [19, /2020-01-01/],
] as const)('art. %i — non-operative', (n, reason) => {
  it('is declared non-operative with its reason and has no rules', () => {
    const a = shippedArticle('av-2019', n);
    expect(a.nonOperative).toEqual(expect.stringMatching(/\S{5,}/));
    expect(a.nonOperative).toMatch(reason);
    expect(a.rules).toEqual([]);
  });
});

describe('art. 2 — scope and definitions (适用范围、定义)', () => {
  it('is declared non-operative with a reason and has no rules', () => {
    const a = shippedArticle('av-2019', 2);
    expect(a.nonOperative).toMatch(/scope|defin/i);
    expect(a.rules).toEqual([]);
  });

  it('a provider of audio and video services is governed', () => {
    const d = decideShipped(ev('content.publish', { actor: { verified: [] } }));
    expect(d.allowed).toBe(false);
    expect(firedOf(d, 'av-2019').length).toBeGreaterThan(0);
  });

});

describe('art. 6 — qualifications (相关资质)', () => {
  it('is operative', () => {
    expect(shippedArticle('av-2019', 6).nonOperative).toBeUndefined();
    expect(ruleNames(6)).toEqual(['content-within-qualification', 'no-publishing-without-filing-or-telecom-licence']);
  });

  it.each([
    ['news', 'news_information'],
    ['performance', 'online_performance'],
    ['audiovisual_program', 'audiovisual_program'],
  ] as const)('%s content is published only by a provider holding %s', (category, licence) => {
    const lacking = decideShipped(ev('content.publish', { content: { category } }));
    expect(lacking.allowed).toBe(false);
    expect(firedIn(lacking, 6)).toEqual([rule(6, 'content-within-qualification')]);
    expect(cited(lacking)).toContain('av-2019 6');
    const licensed = decideShipped(ev('content.publish', { provider: { licenses: ['icp_filing', licence] }, content: { category } }));
    expect(licensed.allowed).toBe(true);
    expect(firedIn(licensed, 6)).toEqual([]);
  });

});

describe('art. 8 — real identity before publishing (真实身份信息认证)', () => {
  it('is operative', () => {
    expect(shippedArticle('av-2019', 8).nonOperative).toBeUndefined();
    expect(ruleNames(8)).toEqual(['real-identity-before-publishing']);
  });

  it.each(['content.publish', 'interaction.post'] as const)('%s: a user with no verified identity may not publish until verified', (type) => {
    const d = decideShipped(ev(type, { actor: { verified: [] } }));
    expect(d.allowed).toBe(false);
    expect(d.verification).toEqual(['real_identity']);
    expect(firedIn(d, 8)).toEqual([rule(8, 'real-identity-before-publishing')]);
    expect(cited(d)).toContain('av-2019 8');
  });

  it('no record of verification counts as none', () => {
    const d = decideShipped(without(ev('content.publish'), 'actor.verified'));
    expect(d.verification).toEqual(['real_identity']);
  });

  it.each(['organization_code', 'identity_document', 'phone_number', 'business_license'] as const)('a user verified by %s has a real identity (等方式)', (identity) => {
    const d = decideShipped(ev('content.publish', { actor: { verified: [identity] } }));
    expect(d.allowed).toBe(true);
    expect(d.verification).toEqual([]);
    expect(firedIn(d, 8)).toEqual([]);
  });

  it('binds every user, whatever the role', () => {
    const d = decideShipped(without(ev('interaction.post', { actor: { verified: [] } }), 'actor.role'));
    expect(d.verification).toEqual(['real_identity']);
  });

  it('boundary: the sanction is no publishing service; registering is not refused under art. 8', () => {
    const d = decideShipped(ev('account.register', { actor: { verified: [] } }));
    expect(d.allowed).toBe(true);
    expect(d.verification).toEqual([]);
    expect(firedIn(d, 8)).toEqual([]);
  });
});

describe('art. 9 — prohibited activities and content (禁止内容)', () => {
  const PROHIBITED = ['national_security', 'social_stability', 'social_order', 'pornography', 'rumor', 'false_news', 'infringement', 'other_unlawful'] as const;

  it('is operative', () => {
    expect(shippedArticle('av-2019', 9).nonOperative).toBeUndefined();
    expect(ruleNames(9)).toEqual(['no-prohibited-content']);
  });

  it('allows content with nothing prohibited in it', () => {
    const d = decideShipped(ev('content.publish'));
    expect(d.allowed).toBe(true);
    expect(firedIn(d, 9)).toEqual([]);
  });

  it.each(PROHIBITED)('forbids publishing a video containing %s', (category) => {
    const d = decideShipped(ev('content.publish', { content: { prohibited: [category] } }));
    expect(d.allowed).toBe(false);
    expect(firedIn(d, 9)).toEqual([rule(9, 'no-prohibited-content')]);
    expect(cited(d)).toContain('av-2019 9');
  });

  it('forbids a prohibited comment on the platform, and flagged prohibited content may not go on', () => {
    const post = decideShipped(ev('interaction.post', { content: { id: 'c-9', form: 'comment', prohibited: ['infringement'] } }));
    expect(post.allowed).toBe(false);
    expect(firedIn(post, 9)).toEqual([rule(9, 'no-prohibited-content')]);
    const f = flagged({ prohibited: ['pornography'] });
    expect(f.allowed).toBe(false);
    expect(firedIn(f, 9)).toEqual([rule(9, 'no-prohibited-content')]);
  });
});

describe('art. 10 — security assessment of deep-synthesis features (安全评估)', () => {
  const launch = (feature: Over['feature']) => decideShipped(ev('feature.launch', { feature }));

  it('is operative', () => {
    expect(shippedArticle('av-2019', 10).nonOperative).toBeUndefined();
    expect(ruleNames(10)).toEqual(['security-assessment', 'unassessed-feature-held']);
  });

  it.each([
    ['media attributes', { mediaAttributes: true }],
    ['social mobilisation', { socialMobilization: true }],
  ] as const)('a deep-synthesis feature with %s is held until assessed', (_what, kind) => {
    const d = launch({ deepSynthesis: true, ...kind, securityAssessed: false });
    expect(d.allowed).toBe(false);
    expect(d.obligations).toEqual([{ code: 'security_assessment' }]);
    expect(firedIn(d, 10)).toEqual([rule(10, 'security-assessment'), rule(10, 'unassessed-feature-held')]);
    expect(cited(d)).toEqual(['av-2019 10']);
  });

  it('once assessed it may launch, still under the assessment obligation', () => {
    const d = launch({ deepSynthesis: true, mediaAttributes: true, socialMobilization: true, securityAssessed: true });
    expect(d.allowed).toBe(true);
    expect(d.obligations).toEqual([{ code: 'security_assessment' }]);
    expect(firedIn(d, 10)).toEqual([rule(10, 'security-assessment')]);
  });

  it('no record of an assessment counts as none', () => {
    const d = launch({ deepSynthesis: true, mediaAttributes: true });
    expect(d.allowed).toBe(false);
  });

  it('boundary: a feature without deep synthesis, or without media attributes or mobilisation, needs no assessment', () => {
    for (const feature of [{ mediaAttributes: true, socialMobilization: true }, { deepSynthesis: true }, { deepSynthesis: true, mediaAttributes: false, socialMobilization: false }]) {
      const d = launch(feature);
      expect(d.allowed, JSON.stringify(feature)).toBe(true);
      expect(d.obligations, JSON.stringify(feature)).toEqual([]);
      expect(d.trace, JSON.stringify(feature)).toEqual([]);
    }
  });

});

describe('art. 11 — non-real audio/video, false news and news reprints (非真实音视频、虚假新闻、转载)', () => {
  const newsProvider = { licenses: ['icp_filing', 'news_information'] } as Over['provider'];

  it('is operative', () => {
    expect(shippedArticle('av-2019', 11).nonOperative).toBeUndefined();
    expect(ruleNames(11)).toEqual(['av-news-reprinted-from-authorised-units', 'no-synthetic-false-news', 'non-real-av-labelled']);
  });

  describe('para. 1: conspicuous label on non-real audio/video made with deep synthesis', () => {
    it.each(['video', 'audio', 'live_stream'] as const)('a non-real synthetic %s must carry the synthetic content label', (form) => {
      const d = decideShipped(ev('content.publish', { content: { ...nonReal, form } }));
      expect(d.allowed).toBe(true);
      expect(d.labeling).toEqual(['synthetic_content']);
      expect(firedIn(d, 11)).toEqual([rule(11, 'non-real-av-labelled')]);
      expect(cited(d)).toContain('av-2019 11.1');
    });

    it('boundary: synthetic but real, or non-real but not synthetic, needs no label', () => {
      for (const content of [{ synthetic: true, untrue: false }, { synthetic: false, untrue: true }, { synthetic: true }] as Content[]) {
        const d = decideShipped(ev('content.publish', { content }));
        expect(d.labeling, JSON.stringify(content)).toEqual([]);
        expect(firedIn(d, 11), JSON.stringify(content)).toEqual([]);
      }
    });

    it('boundary: text and images are not audio/video information', () => {
      for (const form of ['text', 'image'] as const) {
        const d = decideShipped(ev('content.publish', { content: { ...nonReal, form } }));
        expect(d.labeling, form).toEqual([]);
      }
    });
  });

  describe('para. 2: no false news made with deep synthesis', () => {
    it('forbids synthetic false news', () => {
      const d = decideShipped(ev('content.publish', { content: { synthetic: true, prohibited: ['false_news'] } }));
      expect(d.allowed).toBe(false);
      expect(firedIn(d, 11)).toEqual([rule(11, 'no-synthetic-false-news')]);
      expect(cited(d)).toEqual(expect.arrayContaining(['av-2019 9', 'av-2019 11.2']));
      // Art. 9 refuses all false news too, so only the rule itself shows that para. 2 refuses it.
      expect(outcomesOf(11, 'no-synthetic-false-news')).toEqual(['deny']);
    });

    it('boundary: false news made otherwise is refused under art. 9 only', () => {
      const d = decideShipped(ev('content.publish', { content: { synthetic: false, prohibited: ['false_news'] } }));
      expect(d.allowed).toBe(false);
      expect(firedIn(d, 11)).toEqual([]);
      expect(firedIn(d, 9)).toEqual([rule(9, 'no-prohibited-content')]);
    });

    it('boundary: non-real is not false — a labelled synthetic presenter of true news is allowed', () => {
      const d = decideShipped(ev('content.publish', { provider: newsProvider, content: { ...nonReal, category: 'news' } }));
      expect(d.allowed).toBe(true);
      expect(d.labeling).toEqual(['synthetic_content']);
    });
  });

  describe('para. 2: audio/video news reprinted only from units within the state-specified scope', () => {
    const reprint = (content: Content) => decideShipped(ev('content.publish', { provider: newsProvider, content: { category: 'news', reprint: true, ...content } }));

    it('allows a reprint from an authorised unit', () => {
      const d = reprint({ reprintSourceAuthorized: true });
      expect(d.allowed).toBe(true);
      expect(firedIn(d, 11)).toEqual([]);
    });

    it('forbids a reprint from any other source, or with no record of its source', () => {
      const d = reprint({ reprintSourceAuthorized: false });
      expect(d.allowed).toBe(false);
      expect(firedIn(d, 11)).toEqual([rule(11, 'av-news-reprinted-from-authorised-units')]);
      expect(cited(d)).toContain('av-2019 11.2');
      expect(reprint({}).allowed).toBe(false);
    });

    it('boundary: original news, and reprints that are not news, are not governed by the reprint sentence', () => {
      expect(decideShipped(ev('content.publish', { provider: newsProvider, content: { category: 'news', reprint: false } })).allowed).toBe(true);
      expect(decideShipped(ev('content.publish', { content: { category: 'general', reprint: true, reprintSourceAuthorized: false } })).allowed).toBe(true);
    });
  });
});

describe('art. 12 — stopping, removing, recording and reporting (停止传输、消除、记录、报告)', () => {
  const FLAGGED_MEASURES = ['keep_record', 'remove_content', 'report_to_authority', 'stop_transmission'];

  it('is operative', () => {
    expect(shippedArticle('av-2019', 12).nonOperative).toBeUndefined();
    expect(ruleNames(12)).toEqual(['prohibited-content-stopped', 'unlabelled-non-real-av-stopped']);
  });

  it('para. 1: prohibited content found is stopped, removed, recorded and reported', () => {
    const d = flagged({ prohibited: ['social_stability'] });
    expect(d.allowed).toBe(false);
    expect(d.disposal).toEqual(expect.arrayContaining(FLAGGED_MEASURES));
    expect(firedIn(d, 12)).toEqual([rule(12, 'prohibited-content-stopped')]);
    expect(cited(d)).toContain('av-2019 12.1');
    // Art. 9 (refusal) and art. 14 (record, report) yield some of these on every flagged item as well;
    // para. 1 names all of them itself.
    expect(outcomesOf(12, 'prohibited-content-stopped')).toEqual(['deny', 'take stop_transmission', 'take remove_content', 'take keep_record', 'take report_to_authority']);
  });

  it('para. 1: applies to a flagged comment too', () => {
    const d = flagged({ form: 'comment', prohibited: ['rumor'] });
    expect(firedIn(d, 12)).toEqual([rule(12, 'prohibited-content-stopped')]);
  });

  it('boundary: flagged content with nothing prohibited is not stopped under para. 1', () => {
    const d = flagged();
    expect(firedIn(d, 12)).toEqual([]);
    expect(d.disposal).not.toContain('stop_transmission');
    expect(d.disposal).not.toContain('remove_content');
  });

  it('para. 2: non-real audio/video found without its label stops until labelled', () => {
    const d = flagged({ ...nonReal, conspicuousLabel: false });
    expect(d.allowed).toBe(false);
    expect(d.disposal).toContain('stop_transmission');
    expect(d.disposal).not.toContain('remove_content');
    expect(d.labeling).toEqual(['synthetic_content']);
    expect(firedIn(d, 12)).toEqual([rule(12, 'unlabelled-non-real-av-stopped')]);
    expect(cited(d)).toContain('av-2019 12.2');
  });

  it('para. 2: no record of a label counts as none; once labelled it goes on', () => {
    expect(firedIn(flagged(nonReal), 12)).toEqual([rule(12, 'unlabelled-non-real-av-stopped')]);
    const labelled = flagged({ ...nonReal, conspicuousLabel: true });
    expect(labelled.allowed).toBe(true);
    expect(labelled.disposal).not.toContain('stop_transmission');
    expect(firedIn(labelled, 12)).toEqual([]);
  });

  it('boundary: real or non-synthetic content is not held for a label', () => {
    expect(firedIn(flagged({ synthetic: true, untrue: false }), 12)).toEqual([]);
    expect(firedIn(flagged({ synthetic: false, untrue: true }), 12)).toEqual([]);
  });
});

describe('art. 13 — refuting rumours made with deep synthesis (辟谣)', () => {
  it('is operative', () => {
    expect(shippedArticle('av-2019', 13).nonOperative).toBeUndefined();
    expect(ruleNames(13)).toEqual(['synthetic-rumour-refuted']);
  });

  it('a rumour made with deep synthesis is refuted and reported', () => {
    const d = flagged({ synthetic: true, prohibited: ['rumor'] });
    expect(d.disposal).toEqual(expect.arrayContaining(['refute_rumor', 'report_to_authority']));
    expect(firedIn(d, 13)).toEqual([rule(13, 'synthetic-rumour-refuted')]);
    expect(cited(d)).toContain('av-2019 13');
    // Art. 14 reports every flagged item too; art. 13 requires the report (报…备案) itself.
    expect(outcomesOf(13, 'synthetic-rumour-refuted')).toEqual(['take refute_rumor', 'take report_to_authority']);
  });

  it('holds for a synthetic image as well (虚假图像)', () => {
    expect(firedIn(flagged({ form: 'image', synthetic: true, prohibited: ['rumor'] }), 13)).toEqual([rule(13, 'synthetic-rumour-refuted')]);
  });

  it('boundary: a rumour made otherwise, or synthetic content that is no rumour, needs no refutation under art. 13', () => {
    for (const content of [{ synthetic: false, prohibited: ['rumor'] }, { synthetic: true, prohibited: ['pornography'] }] as Content[]) {
      const d = flagged(content);
      expect(d.disposal, JSON.stringify(content)).not.toContain('refute_rumor');
      expect(firedIn(d, 13), JSON.stringify(content)).toEqual([]);
    }
  });
});

describe('art. 14 — service agreement and measures against violations (服务协议、处置措施)', () => {
  const BASE = ['keep_record', 'report_to_authority'];

  it('is operative', () => {
    expect(shippedArticle('av-2019', 14).nonOperative).toBeUndefined();
    expect(ruleNames(14)).toEqual([
      'first-violation-warned',
      'grave-or-third-violation-suspends-updates',
      'persistent-violation-closes-account',
      'second-violation-restricts-function',
      'service-agreement',
      'violations-recorded-and-reported',
    ]);
  });

  it.each(['account.register', 'content.publish', 'interaction.post'] as const)('%s: allowed for an actor who signed the agreement, refused otherwise', (type) => {
    const signed = decideShipped(ev(type));
    expect(signed.allowed).toBe(true);
    expect(firedIn(signed, 14)).toEqual([]);
    const unsigned = decideShipped(ev(type, { actor: { agreementSigned: false } }));
    expect(unsigned.allowed).toBe(false);
    expect(firedIn(unsigned, 14)).toEqual([rule(14, 'service-agreement')]);
    expect(cited(unsigned)).toContain('av-2019 14');
    expect(decideShipped(without(ev(type), 'actor.agreementSigned')).allowed).toBe(false);
  });

  it.each([
    [0, 'warn', 'first-violation-warned'],
    [1, 'restrict_function', 'second-violation-restricts-function'],
    [2, 'suspend_updates', 'grave-or-third-violation-suspends-updates'],
    [3, 'close_account', 'persistent-violation-closes-account'],
    [7, 'close_account', 'persistent-violation-closes-account'],
  ] as const)('a violation is recorded and reported, and graded by earlier violations: %i → %s', (priorViolations, measure, name) => {
    const d = flagged({}, { actor: { priorViolations } });
    expect(d.disposal).toEqual([...BASE, measure].sort());
    expect(firedIn(d, 14)).toEqual([rule(14, name), rule(14, 'violations-recorded-and-reported')].sort());
  });

  it('an actor with no record of earlier violations is warned; flagged content with no known actor gets no measure against a user', () => {
    expect(decideShipped(without(ev('content.flagged'), 'actor.priorViolations')).disposal).toEqual([...BASE, 'warn'].sort());
    const noActor = decideShipped(without(ev('content.flagged'), 'actor'));
    expect(noActor.disposal).toEqual(BASE);
    expect(firedIn(noActor, 14)).toEqual([rule(14, 'violations-recorded-and-reported')]);
  });

});

describe('art. 15 — public complaints (投诉举报)', () => {
  it('is operative', () => {
    expect(shippedArticle('av-2019', 15).nonOperative).toBeUndefined();
    expect(ruleNames(15)).toEqual(['complaints-handled']);
  });

  it('content flagged by a public complaint must be handled as a complaint', () => {
    const d = flagged({ publicComplaint: true });
    expect(d.obligations).toEqual([{ code: 'handle_complaint' }]);
    expect(firedIn(d, 15)).toEqual([rule(15, 'complaints-handled')]);
    expect(cited(d)).toContain('av-2019 15');
  });

  it('content flagged otherwise carries no complaint obligation', () => {
    for (const d of [flagged({ publicComplaint: false }), flagged()]) {
      expect(d.obligations).toEqual([]);
      expect(firedIn(d, 15)).toEqual([]);
    }
  });
});

describe('art. 17 — network logs kept as the law requires (依法留存网络日志: six months)', () => {
  const retained = (until: string) => [{ record: 'network_logs', period: 'P6M', until }];
  const deleteAt = (occurredAt: string, createdAt: string, kind: 'network_logs' | 'content_and_logs' = 'network_logs') =>
    decideShipped(ev('record.delete', { occurredAt, record: { kind, createdAt } }));

  it('is operative: para. 2 is encoded', () => {
    expect(shippedArticle('av-2019', 17).nonOperative).toBeUndefined();
    expect(ruleNames(17)).toEqual(['data-support-to-law-enforcement', 'network-logs-kept-six-months']);
  });

  it.each(['account.register', 'content.publish', 'interaction.post'] as const)('%s leaves network logs kept six months from its CST day', (type) => {
    const d = decideShipped(ev(type, { occurredAt: '2020-03-14T16:30:00Z' }));
    expect(d.retention).toEqual(retained('2020-09-15'));
    expect(firedIn(d, 17)).toEqual([rule(17, 'network-logs-kept-six-months')]);
    expect(cited(d)).toContain('av-2019 17.2');
  });

  it('boundary: six months from a month’s last day ends on the last day of the sixth month', () => {
    expect(decideShipped(ev('content.publish', { occurredAt: '2020-08-31T12:00:00+08:00' })).retention).toEqual(retained('2021-02-28'));
  });

  it('a network log may not be deleted through the last day of the six months', () => {
    for (const at of ['2020-03-16T12:00:00+08:00', '2020-09-15T00:00:00+08:00', '2020-09-15T23:59:59+08:00', '2020-09-15T15:59:59Z']) {
      const d = deleteAt(at, '2020-03-15T12:00:00+08:00');
      expect(d.allowed, at).toBe(false);
      expect(d.retention, at).toEqual(retained('2020-09-15'));
      expect(firedIn(d, 17), at).toEqual([rule(17, 'network-logs-kept-six-months')]);
      expect(cited(d), at).toEqual(['av-2019 17.2']);
    }
  });

  it('may be deleted from Beijing midnight after it', () => {
    for (const at of ['2020-09-16T00:00:00+08:00', '2020-09-15T16:00:00Z', '2021-01-01T12:00:00+08:00']) {
      const d = deleteAt(at, '2020-03-15T12:00:00+08:00');
      expect(d.allowed, at).toBe(true);
      expect(d.retention, at).toEqual([]);
      expect(firedIn(d, 17), at).toEqual([]);
    }
  });

  it('boundary: the record’s day of creation is taken in China Standard Time', () => {
    // 2020-03-14T16:30Z is 2020-03-15 00:30 in Beijing: kept through 2020-09-15.
    expect(deleteAt('2020-09-15T12:00:00+08:00', '2020-03-14T16:30:00Z').allowed).toBe(false);
    expect(deleteAt('2020-09-15T12:00:00+08:00', '2020-03-14T15:30:00Z').allowed).toBe(true);
  });

  it('boundary: content and logs are not network logs; an audio/video-only provider keeps them under no rule', () => {
    const d = deleteAt('2020-03-16T12:00:00+08:00', '2020-03-15T12:00:00+08:00', 'content_and_logs');
    expect(d.allowed).toBe(true);
    expect(d.retention).toEqual([]);
  });

});

describe('a provider running both services', () => {
  it('is governed by both regulations at once', () => {
    const d = decideShipped(ev('content.publish', { provider: laterFixtures.bothProvider, content: { form: 'live_stream', ...nonReal }, actor: { verified: [] } }));
    expect(d.allowed).toBe(false);
    expect(d.labeling).toEqual(['platform_identification', 'synthetic_content']);
    expect(d.verification).toEqual(['identity_document', 'real_identity']);
    expect(d.retention.map((r) => r.record)).toEqual(['content_and_logs', 'network_logs']);
    expect(new Set(d.citations.map((c) => c.regulation))).toEqual(new Set(['live-2016', 'notice-2018', 'av-2019']));
  });
});
