// Outcomes that contradict each other — one decision requiring what another forbids — are declared
// in the vocabulary (`conflict A and B [on TYPE] because "…"`, checked against its codes). Here: how
// an outcome matches a pattern, and how a decision shows one.
import type { CheckedOutcome, OutcomePattern } from '../../language/checked.js';
import { codeOf, codesIn, LIST_OF } from '../outcomes.js';
import type { Decision } from '../schema/decision.js';

export const matches = (p: OutcomePattern, o: CheckedOutcome): boolean => p.k === o.k && (p.code === undefined || p.code === codeOf(o));

/** Whether a decision shows an outcome of the pattern: how a witness is confirmed. */
export const shows = (d: Decision, p: OutcomePattern): boolean =>
  p.k === 'deny' ? !d.allowed : codesIn(d, LIST_OF[p.k]).includes(p.code as string);
