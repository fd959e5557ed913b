// The Event JSON Schema of a vocabulary: what ajv validates events against (engine/validate.ts) and
// what is published to platforms. The TypeBox declarations below give library code the contract's
// TypeScript types; test/schema.test.ts checks they accept exactly what the shipped vocabulary does.
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import type { FieldType, Vocabulary, VocabularyField } from '../../language/checked.js';
import * as V from './vocabulary-lists.js';

/** A string enum as JSON Schema `enum` (one clear ajv message, unlike a union of constants). */
export const StringEnum = <const T extends readonly string[]>(values: T, description?: string) =>
  Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...(description ? { description } : {}) });

const SetOf = <const T extends readonly string[]>(values: T, description: string) =>
  Type.Array(StringEnum(values), { uniqueItems: true, description });

/** A calendar date, read in China Standard Time. */
const CalendarDate = (description: string) => Type.String({ format: 'date', description });
/** An RFC 3339 timestamp with its offset. */
const Timestamp = (description: string) => Type.String({ format: 'date-time', description });
const Flag = (description: string) => Type.Boolean({ description });
const Opt = <T extends TSchema>(t: T) => Type.Optional(t);

export const Provider = Type.Object(
  {
    id: Type.String({ minLength: 1 }),
    services: Opt(SetOf(V.SERVICES, 'services the provider runs')),
    licenses: Opt(SetOf(V.LICENSES, 'filings and licences it holds')),
    businesses: Opt(SetOf(V.BUSINESSES, 'businesses it carries on; each needs its licence')),
    launchedAt: Opt(CalendarDate('date the service went live')),
    servedSince: Opt(CalendarDate('date the requester began serving it')),
    publicSecurityFiledAt: Opt(Type.Union([CalendarDate('date of the public security filing'), Type.Null()])),
    refusedToSupplyMaterials: Opt(Flag('refused to supply filing or licence materials')),
    hasStorage: Opt(Flag('own storage or bought storage service')),
    blacklisted: Opt(Flag('on the blacklist of unlawful live providers')),
  },
  { description: 'The regulated platform.' },
);

export const Actor = Type.Object(
  {
    id: Type.String({ minLength: 1 }),
    role: Opt(StringEnum(V.ACTOR_ROLES)),
    verified: Opt(SetOf(V.VERIFIED_IDENTITIES, 'identities verified for this actor')),
    blacklisted: Opt(Flag('on the provider blacklist')),
    agreementSigned: Opt(Flag('signed the service agreement')),
    newsQualified: Opt(Flag('holds the news information service qualification')),
    priorViolations: Opt(Type.Integer({ minimum: 0 })),
  },
  { description: 'The person or organisation acting.' },
);

export const Content = Type.Object({
  id: Type.String({ minLength: 1 }),
  form: Opt(StringEnum(V.CONTENT_FORMS)),
  category: Opt(StringEnum(V.CONTENT_CATEGORIES)),
  reprint: Opt(Flag('reprinted from elsewhere')),
  sourceIndicated: Opt(Flag('source shown in a conspicuous place')),
  reprintSourceAuthorized: Opt(Flag('news reprinted from a unit within the state-specified scope')),
  synthetic: Opt(Flag('made with deep learning, virtual reality or similar new technology')),
  untrue: Opt(Flag('non-real audio/video')),
  conspicuousLabel: Opt(Flag('carries a conspicuous label')),
  platformMark: Opt(Flag('carries the platform identification')),
  preReviewed: Opt(Flag('reviewed before release')),
  prohibited: Opt(SetOf(V.PROHIBITED_CATEGORIES, 'prohibited categories found in it')),
  // Extension: complaint handling (live-2016 art. 19) needs to know how the content was flagged.
  publicComplaint: Opt(Flag('flagged through a complaint or report from the public')),
});

export const Feature = Type.Object({
  id: Type.String({ minLength: 1 }),
  deepSynthesis: Opt(Flag('based on deep learning, virtual reality or similar')),
  mediaAttributes: Opt(Flag('has media attributes')),
  socialMobilization: Opt(Flag('has social mobilisation functions')),
  securityAssessed: Opt(Flag('security assessment done')),
});

export const Requester = Type.Object({
  kind: StringEnum(V.REQUESTER_KINDS),
  legalBasis: Opt(Flag('asks on a legal basis')),
});

export const RecordRef = Type.Object({
  kind: StringEnum(V.RECORD_KINDS),
  createdAt: Timestamp('when the record was made'),
});

/** The objects each event type must carry, beyond id, type, occurredAt and provider. */
export const REQUIRED_BY_TYPE: Record<(typeof V.EVENT_TYPES)[number], readonly string[]> = {
  'account.register': ['actor'],
  'content.publish': ['actor', 'content'],
  'interaction.post': ['actor', 'content'],
  'content.flagged': ['content'],
  'feature.launch': ['feature'],
  'access.request': ['requester'],
  'identity.disclosure': ['actor', 'requester'],
  'record.delete': ['record'],
};

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

export const Event = Type.Object(
  {
    // Bounded, and printable: the id is a column both logs index (PostgreSQL refuses NUL and index
    // rows over ~2.7 kB, SQLite would store a lone surrogate as U+FFFD), so both backends refuse alike.
    id: Type.String({ minLength: 1, maxLength: MAX_EVENT_ID, pattern: '^[^\\p{Cc}\\p{Cs}]*$', description: 'unique per event; at most 256 characters, no control characters or lone surrogates' }),
    type: StringEnum(V.EVENT_TYPES),
    occurredAt: Timestamp('when it happened'),
    provider: Provider,
    actor: Opt(Actor),
    content: Opt(Content),
    feature: Opt(Feature),
    requester: Opt(Requester),
    record: Opt(RecordRef),
  },
  {
    $id: 'https://tiaoli.dev/schema/event.json',
    title: 'Event',
    description: 'Something a platform asks Tiaoli to decide. Unknown fields are kept and ignored.',
    allOf: Object.entries(REQUIRED_BY_TYPE).map(([type, required]) => ({
      if: { properties: { type: { const: type } }, required: ['type'] },
      then: { required },
    })),
  },
);

export type Event = Static<typeof Event>;
export type EventType = (typeof V.EVENT_TYPES)[number];
