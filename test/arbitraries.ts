// fast-check arbitraries of valid events, drawn from the contract's vocabulary, with times spread
// around the in-force dates and written with assorted UTC offsets.
import fc from 'fast-check';
import * as V from '../engine/schema/vocabulary-lists.js';
import type { Event } from '../engine/index.js';

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

const provider = fc.record(
  {
    id: fc.constantFrom('p-1', 'p-2'),
    services: subset(V.SERVICES),
    licenses: subset(V.LICENSES),
    businesses: subset(V.BUSINESSES),
    launchedAt: dateOnly,
    servedSince: dateOnly,
    publicSecurityFiledAt: fc.option(dateOnly, { nil: null }),
    refusedToSupplyMaterials: fc.boolean(),
    hasStorage: fc.boolean(),
    blacklisted: fc.boolean(),
  },
  { requiredKeys: ['id'] },
);

const actor = fc.record(
  {
    id: fc.constantFrom('a-1', 'a-2'),
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
    id: fc.constant('c-1'),
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
  { id: fc.constant('f-1'), deepSynthesis: flag, mediaAttributes: flag, socialMobilization: flag, securityAssessed: flag },
  { requiredKeys: ['id'] },
);
const requester = fc.record({ kind: fc.constantFrom(...V.REQUESTER_KINDS), legalBasis: fc.boolean() }, { requiredKeys: ['kind'] });
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
