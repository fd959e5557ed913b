// Event validation: ajv, compiled once per vocabulary from its Event schema. Each problem names its JSON path.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { cstDayOf } from '../language/calendar.js';
import type { Vocabulary } from '../language/checked.js';
import { quickFormats } from './formats.js';
import { eventSchema, type Event } from './schema/event.js';

export interface FieldError {
  /** JSON Pointer to the offending value (or to where a missing one belongs). */
  readonly path: string;
  readonly message: string;
}

export type Validation = { readonly ok: true; readonly event: Event } | { readonly ok: false; readonly errors: readonly FieldError[] };

// ajv-formats is CommonJS; under NodeNext its default export arrives wrapped.
const addFormats = addFormatsModule.default;
const options = { strict: true, strictTypes: false, strictRequired: false } as const;
const thorough = () => {
  const ajv = new Ajv({ ...options, allErrors: true });
  addFormats(ajv, ['date', 'date-time']);
  return ajv;
};
const ajv = thorough();

/** A validator for another of our schemas, with the same error shape as events get. */
export function schemaValidator<T>(schema: object): (input: unknown) => { ok: true; value: T } | { ok: false; errors: FieldError[] } {
  // Compiled on first use: modules that define one at load time do not slow every command's start.
  let check: ValidateFunction<T> | undefined;
  return (input) => {
    const c = (check ??= ajv.compile<T>(schema));
    return c(input) ? { ok: true, value: input } : { ok: false, errors: toFieldErrors(c.errors ?? []) };
  };
}

/** Deeper than this, an event is refused: nothing in the contract nests beyond three levels. */
export const MAX_DEPTH = 16;
/** Keys that mean something to JavaScript objects; an event may not carry them anywhere. */
const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
/** An event lists at most this many problems (a huge wrong array would otherwise list each item). */
const MAX_ERRORS = 20;
/** Dates outside these years are refused, so that any date plus any period stays a calendar date. */
export const YEARS = { min: 1000, max: 8999 } as const;

const pointer = (path: string, key: string | number) => `${path}/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`;

/**
 * Whether `structuralErrors` would find anything, without building a path: the happy path. It
 * recurses no deeper than MAX_DEPTH, so no input can exhaust the stack.
 */
function hasStructuralProblem(value: unknown, depth: number): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (depth >= MAX_DEPTH) return true;
  // The keys of Object.keys: for an object, for…in with hasOwn visits them without allocating an
  // array; for an array for…in is the slower way.
  if (Array.isArray(value)) {
    const keys = Object.keys(value);
    for (let i = 0; i < keys.length; i++) {
      if (RESERVED_KEYS.has(keys[i]!) || hasStructuralProblem(value[keys[i] as never], depth + 1)) return true;
    }
    return false;
  }
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    if (RESERVED_KEYS.has(key) || hasStructuralProblem((value as Record<string, unknown>)[key], depth + 1)) return true;
  }
  return false;
}

/** Reserved keys and excessive nesting, found without recursion (so no input can exhaust the stack). */
function structuralErrors(input: unknown): FieldError[] {
  const errors: FieldError[] = [];
  const stack: [unknown, string, number][] = [[input, '', 0]];
  while (stack.length > 0 && errors.length < MAX_ERRORS) {
    const [value, path, depth] = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (depth >= MAX_DEPTH) {
      errors.push({ path: path || '/', message: `is nested too deeply (more than ${MAX_DEPTH} levels)` });
      continue;
    }
    for (const key of Object.keys(value)) {
      if (RESERVED_KEYS.has(key)) errors.push({ path: pointer(path, key), message: 'is a reserved name and not allowed' });
      else stack.push([(value as Record<string, unknown>)[key], pointer(path, key), depth + 1]);
    }
  }
  return errors;
}

interface CalendarField {
  readonly path: string;
  readonly time: boolean;
  readonly keys: readonly string[];
}

/** What ajv's formats let through but the calendar cannot use: leap seconds, far-off years. */
function calendarErrors(ev: Event, fields: readonly CalendarField[]): FieldError[] {
  const errors: FieldError[] = [];
  for (const { path, time, keys } of fields) {
    let v: unknown = ev;
    for (const k of keys) v = (v as Record<string, unknown> | undefined)?.[k];
    if (typeof v !== 'string') continue;
    const year = Number(v.slice(0, 4));
    if (time && cstDayOf(v) === undefined) errors.push({ path, message: 'must be a valid RFC 3339 time' });
    else if (year < YEARS.min || year > YEARS.max) errors.push({ path, message: `must be in the years ${YEARS.min} to ${YEARS.max}` });
  }
  return errors;
}

export type Validator = (input: unknown) => Validation;

/**
 * The validator of events in vocabulary `v`. Valid events take the fast path, which stops at the
 * first problem; an invalid one is checked again by the validator that lists them all, compiled
 * when the first invalid event comes. Compiled at every start, so made cheap to compile: the schema
 * is generated (the validator that lists every problem checks it against the meta-schema), and
 * ajv's code optimisation passes cost more time at start than they save on events.
 */
export function eventValidator(v: Vocabulary): Validator {
  const schema = eventSchema(v);
  const fast = new Ajv({ ...options, allErrors: false, formats: quickFormats, validateSchema: false, code: { optimize: false } });
  const isEvent = fast.compile<Event>(schema);
  let everyProblem: ValidateFunction<Event> | undefined;
  const calendar: CalendarField[] = v.fields
    .filter((f) => f.type.t === 'date' || f.type.t === 'timestamp')
    .map((f) => ({ path: `/${f.path.replace(/\./g, '/')}`, time: f.type.t === 'timestamp', keys: f.path.split('.') }));
  return (input) => {
    if (hasStructuralProblem(input, 0)) return { ok: false, errors: structuralErrors(input) };
    if (isEvent(input)) {
      const errors = calendarErrors(input, calendar);
      return errors.length ? { ok: false, errors } : { ok: true, event: input };
    }
    everyProblem ??= thorough().compile<Event>(schema);
    everyProblem(input);
    return { ok: false, errors: capped(toFieldErrors(everyProblem.errors ?? [])) };
  };
}

// One validator per vocabulary, compiled when first asked for: the vocabulary is immutable, so this
// remembers a pure function's result.
const validators = new WeakMap<Vocabulary, Validator>();

/** Validates `input` as an event of vocabulary `v`. */
export function validate(v: Vocabulary, input: unknown): Validation {
  let check = validators.get(v);
  if (!check) validators.set(v, (check = eventValidator(v)));
  return check(input);
}

function capped(errors: FieldError[]): FieldError[] {
  if (errors.length <= MAX_ERRORS) return errors;
  return [...errors.slice(0, MAX_ERRORS), { path: '/', message: `and ${errors.length - MAX_ERRORS} more problems` }];
}

/** Ajv's errors as field errors: one per JSON path and problem, sorted by path (the HTTP routes' own schemas report through it too). */
export function toFieldErrors(errors: readonly ErrorObject[]): FieldError[] {
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
    } else if (e.keyword === 'pattern') {
      // The one pattern in the schema is the event id's.
      message = 'must be printable text: no control characters or unpaired surrogates';
    } else if (e.keyword === 'format') {
      message = (e.params as { format: string }).format === 'date' ? 'must be a date (YYYY-MM-DD)' : 'must be an RFC 3339 time with offset';
    }
    out.set(`${path}\0${message}`, { path, message });
  }
  return [...out.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
