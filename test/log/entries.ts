// For the log tests: an entry (an event decided by the shipped policies, as the service logs it), and
// the logs a suite opens.
import { decide, isDecisionError, type Decision, type Event } from '../../engine/index.js';
import { afterEach } from 'vitest';
import type { DecisionLog, NewEntry } from '../../engine/log/log.js';
import { openLog } from '../../engine/log/open.js';
import type { Backend } from '../backends.js';
import { shippedPolicy } from '../helpers.js';

export function entryOf(ev: Event, decidedAt = '2024-01-01T00:00:00.000Z'): NewEntry {
  const d = decide(shippedPolicy(), ev);
  if (isDecisionError(d)) throw new Error('invalid test event');
  return { eventId: ev.id, type: ev.type, occurredAt: ev.occurredAt, decidedAt, digest: shippedPolicy().digest, event: ev, decision: d as Decision };
}

/** The logs and databases a suite's tests open: each log closed and each database dropped after its test. */
export function opening(backend: Backend): { readonly open: (location: string) => DecisionLog; readonly fresh: () => Promise<string> } {
  const opened: DecisionLog[] = [];
  const drops: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const log of opened.splice(0)) await log.close();
    for (const drop of drops.splice(0)) await drop();
  });
  return {
    open: (location) => {
      const log = openLog(location);
      opened.push(log);
      return log;
    },
    fresh: async () => {
      const { location, drop } = await backend.fresh();
      drops.push(drop);
      return location;
    },
  };
}
