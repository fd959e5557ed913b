// The abstract syntax of policy files: what the author wrote, with its meaning made explicit but no
// names resolved yet. Every node has a kind and a span. No logic lives here.
import type { Span } from './source.js';

export interface Name {
  readonly text: string;
  readonly span: Span;
}

export interface Text {
  readonly value: string;
  readonly span: Span;
}

export interface DateNode {
  readonly text: string;
  readonly span: Span;
}

export interface PeriodNode {
  readonly text: string;
  readonly span: Span;
}

export interface NumberNode {
  readonly value: number;
  readonly span: Span;
}

export type PolicyFile = RegulationFile | ArticleFile | VocabularyFile | CalendarFile;

export interface RegulationFile {
  readonly kind: 'regulation';
  readonly path: string;
  readonly id: Name;
  readonly titleZh?: Text;
  readonly titleEn?: Text;
  readonly inForce: DateNode;
  readonly repealed?: DateNode;
  readonly articleCount: NumberNode;
  readonly definitions: readonly Definition[];
  readonly span: Span;
}

export interface ArticleFile {
  readonly kind: 'article';
  readonly path: string;
  readonly article: NumberNode;
  readonly regulation: Name;
  readonly version: NumberNode;
  readonly from: DateNode;
  readonly until?: DateNode;
  readonly paragraphs: readonly Paragraph[];
  readonly nonOperative?: Text;
  readonly definitions: readonly Definition[];
  readonly rules: readonly Rule[];
  readonly span: Span;
}

/**
 * A vocabulary: what events may say and what rules may decide. Its header's fields are the event's
 * own (`id`, `provider` …); its items declare enumerations, objects, event types and conflicts. A
 * vocabulary that `extends` another adds to it.
 */
export interface VocabularyFile {
  readonly kind: 'vocabulary';
  readonly path: string;
  readonly id: Name;
  readonly base?: Name;
  readonly titleZh?: Text;
  readonly titleEn?: Text;
  readonly fields: readonly FieldDecl[];
  readonly items: readonly VocabularyItem[];
  readonly span: Span;
}

/**
 * The holiday calendar: the State Council General Office's yearly arrangements of statutory
 * holidays (法定节假日) and of the weekend days worked in exchange (调休), year by year, each with
 * the notice it comes from. The checker reads every other day by the weekly rest (Saturday and Sunday).
 */
export interface CalendarFile {
  readonly kind: 'calendar';
  readonly path: string;
  readonly id: Name;
  readonly titleZh?: Text;
  readonly titleEn?: Text;
  readonly years: readonly YearDecl[];
  readonly span: Span;
}

export interface YearDecl {
  readonly kind: 'year';
  readonly year: NumberNode;
  /** The notices the year's arrangement comes from: the yearly one, and any that amended it. */
  readonly sources: readonly Text[];
  readonly holidays: readonly HolidayDecl[];
  readonly span: Span;
}

/** A run of rest days (`on D` is a run of one), and the weekend days worked for it. */
export interface HolidayDecl {
  readonly names: Names;
  readonly from: DateNode;
  /** Absent for `on D`. */
  readonly to?: DateNode;
  readonly worked: readonly DateNode[];
  readonly span: Span;
}

/** What a declared thing is called in Chinese and English, and what it means. */
export interface Names {
  readonly zh?: Text;
  readonly en?: Text;
  readonly aboutZh?: Text;
  readonly aboutEn?: Text;
}

export type VocabularyItem = EnumerationDecl | ObjectDecl | EventDecl | ConflictDecl;

export interface EnumerationDecl {
  readonly kind: 'enumeration';
  /** `extend enumeration`: values added to one declared elsewhere. */
  readonly extend: boolean;
  readonly name: Name;
  /** The outcome kind whose codes these are (`for verification`). */
  readonly outcome?: Name;
  readonly names: Names;
  readonly values: readonly ValueDecl[];
  readonly span: Span;
}

export interface ValueDecl {
  readonly name: Name;
  readonly names: Names;
  /** A verification code's: the verified identities that meet it. */
  readonly metBy: readonly Name[];
  readonly span: Span;
}

export interface ObjectDecl {
  readonly kind: 'object';
  readonly extend: boolean;
  readonly name: Name;
  readonly names: Names;
  readonly fields: readonly FieldDecl[];
  readonly span: Span;
}

export interface FieldDecl {
  readonly name: Name;
  readonly type: TypeExpr;
  readonly required: boolean;
  /** `absent means false|[] because "…"`: what an event that leaves the field out says, and why. */
  readonly absent?: { readonly means: 'false' | '[]'; readonly why: Text; readonly span: Span };
  readonly names: Names;
  readonly span: Span;
}

/** A field's type as written: `one of E`, or a word (`flag`, `set of E`, an object) with bounds and `or null`. */
export interface TypeExpr {
  readonly word: Name;
  readonly of?: Name;
  readonly min?: NumberNode;
  readonly max?: NumberNode;
  readonly or?: Name;
  readonly span: Span;
}

export interface EventDecl {
  readonly kind: 'event';
  readonly name: Name;
  readonly names: Names;
  readonly requires: readonly Name[];
  /** A deletion event: the record's kind and the time it is kept from. */
  readonly deletes?: { readonly kind: Ref; readonly created: Ref };
  readonly span: Span;
}

export type OutcomeKind = 'deny' | 'verification' | 'label' | 'disposal' | 'retain' | 'oblige';

export interface OutcomePattern {
  readonly kind: OutcomeKind;
  readonly code?: Name;
  readonly span: Span;
}

export interface ConflictDecl {
  readonly kind: 'conflict';
  readonly first: OutcomePattern;
  readonly second: OutcomePattern;
  readonly on?: Name;
  readonly because: Text;
  readonly span: Span;
}

export interface Paragraph {
  readonly kind: 'paragraph';
  readonly number: NumberNode;
  readonly zh: Text;
  readonly en?: Text;
  readonly span: Span;
}

export interface Definition {
  readonly kind: 'definition';
  readonly name: Name;
  readonly body: Condition;
  readonly span: Span;
}

export interface Rule {
  readonly kind: 'rule';
  readonly name: Name;
  readonly citation?: Citation;
  /** Set when the rule has a syntax error in it: what it lacks is not reported again (TL040). */
  readonly unfinished?: true;
  readonly on: readonly Name[];
  readonly when?: Condition;
  readonly outcomes: readonly Outcome[];
  readonly span: Span;
}

export interface Citation {
  readonly kind: 'citation';
  readonly regulation: Name;
  readonly article: NumberNode;
  readonly paragraph?: NumberNode;
  readonly span: Span;
}

export type Condition = AllOf | AnyOf | Negation | Truth | Comparison | Presence | OneOf | Has | Meets;

export interface AllOf {
  readonly kind: 'all';
  readonly items: readonly Condition[];
  readonly span: Span;
}
export interface AnyOf {
  readonly kind: 'any';
  readonly items: readonly Condition[];
  readonly span: Span;
}
export interface Negation {
  readonly kind: 'not';
  readonly item: Condition;
  readonly span: Span;
}
/** A bare operand used as a condition: a yes/no field or a defined term. */
export interface Truth {
  readonly kind: 'truth';
  readonly operand: Operand;
  readonly span: Span;
}
export type CompareOp = '=' | '!=' | '<' | '<=' | '>' | '>=';
export interface Comparison {
  readonly kind: 'compare';
  readonly op: CompareOp;
  readonly left: Operand;
  readonly right: Operand;
  readonly span: Span;
}
export interface Presence {
  readonly kind: 'present';
  readonly operand: Operand;
  readonly present: boolean;
  readonly span: Span;
}
export interface OneOf {
  readonly kind: 'oneOf';
  readonly operand: Operand;
  readonly values: readonly Operand[];
  readonly negated: boolean;
  readonly span: Span;
}
export type HasMode = 'one' | 'any' | 'all';
export interface Has {
  readonly kind: 'has';
  readonly mode: HasMode;
  readonly operand: Operand;
  readonly values: readonly Operand[];
  readonly span: Span;
}
export interface Meets {
  readonly kind: 'meets';
  readonly operand: Operand;
  readonly code: Name;
  readonly span: Span;
}

export type Operand = Ref | Literal | Shifted | Moved;

/** A dotted name: an event field, a defined term or an enum value, told apart by the checker. */
export interface Ref {
  readonly kind: 'ref';
  readonly path: readonly string[];
  readonly span: Span;
}
export type Literal =
  | { readonly kind: 'literal'; readonly type: 'bool'; readonly value: boolean; readonly span: Span }
  | { readonly kind: 'literal'; readonly type: 'int'; readonly value: number; readonly span: Span }
  | { readonly kind: 'literal'; readonly type: 'string'; readonly value: string; readonly span: Span }
  | { readonly kind: 'literal'; readonly type: 'date'; readonly value: string; readonly span: Span };
/** A date moved by a period: `provider.launchedAt plus P30D`. */
export interface Shifted {
  readonly kind: 'shift';
  readonly base: Operand;
  readonly sign: 1 | -1;
  readonly period: PeriodNode;
  readonly span: Span;
}

/** A last day moved past rest days (民法典 art. 203): `2018-08-01 plus P2M moved past rest days`. */
export interface Moved {
  readonly kind: 'moved';
  readonly base: Operand;
  readonly span: Span;
}

export type Outcome =
  | { readonly kind: 'deny'; readonly span: Span }
  | { readonly kind: 'verification'; readonly code: Name; readonly span: Span }
  | { readonly kind: 'label'; readonly code: Name; readonly span: Span }
  | { readonly kind: 'disposal'; readonly code: Name; readonly span: Span }
  | { readonly kind: 'retain'; readonly record: Name; readonly period: PeriodNode; readonly from: Operand; readonly span: Span }
  | { readonly kind: 'oblige'; readonly code: Name; readonly due?: Operand; readonly span: Span };
