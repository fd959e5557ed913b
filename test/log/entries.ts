// Log entries for the log tests: an event decided by the shipped policies, as the service logs it.
import { decide, isDecisionError, type Decision, type Event } from '../../engine/index.js';
import type { NewEntry } from '../../engine/log/log.js';
import { shippedPolicy } from '../helpers.js';

export function entryOf(ev: Event, decidedAt = '2024-01-01T00:00:00.000Z'): NewEntry {
  const d = decide(shippedPolicy(), ev);
  if (isDecisionError(d)) throw new Error('invalid test event');
  return { eventId: ev.id, type: ev.type, occurredAt: ev.occurredAt, decidedAt, digest: shippedPolicy().digest, event: ev, decision: d as Decision };
}
