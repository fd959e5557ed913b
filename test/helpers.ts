// Shared test fixtures: the shipped bundle, loaded once, and event builders for each event type.
import { readFileSync } from 'node:fs';
import { buildBundle, decide, isDecisionError, loadPolicyDir, readPolicyDir, SHIPPED_POLICIES, type CompiledPolicy, type Decision, type Event, type EventEnvelope, type EventType } from '../engine/index.js';
import type { SourceFile } from '../language/source.js';
import { indexOf, type VocabularyIndex } from '../language/vocabulary.js';

let shipped: CompiledPolicy | undefined;

/** The shipped policies, compiled once per test file. */
export function shippedPolicy(): CompiledPolicy {
  if (!shipped) {
    const loaded = loadPolicyDir();
    if (!loaded.policy) throw new Error(`shipped policies do not compile: ${loaded.diagnostics.map((d) => d.message).join('; ')}`);
    shipped = loaded.policy;
  }
  return shipped;
}

let ninetyDays: CompiledPolicy | undefined;

/**
 * The shipped policies with live-2016 art. 16 keeping content and logs ninety days (the head revision
 * of the issue's diff): with notice-2018 art. 4's sixty, one record kind kept under two periods.
 */
export function ninetyDayRevision(): CompiledPolicy {
  if (!ninetyDays) {
    const files = readPolicyDir(SHIPPED_POLICIES).map((f) => (f.path === 'live-2016/article-16.tiaoli' ? { ...f, text: f.text.replace('for P60D', 'for P90D') } : f));
    ninetyDays = buildBundle(files).policy!;
  }
  return ninetyDays;
}

/** Overrides: each top-level object may be given in part (optional objects such as `actor` too). */
export type EventOverrides = {
  [K in keyof Event]?: NonNullable<Event[K]> extends readonly unknown[] ? Event[K] : NonNullable<Event[K]> extends object ? Partial<NonNullable<Event[K]>> : Event[K];
};

/** A live-broadcast provider in good standing, and well-behaved actors and content. */
export const fixtures = {
  provider: { id: 'prov-1', services: ['live_broadcast'], licenses: ['icp_filing'], businesses: [], hasStorage: true },
  publisher: { id: 'pub-1', role: 'publisher', verified: ['phone_number', 'identity_document'], agreementSigned: true, newsQualified: false, priorViolations: 0 },
  user: { id: 'user-1', role: 'user', verified: ['phone_number'], agreementSigned: true, priorViolations: 0 },
  liveStream: { id: 'c-1', form: 'live_stream', category: 'general', streamCategory: 'general', prohibited: [] },
  comment: { id: 'c-2', form: 'comment', category: 'general', streamCategory: 'general', prohibited: [] },
} as const satisfies Record<string, object>;

const BASE_TIME = '2017-06-01T12:00:00+08:00';

/** The event objects each type carries by default; a test overrides only what it is about. */
const defaults: Record<Event['type'], Partial<Event>> = {
  'account.register': { actor: fixtures.user },
  'content.publish': { actor: fixtures.publisher, content: fixtures.liveStream },
  'interaction.post': { actor: fixtures.user, content: fixtures.comment },
  'content.flagged': { actor: fixtures.user, content: { ...fixtures.liveStream, prohibited: ['pornography'] } },
  'feature.launch': { feature: { id: 'feat-1', deepSynthesis: false, mediaAttributes: false, socialMobilization: false } },
  'access.request': { requester: { kind: 'network_access' } },
  'identity.disclosure': { actor: fixtures.publisher, requester: { kind: 'law_enforcement', legalBasis: true } },
  'record.delete': { record: { kind: 'content_and_logs', createdAt: '2017-06-01T12:00:00+08:00' } },
} as unknown as Record<Event['type'], Partial<Event>>;

let counter = 0;

/** An event of `type`, built from the fixtures, with `over` merged in one level deep per object. */
export function event(type: Event['type'], over: EventOverrides = {}): Event {
  const base = { id: `ev-${++counter}`, type, occurredAt: BASE_TIME, provider: fixtures.provider, ...defaults[type] } as Record<string, unknown>;
  const merged: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = base[k];
    merged[k] = v !== null && typeof v === 'object' && !Array.isArray(v) && b !== null && typeof b === 'object' ? { ...b, ...v } : v;
  }
  return merged as unknown as Event;
}

/** Decides with the shipped policies; fails the test if the event is invalid. */
export function decideShipped(ev: Event | EventEnvelope, policy: CompiledPolicy = shippedPolicy()): Decision {
  const d = decide(policy, ev);
  if (isDecisionError(d)) throw new Error(`invalid test event: ${JSON.stringify(d.error)}`);
  return d;
}

/** The rule ids that fired, for assertions about which article decided. */
export const firedRules = (d: Decision): string[] => d.trace.map((t) => t.rule);
/** `regulation art.paragraph` strings of the citations, e.g. `live-2016 12.1`. */
export const cited = (d: Decision): string[] => d.citations.map((c) => `${c.regulation} ${c.article}${c.paragraph ? `.${c.paragraph}` : ''}`);

// ---------------------------------------------------------------------------------------------
// Fixtures for notice-2018 and av-2019 (added with those regulations; the ones above are unchanged).

type ProviderFixture = Event['provider'];
type ContentFixture = NonNullable<Event['content']>;

/** Providers and content in good standing under the later regulations. */
export const laterFixtures: {
  /** A live provider with its ICP filing, storage, and its public security filing made in time. */
  liveProvider: ProviderFixture;
  /** An audio/video provider (no live broadcasting) with its ICP filing. */
  avProvider: ProviderFixture;
  /** A provider running both services, otherwise like `liveProvider`. */
  bothProvider: ProviderFixture;
  /** A recorded video with nothing prohibited in it. */
  video: ContentFixture;
} = {
  liveProvider: { id: 'prov-1', services: ['live_broadcast'], licenses: ['icp_filing'], businesses: [], hasStorage: true, launchedAt: '2018-06-01', publicSecurityFiledAt: '2018-06-20' },
  avProvider: { id: 'prov-av', services: ['audio_video'], licenses: ['icp_filing'], businesses: [], hasStorage: true },
  bothProvider: { id: 'prov-both', services: ['live_broadcast', 'audio_video'], licenses: ['icp_filing'], businesses: [], hasStorage: true, launchedAt: '2018-06-01', publicSecurityFiledAt: '2018-06-20' },
  video: { id: 'c-3', form: 'video', category: 'general', prohibited: [] },
};

/** The rules of `regulation` that fired, optionally only those of one article. */
export const firedOf = (d: Decision, regulation: string, article?: number): string[] =>
  firedRules(d).filter((r) => r.startsWith(article === undefined ? `${regulation}/` : `${regulation}/${article}/`));

/** An article of the shipped bundle (its only version), for its rules and non-operative reason. */
export function shippedArticle(regulation: string, article: number) {
  const a = shippedPolicy().checked.articles.find((x) => x.regulation === regulation && x.article === article);
  if (!a) throw new Error(`${regulation} article ${article} is not in the shipped bundle`);
  return a;
}

/** A regulation of the shipped bundle. */
export function shippedRegulation(id: string) {
  const r = shippedPolicy().checked.regulations.find((x) => x.id === id);
  if (!r) throw new Error(`regulation ${id} is not in the shipped bundle`);
  return r;
}

/** The shipped vocabulary file, as a source a test bundle of its own can start from. */
export const vocabularySource = (): SourceFile => ({ path: 'vocabulary.tiaoli', text: readFileSync(new URL('../policies/vocabulary.tiaoli', import.meta.url), 'utf8') });

/** The shipped holiday calendar, as a source: what `moved past rest days` reads. */
export const calendarSource = (): SourceFile => ({ path: 'calendar.tiaoli', text: readFileSync(new URL('../policies/calendar.tiaoli', import.meta.url), 'utf8') });

/** The shipped vocabulary, indexed: what rules and events of the shipped bundle may name. */
export const shippedVocabulary = (): VocabularyIndex => indexOf(shippedPolicy().checked.vocabulary);

/** The shipped event types, as the generated types name them (engine/schema/contract.ts is generated from the same vocabulary). */
export const shippedEventTypes = (): readonly EventType[] => shippedVocabulary().eventTypes as readonly EventType[];
