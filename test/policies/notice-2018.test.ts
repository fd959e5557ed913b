// Unit tests for 关于加强网络直播服务管理工作的通知 (notice-2018), one `describe` per section (一..五 are
// articles 1..5), written from the text (/work/shared/regulations/notice-2018.zh.txt) and the rules in
// policies/notice-2018/article-NN.tiaoli: for each operative section the case it allows, the case it
// forbids and its boundaries; for the non-operative one its declared reason.
import { describe, expect, it } from 'vitest';
import type { Decision, Event } from '../../engine/index.js';
import { cited, decideShipped, event, firedOf, laterFixtures, shippedArticle, shippedRegulation, type EventOverrides } from '../helpers.js';

// ---------------------------------------------------------------------------------------------
// Local helpers

type Over = EventOverrides;
type Provider = Over['provider'];
type Kind = 'network_access' | 'app_store' | 'law_enforcement' | 'third_party';

/** A time well inside the notice's force (and before av-2019's). */
const AT = '2019-03-01T12:00:00+08:00';

/**
 * An event at `AT` on a live provider in good standing under the notice (ICP filing, storage, public
 * security filing made), with `over` merged in; `over.provider` is merged over that provider.
 */
function ev(type: Event['type'], over: Over = {}): Event {
  return event(type, { occurredAt: AT, ...over, provider: { ...laterFixtures.liveProvider, ...(over.provider ?? {}) } });
}

/** An `access.request` from a requester of `kind` about the live provider, with `provider` merged in. */
const access = (kind: Kind, provider: Provider = {}, occurredAt = AT): Decision =>
  decideShipped(ev('access.request', { occurredAt, provider, requester: { kind } }));

/** The event with one field dropped (e.g. `provider.hasStorage`). */
function without(e: Event, path: string): Event {
  const copy = JSON.parse(JSON.stringify(e)) as Record<string, Record<string, unknown>>;
  const [head, tail] = path.split('.') as [string, string];
  delete copy[head]![tail];
  return copy as unknown as Event;
}

const rule = (article: number, name: string): string => `notice-2018/${article}/${name}`;
const firedIn = (d: Decision, article: number): string[] => firedOf(d, 'notice-2018', article).sort();
const ruleNames = (article: number): string[] => shippedArticle('notice-2018', article).rules.map((r) => r.name).sort();

/** servedSince of a provider the requester already served before the notice (存量), and of one first served on its first day. */
const STOCK = '2018-05-01';
const NEW = '2018-08-01';
const noLicences = { licenses: [] } as Provider;
const unfiled = { licenses: ['news_information'] } as Provider;
const STOP_ACCESS = ['deny_access_service', 'stop_service'];
const STOP_APP = ['deny_app_distribution', 'stop_service'];

// ---------------------------------------------------------------------------------------------

describe('regulation notice-2018', () => {
  it('is declared with its titles, in force from 2018-08-01, with five sections', () => {
    const reg = shippedRegulation('notice-2018');
    expect(reg.titleZh).toBe('关于加强网络直播服务管理工作的通知');
    expect(reg.titleEn).toBe('Notice on Strengthening the Management of Network Live Broadcast Services');
    expect(reg.articleCount).toBe(5);
    expect(reg.repealed).toBeUndefined();
  });

  it('quotes every section in Chinese only (no official English text exists)', () => {
    const paragraphs = [3, 4, 1, 3, 1];
    paragraphs.forEach((count, i) => {
      const a = shippedArticle('notice-2018', i + 1);
      expect(a.paragraphs.map((p) => p.number), `section ${i + 1}`).toEqual(Array.from({ length: count }, (_, k) => k + 1));
      for (const p of a.paragraphs) {
        expect(p.zh.length).toBeGreaterThan(10);
        expect(p.en).toBeUndefined();
      }
    });
    expect(shippedArticle('notice-2018', 1).paragraphs[0]!.zh).toContain('30日内');
    expect(shippedArticle('notice-2018', 3).paragraphs[0]!.zh).toContain('两个月内补充相关材料');
  });

  it('2018-07-31T16:00:00Z is already 2018-08-01 in Beijing: the notice applies', () => {
    for (const at of ['2018-07-31T16:00:00Z', '2018-08-01T00:00:00+08:00']) {
      const d = access('network_access', noLicences, at);
      expect(d.allowed, at).toBe(false);
      expect(firedIn(d, 1), at).toEqual([rule(1, 'no-access-service-without-filing-or-licence')]);
      expect(d.policy.articles.some((a) => a.regulation === 'notice-2018'), at).toBe(true);
    }
  });

  it('2018-07-31T15:59:59Z is still 2018-07-31: no rule of the notice applies', () => {
    for (const at of ['2018-07-31T15:59:59Z', '2018-07-31T23:59:59+08:00']) {
      const d = access('network_access', { ...noLicences, blacklisted: true, hasStorage: false }, at);
      expect(d.allowed, at).toBe(true);
      expect(d.trace, at).toEqual([]);
      expect(d.policy.articles.filter((a) => a.regulation === 'notice-2018'), at).toEqual([]);
    }
  });
});

describe('section 一 (art. 1) — ICP filing, licences and public security filing (许可和备案)', () => {
  it('is operative', () => {
    expect(shippedArticle('notice-2018', 1).nonOperative).toBeUndefined();
    expect(ruleNames(1)).toEqual(['no-access-service-without-filing-or-licence', 'no-app-distribution-without-filing-or-licence', 'public-security-filing-within-thirty-days']);
  });

  describe('para. 1: public security filing within 30 days of going live (上线30日内…公安备案)', () => {
    const unfiledSince = (launchedAt: string, filed: string | null = null) => ({ launchedAt, publicSecurityFiledAt: filed }) as Provider;

    it.each(['content.publish', 'access.request'] as const)('%s: a live provider not yet filed owes the filing, due 30 days after launch', (type) => {
      const d = decideShipped(ev(type, { provider: unfiledSince('2018-09-01') }));
      expect(d.obligations).toEqual([{ code: 'public_security_filing', due: '2018-10-08' }]);
      expect(firedIn(d, 1)).toEqual([rule(1, 'public-security-filing-within-thirty-days')]);
      expect(cited(d)).toContain('notice-2018 1.1');
    });

    it('an obligation, not a refusal: the provider is still served after the due date passes', () => {
      const d = access('network_access', unfiledSince('2018-09-01'), '2019-06-01T12:00:00+08:00');
      expect(d.allowed).toBe(true);
      expect(d.obligations).toEqual([{ code: 'public_security_filing', due: '2018-10-08' }]);
    });

    it('boundary: the launch day is not counted, and the 30 days run over month ends and leap Februaries', () => {
      const due = (launchedAt: string) => decideShipped(ev('content.publish', { provider: unfiledSince(launchedAt) })).obligations;
      expect(due('2018-08-01')).toEqual([{ code: 'public_security_filing', due: '2018-08-31' }]);
      expect(due('2018-08-31')).toEqual([{ code: 'public_security_filing', due: '2018-09-30' }]);
      expect(due('2019-01-31')).toEqual([{ code: 'public_security_filing', due: '2019-03-04' }]);
      expect(due('2020-01-31')).toEqual([{ code: 'public_security_filing', due: '2020-03-02' }]);
    });

    it('a null filing date counts as not filed, and so does an absent one', () => {
      const absent = decideShipped(without(ev('content.publish', { provider: { launchedAt: '2018-09-01' } }), 'provider.publicSecurityFiledAt'));
      expect(absent.obligations).toEqual([{ code: 'public_security_filing', due: '2018-10-08' }]);
    });

    it('a provider that has filed owes nothing, even if it filed late', () => {
      for (const filed of ['2018-09-15', '2018-12-01']) {
        const d = decideShipped(ev('content.publish', { provider: unfiledSince('2018-09-01', filed) }));
        expect(d.obligations, filed).toEqual([]);
        expect(firedIn(d, 1), filed).toEqual([]);
      }
    });

    it('a provider whose launch date is unknown still owes the filing, with no due date', () => {
      const d = decideShipped(without(ev('content.publish', { provider: { publicSecurityFiledAt: null } }), 'provider.launchedAt'));
      expect(d.obligations).toEqual([{ code: 'public_security_filing' }]);
    });

    it('boundary: other events do not carry the obligation, and a provider without live broadcasting owes nothing', () => {
      expect(decideShipped(ev('interaction.post', { provider: unfiledSince('2018-09-01') })).obligations).toEqual([]);
      expect(decideShipped(ev('account.register', { provider: unfiledSince('2018-09-01') })).obligations).toEqual([]);
      const notLive = decideShipped(ev('access.request', { provider: { ...unfiledSince('2018-09-01'), services: ['audio_video'] } }));
      expect(notLive.obligations).toEqual([]);
      expect(firedIn(notLive, 1)).toEqual([]);
    });
  });

  describe('paras. 2 and 3: no access service and no app distribution without the ICP filing or a licence', () => {
    it.each(['network_access', 'app_store'] as const)('a %s may serve a live provider with its ICP filing and no licensed business', (kind) => {
      const d = access(kind);
      expect(d.allowed).toBe(true);
      expect(d.disposal).toEqual([]);
      expect(d.trace).toEqual([]);
    });

    it.each([
      ['network_access', 2, 'no-access-service-without-filing-or-licence', ['deny_access_service']],
      ['app_store', 3, 'no-app-distribution-without-filing-or-licence', ['deny_app_distribution']],
    ] as const)('a %s may not serve a live provider without its ICP filing (para. %i)', (kind, paragraph, name, disposal) => {
      const d = access(kind, noLicences);
      expect(d.allowed).toBe(false);
      expect(d.disposal).toEqual(disposal);
      expect(firedIn(d, 1)).toEqual([rule(1, name)]);
      expect(cited(d)).toEqual([`notice-2018 1.${paragraph}`]);
    });

    it.each([
      ['news', 'news_information'],
      ['performance', 'online_performance'],
      ['audiovisual_program', 'audiovisual_program'],
      ['commercial_telecom', 'telecom_business'],
    ] as const)('a live provider carrying on %s needs %s', (business, licence) => {
      for (const kind of ['network_access', 'app_store'] as const) {
        const lacking = access(kind, { businesses: [business] });
        expect(lacking.allowed, kind).toBe(false);
        expect(lacking.disposal, kind).toEqual(kind === 'network_access' ? ['deny_access_service'] : ['deny_app_distribution']);
        const licensed = access(kind, { businesses: [business], licenses: ['icp_filing', licence] });
        expect(licensed.allowed, kind).toBe(true);
        expect(firedIn(licensed, 1), kind).toEqual([]);
      }
    });

    it('boundary: the licences are not interchangeable, and a licence does not replace the ICP filing', () => {
      expect(access('network_access', { businesses: ['news'], licenses: ['icp_filing', 'audiovisual_program', 'online_performance', 'telecom_business'] }).allowed).toBe(false);
      expect(access('network_access', { businesses: ['news', 'performance'], licenses: ['icp_filing', 'news_information'] }).allowed).toBe(false);
      expect(access('app_store', unfiled).allowed).toBe(false);
    });

    it('boundary: only network access providers and app stores are bound', () => {
      for (const kind of ['law_enforcement', 'third_party'] as const) {
        const d = access(kind, noLicences);
        expect(d.allowed, kind).toBe(true);
        expect(firedIn(d, 1), kind).toEqual([]);
      }
    });

    it('boundary: a provider already served before the notice is left to section 三; one first served on 2018-08-01 is not', () => {
      const stock = access('network_access', { ...noLicences, servedSince: '2018-07-31' }, '2018-08-15T12:00:00+08:00');
      expect(firedIn(stock, 1)).toEqual([]);
      expect(firedIn(stock, 3)).toEqual([rule(3, 'supplement-materials-within-two-months')]);
      const fresh = access('network_access', { ...noLicences, servedSince: NEW }, '2018-08-15T12:00:00+08:00');
      expect(fresh.allowed).toBe(false);
      expect(firedIn(fresh, 1)).toEqual([rule(1, 'no-access-service-without-filing-or-licence')]);
      expect(firedIn(fresh, 3)).toEqual([]);
    });

    it('boundary: a provider without live broadcasting is not governed', () => {
      const d = access('network_access', { ...noLicences, services: ['audio_video'] });
      expect(d.allowed).toBe(true);
      expect(d.trace).toEqual([]);
    });
  });
});

describe('section 二 (art. 2) — blacklists and real names (黑名单、实名)', () => {
  it('is operative: paras. 2–4 are encoded', () => {
    expect(shippedArticle('notice-2018', 2).nonOperative).toBeUndefined();
    expect(ruleNames(2)).toEqual(['blacklisted-anchor-may-not-broadcast', 'no-access-service-for-blacklisted', 'no-app-distribution-for-blacklisted', 'unlawful-content-disposed-of', 'users-real-name']);
  });

  describe('paras. 2 and 3: no access service or app distribution for a blacklisted live provider', () => {
    it.each([
      ['network_access', 2, 'no-access-service-for-blacklisted', 'deny_access_service'],
      ['app_store', 3, 'no-app-distribution-for-blacklisted', 'deny_app_distribution'],
    ] as const)('a %s may not serve a blacklisted live provider (para. %i)', (kind, paragraph, name, measure) => {
      const d = access(kind, { blacklisted: true });
      expect(d.allowed).toBe(false);
      expect(d.disposal).toEqual([measure]);
      expect(firedIn(d, 2)).toEqual([rule(2, name)]);
      expect(cited(d)).toEqual([`notice-2018 2.${paragraph}`]);
    });

    it.each(['network_access', 'app_store'] as const)('a %s may serve a live provider that is not blacklisted', (kind) => {
      const d = access(kind, { blacklisted: false });
      expect(d.allowed).toBe(true);
      expect(firedIn(d, 2)).toEqual([]);
    });

    it('boundary: the blacklist has no grace, even for a provider served before the notice', () => {
      const d = access('app_store', { blacklisted: true, servedSince: STOCK }, '2018-08-02T12:00:00+08:00');
      expect(d.allowed).toBe(false);
      expect(firedIn(d, 2)).toEqual([rule(2, 'no-app-distribution-for-blacklisted')]);
    });

    it('boundary: other requesters and providers without live broadcasting are not bound', () => {
      expect(firedIn(access('third_party', { blacklisted: true }), 2)).toEqual([]);
      expect(access('network_access', { blacklisted: true, services: ['audio_video'] }).allowed).toBe(true);
    });
  });

  describe('para. 4: user real names (用户实名制度)', () => {
    it('an actor with a verified real identity is not asked again', () => {
      for (const type of ['account.register', 'content.publish', 'interaction.post'] as const) {
        const d = decideShipped(ev(type));
        expect(d.verification, type).toEqual([]);
        expect(firedIn(d, 2), type).toEqual([]);
      }
    });

    it.each(['account.register', 'content.publish', 'interaction.post'] as const)('%s: an actor with no verified identity must verify a real identity', (type) => {
      const d = decideShipped(ev(type, { actor: { verified: [] } }));
      expect(d.allowed).toBe(false);
      expect(d.verification).toContain('real_identity');
      expect(firedIn(d, 2)).toEqual([rule(2, 'users-real-name')]);
      expect(cited(d)).toContain('notice-2018 2.4');
    });

    it.each(['phone_number', 'identity_document', 'business_license', 'organization_code'] as const)('boundary: %s is a real identity', (identity) => {
      const d = decideShipped(ev('account.register', { actor: { verified: [identity] } }));
      expect(d.verification).toEqual([]);
      expect(firedIn(d, 2)).toEqual([]);
    });

    it('boundary: a provider without live broadcasting is not governed by the notice', () => {
      const d = decideShipped(ev('account.register', { provider: { services: ['audio_video'] }, actor: { verified: [] } }));
      expect(firedIn(d, 2)).toEqual([]);
    });
  });

  describe('para. 4: the anchor blacklist (主播黑名单制度)', () => {
    it('a blacklisted actor may not start a live stream', () => {
      const d = decideShipped(ev('content.publish', { actor: { blacklisted: true } }));
      expect(d.allowed).toBe(false);
      expect(firedIn(d, 2)).toEqual([rule(2, 'blacklisted-anchor-may-not-broadcast')]);
      expect(cited(d)).toContain('notice-2018 2.4');
    });

    it('an actor not on the blacklist may', () => {
      const d = decideShipped(ev('content.publish', { actor: { blacklisted: false } }));
      expect(d.allowed).toBe(true);
      expect(firedIn(d, 2)).toEqual([]);
    });

    it('boundary: only broadcasting is barred; a blacklisted actor’s comment or uploaded video is not decided here', () => {
      expect(firedIn(decideShipped(ev('interaction.post', { actor: { blacklisted: true } })), 2)).toEqual([]);
      const video = decideShipped(ev('content.publish', { actor: { blacklisted: true }, content: laterFixtures.video }));
      expect(firedIn(video, 2)).toEqual([]);
    });
  });
});

describe('section 三 (art. 3) — clearing providers already served (存量清理)', () => {
  const stock = (p: Provider = {}) => ({ ...noLicences, servedSince: STOCK, ...p }) as Provider;
  // Two months from 2018-08-01 end on 2018-10-01, National Day; moved past the rest (民法总则 art. 203), on 2018-10-08.
  const GRACE = [{ code: 'supplement_materials', due: '2018-10-08' }];

  it('is operative', () => {
    expect(shippedArticle('notice-2018', 3).nonOperative).toBeUndefined();
    expect(ruleNames(3)).toEqual([
      'access-stopped-after-two-months',
      'access-stopped-on-refusal',
      'app-distribution-stopped-after-two-months',
      'app-distribution-stopped-on-refusal',
      'supplement-materials-within-two-months',
      'supplement-materials-within-two-months-of-the-demand',
    ]);
  });

  it.each(['network_access', 'app_store'] as const)('%s: a provider served before the notice and lacking materials keeps its service and must supplement them by 2018-10-08', (kind) => {
    for (const at of ['2018-08-01T00:00:00+08:00', '2018-07-31T16:00:00Z', '2018-09-30T12:00:00+08:00']) {
      const d = access(kind, stock(), at);
      expect(d.allowed, at).toBe(true);
      expect(d.disposal, at).toEqual([]);
      expect(d.obligations, at).toEqual(GRACE);
      expect(firedIn(d, 3), at).toEqual([rule(3, 'supplement-materials-within-two-months')]);
      expect(cited(d), at).toEqual(['notice-2018 3']);
    }
  });

  it('the grace covers a missing licence as well as a missing ICP filing', () => {
    const d = access('network_access', stock({ licenses: ['icp_filing'], businesses: ['performance'] }));
    expect(d.obligations).toEqual([]);
    const inGrace = access('network_access', stock({ licenses: ['icp_filing'], businesses: ['performance'] }), '2018-09-01T12:00:00+08:00');
    expect(inGrace.allowed).toBe(true);
    expect(inGrace.obligations).toEqual(GRACE);
  });

  it.each(['network_access', 'app_store'] as const)('boundary: for a %s, the grace runs through the National Day rest to 2018-10-08, up to Beijing midnight', (kind) => {
    for (const at of ['2018-10-01T00:00:00+08:00', '2018-10-07T23:59:59+08:00', '2018-10-08T23:59:59+08:00', '2018-10-08T15:59:59Z']) {
      const d = access(kind, stock(), at);
      expect(d.allowed, at).toBe(true);
      expect(d.disposal, at).toEqual([]);
      expect(d.obligations, at).toEqual(GRACE);
      expect(firedIn(d, 3), at).toEqual([rule(3, 'supplement-materials-within-two-months')]);
    }
  });

  it.each([
    ['network_access', 'access-stopped-after-two-months', STOP_ACCESS],
    ['app_store', 'app-distribution-stopped-after-two-months', STOP_APP],
  ] as const)('boundary: from 2018-10-09 in Beijing a %s stops serving it', (kind, name, disposal) => {
    for (const at of ['2018-10-09T00:00:00+08:00', '2018-10-08T16:00:00Z', '2019-06-01T12:00:00+08:00']) {
      const d = access(kind, stock(), at);
      expect(d.allowed, at).toBe(false);
      expect(d.disposal, at).toEqual(disposal);
      expect(d.obligations, at).toEqual([]);
      expect(firedIn(d, 3), at).toEqual([rule(3, name)]);
      expect(cited(d), at).toEqual(['notice-2018 3']);
    }
  });

  it('after the grace, a provider that supplied its materials is served', () => {
    const d = access('network_access', stock({ licenses: ['icp_filing', 'news_information'], businesses: ['news'] }), '2018-11-01T12:00:00+08:00');
    expect(d.allowed).toBe(true);
    expect(d.trace).toEqual([]);
  });

  it.each([
    ['network_access', 'access-stopped-on-refusal', STOP_ACCESS],
    ['app_store', 'app-distribution-stopped-on-refusal', STOP_APP],
  ] as const)('a provider refusing to supply its materials is stopped at once by a %s, with no grace', (kind, name, disposal) => {
    const d = access(kind, stock({ refusedToSupplyMaterials: true }), '2018-08-01T09:00:00+08:00');
    expect(d.allowed).toBe(false);
    expect(d.disposal).toEqual(disposal);
    expect(d.obligations).toEqual([]);
    expect(firedIn(d, 3)).toEqual([rule(3, name)]);
  });

  it('a refusal stops service even when the provider claims every licence (the requester cannot check what it is refused)', () => {
    const d = access('network_access', stock({ licenses: ['icp_filing'], refusedToSupplyMaterials: true }));
    expect(d.allowed).toBe(false);
    expect(firedIn(d, 3)).toEqual([rule(3, 'access-stopped-on-refusal')]);
  });

  it('after the grace a refusing provider is stopped on both grounds', () => {
    const d = access('app_store', stock({ refusedToSupplyMaterials: true }), '2018-12-01T12:00:00+08:00');
    expect(firedIn(d, 3)).toEqual([rule(3, 'app-distribution-stopped-after-two-months'), rule(3, 'app-distribution-stopped-on-refusal')]);
    expect(d.disposal).toEqual(STOP_APP);
  });

  it('boundary: a stock provider with its materials in order owes nothing and is served', () => {
    const d = access('network_access', stock({ licenses: ['icp_filing'] }), '2018-08-15T12:00:00+08:00');
    expect(d.allowed).toBe(true);
    expect(d.obligations).toEqual([]);
    expect(firedIn(d, 3)).toEqual([]);
  });

  it('boundary: only network access providers and app stores clear their providers', () => {
    for (const at of ['2018-08-15T12:00:00+08:00', '2018-11-01T12:00:00+08:00']) {
      const d = access('third_party', stock({ refusedToSupplyMaterials: true }), at);
      expect(d.allowed, at).toBe(true);
      expect(firedIn(d, 3), at).toEqual([]);
    }
  });
});

describe('section 四 (art. 4) — licence scope, prohibited content, records and storage (监管机制)', () => {
  it('is operative: paras. 1 and 3 are encoded', () => {
    expect(shippedArticle('notice-2018', 4).nonOperative).toBeUndefined();
    expect(ruleNames(4)).toEqual(['business-within-licence-scope', 'content-and-logs-kept', 'cooperate-with-investigation', 'network-logs-kept-six-months', 'no-access-service-without-storage', 'no-prohibited-content']);
  });

  describe('para. 1: business within the licence (严格按照许可范围开展业务)', () => {
    it.each([
      ['news', 'news_information'],
      ['performance', 'online_performance'],
      ['audiovisual_program', 'audiovisual_program'],
    ] as const)('%s content needs %s', (category, licence) => {
      // Recorded video, so that live-2016 arts. 5–7 (live streams) do not also decide.
      const lacking = decideShipped(ev('content.publish', { content: { ...laterFixtures.video, category, preReviewed: true } }));
      expect(lacking.allowed).toBe(false);
      expect(firedIn(lacking, 4)).toEqual([rule(4, 'business-within-licence-scope'), rule(4, 'content-and-logs-kept'), rule(4, 'network-logs-kept-six-months')]);
      expect(cited(lacking)).toContain('notice-2018 4.1');
      const licensed = decideShipped(ev('content.publish', { provider: { licenses: ['icp_filing', licence] }, content: { ...laterFixtures.video, category } }));
      expect(licensed.allowed).toBe(true);
      expect(firedIn(licensed, 4)).toEqual([rule(4, 'content-and-logs-kept'), rule(4, 'network-logs-kept-six-months')]);
    });

    it('applies to a live stream too, alongside live-2016 art. 6', () => {
      const d = decideShipped(ev('content.publish', { content: { category: 'performance' } }));
      expect(d.allowed).toBe(false);
      expect(firedIn(d, 4)).toContain(rule(4, 'business-within-licence-scope'));
      expect(firedOf(d, 'live-2016', 6)).toEqual(['live-2016/6/performance-licence']);
    });

    it('boundary: general content needs no licence; a provider without live broadcasting is not governed', () => {
      expect(firedIn(decideShipped(ev('content.publish', { provider: { licenses: [] }, content: laterFixtures.video })), 4)).not.toContain(rule(4, 'business-within-licence-scope'));
      const notLive = decideShipped(ev('content.publish', { provider: { services: ['audio_video'], licenses: ['icp_filing'] }, content: { ...laterFixtures.video, category: 'news' } }));
      expect(firedIn(notLive, 4)).toEqual([]);
    });
  });

  describe('para. 1: no prohibited content (不得…传播法律法规禁止的信息内容)', () => {
    it('allows content with nothing prohibited', () => {
      const d = decideShipped(ev('content.publish', { content: { form: 'text' } }));
      expect(d.allowed).toBe(true);
      expect(firedIn(d, 4)).not.toContain(rule(4, 'no-prohibited-content'));
    });

    it.each(['text', 'image', 'video', 'live_stream'] as const)('forbids publishing prohibited content in any form on a live provider: %s', (form) => {
      const d = decideShipped(ev('content.publish', { content: { form, prohibited: ['pornography'] } }));
      expect(d.allowed).toBe(false);
      expect(firedIn(d, 4)).toContain(rule(4, 'no-prohibited-content'));
      expect(cited(d)).toContain('notice-2018 4.1');
    });

    it('a prohibited text item, which live-2016 art. 9 leaves alone, is refused under the notice', () => {
      const d = decideShipped(ev('content.publish', { content: { form: 'text', prohibited: ['rumor'] } }));
      expect(d.allowed).toBe(false);
      expect(firedOf(d, 'live-2016', 9)).toEqual([]);
      expect(firedIn(d, 4)).toContain(rule(4, 'no-prohibited-content'));
    });

    it('forbids posting prohibited comments, and flagged prohibited content may not go on', () => {
      const post = decideShipped(ev('interaction.post', { content: { prohibited: ['social_order'] } }));
      expect(post.allowed).toBe(false);
      expect(firedIn(post, 4)).toContain(rule(4, 'no-prohibited-content'));
      const flagged = decideShipped(ev('content.flagged', { content: { form: 'text', prohibited: ['other_unlawful'] } }));
      expect(flagged.allowed).toBe(false);
      expect(firedIn(flagged, 4)).toEqual([rule(4, 'no-prohibited-content')]);
    });

    it('boundary: a provider without live broadcasting is not governed', () => {
      const d = decideShipped(ev('content.publish', { provider: { services: [] }, content: { form: 'text', prohibited: ['rumor'] } }));
      expect(d.allowed).toBe(true);
      expect(firedIn(d, 4)).toEqual([]);
    });
  });

  describe('para. 3: content and logs kept (保存一定期限: sixty days, as live-2016 art. 16)', () => {
    const retained = (until: string) => [{ record: 'content_and_logs', period: 'P60D', until }];
    const deleteAt = (occurredAt: string, createdAt: string) => decideShipped(ev('record.delete', { occurredAt, record: { kind: 'content_and_logs', createdAt } }));

    it('published content and posted interaction are kept sixty days from their CST day', () => {
      for (const type of ['content.publish', 'interaction.post'] as const) {
        const d = decideShipped(ev(type, { content: { form: 'text' }, occurredAt: '2019-03-01T16:30:00Z' }));
        expect(d.retention, type).toEqual([...retained('2019-05-01'), { record: 'network_logs', period: 'P6M', until: '2019-09-02' }]);
        expect(firedIn(d, 4), type).toEqual([rule(4, 'content-and-logs-kept'), rule(4, 'network-logs-kept-six-months')]);
        expect(cited(d), type).toContain('notice-2018 4.3');
      }
    });

    it('a record may not be deleted through the sixtieth day, and may be from the day after', () => {
      const kept = deleteAt('2019-04-30T23:59:59+08:00', '2019-03-01T12:00:00+08:00');
      expect(kept.allowed).toBe(false);
      expect(kept.retention).toEqual(retained('2019-04-30'));
      expect(firedIn(kept, 4)).toEqual([rule(4, 'content-and-logs-kept')]);
      const free = deleteAt('2019-04-30T16:00:00Z', '2019-03-01T12:00:00+08:00');
      expect(free.allowed).toBe(true);
      expect(firedIn(free, 4)).toEqual([]);
    });

  });

  describe('para. 3: no access service for a live provider without storage (不具备存储能力且不购买存储服务)', () => {
    it('a network access provider may serve a live provider with storage', () => {
      const d = access('network_access', { hasStorage: true });
      expect(d.allowed).toBe(true);
      expect(firedIn(d, 4)).toEqual([]);
    });

    it('a network access provider may not serve a live provider without storage', () => {
      const d = access('network_access', { hasStorage: false });
      expect(d.allowed).toBe(false);
      expect(d.disposal).toEqual(['deny_access_service']);
      expect(firedIn(d, 4)).toEqual([rule(4, 'no-access-service-without-storage')]);
      expect(cited(d)).toEqual(['notice-2018 4.3']);
    });

    it('no record of storage counts as none', () => {
      const d = decideShipped(without(ev('access.request', { requester: { kind: 'network_access' } }), 'provider.hasStorage'));
      expect(d.allowed).toBe(false);
      expect(firedIn(d, 4)).toEqual([rule(4, 'no-access-service-without-storage')]);
    });

    it('boundary: the sentence binds network access providers, not app stores', () => {
      const d = access('app_store', { hasStorage: false });
      expect(d.allowed).toBe(true);
      expect(firedIn(d, 4)).toEqual([]);
    });

    it('boundary: storage has no grace for providers served before the notice', () => {
      const d = access('network_access', { hasStorage: false, servedSince: STOCK }, '2018-08-02T12:00:00+08:00');
      expect(d.allowed).toBe(false);
      expect(firedIn(d, 4)).toEqual([rule(4, 'no-access-service-without-storage')]);
    });
  });
});

describe('section 五 (art. 5) — liability of access providers and app stores (查处)', () => {
  it('is declared non-operative with a reason and has no rules', () => {
    const a = shippedArticle('notice-2018', 5);
    expect(a.nonOperative).toEqual(expect.stringMatching(/\S{5,}/));
    expect(a.nonOperative).toMatch(/liabilit|penalt|punish/i);
    expect(a.rules).toEqual([]);
  });
});
