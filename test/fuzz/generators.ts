// Generators for fuzzing. Bad events: each yields the JSON text a platform might send and what
// Tiaoli must answer — an error at a given JSON path, or a decision. Shared by the fast property
// tests in `npm test` and the long run in `npm run fuzz` (FUZZ_RUNS).
import fc from 'fast-check';
import type { Event } from '../../engine/index.js';
import { anyEvent } from '../arbitraries.js';
import { shippedVocabulary } from '../helpers.js';

const VOCABULARY = shippedVocabulary();
const FIELDS = VOCABULARY.fields;

export interface BadEvent {
  readonly kind: string;
  /** One line of JSON (what the CLI reads and HTTP receives). */
  readonly json: string;
  /** The JSON path an error must name; undefined when the event must be decided. */
  readonly errorAt?: string;
  /** When only "no crash" can be promised (e.g. a huge string that may or may not be valid). */
  readonly anyOutcome?: boolean;
}

/** Runs per property: small in `npm test`, 10^5 under `npm run fuzz`. */
export const RUNS = Number(process.env['FUZZ_RUNS'] ?? 0) || undefined;

type Json = Record<string, unknown>;
const clone = (ev: Event): Json => JSON.parse(JSON.stringify(ev));
const pointer = (path: string) => `/${path.split('.').join('/')}`;

function set(obj: Json, path: string, value: unknown): void {
  const keys = path.split('.');
  let o = obj;
  for (const k of keys.slice(0, -1)) o = (o[k] ??= {}) as Json;
  o[keys.at(-1)!] = value;
}
function del(obj: Json, path: string): void {
  const keys = path.split('.');
  let o: Json | undefined = obj;
  for (const k of keys.slice(0, -1)) o = o?.[k] as Json | undefined;
  if (o) delete o[keys.at(-1)!];
}

const PATHS = [...FIELDS.keys()];
const jsonTypeOf = (t: string) => (t === 'bool' ? 'boolean' : t === 'int' ? 'number' : t === 'set' ? 'array' : 'string');
/** A JSON value of a type other than `type` (never null: null is a value some fields accept). */
const otherThan = (type: string) =>
  fc.oneof(fc.string(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.array(fc.integer(), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 4 }), fc.integer(), { maxKeys: 2 })).filter((v) => {
    const t = Array.isArray(v) ? 'array' : typeof v === 'object' ? 'object' : typeof v;
    return t !== type && !(type === 'number' && t === 'number');
  });

const wrongType = fc
  .tuple(anyEvent, fc.constantFrom(...PATHS.filter((p) => p !== 'type')))
  .chain(([ev, path]) => otherThan(jsonTypeOf(FIELDS.get(path)!.type.t)).map((v) => ({ ev, path, v })))
  .map(({ ev, path, v }): BadEvent => {
    const o = clone(ev);
    set(o, path, v);
    return { kind: 'wrong type', json: JSON.stringify(o), errorAt: pointer(path) };
  });

const numberForBool = fc.tuple(anyEvent, fc.constantFrom(...PATHS.filter((p) => FIELDS.get(p)!.type.t === 'bool')), fc.constantFrom(0, 1)).map(([ev, path, n]): BadEvent => {
  const o = clone(ev);
  set(o, path, n);
  return { kind: 'number for a yes/no', json: JSON.stringify(o), errorAt: pointer(path) };
});

const missingRequired = anyEvent.chain((ev) =>
  fc.constantFrom(...VOCABULARY.required, ...(VOCABULARY.requiredByType[ev.type] ?? [])).map((path): BadEvent => {
    const o = clone(ev);
    del(o, path);
    return { kind: 'missing field', json: JSON.stringify(o), errorAt: pointer(path) };
  }),
);

const OBJECTS = ['', ...VOCABULARY.objects.keys()];
const shallow = fc.jsonValue({ maxDepth: 2 });
const extraField = fc
  .tuple(anyEvent, fc.constantFrom(...OBJECTS), fc.string({ minLength: 1, maxLength: 10 }), shallow)
  // A reserved key anywhere, the extra field's own or one inside its value, is refused (reservedKey below).
  .filter(([, , key, v]) => !['__proto__', 'constructor', 'prototype'].includes(key) && !/"(__proto__|constructor|prototype)":/.test(JSON.stringify(v)))
  .map(([ev, at, key, v]): BadEvent => {
    const o = clone(ev);
    const holder = at === '' ? o : (o[at] as Json);
    // A key the contract knows is a wrong value, not an extra field: then only "no crash" holds.
    const known = key in holder;
    holder[key] = v;
    return { kind: 'extra field', json: JSON.stringify(o), anyOutcome: known };
  });

/** JSON text with an own `__proto__` (or `constructor`, `prototype`) key, as JSON.parse reads it. */
const reservedKey = fc.tuple(anyEvent, fc.constantFrom(...OBJECTS), fc.constantFrom('__proto__', 'constructor', 'prototype')).map(([ev, at, key]): BadEvent => {
  const o = clone(ev);
  const marker = '"__RESERVED__":1';
  const holder = at === '' ? o : (o[at] as Json);
  holder['__RESERVED__'] = 1;
  const json = JSON.stringify(o).replace(marker, `"${key}":{"polluted":true,"isAdmin":true}`);
  return { kind: 'reserved key', json, errorAt: `${at ? `/${at}` : ''}/${key}` };
});

const deepNesting = fc.tuple(anyEvent, fc.integer({ min: 17, max: 20_000 })).map(([ev, depth]): BadEvent => {
  const o = clone(ev);
  o['nest'] = '__NEST__';
  const json = JSON.stringify(o).replace('"__NEST__"', `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`);
  return { kind: 'deep nesting', json, errorAt: `/nest${'/a'.repeat(15)}` };
});

const hugeString = fc.tuple(anyEvent, fc.constantFrom('id', 'provider.id', 'actor.role', 'content.form', 'occurredAt'), fc.integer({ min: 10_000, max: 200_000 })).map(([ev, path, n]): BadEvent => {
  const o = clone(ev);
  set(o, path, 'x'.repeat(n));
  return { kind: 'huge string', json: JSON.stringify(o), anyOutcome: true };
});

const hugeArray = fc.tuple(anyEvent, fc.constantFrom('actor.verified', 'content.prohibited', 'provider.licenses'), fc.integer({ min: 1000, max: 50_000 })).map(([ev, path, n]): BadEvent => {
  const o = clone(ev);
  set(o, path, Array.from({ length: n }, (_, i) => (i % 2 ? i : 'x')));
  return { kind: 'huge array', json: JSON.stringify(o), errorAt: `${pointer(path)}/0` };
});

const BAD_TIMES = ['2019-02-30T00:00:00Z', '2019-13-01T00:00:00Z', '2019-01-01T00:00:00', '2019-01-01', '', 'yesterday', '+275760-09-13T00:00:00Z', '9999-12-31T23:59:59Z', '0000-01-01T00:00:00Z', '2016-12-31T23:59:60Z', '2019-01-01T25:00:00+08:00', '2019-01-01T00:00:00+25:00'];
const badTime = fc.tuple(anyEvent, fc.constantFrom('occurredAt', 'record.createdAt'), fc.constantFrom(...BAD_TIMES)).map(([ev, path, t]): BadEvent => {
  const o = clone(ev);
  set(o, path, t);
  return { kind: 'bad time', json: JSON.stringify(o), errorAt: pointer(path) };
});
const BAD_DATES = ['2019-02-29', '2019-00-10', '19-01-01', '2019-01-01T00:00:00Z', '9999-12-31', '0001-01-01', '2019-1-1'];
const badDate = fc.tuple(anyEvent, fc.constantFrom('provider.launchedAt', 'provider.servedSince', 'provider.publicSecurityFiledAt'), fc.constantFrom(...BAD_DATES)).map(([ev, path, d]): BadEvent => {
  const o = clone(ev);
  set(o, path, d);
  return { kind: 'bad date', json: JSON.stringify(o), errorAt: pointer(path) };
});

const loneSurrogate = fc.tuple(anyEvent, fc.constantFrom('id', 'provider.id', 'actor.id', 'content.id', 'actor.role'), fc.constantFrom('\ud800', '\udfff', 'a\ud83d', '\ude00b')).map(([ev, path, s]): BadEvent => {
  const o = clone(ev);
  set(o, path, s);
  // The event id is a log column, where a lone surrogate would not survive: refused there; kept elsewhere.
  const errorAt = path === 'actor.role' ? '/actor/role' : path === 'id' ? '/id' : undefined;
  return { kind: 'lone surrogate', json: JSON.stringify(o), ...(errorAt ? { errorAt } : {}) };
});

/** The same key twice: JSON.parse keeps the last, everywhere; the first is a wrong value that must not matter. */
const duplicateKey = anyEvent.map((ev): BadEvent => {
  const json = JSON.stringify(ev).replace('"type":', '"type":12,"type":');
  return { kind: 'duplicate key', json };
});

export const badEvent: fc.Arbitrary<BadEvent> = fc.oneof(wrongType, numberForBool, missingRequired, extraField, reservedKey, deepNesting, hugeString, hugeArray, badTime, badDate, loneSurrogate, duplicateKey);

/** Own properties of the built-in prototypes, to check nothing was added to them. */
export function prototypeSnapshot(): string {
  return [Object.prototype, Array.prototype, Function.prototype, String.prototype].map((p) => Object.getOwnPropertyNames(p).sort().join(',')).join('|');
}

/** Policy sources made to trigger backtracking in the lexer or recursion in the passes, by size. */
export const PATHOLOGICAL: Record<string, (n: number) => string> = {
  'open quotes': (n) => '"\\'.repeat(n),
  'unterminated text': (n) => `article 1 of x version 1 in effect from 2016-12-01 paragraph 1 zh "${'字'.repeat(n)}`,
  brackets: (n) => `article 1 of x version 1 in effect from 2016-12-01 rule r cites x article 1 on a when ${'('.repeat(n)}a${')'.repeat(n)} then deny`,
  negations: (n) => `article 1 of x version 1 in effect from 2016-12-01 rule r cites x article 1 on a when ${'not '.repeat(n)}a then deny`,
  shifts: (n) => `article 1 of x version 1 in effect from 2016-12-01 rule r cites x article 1 on a when occurredAt${' plus P1D'.repeat(n)} before 2020-01-01 then deny`,
  'hyphenated names': (n) => 'a-'.repeat(n),
  'long conditions': (n) => `article 1 of x version 1 in effect from 2016-12-01 rule r cites x article 1 on a when ${Array.from({ length: n }, () => 'actor.blacklisted').join(' and ')} then deny`,
};
