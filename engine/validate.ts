// Event validation: ajv, compiled once from the Event schema. Each problem names its JSON path.
import { Ajv, type ErrorObject } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { cstDayOf } from '../language/calendar.js';
import { Event } from './schema/event.js';

export interface FieldError {
  /** JSON Pointer to the offending value (or to where a missing one belongs). */
  readonly path: string;
  readonly message: string;
}

export type Validation = { readonly ok: true; readonly event: Event } | { readonly ok: false; readonly errors: readonly FieldError[] };

// ajv-formats is CommonJS; under NodeNext its default export arrives wrapped.
const addFormats = addFormatsModule.default;
const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false, strictRequired: false });
addFormats(ajv, ['date', 'date-time']);
const validateEvent = ajv.compile<Event>(Event);

/** A validator for another of our schemas, with the same error shape as events get. */
export function schemaValidator<T>(schema: object): (input: unknown) => { ok: true; value: T } | { ok: false; errors: FieldError[] } {
  const check = ajv.compile<T>(schema);
  return (input) => (check(input) ? { ok: true, value: input } : { ok: false, errors: toFieldErrors(check.errors ?? []) });
}

export function validate(input: unknown): Validation {
  if (validateEvent(input)) {
    // ajv accepts leap seconds and years the JavaScript calendar cannot place; refuse them here.
    const times: [string, string | undefined][] = [
      ['/occurredAt', input.occurredAt],
      ['/record/createdAt', input.record?.createdAt],
    ];
    const errors = times.filter(([, t]) => t !== undefined && cstDayOf(t) === undefined).map(([path]) => ({ path, message: 'must be a valid RFC 3339 time' }));
    return errors.length ? { ok: false, errors } : { ok: true, event: input };
  }
  return { ok: false, errors: toFieldErrors(validateEvent.errors ?? []) };
}

function toFieldErrors(errors: readonly ErrorObject[]): FieldError[] {
  const out = new Map<string, FieldError>();
  for (const e of errors) {
    // `if`/`then` wrappers only repeat what the inner error says.
    if (e.keyword === 'if') continue;
    let path = e.instancePath || '/';
    let message = e.message ?? 'is invalid';
    if (e.keyword === 'required') {
      path = `${e.instancePath}/${(e.params as { missingProperty: string }).missingProperty}`;
      message = 'is required';
    } else if (e.keyword === 'additionalProperties') {
      path = `${e.instancePath}/${(e.params as { additionalProperty: string }).additionalProperty}`;
      message = 'is not allowed here';
    } else if (e.keyword === 'enum') {
      message = `must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`;
    } else if (e.keyword === 'format') {
      message = (e.params as { format: string }).format === 'date' ? 'must be a date (YYYY-MM-DD)' : 'must be an RFC 3339 time with offset';
    }
    out.set(`${path}\0${message}`, { path, message });
  }
  return [...out.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
