// fast-check arbitraries of valid events, drawn from a vocabulary (the shipped one unless a test
// gives its own): every field it declares, of every object, with times spread around the in-force
// dates and written with assorted UTC offsets.
import fc from 'fast-check';
import type { Event } from '../engine/index.js';
import { addPeriod, formatDate, parseDate, parsePeriod } from '../language/calendar.js';
import { ENVELOPE as ENVELOPE_FIELDS } from '../language/check-vocabulary.js';
import type { VocabularyField } from '../language/checked.js';
import type { VocabularyIndex } from '../language/vocabulary.js';
import { shippedVocabulary } from './helpers.js';

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

/** How the values of each kind are drawn; dates and times may be placeholders an event resolves later. */
interface Draws {
  readonly id: fc.Arbitrary<string>;
  readonly date: fc.Arbitrary<unknown>;
  readonly time: fc.Arbitrary<unknown>;
  readonly flag: fc.Arbitrary<boolean>;
}

/** A value `f` can hold: a small integer within its bounds (small, so a policy's thresholds are met from both sides). */
function valueOf(f: VocabularyField, d: Draws): fc.Arbitrary<unknown> {
  const t = f.type;
  const value = ((): fc.Arbitrary<unknown> => {
    switch (t.t) {
      case 'bool':
        return d.flag;
      case 'int': {
        const min = f.minimum ?? 0;
        return fc.integer({ min, max: Math.min(f.maximum ?? min + 5, min + 5) });
      }
      case 'string':
        return f.path === 'id' || f.path.endsWith('.id') ? d.id : fc.string({ minLength: 1, maxLength: 6 });
      case 'date':
        return d.date;
      case 'timestamp':
        return d.time;
      case 'enum':
        return fc.constantFrom(...t.values);
      case 'set':
        return fc.subarray([...t.values]);
    }
  })();
  return f.nullable ? fc.option(value, { nil: null }) : value;
}

/** Each object the vocabulary lets an event carry, every field of it drawn (optional ones sometimes absent). */
function objectsOf(vocab: VocabularyIndex, d: Draws): Record<string, fc.Arbitrary<Record<string, unknown>>> {
  return Object.fromEntries(
    [...vocab.objects.keys()].map((path) => {
      const own = vocab.vocabulary.fields.filter((f) => f.path.startsWith(`${path}.`));
      const key = (f: VocabularyField) => f.path.slice(path.length + 1);
      return [path, fc.record(Object.fromEntries(own.map((f) => [key(f), valueOf(f, d)])), { requiredKeys: own.filter((f) => f.required).map(key) })];
    }),
  );
}

/** The event's own fields other than the envelope (which each arbitrary draws itself). */
const ENVELOPE = new Set(ENVELOPE_FIELDS.map((f) => f.path as string));
const rootFields = (vocab: VocabularyIndex, d: Draws) =>
  Object.fromEntries(vocab.vocabulary.fields.filter((f) => !f.path.includes('.') && !ENVELOPE.has(f.path)).map((f) => [f.path, valueOf(f, d)]));
const requiredRoot = (vocab: VocabularyIndex) => vocab.vocabulary.fields.filter((f) => !f.path.includes('.') && !ENVELOPE.has(f.path) && f.required).map((f) => f.path);

/** A valid event of any type; every object is present (extra ones are allowed by the schema). */
export function anyEventIn(vocab: VocabularyIndex): fc.Arbitrary<Event> {
  const objects = objectsOf(vocab, { id: fc.constantFrom('p-1', 'p-2', 'a-1', 'a-2', 'c-1', 'f-1'), date: dateOnly, time: instant, flag: fc.boolean() });
  return fc
    .tuple(
      fc.record({ id: fc.string({ minLength: 1, maxLength: 8 }), type: fc.constantFrom(...vocab.eventTypes), occurredAt: instant }),
      fc.record(rootFields(vocab, { id: fc.constant('x'), date: dateOnly, time: instant, flag: fc.boolean() }), { requiredKeys: requiredRoot(vocab) }),
      fc.record(objects),
    )
    .map(([envelope, root, objs]) => ({ ...envelope, ...root, ...objs }) as unknown as Event);
}

/** A valid event of any type in the shipped vocabulary. */
export const anyEvent: fc.Arbitrary<Event> = anyEventIn(shippedVocabulary());

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

/** A date or time still to be placed: a day relative to the event's, at a time within it. */
class Placed {
  constructor(
    readonly spec: DaySpec,
    readonly time?: { readonly ms: number; readonly halfHours: number },
  ) {}
}

/** Every placeholder in `v` replaced by its date (or time) around the event's day. */
function place(v: unknown, day: number): unknown {
  if (v instanceof Placed) {
    const d = dayOf(v.spec, day);
    return v.time ? rfc3339(cstMidnight(d) + v.time.ms, v.time.halfHours * 30) : formatDate(d);
  }
  if (Array.isArray(v)) return v.map((x) => place(x, day));
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, place(x, day)]));
  return v;
}

/**
 * A valid event of any type, drawn from the whole of `vocab` (the shipped vocabulary by default),
 * around `dates`: its time mostly falls on a day either side of one of them; date and time fields
 * fall near one of them or one of `periods` before or after the event, so every comparison and
 * retention boundary is met from both sides. Objects the type does not require, and optional
 * fields, are often absent; nullable ones may be null. Ids come from a small pool, so comparing
 * them can hold. Its type is mostly one of `types` (those a bundle has rules for), else any.
 */
export function eventNear(dates: readonly string[], periods: readonly string[], types: readonly string[] = shippedVocabulary().eventTypes, vocab: VocabularyIndex = shippedVocabulary()): fc.Arbitrary<Event> {
  const spec = daySpec(dates, periods);
  const ids = fc.constantFrom('p-1', 'a-1', 'c-1', 'f-1', 'ev-1', 'x');
  const draws: Draws = { id: ids, date: spec.map((s) => new Placed(s)), time: fc.tuple(spec, timeInDay).map(([s, t]) => new Placed(s, t)), flag: fc.boolean() };
  const objects = objectsOf(vocab, draws);
  const required = [...vocab.required].filter((p) => vocab.objects.has(p));
  return fc
    .record({
      id: fc.oneof(ids, fc.string({ minLength: 1, maxLength: 6 })),
      type: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...types) }, { weight: 1, arbitrary: fc.constantFrom(...vocab.eventTypes) }),
      near: fc.constantFrom(...dates),
      // Mostly a day either side; sometimes well inside a window, between boundaries.
      delta: fc.oneof({ weight: 3, arbitrary: fc.integer({ min: -1, max: 1 }) }, { weight: 1, arbitrary: fc.integer({ min: -400, max: 400 }) }),
      time: timeInDay,
      root: fc.record(rootFields(vocab, draws), { requiredKeys: requiredRoot(vocab) }),
      objects: fc.record(objects, { requiredKeys: required }),
    })
    .chain((e) =>
      // The objects an event's type requires are always there.
      fc.record(Object.fromEntries((vocab.requiredByType[e.type] ?? []).map((o) => [o, objects[o]!]))).map((needed) => ({ ...e, objects: { ...e.objects, ...needed } })),
    )
    .map((e) => {
      const day = parseDate(e.near)! + e.delta;
      const occurredAt = rfc3339(cstMidnight(day) + e.time.ms, e.time.halfHours * 30);
      return { id: e.id, type: e.type, occurredAt, ...(place({ ...e.root, ...e.objects }, day) as object) } as unknown as Event;
    });
}
