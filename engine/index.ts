// The library API: load a bundle once, then decide events synchronously.
import { evaluate } from './evaluate.js';
import type { CompiledPolicy } from './compile.js';
import type { Decision } from './schema/decision.js';
import { validate, type FieldError } from './validate.js';

export { buildBundle, digestOf, type BundleResult } from './bundle.js';
export { loadPolicyDir, readPolicyDir, SHIPPED_POLICIES } from './load.js';
export { validate, type FieldError, type Validation } from './validate.js';
export { evaluate } from './evaluate.js';
export type { CompiledPolicy } from './compile.js';
export type { Decision } from './schema/decision.js';
export type { Event, EventType } from './schema/event.js';
export { formatDiagnostic, type Diagnostic } from '../language/diagnostics.js';

/** What `decide` returns for input that is not a valid event. */
export interface DecisionError {
  readonly eventId: string | null;
  readonly error: { readonly code: 'invalid_event' | 'invalid_json'; readonly message: string; readonly errors?: readonly FieldError[] };
}

/** Validates untrusted input, then decides it: a decision, or an error naming each bad JSON path. */
export function decide(policy: CompiledPolicy, input: unknown): Decision | DecisionError {
  const v = validate(input);
  if (v.ok) return evaluate(policy, v.event);
  return { eventId: eventIdOf(input), error: { code: 'invalid_event', message: 'the event does not match the Event schema', errors: v.errors } };
}

export function isDecisionError(d: Decision | DecisionError): d is DecisionError {
  return 'error' in d;
}

/** The id of a rejected event when it has a usable one, so the caller can match the error line. */
function eventIdOf(input: unknown): string | null {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return null;
  const id = (input as Record<string, unknown>)['id'];
  return typeof id === 'string' ? id : null;
}
