// Event validation: ajv, compiled once per vocabulary from its Event schema. Each problem names its JSON path.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { cstDayOf } from '../language/calendar.js';
import type { Vocabulary } from '../language/checked.js';
import { quickFormats } from './formats.js';
import { Constants, instantiate, member, num } from './generate.js';
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

/** What ajv's formats let through but the calendar cannot use (leap seconds, far-off years), said of a date or time `v`. */
function calendarProblem(v: string, time: boolean): string | undefined {
  const year = Number(v.slice(0, 4));
  if (time && cstDayOf(v) === undefined) return 'must be a valid RFC 3339 time';
  if (year < YEARS.min || year > YEARS.max) return `must be in the years ${YEARS.min} to ${YEARS.max}`;
  return undefined;
}

function calendarErrors(ev: Event, fields: readonly CalendarField[]): FieldError[] {
  const errors: FieldError[] = [];
  for (const { path, time, keys } of fields) {
    let v: unknown = ev;
    for (const k of keys) v = (v as Record<string, unknown> | undefined)?.[k];
    if (typeof v !== 'string') continue;
    const message = calendarProblem(v, time);
    if (message !== undefined) errors.push({ path, message });
  }
  return errors;
}

type Json = Record<string, unknown>;
type Check = (x: unknown) => boolean;

/** Keywords that say nothing about validity. */
const ANNOTATIONS = new Set(['$id', 'title', 'description', 'default']);
/** Code points, as JSON Schema counts a string's length (a surrogate pair is one). */
function codePoints(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++, n++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
  }
  return n;
}

/** What the quick check's source calls. */
const QUICK = Object.freeze({
  proto: Object.getPrototypeOf,
  OBJECT: Object.prototype,
  isInteger: Number.isInteger,
  isArray: Array.isArray,
  codePoints,
  date: (s: string) => (quickFormats.date.validate as Check)(s) && calendarProblem(s, false) === undefined,
  dateTime: (s: string) => (quickFormats['date-time'].validate as Check)(s) && calendarProblem(s, true) === undefined,
  /** A set: every item checked, none twice, and no key beside the items (an own __proto__, a hole). */
  set(a: unknown[], item: Check): boolean {
    if (Object.getPrototypeOf(a) !== Array.prototype || Object.keys(a).length !== a.length) return false;
    for (let i = 0; i < a.length; i++) {
      if (!item(a[i])) return false;
      for (let j = 0; j < i; j++) if (a[j] === a[i]) return false;
    }
    return true;
  },
});

class Unsupported extends Error {}

/**
 * The event schema as one walk of the input: each declared field read and checked by its schema,
 * the count of keys compared with the count of declared fields present (so any other key, a
 * reserved one too, sends the event to the full validation), dates checked against the calendar.
 * It says yes only of events the full validation accepts; a no is checked again by it, so only
 * its speed depends on this. Generated from the schema itself, for the keywords eventSchema
 * writes: given any other, or where code cannot be made (a page that forbids it), there is no
 * quick check (undefined) and every event takes the full validation.
 */
export function quickCheck(schema: Json): Check | undefined {
  const c = new Constants();
  const functions: string[] = [];
  try {
    const rootCheck = objectSource(schema, c, functions, true);
    return instantiate<Check>([...functions, `return ${rootCheck};`].join('\n'), c.list, QUICK);
  } catch (e) {
    if (e instanceof Unsupported || e instanceof EvalError) return undefined;
    throw e;
  }
}

/** An object schema as a generated function; its name. At the root, the `if type is T then required …` eventSchema writes. */
function objectSource(schema: Json, c: Constants, functions: string[], root = false): string {
  for (const k of Object.keys(schema)) if (!ANNOTATIONS.has(k) && !['type', 'properties', 'required', ...(root ? ['allOf'] : [])].includes(k)) throw new Unsupported();
  if (schema['type'] !== 'object') throw new Unsupported();
  const required = new Set((schema['required'] ?? []) as string[]);
  const lines: string[] = [];
  for (const [key, sub] of Object.entries((schema['properties'] ?? {}) as Record<string, Json>)) {
    // A name every object has (toString) the full validation would read from the prototype.
    if (key in Object.prototype || RESERVED_KEYS.has(key)) throw new Unsupported();
    const check = sub['type'] === 'object' ? `${objectSource(sub, c, functions)}(v)` : valueSource(sub, c);
    lines.push(`v = x${member(c, key).get}; if (v !== undefined) { seen++; if (!(${check})) return false; }${required.has(key) ? ' else return false;' : ''}`);
    required.delete(key);
  }
  for (const key of required) lines.push(`if (x${member(c, key).get} === undefined) return false;`);
  if (root) {
    for (const part of (schema['allOf'] ?? []) as Json[]) {
      const cond = part['if'] as Json | undefined;
      const then = part['then'] as Json | undefined;
      const type = ((cond?.['properties'] as Json | undefined)?.['type'] as Json | undefined)?.['const'];
      if (Object.keys(part).length !== 2 || !cond || !then || Object.keys(cond).length !== 2 || JSON.stringify(cond['required']) !== '["type"]' || Object.keys(then).length !== 1 || !Array.isArray(then['required'])) throw new Unsupported();
      lines.push(`if (x.type === ${c.ref(type)} && (${(then['required'] as string[]).map((k) => `x${member(c, k).get} === undefined`).join(' || ') || 'false'})) return false;`);
    }
  }
  const name = `o${functions.length}`;
  functions.push(
    `function ${name}(x) { if (x === null || typeof x !== 'object' || L.isArray(x)) return false; const p = L.proto(x); if (p !== L.OBJECT && p !== null) return false; let n = 0; for (const k in x) n++; let seen = 0, v; ${lines.join(' ')} return n === seen; }`,
  );
  return name;
}

/** A field's schema (a scalar, a set of strings, either or null) as an expression over `v`. */
function valueSource(schema: Json, c: Constants): string {
  const anyOf = schema['anyOf'] as Json[] | undefined;
  if (anyOf) {
    const [a, b] = anyOf;
    if (Object.keys(schema).some((k) => k !== 'anyOf' && !ANNOTATIONS.has(k)) || anyOf.length !== 2 || JSON.stringify(b) !== '{"type":"null"}') throw new Unsupported();
    return `v === null || (${valueSource(a!, c)})`;
  }
  const type = { boolean: `typeof v === 'boolean'`, integer: 'L.isInteger(v)', string: `typeof v === 'string'`, array: 'L.isArray(v)' }[schema['type'] as string];
  if (type === undefined) throw new Unsupported();
  const checks = [type];
  for (const [k, x] of Object.entries(schema)) {
    if (ANNOTATIONS.has(k) || k === 'type') continue;
    switch (k) {
      case 'enum':
        checks.push(`${c.ref(new Set(x as unknown[]))}.has(v)`);
        break;
      // A string of `length` code units has between length / 2 and length code points.
      case 'minLength':
        checks.push(`(v.length >= ${num(2 * (x as number))} || (v.length >= ${num(x as number)} && L.codePoints(v) >= ${num(x as number)}))`);
        break;
      case 'maxLength':
        checks.push(`(v.length <= ${num(x as number)} || L.codePoints(v) <= ${num(x as number)})`);
        break;
      case 'pattern':
        checks.push(`${c.ref(new RegExp(x as string, 'u'))}.test(v)`);
        break;
      case 'format':
        if (x !== 'date' && x !== 'date-time') throw new Unsupported();
        checks.push(x === 'date' ? 'L.date(v)' : 'L.dateTime(v)');
        break;
      case 'minimum':
        checks.push(`v >= ${num(x as number)}`);
        break;
      case 'maximum':
        checks.push(`v <= ${num(x as number)}`);
        break;
      case 'items':
        if (schema['uniqueItems'] !== true) throw new Unsupported();
        checks.push(`L.set(v, ${c.ref(itemCheck(x as Json, c))})`);
        break;
      case 'uniqueItems':
        if (x !== true || schema['items'] === undefined) throw new Unsupported();
        break;
      default:
        throw new Unsupported();
    }
  }
  return checks.join(' && ');
}

/** A set's item check, as a function of its own (sets are few, and short). */
function itemCheck(schema: Json, c: Constants): Check {
  return instantiate<Check>(`return (v) => ${valueSource(schema, c)};`, c.list, QUICK);
}

export type Validator = (input: unknown) => Validation;

/**
 * The validator of events in vocabulary `v`. Valid events take the fast path, which stops at the
 * first problem; an invalid one is checked again by the validator that lists them all, compiled
 * when the first invalid event comes. Compiled at every start, so made cheap to compile: the schema
 * is generated (the validator that lists every problem checks it against the meta-schema), and
 * ajv's code optimisation passes cost more time at start than they save on events.
 */
export function eventValidator(v: Vocabulary, { quick = true }: { readonly quick?: boolean } = {}): Validator {
  const schema = eventSchema(v);
  const accepts = quick ? quickCheck(schema) : undefined;
  // Compiled when first needed: with a quick check, only an event it does not accept needs ajv.
  let isEvent: ValidateFunction<Event> | undefined;
  const ajvFast = () => (isEvent ??= new Ajv({ ...options, allErrors: false, formats: quickFormats, validateSchema: false, code: { optimize: false } }).compile<Event>(schema));
  let everyProblem: ValidateFunction<Event> | undefined;
  const calendar: CalendarField[] = v.fields
    .filter((f) => f.type.t === 'date' || f.type.t === 'timestamp')
    .map((f) => ({ path: `/${f.path.replace(/\./g, '/')}`, time: f.type.t === 'timestamp', keys: f.path.split('.') }));
  return (input) => {
    if (accepts?.(input)) return { ok: true, event: input as Event };
    if (hasStructuralProblem(input, 0)) return { ok: false, errors: structuralErrors(input) };
    if (ajvFast()(input)) {
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
