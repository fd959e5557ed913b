// A bundle's vocabulary, indexed the ways its readers look things up: fields by path, codes by kind,
// names by value. Derived from the checked vocabulary (language/check-vocabulary.ts) and nothing else.
import type { OutcomeKind } from './ast.js';
import type { CodeKind, FieldType, Named, Vocabulary, VocabularyEnumeration, VocabularyEvent, VocabularyField, VocabularyObject } from './checked.js';

export type { FieldType };

export interface VocabularyIndex {
  readonly vocabulary: Vocabulary;
  /** Every event field a condition may read, by dotted path. */
  readonly fields: ReadonlyMap<string, VocabularyField>;
  readonly fieldPaths: readonly string[];
  /** Objects an event may carry (`actor`, `provider`), by path. */
  readonly objects: ReadonlyMap<string, VocabularyObject>;
  /** Fields and objects present whenever the object holding them is (the event always is). */
  readonly required: ReadonlySet<string>;
  readonly eventTypes: readonly string[];
  readonly events: ReadonlyMap<string, VocabularyEvent>;
  /** The objects each event type must carry beyond the required ones. */
  readonly requiredByType: Readonly<Record<string, readonly string[]>>;
  readonly enumerations: ReadonlyMap<string, VocabularyEnumeration>;
  /** The codes a rule may name, by kind. */
  readonly codes: Readonly<Record<CodeKind, readonly string[]>>;
  /** Which verified identities meet each verification code. */
  readonly metBy: Readonly<Record<string, readonly string[]>>;
  /** A value's names: in its enumeration when known, else in the first enumeration declaring it. */
  readonly valueNames: (value: string, enumeration?: string) => Named | undefined;
  /** Whether the field at `path` holds a date or a time. */
  readonly temporal: (path: string) => boolean;
}

/** The kind of code each outcome names: a retention's is the kind of record it keeps. */
export const CODE_KIND_OF: Readonly<Record<Exclude<OutcomeKind, 'deny'>, CodeKind>> = { verification: 'verification', label: 'label', disposal: 'disposal', oblige: 'obligation', retain: 'record' };
export const CODE_KINDS: readonly CodeKind[] = Object.values(CODE_KIND_OF);
/** Each kind of code by its Chinese name, for messages. */
export const CODE_KIND_ZH: Readonly<Record<CodeKind, string>> = { verification: '身份认证', label: '标识', disposal: '处置措施', obligation: '义务', record: '保存记录' };

/** Which of its two names a declaration lacks, in English and Chinese (TL075). */
export function missingNames(n: { readonly zh?: unknown; readonly en?: unknown }): { missing: string; missingZh: string } {
  if (!n.zh && !n.en) return { missing: 'a Chinese and an English name', missingZh: '中文名称和英文名称' };
  return !n.zh ? { missing: 'a Chinese name', missingZh: '中文名称' } : { missing: 'an English name', missingZh: '英文名称' };
}

/** The type word of the event's `type` field, and the name its values go by as an enumeration. */
export const EVENT_TYPE = 'event-type';

// A pure function of its (immutable) argument, remembered per vocabulary: readers that hold only a
// checked bundle ask for it again and again.
const indexes = new WeakMap<Vocabulary, VocabularyIndex>();

export function indexOf(vocabulary: Vocabulary): VocabularyIndex {
  let index = indexes.get(vocabulary);
  if (!index) indexes.set(vocabulary, (index = build(vocabulary)));
  return index;
}

function build(v: Vocabulary): VocabularyIndex {
  const enumerations = new Map(v.enumerations.map((e) => [e.name, e]));
  const codes = Object.fromEntries(CODE_KINDS.map((k) => [k, v.enumerations.find((e) => e.codes === k)?.values.map((x) => x.name) ?? []])) as Record<CodeKind, string[]>;
  const verification = v.enumerations.find((e) => e.codes === 'verification');
  const byValue = new Map<string, Named>();
  for (const e of v.enumerations) for (const x of e.values) if (!byValue.has(x.name)) byValue.set(x.name, x);
  const required = new Set([...v.fields.filter((f) => f.required).map((f) => f.path), ...v.objects.filter((o) => o.required).map((o) => o.path)]);
  const fields = new Map(v.fields.map((f) => [f.path, f]));
  return {
    vocabulary: v,
    fields,
    fieldPaths: v.fields.map((f) => f.path),
    objects: new Map(v.objects.map((o) => [o.path, o])),
    required,
    eventTypes: v.events.map((e) => e.type),
    events: new Map(v.events.map((e) => [e.type, e])),
    requiredByType: Object.fromEntries(v.events.map((e) => [e.type, e.requires])),
    enumerations,
    codes,
    metBy: Object.fromEntries((verification?.values ?? []).map((x) => [x.name, x.metBy ?? []])),
    temporal: (path) => {
      const t = fields.get(path)?.type.t;
      return t === 'date' || t === 'timestamp';
    },
    valueNames: (value, enumeration) => enumerations.get(enumeration ?? '')?.values.find((x) => x.name === value) ?? byValue.get(value),
  };
}

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
