// Compiled policy + valid event → decision. Pure: no clock, no I/O; the same pair gives the same
// decision byte for byte, whatever the order of the rules in the bundle or of lists in the event.
// The decision is assembled by the code generated for the event's type and day (generate.ts); the
// reference interpreter (engine/reference/) and the json-rules-engine backend assemble their own,
// as independent checks of it.
import { cstDayOf } from '../language/calendar.js';
import { segmentOn, type CompiledPolicy } from './compile.js';
import type { Decision } from './schema/decision.js';
import type { Event } from './schema/event.js';

export function evaluate(policy: CompiledPolicy, ev: Event): Decision {
  const day = cstDayOf(ev.occurredAt)!;
  return segmentOn(policy, ev.type, day)(ev, day, true);
}

/**
 * The decision without the facts behind its trace (each entry's `facts` is empty): for comparing
 * outcomes (a diff), which never looks at facts, at less cost.
 */
export function evaluateOutcome(policy: CompiledPolicy, ev: Event): Decision {
  const day = cstDayOf(ev.occurredAt)!;
  return segmentOn(policy, ev.type, day)(ev, day, false);
}
