// The checked form of a bundle: names resolved, types known, dates as CST day numbers. This is what
// the engine compiles; nothing here refers to syntax except spans kept for traces and messages.
import type { DayNumber, Period } from './calendar.js';
import type { Span } from './source.js';
import type { FieldType } from './vocabulary.js';

export type Scalar = boolean | number | string;

export type Value =
  | { readonly k: 'field'; readonly path: string; readonly type: FieldType }
  | { readonly k: 'const'; readonly value: Scalar }
  | { readonly k: 'date'; readonly day: DayNumber }
  | { readonly k: 'shift'; readonly base: Value; readonly period: Period; readonly sign: 1 | -1; readonly text: string };

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

export interface CheckedBundle {
  /** Sorted by id. */
  readonly regulations: readonly CheckedRegulation[];
  /** Sorted by regulation, article, version. */
  readonly articles: readonly CheckedArticle[];
  /** Sorted by name. */
  readonly definitions: readonly CheckedDefinition[];
}
