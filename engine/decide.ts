// Untrusted input → decision or validation error: the one entry point every caller decides through.
import type { Vocabulary } from '../language/checked.js';
import type { CompiledPolicy } from './compile.js';
import { evaluate } from './evaluate.js';
import type { Decision } from './schema/decision.js';
import type { Event } from './schema/event.js';
import { validate, type FieldError } from './validate.js';

/** What `decide` returns for input that is not a valid event. */
export interface DecisionError {
  readonly eventId: string | null;
  readonly error: { readonly code: 'invalid_event' | 'invalid_json'; readonly message: string; readonly errors?: readonly FieldError[] };
}

/** Validates untrusted input, then decides it: a decision, or an error naming each bad JSON path. */
export function decide(policy: CompiledPolicy, input: unknown): Decision | DecisionError {
  return decideWith(policy.checked.vocabulary, input, evaluate, policy);
}

/** Validates untrusted input against the policy's vocabulary and hands a valid event to a backend's `evaluate`; refuses the rest. */
export function decideWith<P, T>(vocabulary: Vocabulary, input: unknown, evaluate: (policy: P, ev: Event) => T, policy: P): T | DecisionError {
  const v = validate(vocabulary, input);
  if (v.ok) return evaluate(policy, v.event);
  return { eventId: eventIdOf(input), error: { code: 'invalid_event', message: 'the event does not match the Event schema', errors: v.errors } };
}

export function isDecisionError(d: Decision | DecisionError): d is DecisionError {
  return 'error' in d;
}

/** The id of a rejected event when it has a usable one, so the caller can match the error line. */
export function eventIdOf(input: unknown): string | null {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return null;
  const id = (input as Record<string, unknown>)['id'];
  return typeof id === 'string' ? id : null;
}
