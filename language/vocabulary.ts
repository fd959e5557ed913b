// What a policy may name: event fields with their types, event types and outcome codes. All of it
// is read off the JSON Schemas and the contract's lists, so the checker cannot drift from them.
import { Event, REQUIRED_BY_TYPE } from '../engine/schema/event.js';
import * as V from '../engine/schema/vocabulary-lists.js';

export type FieldType =
  | { readonly t: 'bool' }
  | { readonly t: 'int' }
  | { readonly t: 'string' }
  | { readonly t: 'date' }
  | { readonly t: 'timestamp' }
  | { readonly t: 'enum'; readonly values: readonly string[] }
  | { readonly t: 'set'; readonly values: readonly string[] };

export interface FieldInfo {
  readonly path: string;
  readonly type: FieldType;
  readonly description?: string;
  /** The schema's lower bounds: a number's `minimum`, a text's `minLength`. */
  readonly minimum?: number;
  readonly minLength?: number;
}

interface JsonSchema {
  type?: string | string[];
  format?: string;
  enum?: string[];
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  anyOf?: JsonSchema[];
  description?: string;
  required?: string[];
  minimum?: number;
  minLength?: number;
}

function typeOf(s: JsonSchema): FieldType | undefined {
  const alternatives = s.anyOf?.filter((a) => a.type !== 'null');
  if (alternatives?.length === 1) return typeOf(alternatives[0]!);
  if (s.enum) return { t: 'enum', values: s.enum };
  switch (s.type) {
    case 'boolean':
      return { t: 'bool' };
    case 'integer':
      return { t: 'int' };
    case 'string':
      return s.format === 'date' ? { t: 'date' } : s.format === 'date-time' ? { t: 'timestamp' } : { t: 'string' };
    case 'array':
      return s.items?.enum ? { t: 'set', values: s.items.enum } : undefined;
    default:
      return undefined;
  }
}

function collect(schema: JsonSchema, prefix: string, out: Map<string, FieldInfo>, objects: Set<string>, required: Set<string>): void {
  for (const [key, sub] of Object.entries(schema.properties ?? {})) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (schema.required?.includes(key)) required.add(path);
    if (sub.type === 'object') {
      objects.add(path);
      collect(sub, path, out, objects, required);
      continue;
    }
    const type = typeOf(sub);
    const { minimum, minLength } = sub;
    if (type) out.set(path, { path, type, description: sub.description ?? sub.anyOf?.[0]?.description, ...(minimum !== undefined && { minimum }), ...(minLength !== undefined && { minLength }) });
  }
}

const fieldMap = new Map<string, FieldInfo>();
const objectSet = new Set<string>();
const requiredSet = new Set<string>();
collect(Event as unknown as JsonSchema, '', fieldMap, objectSet, requiredSet);

/** Every event field a condition may read, by dotted path. */
export const FIELDS: ReadonlyMap<string, FieldInfo> = fieldMap;
/** Paths that name objects (`actor`, `provider`), not values. */
export const OBJECTS: ReadonlySet<string> = objectSet;
/** Fields and objects the schema requires whenever the object holding them is there (the event always is). */
export const REQUIRED: ReadonlySet<string> = requiredSet;
export const EVENT_TYPES: readonly string[] = V.EVENT_TYPES;
export { REQUIRED_BY_TYPE };

export const CODES = {
  verification: V.VERIFICATION_CODES,
  label: V.LABEL_CODES,
  disposal: V.DISPOSAL_CODES,
  obligation: V.OBLIGATION_CODES,
  record: V.RECORD_KINDS,
} as const satisfies Record<string, readonly string[]>;

export const VERIFICATION_MET_BY: Readonly<Record<string, readonly string[]>> = V.VERIFICATION_MET_BY;

export function describeType(t: FieldType): string {
  switch (t.t) {
    case 'bool':
      return 'a yes/no fact';
    case 'int':
      return 'a number';
    case 'string':
      return 'text';
    case 'date':
      return 'a date';
    case 'timestamp':
      return 'a point in time';
    case 'enum':
      return `one of ${t.values.join(', ')}`;
    case 'set':
      return `a set of ${t.values.join(', ')}`;
  }
}
