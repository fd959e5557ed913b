// The Event JSON Schema of a vocabulary: what ajv validates events against (engine/validate.ts) and
// what is published to platforms (`tiaoli schema`; GET /v1/schema/event.json).
import type { FieldType, Vocabulary, VocabularyField } from '../../language/checked.js';

/** Characters in an event id: at most 1 KiB of UTF-8, far below any index's row limit. */
export const MAX_EVENT_ID = 256;
/** Bounded, and printable: the id is a column both logs index (PostgreSQL refuses NUL and index rows over ~2.7 kB, SQLite would store a lone surrogate as U+FFFD), so both backends refuse alike. */
const EVENT_ID = { maxLength: MAX_EVENT_ID, pattern: '^[^\\p{Cc}\\p{Cs}]*$' } as const;
export const EVENT_SCHEMA_ID = 'https://tiaoli.dev/schema/event.json';

type Json = Record<string, unknown>;

function typeSchema(t: FieldType): Json {
  switch (t.t) {
    case 'bool':
      return { type: 'boolean' };
    case 'int':
      return { type: 'integer' };
    // Declared text is never empty: an id of "" names nothing.
    case 'string':
      return { type: 'string', minLength: 1 };
    case 'date':
      return { type: 'string', format: 'date' };
    case 'timestamp':
      return { type: 'string', format: 'date-time' };
    case 'enum':
      return { type: 'string', enum: [...t.values] };
    case 'set':
      return { type: 'array', items: { type: 'string', enum: [...t.values] }, uniqueItems: true };
  }
}

function fieldSchema(f: VocabularyField): Json {
  const base: Json = { ...typeSchema(f.type), ...(f.minimum !== undefined && { minimum: f.minimum }), ...(f.maximum !== undefined && { maximum: f.maximum }), ...(f.path === 'id' && EVENT_ID) };
  const description = f.aboutEn ?? f.en;
  // What leaving the field out says (`absent means …`), as an annotation: validation never fills it in.
  if (f.absentMeans !== undefined) base.default = f.type.t === 'set' ? [] : false;
  return f.nullable ? { anyOf: [{ ...base, description }, { type: 'null' }] } : { ...base, description };
}

const objectSchema = (properties: Json, required: string[], description?: string): Json => ({ type: 'object', properties, ...(required.length > 0 && { required }), ...(description && { description }) });

/** The JSON Schema of events in `v`: each field typed, required where declared, objects required per event type. */
export function eventSchema(v: Vocabulary): Json {
  const rootFields = v.fields.filter((f) => !f.path.includes('.'));
  const properties: Json = Object.fromEntries(rootFields.map((f) => [f.path, fieldSchema(f)]));
  for (const o of v.objects) {
    const own = v.fields.filter((f) => f.path.startsWith(`${o.path}.`));
    const key = (f: VocabularyField) => f.path.slice(o.path.length + 1);
    properties[o.path] = objectSchema(Object.fromEntries(own.map((f) => [key(f), fieldSchema(f)])), own.filter((f) => f.required).map(key), o.kind.aboutEn ?? o.aboutEn ?? o.en);
  }
  const required = [...rootFields, ...v.objects].filter((f) => f.required).map((f) => f.path);
  return {
    $id: EVENT_SCHEMA_ID,
    title: 'Event',
    description: `Something a platform asks Tiaoli to decide, in the vocabulary ${v.names.join(' + ')}. Unknown fields are kept and ignored.`,
    ...objectSchema(properties, required),
    allOf: v.events.filter((e) => e.requires.length > 0).map((e) => ({ if: { properties: { type: { const: e.type } }, required: ['type'] }, then: { required: [...e.requires] } })),
  };
}

/**
 * An event as the engine reads it: the fields every vocabulary declares (the engine names, routes
 * and dates events by them), and the rest of what its vocabulary lets it carry, read by path. The
 * types of one vocabulary's events are generated (`tiaoli types`; engine/schema/contract.ts).
 */
export interface Event {
  readonly id: string;
  readonly type: string;
  readonly occurredAt: string;
  readonly [field: string]: unknown;
}
