// The checked form of a bundle: names resolved, types known, dates as CST day numbers. This is what
// the engine compiles; nothing here refers to syntax except spans kept for traces and messages.
import type { DayNumber, Period } from './calendar.js';
import type { Span } from './source.js';

export type Scalar = boolean | number | string;

/** What a field holds. An enumeration's or set's `values` are its enumeration's, named by `enumeration`. */
export type FieldType =
  | { readonly t: 'bool' }
  | { readonly t: 'int' }
  | { readonly t: 'string' }
  | { readonly t: 'date' }
  | { readonly t: 'timestamp' }
  | { readonly t: 'enum'; readonly values: readonly string[]; readonly enumeration: string }
  | { readonly t: 'set'; readonly values: readonly string[]; readonly enumeration: string };

/** A declared thing's Chinese and English names, and what it means where the vocabulary says. */
export interface Named {
  readonly zh: string;
  readonly en: string;
  readonly aboutZh?: string;
  readonly aboutEn?: string;
}

/** The kinds of outcome code a rule names, each taken from the enumeration declared `for` it. */
export type CodeKind = 'verification' | 'label' | 'disposal' | 'obligation' | 'record';

export interface VocabularyValue extends Named {
  readonly name: string;
  /** A verification code's: the verified identities that meet it. */
  readonly metBy?: readonly string[];
}

export interface VocabularyEnumeration extends Named {
  readonly name: string;
  readonly file: string;
  /** The outcome kind whose codes these are. */
  readonly codes?: CodeKind;
  readonly values: readonly VocabularyValue[];
}

/** A field a condition may read, by dotted path: `occurredAt`, `provider.launchedAt`. */
export interface VocabularyField extends Named {
  readonly path: string;
  readonly type: FieldType;
  /** Present on every event that has the object holding it (the event itself always). */
  readonly required: boolean;
  /** `or null`: null is accepted and read as absent. */
  readonly nullable?: true;
  /**
   * Why an event that leaves out this yes/no field or set says no, or none (`absent means …`): the
   * platform's silence is a statement, not an unknown, so the analysis does not ask after it.
   */
  readonly absentMeans?: string;
  readonly minimum?: number;
  readonly maximum?: number;
}

/** An object an event may carry (`provider`, `actor` …): a field of the event whose fields are its own. */
export interface VocabularyObject extends Named {
  readonly path: string;
  readonly required: boolean;
  /** The object declaration's own names (the field's are this object's). */
  readonly kind: Named & { readonly name: string };
}

export interface VocabularyEvent extends Named {
  readonly type: string;
  /** Objects this type of event must carry, beyond those every event carries. */
  readonly requires: readonly string[];
  /** A deletion: the path of the record's kind and of the time it is kept from. */
  readonly deletes?: { readonly kind: string; readonly created: string };
}

export interface OutcomePattern {
  readonly k: CheckedOutcome['k'];
  readonly code?: string;
}

/** Two outcomes that contradict each other when one decision gives both (on `on` only, if given). */
export interface Conflict {
  readonly first: OutcomePattern;
  readonly second: OutcomePattern;
  readonly on?: string;
  readonly why: string;
}

/** Everything events may say and rules may decide: the merged vocabulary files of a bundle. */
export interface Vocabulary {
  /** The vocabularies merged, base first: `contract`, then those extending it. */
  readonly names: readonly string[];
  /** Sorted by name. */
  readonly enumerations: readonly VocabularyEnumeration[];
  /** Sorted by path. */
  readonly objects: readonly VocabularyObject[];
  /** Every field but the objects, sorted by path. */
  readonly fields: readonly VocabularyField[];
  /** Sorted by type. */
  readonly events: readonly VocabularyEvent[];
  readonly conflicts: readonly Conflict[];
}

export type Value =
  | { readonly k: 'field'; readonly path: string; readonly type: FieldType }
  | { readonly k: 'const'; readonly value: Scalar }
  | { readonly k: 'date'; readonly day: DayNumber }
  | { readonly k: 'shift'; readonly base: Value; readonly period: Period; readonly sign: 1 | -1; readonly text: string }
  /** The base's day, or, when that is a rest day, the first working day after the rest (民法典 art. 203). */
  | { readonly k: 'moved'; readonly base: Value };

/** How two values compare: temporal values by CST day, the rest by their JSON value. */
export type Domain = 'temporal' | 'int' | 'string' | 'enum' | 'bool';

export type Cond =
  | { readonly k: 'all'; readonly items: readonly Cond[] }
  | { readonly k: 'any'; readonly items: readonly Cond[] }
  | { readonly k: 'not'; readonly item: Cond }
  | { readonly k: 'always' }
  | { readonly k: 'const'; readonly value: boolean }
  | { readonly k: 'flag'; readonly path: string }
  | { readonly k: 'ref'; readonly name: string }
  | { readonly k: 'cmp'; readonly op: '=' | '!=' | '<' | '<=' | '>' | '>='; readonly domain: Domain; readonly left: Value; readonly right: Value }
  | { readonly k: 'present'; readonly path: string; readonly present: boolean }
  | { readonly k: 'oneOf'; readonly left: Value; readonly values: readonly Scalar[]; readonly negated: boolean }
  | { readonly k: 'has'; readonly mode: 'one' | 'any' | 'all'; readonly path: string; readonly values: readonly string[] }
  | { readonly k: 'meets'; readonly path: string; readonly code: string; readonly accepted: readonly string[] };

export type CheckedOutcome =
  | { readonly k: 'deny' }
  | { readonly k: 'verification' | 'label' | 'disposal'; readonly code: string }
  | { readonly k: 'retain'; readonly record: string; readonly period: Period; readonly periodText: string; readonly from: Value }
  | { readonly k: 'oblige'; readonly code: string; readonly due?: Value };

export interface CheckedCitation {
  readonly regulation: string;
  readonly article: number;
  readonly paragraph?: number;
}

export interface CheckedRule {
  /** `regulation/article/name`, unique in a bundle. */
  readonly id: string;
  readonly name: string;
  /** The article whose file holds the rule (its citation may name another). */
  readonly regulation: string;
  readonly article: number;
  readonly file: string;
  readonly span: Span;
  readonly citation: CheckedCitation;
  readonly on: readonly string[];
  readonly when: Cond;
  readonly outcomes: readonly CheckedOutcome[];
}

export interface CheckedParagraph {
  readonly number: number;
  readonly zh: string;
  readonly en?: string;
}

export interface CheckedArticle {
  readonly file: string;
  readonly regulation: string;
  readonly article: number;
  readonly version: number;
  readonly from: DayNumber;
  /** Exclusive: the version no longer applies on this day. */
  readonly until?: DayNumber;
  readonly paragraphs: readonly CheckedParagraph[];
  readonly nonOperative?: string;
  readonly rules: readonly CheckedRule[];
}

export interface CheckedRegulation {
  readonly file: string;
  readonly id: string;
  readonly titleZh?: string;
  readonly titleEn?: string;
  readonly inForce: DayNumber;
  /** Exclusive: not in force from this day on. */
  readonly repealed?: DayNumber;
  readonly articleCount: number;
}

export interface CheckedDefinition {
  readonly name: string;
  readonly file: string;
  readonly span: Span;
  readonly body: Cond;
}

/** A run of rest days a notice gives a holiday (from ≤ day ≤ to), and the weekend days worked for it. */
export interface CalendarHoliday {
  readonly zh: string;
  readonly en: string;
  readonly from: DayNumber;
  readonly to: DayNumber;
  readonly worked: readonly DayNumber[];
}

/** One year's arrangement: its notices and holidays. */
export interface CalendarYear {
  readonly year: number;
  readonly file: string;
  readonly sources: readonly string[];
  readonly holidays: readonly CalendarHoliday[];
}

/**
 * The holiday calendar: the declared years, in order, without a gap. A day is a rest day when a
 * holiday holds it, or when it is a Saturday or Sunday that no holiday has worked (language/calendar.ts).
 */
export interface HolidayCalendar {
  readonly years: readonly CalendarYear[];
}

export interface CheckedBundle {
  readonly vocabulary: Vocabulary;
  readonly calendar: HolidayCalendar;
  /** Sorted by id. */
  readonly regulations: readonly CheckedRegulation[];
  /** Sorted by regulation, article, version. */
  readonly articles: readonly CheckedArticle[];
  /** Sorted by name. */
  readonly definitions: readonly CheckedDefinition[];
}
