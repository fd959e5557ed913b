// The bench's peers (scripts/bench.js): eleven deny rules of the shipped policies, written again
// natively for each peer, so Tiaoli's whole contract decision can be set beside them on the same
// events. Each peer states the rules in its own terms on purpose and reads nothing of Tiaoli's;
// test/bench/peers.test.ts holds each to Tiaoli's decisions on the seeded events, so none of them
// benchmarks wrong code. Only deny rules are here: they are what every peer can say.
//
// The eleven, a fair sample: four articles of live-2016, three of notice-2018, four of av-2019; every
// event type but record.delete; flags, enumerations, sets, a date and the regulations' in-force days.
import { createRequire } from 'node:module';
import { Engine } from 'json-rules-engine';

/** Each rule: its id in Tiaoli's trace and the article it cites. Its index is its bit in handWritten's mask. */
export const PEER_RULES = [
  { id: 'live-2016/5/provider-news-licence', article: 'live-2016 art. 5 para. 1' },
  { id: 'live-2016/9/no-prohibited-live-content', article: 'live-2016 art. 9' },
  { id: 'live-2016/12/protect-identity-information', article: 'live-2016 art. 12 para. 2' },
  { id: 'live-2016/15/blacklisted-may-not-register-again', article: 'live-2016 art. 15 para. 2' },
  { id: 'notice-2018/1/no-access-service-without-filing-or-licence', article: 'notice-2018 art. 1 para. 2' },
  { id: 'notice-2018/2/blacklisted-anchor-may-not-broadcast', article: 'notice-2018 art. 2 para. 4' },
  { id: 'notice-2018/4/no-access-service-without-storage', article: 'notice-2018 art. 4 para. 3' },
  { id: 'av-2019/9/no-prohibited-content', article: 'av-2019 art. 9' },
  { id: 'av-2019/10/unassessed-feature-held', article: 'av-2019 art. 10' },
  { id: 'av-2019/11/no-synthetic-false-news', article: 'av-2019 art. 11 para. 2' },
  { id: 'av-2019/14/service-agreement', article: 'av-2019 art. 14' },
];

const DAY_MS = 86_400_000;
const CST_MS = 8 * 3_600_000;
/** The CST day number (days since 1970-01-01) of an RFC 3339 timestamp: what every peer's conversion does. */
export const cstDay = (timestamp) => Math.floor((Date.parse(timestamp) + CST_MS) / DAY_MS);
/** The day number of a date (YYYY-MM-DD), or undefined when absent or null. */
const dateDay = (date) => (typeof date === 'string' ? Date.parse(date) / DAY_MS : undefined);

// The regulations' first days in force (each of these articles' only version starts the same day).
const LIVE_2016 = 17136; // 2016-12-01
const NOTICE_2018 = 17744; // 2018-08-01
const AV_2019 = 18262; // 2020-01-01

// ---------------------------------------------------------------- hand-written JS: the ceiling

/** The eleven rules as one plain function: a mask of the rules that deny (bit i is PEER_RULES[i]), 0 when none. */
export function handWritten(e) {
  const day = cstDay(e.occurredAt);
  const p = e.provider;
  const live = day >= LIVE_2016 && p.services.includes('live_broadcast');
  const notice = day >= NOTICE_2018 && p.services.includes('live_broadcast');
  const av = day >= AV_2019 && (p.services.includes('audio_video') || (p.services.includes('live_broadcast') && p.liveTextAndImagesOnly !== true));
  const a = e.actor;
  const c = e.content;
  const prohibited = c !== undefined && c.prohibited !== undefined && c.prohibited.length > 0;
  const form = c?.form;
  let mask = 0;
  switch (e.type) {
    case 'content.publish':
      if (live && form === 'live_stream' && c.category === 'news' && !(p.licenses ?? []).includes('news_information')) mask |= 1 << 0;
      if (live && form === 'live_stream' && prohibited) mask |= 1 << 1;
      if (notice && form === 'live_stream' && a.blacklisted === true) mask |= 1 << 5;
      if (av && prohibited) mask |= 1 << 7;
      if (av && (form === 'audio' || form === 'video' || form === 'live_stream') && c.synthetic === true && prohibited && c.prohibited.includes('false_news')) mask |= 1 << 9;
      if (av && a.agreementSigned !== true) mask |= 1 << 10;
      break;
    case 'interaction.post':
      if (live && (form === 'comment' || form === 'barrage') && prohibited) mask |= 1 << 1;
      if (av && prohibited) mask |= 1 << 7;
      if (av && a.agreementSigned !== true) mask |= 1 << 10;
      break;
    case 'content.flagged':
      if (live && (form === 'live_stream' || form === 'comment' || form === 'barrage') && prohibited) mask |= 1 << 1;
      if (av && prohibited) mask |= 1 << 7;
      break;
    case 'account.register':
      if (live && a.blacklisted === true) mask |= 1 << 3;
      if (av && a.agreementSigned !== true) mask |= 1 << 10;
      break;
    case 'identity.disclosure':
      if (live && e.requester.legalBasis !== true) mask |= 1 << 2;
      break;
    case 'access.request': {
      if (!notice || e.requester.kind !== 'network_access') break;
      const licenses = p.licenses ?? [];
      const unlicensed =
        !licenses.includes('icp_filing') ||
        (p.businesses.includes('commercial_telecom') && !licenses.includes('telecom_business')) ||
        (p.businesses.includes('news') && !licenses.includes('news_information')) ||
        (p.businesses.includes('performance') && !licenses.includes('online_performance')) ||
        (p.businesses.includes('audiovisual_program') && !licenses.includes('audiovisual_program'));
      const stock = typeof p.servedSince === 'string' && p.servedSince < '2018-08-01';
      if (unlicensed && !stock) mask |= 1 << 4;
      if (p.hasStorage !== true) mask |= 1 << 6;
      break;
    }
    case 'feature.launch':
      if (av && e.feature.deepSynthesis && (e.feature.mediaAttributes || e.feature.socialMobilization) && e.feature.securityAssessed !== true) mask |= 1 << 8;
      break;
  }
  return mask;
}

// ---------------------------------------------------------------- cedar-wasm

/**
 * The eleven in Cedar: a permit of everything, and one forbid per rule (its @id is the rule's), so
 * a request is denied exactly when a forbid holds and the response's reasons name them. The
 * provider is the principal, the event type the action; the event's objects are the context. Days
 * are day numbers (Long), as the conversion below makes them.
 */
export const CEDAR_POLICIES = `
@id("permit-the-rest")
permit (principal, action, resource);

// live-2016 art. 5 para. 1
@id("live-2016/5/provider-news-licence")
forbid (principal, action == Action::"content.publish", resource)
when {
  context.day >= ${LIVE_2016} && principal.services.contains("live_broadcast") &&
  context.content.form == "live_stream" && context.content.category == "news" &&
  !principal.licenses.contains("news_information")
};

// live-2016 art. 9
@id("live-2016/9/no-prohibited-live-content")
forbid (principal, action in [Action::"content.publish", Action::"interaction.post", Action::"content.flagged"], resource)
when {
  context.day >= ${LIVE_2016} && principal.services.contains("live_broadcast") &&
  ["live_stream", "comment", "barrage"].contains(context.content.form) &&
  !context.content.prohibited.isEmpty()
};

// live-2016 art. 12 para. 2
@id("live-2016/12/protect-identity-information")
forbid (principal, action == Action::"identity.disclosure", resource)
when {
  context.day >= ${LIVE_2016} && principal.services.contains("live_broadcast") &&
  !(context.requester has legalBasis && context.requester.legalBasis)
};

// live-2016 art. 15 para. 2
@id("live-2016/15/blacklisted-may-not-register-again")
forbid (principal, action == Action::"account.register", resource)
when {
  context.day >= ${LIVE_2016} && principal.services.contains("live_broadcast") &&
  context.actor has blacklisted && context.actor.blacklisted
};

// notice-2018 art. 1 para. 2
@id("notice-2018/1/no-access-service-without-filing-or-licence")
forbid (principal, action == Action::"access.request", resource)
when {
  context.day >= ${NOTICE_2018} && principal.services.contains("live_broadcast") &&
  context.requester.kind == "network_access" &&
  (!principal.licenses.contains("icp_filing") ||
   (principal.businesses.contains("commercial_telecom") && !principal.licenses.contains("telecom_business")) ||
   (principal.businesses.contains("news") && !principal.licenses.contains("news_information")) ||
   (principal.businesses.contains("performance") && !principal.licenses.contains("online_performance")) ||
   (principal.businesses.contains("audiovisual_program") && !principal.licenses.contains("audiovisual_program"))) &&
  !(principal has servedSince && principal.servedSince < ${NOTICE_2018})
};

// notice-2018 art. 2 para. 4
@id("notice-2018/2/blacklisted-anchor-may-not-broadcast")
forbid (principal, action == Action::"content.publish", resource)
when {
  context.day >= ${NOTICE_2018} && principal.services.contains("live_broadcast") &&
  context.content.form == "live_stream" && context.actor has blacklisted && context.actor.blacklisted
};

// notice-2018 art. 4 para. 3
@id("notice-2018/4/no-access-service-without-storage")
forbid (principal, action == Action::"access.request", resource)
when {
  context.day >= ${NOTICE_2018} && principal.services.contains("live_broadcast") &&
  context.requester.kind == "network_access" && !(principal has hasStorage && principal.hasStorage)
};

// av-2019 art. 9
@id("av-2019/9/no-prohibited-content")
forbid (principal, action in [Action::"content.publish", Action::"interaction.post", Action::"content.flagged"], resource)
when {
  context.day >= ${AV_2019} && principal.avProvider && !context.content.prohibited.isEmpty()
};

// av-2019 art. 10
@id("av-2019/10/unassessed-feature-held")
forbid (principal, action == Action::"feature.launch", resource)
when {
  context.day >= ${AV_2019} && principal.avProvider && context.feature.deepSynthesis &&
  (context.feature.mediaAttributes || context.feature.socialMobilization) &&
  !(context.feature has securityAssessed && context.feature.securityAssessed)
};

// av-2019 art. 11 para. 2
@id("av-2019/11/no-synthetic-false-news")
forbid (principal, action == Action::"content.publish", resource)
when {
  context.day >= ${AV_2019} && principal.avProvider &&
  ["audio", "video", "live_stream"].contains(context.content.form) &&
  context.content has synthetic && context.content.synthetic &&
  context.content.prohibited.contains("false_news")
};

// av-2019 art. 14
@id("av-2019/14/service-agreement")
forbid (principal, action in [Action::"account.register", Action::"content.publish", Action::"interaction.post"], resource)
when {
  context.day >= ${AV_2019} && principal.avProvider &&
  !(context.actor has agreementSigned && context.actor.agreementSigned)
};
`;

/** The Cedar record of an event's object: its flags, texts and sets (null and absent left out; an absent set is empty). */
function record(object, sets) {
  const out = {};
  for (const key in object) {
    const v = object[key];
    if (v !== null && v !== undefined) out[key] = v;
  }
  for (const key of sets) if (out[key] === undefined) out[key] = [];
  return out;
}

/**
 * An event as a Cedar request: the provider an entity (with whether it is an audio/video provider,
 * av-2019 art. 2, as an attribute: what the provider runs), the day a Long, the objects the context.
 */
export function cedarRequest(e, policySetId) {
  const p = e.provider;
  const attrs = {
    services: p.services,
    licenses: p.licenses ?? [],
    businesses: p.businesses,
    avProvider: p.services.includes('audio_video') || (p.services.includes('live_broadcast') && p.liveTextAndImagesOnly !== true),
  };
  if (p.hasStorage !== undefined) attrs.hasStorage = p.hasStorage;
  const servedSince = dateDay(p.servedSince);
  if (servedSince !== undefined) attrs.servedSince = servedSince;
  const context = { day: cstDay(e.occurredAt) };
  if (e.actor !== undefined) context.actor = record(e.actor, ['verified']);
  if (e.content !== undefined) context.content = record(e.content, ['prohibited']);
  if (e.feature !== undefined) context.feature = record(e.feature, []);
  if (e.requester !== undefined) context.requester = record(e.requester, []);
  return {
    principal: { type: 'Provider', id: p.id },
    action: { type: 'Action', id: e.type },
    resource: { type: 'Event', id: e.id },
    context,
    entities: [{ uid: { type: 'Provider', id: p.id }, attrs, parents: [] }],
    preparsedPolicySetId: policySetId,
  };
}

/**
 * cedar-wasm with the policies parsed once (its fastest road): `deny(e)` converts and decides, and
 * `denying(e)` names the forbids that held. An error in a policy is a bug here, not a decision.
 */
export function cedarPeer(policies = CEDAR_POLICIES, policySetId = 'tiaoli-peers') {
  const cedar = createRequire(import.meta.url)('@cedar-policy/cedar-wasm/nodejs');
  // Cedar names policies of a text policy0, policy1…; given one by one, each is named by its @id.
  const byId = Object.fromEntries(policies.split(/(?=@id\()/).slice(1).map((p) => [/^@id\("([^"]+)"\)/.exec(p)[1], p]));
  const parsed = cedar.preparsePolicySet(policySetId, { staticPolicies: byId });
  if (parsed.type !== 'success') throw new Error(`cedar: ${JSON.stringify(parsed.errors)}`);
  const answer = (e) => {
    const a = cedar.statefulIsAuthorized(cedarRequest(e, policySetId));
    if (a.type !== 'success' || a.response.diagnostics.errors.length > 0) throw new Error(`cedar on ${e.id}: ${JSON.stringify(a.type === 'success' ? a.response.diagnostics.errors : a.errors)}`);
    return a.response;
  };
  return {
    deny: (e) => answer(e).decision === 'deny',
    denying: (e) => {
      const r = answer(e);
      return r.decision === 'deny' ? [...r.diagnostics.reason].sort() : [];
    },
  };
}

// ---------------------------------------------------------------- json-rules-engine, native

const is = (fact, value) => ({ fact, operator: 'equal', value });
const isNot = (fact, value) => ({ fact, operator: 'notEqual', value });
const has = (fact, value) => ({ fact, operator: 'contains', value });
const lacks = (fact, value) => ({ fact, operator: 'doesNotContain', value });
const on = (...types) => ({ fact: 'type', operator: 'in', value: types });
const from = (day) => ({ fact: 'day', operator: 'greaterThanInclusive', value: day });
const PROHIBITED = ['national_security', 'social_stability', 'social_order', 'pornography', 'rumor', 'false_news', 'infringement', 'other_unlawful'];
const prohibited = { any: PROHIBITED.map((v) => has('prohibited', v)) };
const live = (day) => ({ all: [from(day), has('services', 'live_broadcast')] });
const av = { all: [from(AV_2019), { any: [has('services', 'audio_video'), { all: [has('services', 'live_broadcast'), isNot('liveTextAndImagesOnly', true)] }] }] };
const needs = (business, licence) => ({ all: [has('businesses', business), lacks('licenses', licence)] });

/** The eleven as json-rules-engine rules over flat facts (see jreFacts), with its own operators only. */
export function jreRules() {
  const rule = (id, ...all) => ({ name: id, conditions: { all }, event: { type: 'deny', params: { rule: id } } });
  return [
    rule(PEER_RULES[0].id, on('content.publish'), live(LIVE_2016), is('form', 'live_stream'), is('category', 'news'), lacks('licenses', 'news_information')),
    rule(PEER_RULES[1].id, on('content.publish', 'interaction.post', 'content.flagged'), live(LIVE_2016), { fact: 'form', operator: 'in', value: ['live_stream', 'comment', 'barrage'] }, prohibited),
    rule(PEER_RULES[2].id, on('identity.disclosure'), live(LIVE_2016), isNot('legalBasis', true)),
    rule(PEER_RULES[3].id, on('account.register'), live(LIVE_2016), is('actorBlacklisted', true)),
    rule(
      PEER_RULES[4].id,
      on('access.request'),
      live(NOTICE_2018),
      is('requesterKind', 'network_access'),
      { any: [lacks('licenses', 'icp_filing'), needs('commercial_telecom', 'telecom_business'), needs('news', 'news_information'), needs('performance', 'online_performance'), needs('audiovisual_program', 'audiovisual_program')] },
      { not: { fact: 'servedSince', operator: 'lessThan', value: NOTICE_2018 } },
    ),
    rule(PEER_RULES[5].id, on('content.publish'), live(NOTICE_2018), is('form', 'live_stream'), is('actorBlacklisted', true)),
    rule(PEER_RULES[6].id, on('access.request'), live(NOTICE_2018), is('requesterKind', 'network_access'), isNot('hasStorage', true)),
    rule(PEER_RULES[7].id, on('content.publish', 'interaction.post', 'content.flagged'), av, prohibited),
    rule(PEER_RULES[8].id, on('feature.launch'), av, is('deepSynthesis', true), { any: [is('mediaAttributes', true), is('socialMobilization', true)] }, isNot('securityAssessed', true)),
    rule(PEER_RULES[9].id, on('content.publish'), av, { fact: 'form', operator: 'in', value: ['audio', 'video', 'live_stream'] }, is('synthetic', true), has('prohibited', 'false_news')),
    rule(PEER_RULES[10].id, on('account.register', 'content.publish', 'interaction.post'), av, isNot('agreementSigned', true)),
  ];
}

/** An event as json-rules-engine's flat facts: the fields the eleven read, the day a number, absent sets empty. */
export function jreFacts(e) {
  const p = e.provider;
  return {
    type: e.type,
    day: cstDay(e.occurredAt),
    services: p.services,
    licenses: p.licenses ?? [],
    businesses: p.businesses,
    liveTextAndImagesOnly: p.liveTextAndImagesOnly,
    hasStorage: p.hasStorage,
    servedSince: dateDay(p.servedSince),
    actorBlacklisted: e.actor?.blacklisted,
    agreementSigned: e.actor?.agreementSigned,
    form: e.content?.form,
    category: e.content?.category,
    prohibited: e.content?.prohibited ?? [],
    synthetic: e.content?.synthetic,
    deepSynthesis: e.feature?.deepSynthesis,
    mediaAttributes: e.feature?.mediaAttributes,
    socialMobilization: e.feature?.socialMobilization,
    securityAssessed: e.feature?.securityAssessed,
    requesterKind: e.requester?.kind,
    legalBasis: e.requester?.legalBasis,
  };
}

/** json-rules-engine on the eleven: `deny(e)` and `denying(e)`, both asynchronous, as its run is. */
export function jrePeer(rules = jreRules()) {
  const engine = new Engine(rules, { allowUndefinedFacts: true });
  const fired = async (e) => (await engine.run(jreFacts(e))).events;
  return {
    deny: async (e) => (await fired(e)).length > 0,
    denying: async (e) => (await fired(e)).map((ev) => ev.params.rule).sort(),
  };
}
