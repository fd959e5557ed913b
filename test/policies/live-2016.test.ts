// Unit tests for 互联网直播服务管理规定 (live-2016), one `describe` per article, written from the
// article's text (/work/shared/regulations/live-2016.zh.txt) and the rules in
// policies/live-2016/article-NN.tiaoli. Every operative article is tested for the case it allows,
// the case it forbids and its boundary; every non-operative article for its declared reason.
import { describe, expect, it } from 'vitest';
import type { Decision, Event } from '../../engine/index.js';
import { cited, decideShipped, event, firedRules, shippedPolicy, type EventOverrides } from '../helpers.js';

// ---------------------------------------------------------------------------------------------
// Local helpers

type Obj = Record<string, unknown>;
type Over = EventOverrides;
const ev = event;

/** `ev`, then drops fields: `'actor'` drops the object, `'actor.newsQualified'` one of its fields. */
function evWithout(type: Event['type'], over: Over, ...paths: string[]): Event {
  const e = JSON.parse(JSON.stringify(ev(type, over))) as Obj;
  for (const p of paths) {
    const [head, tail] = p.split('.') as [string, string | undefined];
    if (tail === undefined) delete e[head];
    else delete (e[head] as Obj)[tail];
  }
  return e as unknown as Event;
}

const rule = (article: number, name: string): string => `live-2016/${article}/${name}`;
const ruleNames = (article: number): string[] =>
  (liveArticle(article).rules ?? []).map((r) => r.name).sort();

function liveArticle(article: number) {
  const a = shippedPolicy().checked.articles.find((x) => x.regulation === 'live-2016' && x.article === article);
  if (!a) throw new Error(`live-2016 article ${article} is not in the shipped bundle`);
  return a;
}

/** Rules of live-2016 article `article` that fired. */
const firedIn = (d: Decision, article: number): string[] => firedRules(d).filter((r) => r.startsWith(`live-2016/${article}/`));

/** A provider that runs no live broadcast service (互联网直播服务提供者 only if it provides live broadcasting). */
const notLive = { services: ['audio_video'] } as Over['provider'];
/** A provider licensed for news, and a qualified publisher, for the news articles. */
const newsProvider = { licenses: ['icp_filing', 'news_information'] } as Over['provider'];
const qualifiedPublisher = { newsQualified: true };
const reviewedNews = { category: 'news', preReviewed: true } as Over['content'];

// ---------------------------------------------------------------------------------------------

describe('art. 1 — purpose and basis (立法目的)', () => {
  it('is declared non-operative with a reason and has no rules', () => {
    const a = liveArticle(1);
    expect(a.nonOperative).toEqual(expect.stringMatching(/\S{5,}/));
    expect(a.nonOperative).toMatch(/purpose|basis/i);
    expect(a.rules).toEqual([]);
  });
});

describe('art. 2 — scope and definitions (适用范围、定义)', () => {
  it('is declared non-operative with a reason and has no rules', () => {
    const a = liveArticle(2);
    expect(a.nonOperative).toEqual(expect.stringMatching(/\S{5,}/));
    expect(a.nonOperative).toMatch(/scope|defin/i);
    expect(a.rules).toEqual([]);
  });

  it('a provider that does not provide live broadcasting is not governed by live-2016 at all', () => {
    // An unverified, unsigned, blacklisted publisher streaming prohibited news: every live-2016 rule
    // would object, but none applies to a non-live provider.
    const d = decideShipped(
      ev('content.publish', {
        provider: notLive,
        actor: { verified: [], agreementSigned: false, newsQualified: false, blacklisted: true },
        content: { category: 'news', reprint: true, prohibited: ['rumor'] },
      }),
    );
    expect(d.allowed).toBe(true);
    expect(d.trace).toEqual([]);
    expect(d.citations).toEqual([]);
    expect(d.retention).toEqual([]);
  });

  it('the same event on a live provider is governed', () => {
    const d = decideShipped(
      ev('content.publish', {
        actor: { verified: [], agreementSigned: false, newsQualified: false },
        content: { category: 'news', reprint: true, prohibited: ['rumor'] },
      }),
    );
    expect(d.allowed).toBe(false);
    expect(d.trace.length).toBeGreaterThan(5);
  });
});

describe('art. 3 — principles (基本原则)', () => {
  it('is declared non-operative with a reason and has no rules', () => {
    const a = liveArticle(3);
    expect(a.nonOperative).toEqual(expect.stringMatching(/\S{5,}/));
    expect(a.rules).toEqual([]);
  });
});

describe('art. 4 — competent authorities (主管部门)', () => {
  it('is declared non-operative with a reason and has no rules', () => {
    const a = liveArticle(4);
    expect(a.nonOperative).toEqual(expect.stringMatching(/\S{5,}/));
    expect(a.nonOperative).toMatch(/authorit/i);
    expect(a.rules).toEqual([]);
  });
});

describe('art. 5 — news information service qualification (新闻信息服务资质)', () => {
  it('is operative with one rule per paragraph', () => {
    expect(liveArticle(5).nonOperative).toBeUndefined();
    expect(ruleNames(5)).toEqual(['provider-news-licence', 'publisher-news-qualification']);
  });

  it('allows a news live stream by a licensed provider and a qualified publisher', () => {
    const d = decideShipped(ev('content.publish', { provider: newsProvider, actor: qualifiedPublisher, content: reviewedNews }));
    expect(d.allowed).toBe(true);
    expect(firedIn(d, 5)).toEqual([]);
    expect(cited(d)).not.toContain('live-2016 5.1');
    expect(cited(d)).not.toContain('live-2016 5.2');
  });

  it('para. 1: forbids a news live stream on a provider without the news information licence', () => {
    const d = decideShipped(ev('content.publish', { actor: qualifiedPublisher, content: reviewedNews }));
    expect(d.allowed).toBe(false);
    expect(firedIn(d, 5)).toEqual([rule(5, 'provider-news-licence')]);
    expect(cited(d)).toContain('live-2016 5.1');
    expect(cited(d)).not.toContain('live-2016 5.2');
  });

  it('para. 2: forbids a news live stream by a publisher without the news qualification', () => {
    const d = decideShipped(ev('content.publish', { provider: newsProvider, actor: { newsQualified: false }, content: reviewedNews }));
    expect(d.allowed).toBe(false);
    expect(firedIn(d, 5)).toEqual([rule(5, 'publisher-news-qualification')]);
    expect(cited(d)).toContain('live-2016 5.2');
    expect(cited(d)).not.toContain('live-2016 5.1');
  });

  it('para. 2: a publisher with no record of the qualification is treated as unqualified', () => {
    const d = decideShipped(evWithout('content.publish', { provider: newsProvider, content: reviewedNews }, 'actor.newsQualified'));
    expect(d.allowed).toBe(false);
    expect(firedIn(d, 5)).toEqual([rule(5, 'publisher-news-qualification')]);
  });

  it('both paragraphs fire when neither holds the qualification', () => {
    const d = decideShipped(ev('content.publish', { content: reviewedNews }));
    expect(d.allowed).toBe(false);
    expect(firedIn(d, 5).sort()).toEqual([rule(5, 'provider-news-licence'), rule(5, 'publisher-news-qualification')]);
  });

  it('boundary: non-news content needs no news qualification', () => {
    const d = decideShipped(ev('content.publish', { content: { category: 'general' } }));
    expect(d.allowed).toBe(true);
    expect(firedIn(d, 5)).toEqual([]);
  });

  it('boundary: a provider without live broadcasting is not governed', () => {
    const d = decideShipped(ev('content.publish', { provider: notLive, content: reviewedNews }));
    expect(d.allowed).toBe(true);
    expect(firedIn(d, 5)).toEqual([]);
  });
});

describe('art. 6 — performance and audiovisual programme licences (相关资质)', () => {
  it('is operative with a rule per licence', () => {
    expect(liveArticle(6).nonOperative).toBeUndefined();
    expect(ruleNames(6)).toEqual(['audiovisual-programme-licence', 'performance-licence']);
  });

  it('allows an online performance live stream by a provider holding the online performance licence', () => {
    const d = decideShipped(ev('content.publish', { provider: { licenses: ['icp_filing', 'online_performance'] }, content: { category: 'performance' } }));
    expect(d.allowed).toBe(true);
    expect(firedIn(d, 6)).toEqual([]);
  });

  it('forbids an online performance live stream without the online performance licence', () => {
    const d = decideShipped(ev('content.publish', { content: { category: 'performance' } }));
    expect(d.allowed).toBe(false);
    expect(firedIn(d, 6)).toEqual([rule(6, 'performance-licence')]);
    expect(cited(d)).toContain('live-2016 6');
  });

  it('allows an audiovisual programme live stream by a provider holding the audiovisual programme licence', () => {
    const d = decideShipped(
      ev('content.publish', { provider: { licenses: ['icp_filing', 'audiovisual_program'] }, content: { category: 'audiovisual_program' } }),
    );
    expect(d.allowed).toBe(true);
    expect(firedIn(d, 6)).toEqual([]);
  });

  it('forbids an audiovisual programme live stream without the audiovisual programme licence', () => {
    const d = decideShipped(ev('content.publish', { content: { category: 'audiovisual_program' } }));
    expect(d.allowed).toBe(false);
    expect(firedIn(d, 6)).toEqual([rule(6, 'audiovisual-programme-licence')]);
    expect(cited(d)).toContain('live-2016 6');
  });

  it('boundary: the licences are not interchangeable', () => {
    const perf = decideShipped(ev('content.publish', { provider: { licenses: ['audiovisual_program'] }, content: { category: 'performance' } }));
    expect(perf.allowed).toBe(false);
    expect(firedIn(perf, 6)).toEqual([rule(6, 'performance-licence')]);
    const av = decideShipped(ev('content.publish', { provider: { licenses: ['online_performance'] }, content: { category: 'audiovisual_program' } }));
    expect(av.allowed).toBe(false);
    expect(firedIn(av, 6)).toEqual([rule(6, 'audiovisual-programme-licence')]);
  });

  it('boundary: general content needs neither licence, and a non-live provider is not governed', () => {
    const general = decideShipped(ev('content.publish', { provider: { licenses: [] }, content: { category: 'general' } }));
    expect(general.allowed).toBe(true);
    expect(firedIn(general, 6)).toEqual([]);
    const notGoverned = decideShipped(ev('content.publish', { provider: { ...notLive, licenses: [] }, content: { category: 'performance' } }));
    expect(notGoverned.allowed).toBe(true);
    expect(firedIn(notGoverned, 6)).toEqual([]);
  });
});

describe('art. 7 — platform identification and review before release (平台标识、先审后发)', () => {
  it('is operative: para. 2 is encoded', () => {
    expect(liveArticle(7).nonOperative).toBeUndefined();
    expect(ruleNames(7)).toEqual(['news-review-before-release', 'news-unreviewed-held', 'platform-identification']);
  });

  it('para. 2: a live stream is allowed and must carry the platform identification', () => {
    const d = decideShipped(ev('content.publish'));
    expect(d.allowed).toBe(true);
    expect(d.labeling).toEqual(['platform_identification']);
    expect(firedIn(d, 7)).toEqual([rule(7, 'platform-identification')]);
    expect(cited(d)).toContain('live-2016 7.2');
    expect(d.obligations).toEqual([]);
  });

  it('boundary: comments are not labelled, and a non-live provider labels nothing', () => {
    const comment = decideShipped(ev('interaction.post'));
    expect(comment.allowed).toBe(true);
    expect(comment.labeling).toEqual([]);
    expect(firedIn(comment, 7)).toEqual([]);
    const notGoverned = decideShipped(ev('content.publish', { provider: notLive }));
    expect(notGoverned.labeling).toEqual([]);
    expect(firedIn(notGoverned, 7)).toEqual([]);
  });

  it('para. 2 先审后发: a news live stream not reviewed before release is held', () => {
    const d = decideShipped(ev('content.publish', { provider: newsProvider, actor: qualifiedPublisher, content: { category: 'news', preReviewed: false } }));
    expect(d.allowed).toBe(false);
    expect(d.obligations).toEqual([{ code: 'pre_publication_review' }]);
    expect(firedIn(d, 7).sort()).toEqual([rule(7, 'news-review-before-release'), rule(7, 'news-unreviewed-held'), rule(7, 'platform-identification')]);
    expect(cited(d)).toContain('live-2016 7.2');
  });

  it('para. 2 先审后发: a news live stream with no record of review is held', () => {
    const d = decideShipped(evWithout('content.publish', { provider: newsProvider, actor: qualifiedPublisher, content: { category: 'news' } }, 'content.preReviewed'));
    expect(d.allowed).toBe(false);
    expect(firedRules(d)).toContain(rule(7, 'news-unreviewed-held'));
  });

  it('para. 2 先审后发: a reviewed news live stream is allowed, still under the review obligation', () => {
    const d = decideShipped(ev('content.publish', { provider: newsProvider, actor: qualifiedPublisher, content: reviewedNews }));
    expect(d.allowed).toBe(true);
    expect(d.labeling).toEqual(['platform_identification']);
    expect(d.obligations).toEqual([{ code: 'pre_publication_review' }]);
    expect(firedIn(d, 7).sort()).toEqual([rule(7, 'news-review-before-release'), rule(7, 'platform-identification')]);
  });

  it('para. 2 先审后发: interaction on news live broadcasts is reviewed before release too', () => {
    const held = decideShipped(ev('interaction.post', { content: { category: 'news', preReviewed: false } }));
    expect(held.allowed).toBe(false);
    expect(held.obligations).toEqual([{ code: 'pre_publication_review' }]);
    expect(firedIn(held, 7).sort()).toEqual([rule(7, 'news-review-before-release'), rule(7, 'news-unreviewed-held')]);

    const barrage = decideShipped(ev('interaction.post', { content: { form: 'barrage', category: 'news', preReviewed: true } }));
    expect(barrage.allowed).toBe(true);
    expect(barrage.obligations).toEqual([{ code: 'pre_publication_review' }]);
    expect(firedIn(barrage, 7)).toEqual([rule(7, 'news-review-before-release')]);
  });

  it('boundary: non-news content needs no review before release', () => {
    const d = decideShipped(ev('content.publish', { content: { category: 'general', preReviewed: false } }));
    expect(d.allowed).toBe(true);
    expect(d.obligations).toEqual([]);
    expect(firedIn(d, 7)).toEqual([rule(7, 'platform-identification')]);
  });
});

describe('art. 8 — technical conditions (技术条件)', () => {
  it('is declared non-operative with a reason and has no rules', () => {
    const a = liveArticle(8);
    expect(a.nonOperative).toEqual(expect.stringMatching(/\S{5,}/));
    expect(a.nonOperative).toMatch(/technical|block/i);
    expect(a.rules).toEqual([]);
  });
});

describe('art. 9 — prohibited activities and content (禁止内容)', () => {
  const PROHIBITED = ['national_security', 'social_stability', 'social_order', 'pornography', 'rumor', 'false_news', 'infringement', 'other_unlawful'] as const;

  it('is operative with one rule', () => {
    expect(liveArticle(9).nonOperative).toBeUndefined();
    expect(ruleNames(9)).toEqual(['no-prohibited-live-content']);
  });

  it('allows a live stream and a comment with nothing prohibited in them', () => {
    for (const d of [decideShipped(ev('content.publish')), decideShipped(ev('interaction.post'))]) {
      expect(d.allowed).toBe(true);
      expect(firedIn(d, 9)).toEqual([]);
      expect(cited(d)).not.toContain('live-2016 9');
    }
  });

  // An actor in the user role, so that art. 11 para. 2 (publishers) does not also refuse: art. 9 alone decides.
  const streamer = { id: 'user-5', role: 'user', verified: ['phone_number'], agreementSigned: true } as Over['actor'];

  it.each(PROHIBITED)('forbids publishing a live stream containing %s', (category) => {
    const d = decideShipped(ev('content.publish', { actor: streamer, content: { prohibited: [category] } }));
    expect(d.allowed).toBe(false);
    expect(firedIn(d, 9)).toEqual([rule(9, 'no-prohibited-live-content')]);
    expect(cited(d)).toEqual(['live-2016 7.2', 'live-2016 9', 'live-2016 16.1']);
  });

  it('the same stream with nothing prohibited is allowed', () => {
    const d = decideShipped(ev('content.publish', { actor: streamer }));
    expect(d.allowed).toBe(true);
    expect(firedIn(d, 9)).toEqual([]);
  });

  it('forbids posting prohibited comments and barrage', () => {
    for (const form of ['comment', 'barrage'] as const) {
      const d = decideShipped(ev('interaction.post', { content: { form, prohibited: ['social_order'] } }));
      expect(d.allowed).toBe(false);
      expect(firedIn(d, 9)).toEqual([rule(9, 'no-prohibited-live-content')]);
    }
  });

  it('flagged prohibited live content may not go on', () => {
    const d = decideShipped(ev('content.flagged'));
    expect(d.allowed).toBe(false);
    expect(firedIn(d, 9)).toEqual([rule(9, 'no-prohibited-live-content')]);
    expect(cited(d)).toContain('live-2016 9');
  });

  it('boundary: a provider without live broadcasting is not governed', () => {
    const d = decideShipped(ev('content.publish', { provider: notLive, content: { prohibited: ['pornography'] } }));
    expect(d.allowed).toBe(true);
    expect(firedIn(d, 9)).toEqual([]);
  });

  it('boundary (current behaviour): only live_stream, comment and barrage forms are live content', () => {
    // Art. 2 defines 互联网直播 as real-time release "以视频、音频、图文等形式"; the policy reads only the
    // live_stream form as a broadcast, so a prohibited `text` item on a live provider is not caught here.
    const d = decideShipped(ev('content.publish', { content: { form: 'text', prohibited: ['pornography'] } }));
    expect(d.allowed).toBe(true);
    expect(firedIn(d, 9)).toEqual([]);
  });
});

describe('art. 10 — news reprints indicate their source (转载注明来源)', () => {
  const newsEv = (content: Over['content']) => ev('content.publish', { provider: newsProvider, actor: qualifiedPublisher, content: { ...reviewedNews, ...content } });

  it('is operative', () => {
    expect(liveArticle(10).nonOperative).toBeUndefined();
    expect(ruleNames(10)).toEqual(['news-reprint-source', 'news-reprint-without-source']);
  });

  it('allows a reprinted news item with its source indicated, labelled with the news source', () => {
    const d = decideShipped(newsEv({ reprint: true, sourceIndicated: true }));
    expect(d.allowed).toBe(true);
    expect(d.labeling).toEqual(['news_source', 'platform_identification']);
    expect(firedIn(d, 10)).toEqual([rule(10, 'news-reprint-source')]);
    expect(cited(d)).toContain('live-2016 10');
  });

  it('forbids a reprinted news item without its source indicated', () => {
    const d = decideShipped(newsEv({ reprint: true, sourceIndicated: false }));
    expect(d.allowed).toBe(false);
    expect(d.labeling).toEqual(['news_source', 'platform_identification']);
    expect(firedIn(d, 10).sort()).toEqual([rule(10, 'news-reprint-source'), rule(10, 'news-reprint-without-source')]);
  });

  it('forbids a reprinted news item with no record of its source', () => {
    const d = decideShipped(evWithout('content.publish', { provider: newsProvider, actor: qualifiedPublisher, content: { ...reviewedNews, reprint: true } }, 'content.sourceIndicated'));
    expect(d.allowed).toBe(false);
    expect(firedRules(d)).toContain(rule(10, 'news-reprint-without-source'));
  });

  it('boundary: original (not reprinted) news needs no source label', () => {
    const d = decideShipped(newsEv({ reprint: false, sourceIndicated: false }));
    expect(d.allowed).toBe(true);
    expect(d.labeling).toEqual(['platform_identification']);
    expect(firedIn(d, 10)).toEqual([]);
  });

  it('boundary: a reprint that is not news is not governed by art. 10', () => {
    const d = decideShipped(ev('content.publish', { content: { category: 'general', reprint: true, sourceIndicated: false } }));
    expect(d.allowed).toBe(true);
    expect(d.labeling).toEqual(['platform_identification']);
    expect(firedIn(d, 10)).toEqual([]);
  });
});

describe('art. 11 — live interaction (直播互动)', () => {
  it('is operative', () => {
    expect(liveArticle(11).nonOperative).toBeUndefined();
    expect(ruleNames(11)).toEqual(['interaction-real-time-management', 'publishers-provide-lawful-content', 'users-interact-lawfully']);
  });

  it('allows a lawful comment and takes no measure', () => {
    const d = decideShipped(ev('interaction.post'));
    expect(d.allowed).toBe(true);
    expect(d.disposal).toEqual([]);
    expect(firedIn(d, 11)).toEqual([]);
  });

  it('paras. 1 and 3: an unlawful comment is refused and removed in real time', () => {
    const d = decideShipped(ev('interaction.post', { content: { prohibited: ['rumor'] } }));
    expect(d.allowed).toBe(false);
    expect(d.disposal).toEqual(['remove_content']);
    expect(firedIn(d, 11).sort()).toEqual([rule(11, 'interaction-real-time-management'), rule(11, 'users-interact-lawfully')]);
    expect(cited(d)).toEqual(expect.arrayContaining(['live-2016 11.1', 'live-2016 11.3']));
    expect(cited(d)).not.toContain('live-2016 11.2');
  });

  it('paras. 1 and 3: unlawful barrage is treated like a comment', () => {
    const d = decideShipped(ev('interaction.post', { content: { form: 'barrage', prohibited: ['other_unlawful'] } }));
    expect(d.allowed).toBe(false);
    expect(d.disposal).toEqual(['remove_content']);
    expect(firedIn(d, 11).sort()).toEqual([rule(11, 'interaction-real-time-management'), rule(11, 'users-interact-lawfully')]);
  });

  it('para. 2: a publisher may not broadcast unlawful live content', () => {
    const d = decideShipped(ev('content.publish', { content: { prohibited: ['social_order'] } }));
    expect(d.allowed).toBe(false);
    expect(firedIn(d, 11)).toEqual([rule(11, 'publishers-provide-lawful-content')]);
    expect(cited(d)).toContain('live-2016 11.2');
    expect(d.disposal).toEqual([]);
  });

  it('boundary: para. 2 binds publishers; a stream by an actor in the user role is left to art. 9', () => {
    const d = decideShipped(ev('content.publish', { actor: { role: 'user', verified: ['phone_number'] }, content: { prohibited: ['social_order'] } }));
    expect(d.allowed).toBe(false);
    expect(firedIn(d, 11)).toEqual([]);
    expect(firedIn(d, 9)).toEqual([rule(9, 'no-prohibited-live-content')]);
  });

  it('boundary: interaction on a non-live provider is not governed', () => {
    const d = decideShipped(ev('interaction.post', { provider: notLive, content: { prohibited: ['rumor'] } }));
    expect(d.allowed).toBe(true);
    expect(d.disposal).toEqual([]);
    expect(firedIn(d, 11)).toEqual([]);
  });
});

describe('art. 12 — real identity (真实身份)', () => {
  it('is operative', () => {
    expect(liveArticle(12).nonOperative).toBeUndefined();
    expect(ruleNames(12)).toEqual(['protect-identity-information', 'provide-to-law-enforcement', 'publishers-verified-by-identity-document', 'users-verified-by-phone']);
  });

  describe('para. 1: 后台实名 — users by mobile phone number, publishers by identity document', () => {
    it('allows a user verified by phone number to register', () => {
      const d = decideShipped(ev('account.register'));
      expect(d.allowed).toBe(true);
      expect(d.verification).toEqual([]);
      expect(firedIn(d, 12)).toEqual([]);
    });

    it.each(['account.register', 'interaction.post'] as const)('%s: a user without a verified phone number must verify one first', (type) => {
      const d = decideShipped(ev(type, { actor: { verified: [] } }));
      expect(d.allowed).toBe(false);
      expect(d.verification).toEqual(['phone_number']);
      expect(firedIn(d, 12)).toEqual([rule(12, 'users-verified-by-phone')]);
      expect(cited(d)).toContain('live-2016 12.1');
    });

    it('a user with no record of verification must verify a phone number', () => {
      const d = decideShipped(evWithout('account.register', {}, 'actor.verified'));
      expect(d.allowed).toBe(false);
      expect(d.verification).toEqual(['phone_number']);
    });

    it('boundary: a user verified by identity document has a real identity by a like means (等方式)', () => {
      const d = decideShipped(ev('account.register', { actor: { verified: ['identity_document'] } }));
      expect(d.allowed).toBe(true);
      expect(d.verification).toEqual([]);
      expect(firedIn(d, 12)).toEqual([]);
    });

    it('allows a publisher verified by identity document to publish', () => {
      const d = decideShipped(ev('content.publish'));
      expect(d.allowed).toBe(true);
      expect(d.verification).toEqual([]);
      expect(firedIn(d, 12)).toEqual([]);
    });

    it.each(['business_license', 'organization_code'] as const)('a publisher registered by %s meets the identity document check', (doc) => {
      const d = decideShipped(ev('content.publish', { actor: { verified: [doc] } }));
      expect(d.allowed).toBe(true);
      expect(d.verification).toEqual([]);
      expect(firedIn(d, 12)).toEqual([]);
    });

    it.each(['account.register', 'content.publish'] as const)('%s: a publisher verified only by phone number must register an identity document', (type) => {
      const d = decideShipped(ev(type, { actor: { ...{ id: 'pub-2', role: 'publisher', agreementSigned: true }, verified: ['phone_number'] } }));
      expect(d.allowed).toBe(false);
      expect(d.verification).toEqual(['identity_document']);
      expect(firedIn(d, 12)).toEqual([rule(12, 'publishers-verified-by-identity-document')]);
      expect(cited(d)).toContain('live-2016 12.1');
    });

    it('boundary: a provider without live broadcasting need not verify anyone', () => {
      const d = decideShipped(ev('account.register', { provider: notLive, actor: { verified: [] } }));
      expect(d.allowed).toBe(true);
      expect(d.verification).toEqual([]);
      expect(firedIn(d, 12)).toEqual([]);
    });

  });

  describe('identity disclosure: para. 1 (依法查询时予以提供) and para. 2 (不得泄露……非法向他人提供)', () => {
    it('law enforcement asking without a legal basis is refused', () => {
      const d = decideShipped(ev('identity.disclosure', { requester: { kind: 'law_enforcement', legalBasis: false } }));
      expect(d.allowed).toBe(false);
      expect(d.obligations).toEqual([]);
      expect(firedIn(d, 12)).toEqual([rule(12, 'protect-identity-information')]);
      expect(cited(d)).toEqual(['live-2016 12.2']);
    });

    it('law enforcement with no stated legal basis is refused', () => {
      // The fixture requester has legalBasis: true; drop it.
      const d = decideShipped(evWithout('identity.disclosure', { requester: { kind: 'law_enforcement' } }, 'requester.legalBasis'));
      expect(d.allowed).toBe(false);
      expect(firedIn(d, 12)).toEqual([rule(12, 'protect-identity-information')]);
    });

    it.each(['third_party', 'app_store', 'network_access'] as const)('a %s requester without a legal basis is refused', (kind) => {
      const d = decideShipped(ev('identity.disclosure', { requester: { kind, legalBasis: false } }));
      expect(d.allowed).toBe(false);
      expect(d.obligations).toEqual([]);
      expect(firedIn(d, 12)).toEqual([rule(12, 'protect-identity-information')]);
    });

    it.each(['third_party', 'app_store', 'network_access'] as const)('a %s requester with a legal basis is not refused, but only law enforcement is owed the information', (kind) => {
      const d = decideShipped(ev('identity.disclosure', { requester: { kind, legalBasis: true } }));
      expect(d.allowed).toBe(true);
      expect(d.obligations).toEqual([]);
      expect(firedIn(d, 12)).toEqual([]);
    });

    it('boundary: a provider without live broadcasting is not governed', () => {
      const d = decideShipped(ev('identity.disclosure', { provider: notLive, requester: { kind: 'third_party', legalBasis: false } }));
      expect(d.allowed).toBe(true);
      expect(d.obligations).toEqual([]);
      expect(firedIn(d, 12)).toEqual([]);
    });
  });
});

describe('art. 13 — service agreement (服务协议)', () => {
  it('is operative', () => {
    expect(liveArticle(13).nonOperative).toBeUndefined();
    expect(ruleNames(13)).toEqual(['service-agreement']);
  });

  it.each(['account.register', 'content.publish', 'interaction.post'] as const)('%s: allowed for an actor who signed the agreement', (type) => {
    const d = decideShipped(ev(type));
    expect(d.allowed).toBe(true);
    expect(firedIn(d, 13)).toEqual([]);
  });

  it.each(['account.register', 'content.publish', 'interaction.post'] as const)('%s: forbidden to an actor who has not signed the agreement', (type) => {
    const d = decideShipped(ev(type, { actor: { agreementSigned: false } }));
    expect(d.allowed).toBe(false);
    expect(firedIn(d, 13)).toEqual([rule(13, 'service-agreement')]);
    expect(cited(d)).toContain('live-2016 13.1');
  });

  it('applies to publishers and to users alike', () => {
    const publisher = decideShipped(ev('account.register', { actor: { id: 'pub-3', role: 'publisher', verified: ['identity_document'], agreementSigned: false } }));
    expect(publisher.allowed).toBe(false);
    expect(firedIn(publisher, 13)).toEqual([rule(13, 'service-agreement')]);
  });

  it('boundary: no record of signing counts as not signed', () => {
    const d = decideShipped(evWithout('account.register', {}, 'actor.agreementSigned'));
    expect(d.allowed).toBe(false);
    expect(firedIn(d, 13)).toEqual([rule(13, 'service-agreement')]);
  });

  it('boundary: a provider without live broadcasting is not governed', () => {
    const d = decideShipped(ev('account.register', { provider: notLive, actor: { agreementSigned: false } }));
    expect(d.allowed).toBe(true);
    expect(firedIn(d, 13)).toEqual([]);
  });
});

describe('art. 14 — measures against violations (处置措施)', () => {
  const BASE_MEASURES = ['keep_record', 'remove_content', 'report_to_authority'];
  const flagged = (priorViolations: number) => ev('content.flagged', { actor: { priorViolations } });

  it('is operative', () => {
    expect(liveArticle(14).nonOperative).toBeUndefined();
    expect(ruleNames(14)).toEqual(['first-violation-warned', 'grave-or-repeated-violation-suspends-publishing', 'persistent-violation-closes-account', 'violating-content-removed']);
  });

  it('violating live content is removed, recorded and reported; a first violation is warned', () => {
    const d = decideShipped(flagged(0));
    expect(d.disposal).toEqual([...BASE_MEASURES, 'warn'].sort());
    expect(firedIn(d, 14).sort()).toEqual([rule(14, 'first-violation-warned'), rule(14, 'violating-content-removed')]);
    expect(cited(d)).toContain('live-2016 14');
  });

  it.each([
    [0, 'warn', 'first-violation-warned'],
    [1, 'suspend_publishing', 'grave-or-repeated-violation-suspends-publishing'],
    [2, 'suspend_publishing', 'grave-or-repeated-violation-suspends-publishing'],
    [3, 'close_account', 'persistent-violation-closes-account'],
    [10, 'close_account', 'persistent-violation-closes-account'],
  ] as const)('graded by earlier violations: priorViolations %i → %s', (prior, measure, ruleName) => {
    const d = decideShipped(flagged(prior));
    expect(d.disposal).toEqual([...BASE_MEASURES, measure].sort());
    expect(firedIn(d, 14).sort()).toEqual([rule(14, ruleName), rule(14, 'violating-content-removed')].sort());
  });

  it('an actor with no record of earlier violations is warned', () => {
    const d = decideShipped(evWithout('content.flagged', {}, 'actor.priorViolations'));
    expect(d.disposal).toEqual([...BASE_MEASURES, 'warn'].sort());
  });

  it('flagged content with no known actor is still removed, recorded and reported, but no one is warned', () => {
    const d = decideShipped(evWithout('content.flagged', {}, 'actor'));
    expect(d.disposal).toEqual(BASE_MEASURES);
    expect(firedIn(d, 14)).toEqual([rule(14, 'violating-content-removed')]);
  });

  it('flagged interaction (a comment) is disposed of in the same way', () => {
    const d = decideShipped(ev('content.flagged', { content: { form: 'comment', prohibited: ['rumor'] }, actor: { priorViolations: 1 } }));
    expect(d.disposal).toEqual([...BASE_MEASURES, 'suspend_publishing'].sort());
  });

  it('boundary: a provider without live broadcasting takes no measure under art. 14', () => {
    const d = decideShipped(ev('content.flagged', { provider: notLive, actor: { priorViolations: 5 } }));
    expect(d.disposal).toEqual([]);
    expect(firedIn(d, 14)).toEqual([]);
  });
});

describe('art. 15 — blacklist (黑名单)', () => {
  it('is operative: para. 2 is encoded', () => {
    expect(liveArticle(15).nonOperative).toBeUndefined();
    expect(ruleNames(15)).toEqual(['blacklisted-may-not-register-again']);
  });

  it('allows an actor who is not blacklisted to register', () => {
    const d = decideShipped(ev('account.register', { actor: { blacklisted: false } }));
    expect(d.allowed).toBe(true);
    expect(d.disposal).toEqual([]);
    expect(firedIn(d, 15)).toEqual([]);
  });

  it.each([
    ['user', { id: 'user-9', role: 'user', verified: ['phone_number'], agreementSigned: true, blacklisted: true }],
    ['publisher', { id: 'pub-9', role: 'publisher', verified: ['identity_document'], agreementSigned: true, blacklisted: true }],
  ] as const)('para. 2: a blacklisted %s may not register again', (_role, actor) => {
    const d = decideShipped(ev('account.register', { actor: { ...actor, verified: [...actor.verified] } }));
    expect(d.allowed).toBe(false);
    expect(d.disposal).toEqual(['deny_registration']);
    expect(firedIn(d, 15)).toEqual([rule(15, 'blacklisted-may-not-register-again')]);
    expect(cited(d)).toEqual(['live-2016 15.2']);
  });

  it('boundary: the blacklist rule decides registration only', () => {
    const d = decideShipped(ev('content.publish', { actor: { blacklisted: true } }));
    expect(firedIn(d, 15)).toEqual([]);
    expect(d.disposal).not.toContain('deny_registration');
  });

  it('boundary: a provider without live broadcasting is not governed', () => {
    const d = decideShipped(ev('account.register', { provider: notLive, actor: { blacklisted: true } }));
    expect(d.allowed).toBe(true);
    expect(d.disposal).toEqual([]);
  });
});

describe('art. 16 — content and logs kept sixty days (保存六十日)', () => {
  const retained = (until: string) => [{ record: 'content_and_logs', period: 'P60D', until }];
  const deleteAt = (occurredAt: string, createdAt = '2017-06-01T12:00:00+08:00', kind: 'content_and_logs' | 'network_logs' = 'content_and_logs') =>
    decideShipped(ev('record.delete', { occurredAt, record: { kind, createdAt } }));

  it('is operative: para. 1 is encoded', () => {
    expect(liveArticle(16).nonOperative).toBeUndefined();
    expect(ruleNames(16)).toEqual(['content-and-logs-kept-sixty-days']);
  });

  it('a published live stream is kept sixty days from its CST day of publication', () => {
    const d = decideShipped(ev('content.publish'));
    expect(d.allowed).toBe(true);
    expect(d.retention).toEqual(retained('2017-07-31'));
    expect(firedIn(d, 16)).toEqual([rule(16, 'content-and-logs-kept-sixty-days')]);
    expect(cited(d)).toContain('live-2016 16.1');
  });

  it('a posted comment is kept sixty days as well', () => {
    const d = decideShipped(ev('interaction.post'));
    expect(d.retention).toEqual(retained('2017-07-31'));
  });

  it('boundary: the day of publication is taken in China Standard Time', () => {
    expect(decideShipped(ev('content.publish', { occurredAt: '2017-06-01T15:59:59Z' })).retention).toEqual(retained('2017-07-31'));
    expect(decideShipped(ev('content.publish', { occurredAt: '2017-06-01T16:00:00Z' })).retention).toEqual(retained('2017-08-01'));
  });

  it('boundary: sixty days runs through a leap February', () => {
    expect(decideShipped(ev('content.publish', { occurredAt: '2020-01-01T09:00:00+08:00' })).retention).toEqual(expect.arrayContaining(retained('2020-03-01')));
  });

  it('a record may not be deleted on the day it was made', () => {
    const d = deleteAt('2017-06-01T18:00:00+08:00');
    expect(d.allowed).toBe(false);
    expect(d.retention).toEqual(retained('2017-07-31'));
    expect(firedIn(d, 16)).toEqual([rule(16, 'content-and-logs-kept-sixty-days')]);
  });

  it('forbids deleting on the sixtieth day, up to CST midnight', () => {
    for (const at of ['2017-07-31T00:00:00+08:00', '2017-07-31T23:59:59+08:00', '2017-07-31T15:59:59Z']) {
      const d = deleteAt(at);
      expect(d.allowed, at).toBe(false);
      expect(d.retention, at).toEqual(retained('2017-07-31'));
      expect(cited(d), at).toEqual(['live-2016 16.1']);
    }
  });

  it('allows deleting from CST midnight after the sixtieth day', () => {
    for (const at of ['2017-08-01T00:00:00+08:00', '2017-07-31T16:00:00Z', '2017-09-01T12:00:00+08:00']) {
      const d = deleteAt(at);
      expect(d.allowed, at).toBe(true);
      expect(d.retention, at).toEqual([]);
      expect(firedIn(d, 16), at).toEqual([]);
    }
  });

  it('boundary: the record’s day of creation is taken in China Standard Time too', () => {
    // 2017-06-01T16:30Z is 2017-06-02 00:30 in Beijing, so the record is kept through 2017-08-01.
    const kept = deleteAt('2017-08-01T23:00:00+08:00', '2017-06-01T16:30:00Z');
    expect(kept.allowed).toBe(false);
    expect(kept.retention).toEqual(retained('2017-08-01'));
    expect(deleteAt('2017-08-02T00:00:00+08:00', '2017-06-01T16:30:00Z').allowed).toBe(true);
  });

  it('boundary: network logs are not the record art. 16 protects', () => {
    const d = deleteAt('2017-06-02T12:00:00+08:00', '2017-06-01T12:00:00+08:00', 'network_logs');
    expect(d.allowed).toBe(true);
    expect(d.retention).toEqual([]);
  });

  it('boundary: a provider without live broadcasting keeps nothing under art. 16', () => {
    const d = decideShipped(ev('record.delete', { provider: notLive, occurredAt: '2017-06-02T12:00:00+08:00' }));
    expect(d.allowed).toBe(true);
    expect(d.retention).toEqual([]);
    expect(decideShipped(ev('content.publish', { provider: notLive })).retention).toEqual([]);
  });
});

describe('art. 17 — penalties (法律责任)', () => {
  it('is declared non-operative with a reason and has no rules', () => {
    const a = liveArticle(17);
    expect(a.nonOperative).toEqual(expect.stringMatching(/\S{5,}/));
    expect(a.nonOperative).toMatch(/penalt/i);
    expect(a.rules).toEqual([]);
  });
});

describe('art. 18 — industry self-regulation (行业自律)', () => {
  it('is declared non-operative with a reason and has no rules', () => {
    const a = liveArticle(18);
    expect(a.nonOperative).toEqual(expect.stringMatching(/\S{5,}/));
    expect(a.nonOperative).toMatch(/self-regulation|industry/i);
    expect(a.rules).toEqual([]);
  });
});

describe('art. 19 — public complaints (投诉举报)', () => {
  it('is operative', () => {
    expect(liveArticle(19).nonOperative).toBeUndefined();
    expect(ruleNames(19)).toEqual(['complaints-handled']);
  });

  it('content flagged by a public complaint must be handled as a complaint', () => {
    const d = decideShipped(ev('content.flagged', { content: { publicComplaint: true } }));
    expect(d.obligations).toEqual([{ code: 'handle_complaint' }]);
    expect(firedIn(d, 19)).toEqual([rule(19, 'complaints-handled')]);
    expect(cited(d)).toContain('live-2016 19');
  });

  it('content flagged otherwise carries no complaint-handling obligation', () => {
    for (const d of [decideShipped(ev('content.flagged', { content: { publicComplaint: false } })), decideShipped(ev('content.flagged'))]) {
      expect(d.obligations).toEqual([]);
      expect(firedIn(d, 19)).toEqual([]);
      expect(cited(d)).not.toContain('live-2016 19');
    }
  });

  it('boundary: a complaint about a comment is handled too; a non-live provider is not governed', () => {
    const comment = decideShipped(ev('content.flagged', { content: { form: 'barrage', publicComplaint: true } }));
    expect(comment.obligations).toEqual([{ code: 'handle_complaint' }]);
    const notGoverned = decideShipped(ev('content.flagged', { provider: notLive, content: { publicComplaint: true } }));
    expect(notGoverned.obligations).toEqual([]);
  });
});

describe('art. 20 — entry into force (施行日期)', () => {
  it('is declared non-operative with a reason, and the regulation is in force from 2016-12-01', () => {
    const a = liveArticle(20);
    expect(a.nonOperative).toEqual(expect.stringMatching(/\S{5,}/));
    expect(a.nonOperative).toContain('2016-12-01');
    expect(a.rules).toEqual([]);
  });

  it('2016-11-30T16:00:00Z is already 2016-12-01 in Beijing: the rules apply', () => {
    const d = decideShipped(ev('content.publish', { occurredAt: '2016-11-30T16:00:00Z' }));
    expect(d.labeling).toEqual(['platform_identification']);
    expect(d.retention).toEqual([{ record: 'content_and_logs', period: 'P60D', until: '2017-01-30' }]);
    expect(d.policy.articles.length).toBeGreaterThan(0);
    const prohibited = decideShipped(ev('content.publish', { occurredAt: '2016-11-30T16:00:00Z', content: { prohibited: ['pornography'] } }));
    expect(prohibited.allowed).toBe(false);
  });

  it('2016-11-30T15:59:59Z is still 2016-11-30: no rule of live-2016 applies', () => {
    const d = decideShipped(ev('content.publish', { occurredAt: '2016-11-30T15:59:59Z', content: { prohibited: ['pornography'] } }));
    expect(d.allowed).toBe(true);
    expect(d.labeling).toEqual([]);
    expect(d.retention).toEqual([]);
    expect(d.trace).toEqual([]);
    expect(d.policy.articles).toEqual([]);
  });

  it('the offset of the timestamp is honoured: 2016-12-01T00:00:00+08:00 is in force, 2016-11-30T23:59:59+08:00 is not', () => {
    expect(decideShipped(ev('account.register', { occurredAt: '2016-12-01T00:00:00+08:00', actor: { verified: [] } })).allowed).toBe(false);
    expect(decideShipped(ev('account.register', { occurredAt: '2016-11-30T23:59:59+08:00', actor: { verified: [] } })).allowed).toBe(true);
  });
});
