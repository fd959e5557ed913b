// fast-check arbitraries of valid events, drawn from the contract's vocabulary, with times spread
// around the in-force dates and written with assorted UTC offsets.
import fc from 'fast-check';
import * as V from '../engine/schema/vocabulary-lists.js';
import type { Event } from '../engine/index.js';
import { REQUIRED_BY_TYPE } from '../engine/schema/event.js';
import { addPeriod, formatDate, parseDate, parsePeriod } from '../language/calendar.js';

const subset = <T extends string>(values: readonly T[]) => fc.subarray([...values]);

/** An instant written as RFC 3339 with an offset from -12:00 to +14:00 (whole or half hours). */
export const instantIn = (fromMs: number, toMs: number) =>
  fc.record({ ms: fc.integer({ min: fromMs, max: toMs }), halfHours: fc.integer({ min: -24, max: 28 }) }).map(({ ms, halfHours }) => rfc3339(ms, halfHours * 30));

/** Formats an instant in a given offset (minutes east of UTC). */
export function rfc3339(ms: number, offsetMinutes: number): string {
  const local = new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, 19);
  if (offsetMinutes === 0) return `${local}Z`;
  const sign = offsetMinutes > 0 ? '+' : '-';
  const abs = Math.abs(offsetMinutes);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

const Y2015 = Date.UTC(2015, 0, 1);
const Y2027 = Date.UTC(2027, 0, 1);
export const instant = instantIn(Y2015, Y2027);
const dateOnly = fc.integer({ min: Y2015 / 86_400_000, max: Y2027 / 86_400_000 }).map((d) => new Date(d * 86_400_000).toISOString().slice(0, 10));
const flag = fc.option(fc.boolean(), { nil: undefined });

/**
 * The objects an event may carry, every field drawn from the vocabulary: ids from `id` (by object),
 * provider dates from `date`, the feature's facts from `featureFact`.
 */
function eventObjects<D>(id: (object: 'provider' | 'actor' | 'content' | 'feature') => fc.Arbitrary<string>, date: fc.Arbitrary<D>, featureFact: fc.Arbitrary<boolean | undefined>) {
  const provider = fc.record(
    {
      id: id('provider'),
      services: subset(V.SERVICES),
      licenses: subset(V.LICENSES),
      businesses: subset(V.BUSINESSES),
      launchedAt: date,
      servedSince: date,
      publicSecurityFiledAt: fc.option(date, { nil: null }),
      refusedToSupplyMaterials: fc.boolean(),
      hasStorage: fc.boolean(),
      blacklisted: fc.boolean(),
    },
    { requiredKeys: ['id'] },
  );
  const actor = fc.record(
    {
      id: id('actor'),
      role: fc.constantFrom(...V.ACTOR_ROLES),
      verified: subset(V.VERIFIED_IDENTITIES),
      blacklisted: fc.boolean(),
      agreementSigned: fc.boolean(),
      newsQualified: fc.boolean(),
      priorViolations: fc.integer({ min: 0, max: 5 }),
    },
    { requiredKeys: ['id'] },
  );
  const content = fc.record(
    {
      id: id('content'),
      form: fc.constantFrom(...V.CONTENT_FORMS),
      category: fc.constantFrom(...V.CONTENT_CATEGORIES),
      reprint: fc.boolean(),
      sourceIndicated: fc.boolean(),
      reprintSourceAuthorized: fc.boolean(),
      synthetic: fc.boolean(),
      untrue: fc.boolean(),
      conspicuousLabel: fc.boolean(),
      platformMark: fc.boolean(),
      preReviewed: fc.boolean(),
      prohibited: subset(V.PROHIBITED_CATEGORIES),
      publicComplaint: fc.boolean(),
    },
    { requiredKeys: ['id'] },
  );
  const feature = fc.record(
    { id: id('feature'), deepSynthesis: featureFact, mediaAttributes: featureFact, socialMobilization: featureFact, securityAssessed: featureFact },
    { requiredKeys: ['id'] },
  );
  const requester = fc.record({ kind: fc.constantFrom(...V.REQUESTER_KINDS), legalBasis: fc.boolean() }, { requiredKeys: ['kind'] });
  return { provider, actor, content, feature, requester };
}

const OWN_IDS = { provider: fc.constantFrom('p-1', 'p-2'), actor: fc.constantFrom('a-1', 'a-2'), content: fc.constant('c-1'), feature: fc.constant('f-1') };
const { provider, actor, content, feature, requester } = eventObjects((o) => OWN_IDS[o], dateOnly, flag);
const record = fc.record({ kind: fc.constantFrom(...V.RECORD_KINDS), createdAt: instant });

/** A valid event of any type; every object is present (extra ones are allowed by the schema). */
export const anyEvent: fc.Arbitrary<Event> = fc
  .record({
    id: fc.string({ minLength: 1, maxLength: 8 }),
    type: fc.constantFrom(...V.EVENT_TYPES),
    occurredAt: instant,
    provider,
    actor,
    content,
    feature,
    requester,
    record,
  })
  .map((e) => e as unknown as Event);

/** The same event with every list field shuffled (lists are sets in the contract). */
export function withShuffledLists(ev: Event, seed: number): Event {
  let s = seed >>> 0 || 1;
  const rand = () => ((s = (s * 1_103_515_245 + 12_345) >>> 0) / 2 ** 32);
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) {
      const a = v.map(walk);
      for (let i = a.length - 1; i > 0; i--) {
        const j = Math.floor(rand() * (i + 1));
        [a[i], a[j]] = [a[j], a[i]];
      }
      return a;
    }
    if (v !== null && typeof v === 'object') {
      const entries = Object.entries(v).map(([k, x]) => [k, walk(x)] as const);
      // Key order in the JSON object must not matter either.
      return Object.fromEntries(entries.reverse());
    }
    return v;
  };
  return walk(ev) as Event;
}

// ---------------------------------------------------------------------------------------------
// Events around boundaries (added with the json-rules-engine backend, for backend equivalence).

const DAY_MS = 86_400_000;
const cstMidnight = (day: number): number => day * DAY_MS - 8 * 3_600_000;

/** Where a date lands: a day either side of one of `dates`, or one period (± a day) before or after the event. */
type DaySpec = { readonly near: string; readonly delta: number } | { readonly period: string; readonly sign: 1 | -1; readonly delta: number };
const daySpec = (dates: readonly string[], periods: readonly string[]): fc.Arbitrary<DaySpec> =>
  fc.oneof(
    fc.record({ near: fc.constantFrom(...dates), delta: fc.integer({ min: -1, max: 1 }) }),
    fc.record({ period: fc.constantFrom(...periods), sign: fc.constantFrom(1 as const, -1 as const), delta: fc.integer({ min: -1, max: 1 }) }),
  );
const dayOf = (s: DaySpec, eventDay: number): number =>
  'near' in s ? parseDate(s.near)! + s.delta : addPeriod(eventDay, parsePeriod(s.period)!, s.sign) + s.delta;

/** A time within a day: often within a second of either midnight, in any offset. */
const timeInDay = fc.record({ ms: fc.oneof(fc.integer({ min: 0, max: 999 }), fc.integer({ min: DAY_MS - 1000, max: DAY_MS - 1 }), fc.integer({ min: 0, max: DAY_MS - 1 })), halfHours: fc.integer({ min: -24, max: 28 }) });

const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });

/**
 * A valid event of any type, drawn from the schema's whole vocabulary, around `dates`: its time
 * mostly falls on a day either side of one of them; date fields and the record's creation fall near one of
 * them or one of `periods` before or after the event, so every comparison and retention boundary is
 * met from both sides. Objects the type does not require, and optional fields, are often absent;
 * `publicSecurityFiledAt` may be null. Ids come from a small pool, so comparing them can hold.
 * Its type is mostly one of `types` (those a bundle has rules for), else any.
 */
export function eventNear(dates: readonly string[], periods: readonly string[], types: readonly Event['type'][] = V.EVENT_TYPES): fc.Arbitrary<Event> {
  const spec = daySpec(dates, periods);
  const ids = fc.constantFrom('p-1', 'a-1', 'c-1', 'f-1', 'ev-1', 'x');
  const { provider, actor, content, feature, requester } = eventObjects(() => ids, spec, fc.boolean());
  const record = fc.record({ kind: fc.constantFrom(...V.RECORD_KINDS), createdAt: fc.tuple(spec, timeInDay) });
  return fc
    .record({
      id: fc.oneof(ids, fc.string({ minLength: 1, maxLength: 6 })),
      type: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...types) }, { weight: 1, arbitrary: fc.constantFrom(...V.EVENT_TYPES) }),
      near: fc.constantFrom(...dates),
      // Mostly a day either side; sometimes well inside a window, between boundaries.
      delta: fc.oneof({ weight: 3, arbitrary: fc.integer({ min: -1, max: 1 }) }, { weight: 1, arbitrary: fc.integer({ min: -400, max: 400 }) }),
      time: timeInDay,
      provider,
      actor: opt(actor),
      content: opt(content),
      feature: opt(feature),
      requester: opt(requester),
      record: opt(record),
    })
    .chain((e) =>
      // The objects an event's type requires are always there.
      fc.record({ actor, content, feature, requester, record }).map((required) => {
        const needs = new Set<string>(REQUIRED_BY_TYPE[e.type]);
        const pick = <K extends keyof typeof required>(k: K) => (needs.has(k) ? required[k] : e[k]);
        return { ...e, actor: pick('actor'), content: pick('content'), feature: pick('feature'), requester: pick('requester'), record: pick('record') };
      }),
    )
    .map((e) => {
      const day = parseDate(e.near)! + e.delta;
      const date = (s: DaySpec) => formatDate(dayOf(s, day));
      const time = (d: number, t: { ms: number; halfHours: number }) => rfc3339(cstMidnight(d) + t.ms, t.halfHours * 30);
      const { launchedAt, servedSince, publicSecurityFiledAt, ...provider } = e.provider;
      const ev: Record<string, unknown> = {
        id: e.id,
        type: e.type,
        occurredAt: time(day, e.time),
        provider: {
          ...provider,
          ...(launchedAt && { launchedAt: date(launchedAt) }),
          ...(servedSince && { servedSince: date(servedSince) }),
          ...(publicSecurityFiledAt !== undefined && { publicSecurityFiledAt: publicSecurityFiledAt && date(publicSecurityFiledAt) }),
        },
      };
      for (const k of ['actor', 'content', 'feature', 'requester'] as const) if (e[k]) ev[k] = e[k];
      if (e.record) ev['record'] = { kind: e.record.kind, createdAt: time(dayOf(e.record.createdAt[0], day), e.record.createdAt[1]) };
      return ev as unknown as Event;
    });
}
