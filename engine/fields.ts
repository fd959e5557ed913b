// Reading an event's fields by dotted path, as conditions, outcomes and the analysis read them. The
// generated code (generate.ts) reads the same way in source of its own, for speed.
import { cstDayOf, parseDate, type DayNumber } from '../language/calendar.js';
import type { Event } from './schema/event.js';

const own = (o: unknown, k: string): unknown => (o !== null && typeof o === 'object' && Object.hasOwn(o, k) ? (o as Record<string, unknown>)[k] : undefined);

/** Reads an event field by its dotted path (own properties only); null reads as absent. */
export function fieldReader(path: string): (ev: Event) => unknown {
  const keys = path.split('.');
  // Every event field is one or two keys deep: those are read without a loop.
  const [a, b] = keys as [string, string];
  if (keys.length === 1) return (ev) => own(ev, a) ?? undefined;
  if (keys.length === 2) return (ev) => own(own(ev, a), b) ?? undefined;
  return (ev) => keys.reduce<unknown>(own, ev) ?? undefined;
}

/** A date or timestamp field's value as its CST day number; undefined when absent. */
export const asDay = (raw: unknown, type: 'date' | 'timestamp'): DayNumber | undefined =>
  typeof raw !== 'string' ? undefined : type === 'date' ? parseDate(raw) : cstDayOf(raw);
