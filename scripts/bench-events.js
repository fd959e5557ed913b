// The bench's seeded mix of realistic events (scripts/bench.js), and what compares decisions of two
// builds on it (scripts/same-decisions.js). The mix is the bench's own: weights over the shipped
// vocabulary's types and values, which a realistic load has and a vocabulary does not declare.

/** mulberry32: a small seeded generator, so every run decides the same events. */
function random(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

const FROM = Date.UTC(2015, 0, 1);
const TO = Date.UTC(2027, 0, 1);
const DAY = 86_400_000;
const OFFSETS = ['+08:00', '+08:00', '+08:00', 'Z', '+09:00', '-05:00', '+05:30'];

/** A realistic mix: all eight event types, live, audio/video and dual providers (so all three
 * regulations decide), mostly well-behaved actors with some violations, times 2015–2026. */
export function eventMaker(seed) {
  const r = random(seed);
  const pick = (xs) => xs[Math.floor(r() * xs.length)];
  const chance = (p) => r() < p;
  const some = (xs, p) => xs.filter(() => chance(p));
  const weighted = (pairs) => {
    let x = r() * pairs.reduce((a, [, w]) => a + w, 0);
    for (const [v, w] of pairs) if ((x -= w) < 0) return v;
    return pairs.at(-1)[0];
  };
  const instant = () => {
    const ms = FROM + Math.floor(r() * (TO - FROM));
    const offset = pick(OFFSETS);
    const shift = offset === 'Z' ? 0 : (offset[0] === '-' ? -1 : 1) * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4))) * 60_000;
    return `${new Date(ms + shift).toISOString().slice(0, 19)}${offset}`;
  };
  const date = () => new Date(FROM + Math.floor(r() * ((TO - FROM) / DAY)) * DAY).toISOString().slice(0, 10);
  const TYPES = [
    ['content.publish', 30], ['interaction.post', 30], ['account.register', 10], ['content.flagged', 10],
    ['feature.launch', 5], ['access.request', 5], ['identity.disclosure', 5], ['record.delete', 5],
  ];
  const PROHIBITED = ['national_security', 'social_stability', 'social_order', 'pornography', 'rumor', 'false_news', 'infringement', 'other_unlawful'];
  let n = 0;
  return () => {
    const type = weighted(TYPES);
    const provider = {
      id: `prov-${Math.floor(r() * 500)}`,
      services: weighted([[['live_broadcast'], 45], [['audio_video'], 35], [['live_broadcast', 'audio_video'], 15], [[], 5]]),
      licenses: chance(0.9) ? ['icp_filing', ...some(['news_information', 'online_performance', 'audiovisual_program', 'telecom_business'], 0.2)] : [],
      hasStorage: chance(0.9),
    };
    provider.businesses = chance(0.3) ? some(['news', 'performance', 'audiovisual_program', 'commercial_telecom'], 0.3) : [];
    if (chance(0.6)) provider.launchedAt = date();
    if (chance(0.5)) provider.publicSecurityFiledAt = chance(0.2) ? null : date();
    if (chance(0.2)) provider.servedSince = date();
    if (chance(0.05)) provider.blacklisted = true;
    if (chance(0.05)) provider.refusedToSupplyMaterials = true;
    const ev = { id: `ev-${++n}`, type, occurredAt: instant(), provider };
    const actor = () => ({
      id: `user-${Math.floor(r() * 100_000)}`,
      role: chance(0.3) ? 'publisher' : 'user',
      verified: weighted([[['phone_number'], 50], [['phone_number', 'identity_document'], 25], [[], 10], [['business_license'], 5], [['identity_document'], 10]]),
      agreementSigned: chance(0.95),
      priorViolations: weighted([[0, 80], [1, 10], [2, 5], [3, 3], [5, 2]]),
      ...(chance(0.03) ? { blacklisted: true } : {}),
      ...(chance(0.1) ? { newsQualified: chance(0.5) } : {}),
    });
    const content = (forms) => ({
      id: `c-${n}`,
      form: pick(forms),
      category: weighted([['general', 80], ['news', 10], ['performance', 5], ['audiovisual_program', 5]]),
      prohibited: chance(0.9) ? [] : some(PROHIBITED, 0.3),
      ...(chance(0.1) ? { reprint: true, sourceIndicated: chance(0.7), reprintSourceAuthorized: chance(0.5) } : {}),
      ...(chance(0.1) ? { synthetic: true, untrue: chance(0.5), conspicuousLabel: chance(0.5) } : {}),
      ...(chance(0.5) ? { platformMark: chance(0.8) } : {}),
      ...(chance(0.2) ? { preReviewed: chance(0.5) } : {}),
      ...(chance(0.1) ? { publicComplaint: true } : {}),
    });
    switch (type) {
      case 'account.register':
        ev.actor = actor();
        break;
      case 'content.publish':
        ev.actor = actor();
        ev.content = content(['live_stream', 'live_stream', 'video', 'audio', 'image', 'text']);
        break;
      case 'interaction.post':
        ev.actor = actor();
        ev.content = { ...content(['comment', 'barrage', 'comment', 'text']), streamCategory: 'general' };
        break;
      case 'content.flagged':
        if (chance(0.8)) ev.actor = actor();
        ev.content = { ...content(['live_stream', 'video', 'audio', 'comment', 'barrage']), prohibited: some(PROHIBITED, 0.3) };
        break;
      case 'feature.launch':
        ev.feature = { id: `f-${n}`, deepSynthesis: chance(0.5), mediaAttributes: chance(0.5), socialMobilization: chance(0.3), securityAssessed: chance(0.6) };
        break;
      case 'access.request':
        ev.requester = { kind: pick(['network_access', 'app_store', 'network_access', 'third_party']), legalBasis: chance(0.5) };
        break;
      case 'identity.disclosure':
        ev.actor = actor();
        ev.requester = { kind: pick(['law_enforcement', 'third_party']), legalBasis: chance(0.6) };
        break;
      case 'record.delete':
        ev.record = { kind: pick(['content_and_logs', 'network_logs']), createdAt: instant() };
        break;
    }
    return ev;
  };
}
