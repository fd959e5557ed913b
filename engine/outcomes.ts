// What a rule's outcomes mean in law, said once: the decision list each kind fills and the code it
// puts there, which outcomes refuse the action and on which events, and the deletion event, on
// which a retention protects the record being deleted. The generated evaluator (generate.ts), its
// Z3 encoding (analysis/decision-smt.ts), explanations, audit diffs and the analysis's contradiction
// witnesses read it here rather than each saying it again. Which events delete a record, and where
// the record's kind and creation are read, the vocabulary declares (`event … deletes K from C`).
import { addPeriod, parseDate, type DayNumber, type Period } from '../language/calendar.js';
import type { CheckedOutcome, CodeKind, Vocabulary } from '../language/checked.js';
import { CODE_KIND_OF } from '../language/vocabulary.js';
import { asDay, fieldReader } from './fields.js';
import type { Decision, Retention } from './schema/decision.js';
import type { Event } from './schema/event.js';

export type OutcomeKind = CheckedOutcome['k'];

/** A deletion event of a vocabulary: its type, and where the deleted record's kind and creation time are read. */
export interface Deletion {
  readonly type: string;
  readonly kind: string;
  readonly createdAt: string;
  readonly readKind: (ev: Event) => unknown;
  readonly readCreatedAt: (ev: Event) => unknown;
}

// A pure function of the (immutable) vocabulary, remembered per vocabulary: every decision asks.
const deletions = new WeakMap<Vocabulary, ReadonlyMap<string, Deletion>>();

/** The deletion events `v` declares, by type. */
export function deletionsOf(v: Vocabulary): ReadonlyMap<string, Deletion> {
  let found = deletions.get(v);
  if (!found) {
    const list = v.events.flatMap((e) => (e.deletes ? [{ type: e.type, kind: e.deletes.kind, createdAt: e.deletes.created, readKind: fieldReader(e.deletes.kind), readCreatedAt: fieldReader(e.deletes.created) }] : []));
    deletions.set(v, (found = new Map(list.map((d) => [d.type, d]))));
  }
  return found;
}

/** The decision list each kind of outcome fills. A deny fills none: it only refuses. */
export const LIST_OF = {
  verification: 'verification',
  label: 'labeling',
  disposal: 'disposal',
  retain: 'retention',
  oblige: 'obligations',
} as const satisfies Record<Exclude<OutcomeKind, 'deny'>, keyof Decision>;

export type OutcomeList = (typeof LIST_OF)[keyof typeof LIST_OF];

/** The kind of code each of a decision's lists holds, from the outcome kind that fills it. */
export const CODE_KIND_OF_LIST = Object.fromEntries(Object.entries(LIST_OF).map(([k, list]) => [list, CODE_KIND_OF[k as keyof typeof LIST_OF]])) as Readonly<Record<OutcomeList, CodeKind>>;

/** The kinds whose outcome is a bare code in a list of codes, in the order the decision lists them. */
export const CODE_KINDS = ['verification', 'label', 'disposal'] as const;
export type CodeOutcome = Extract<CheckedOutcome, { k: (typeof CODE_KINDS)[number] }>;
export const isCodeOutcome = (o: CheckedOutcome): o is CodeOutcome => (CODE_KINDS as readonly string[]).includes(o.k);

/** An outcome's code: a retention's is the kind of record it keeps; a deny has none. */
export const codeOf = (o: CheckedOutcome): string | undefined => (o.k === 'deny' ? undefined : o.k === 'retain' ? o.record : o.code);

/** The codes a decision's list holds, reckoned as `codeOf` reckons an outcome's. */
export function codesIn(d: Decision, list: OutcomeList): readonly string[] {
  switch (list) {
    case 'retention':
      return d.retention.map((r) => r.record);
    case 'obligations':
      return d.obligations.map((o) => o.code);
    default:
      return d[list];
  }
}

/** The events on which an outcome that applies refuses the action: every one, none, or a deletion. */
export type Refusal = 'always' | 'never' | 'deletion';

/**
 * A deny refuses, and so does a verification (the check is missing, and the action waits for it);
 * a retention refuses only the deletion of the record it keeps. The rest say what else must be done.
 */
export const REFUSAL: Readonly<Record<OutcomeKind, Refusal>> = {
  deny: 'always',
  verification: 'always',
  label: 'never',
  disposal: 'never',
  retain: 'deletion',
  oblige: 'never',
};

/** Whether the outcome, when it applies to an event (a deletion, if `deletion` is given), refuses the action. */
export function denies(o: CheckedOutcome, deletion: Deletion | undefined): boolean {
  const r = REFUSAL[o.k];
  return r === 'always' || (r === 'deletion' && deletion !== undefined);
}

/**
 * The last day a retention keeps its record on the deletion event (on CST `day`), or undefined when
 * it keeps nothing: it protects the record being deleted, if it is of the retention's kind (`kind`
 * as the event says it). Counted from the record's creation (`createdAt`), deletion is refused
 * through the last day of the period (the day of creation is not counted, as in 民法典 art. 201).
 */
export function keptOnDeletion(o: Extract<CheckedOutcome, { k: 'retain' }>, day: DayNumber, kind: unknown, createdAt: unknown): DayNumber | undefined {
  const created = kind === o.record ? asDay(createdAt, 'timestamp') : undefined;
  if (created === undefined) return undefined;
  const until = addPeriod(created, o.period);
  return day <= until ? until : undefined;
}

/** The last day a retention keeps its record on any other event: from its `from` day, when that is known. */
export function keptFrom(period: Period, from: unknown): DayNumber | undefined {
  return typeof from === 'number' ? addPeriod(from, period) : undefined;
}

/**
 * Which retention binds, said on each entry where a decision keeps one record kind under more than
 * one period (README "Meaning, precisely"): the one with the latest `until` binds (from one start,
 * the longest period), and the others are met by keeping it; entries tied on that day bind alike.
 * A kind kept once says nothing: its one entry binds. Every rule behind either is still cited.
 * Marks the (fresh) entries in place; each date is read once, and most decisions keep fewer than two.
 */
export function markBinding(retention: readonly Retention[]): void {
  if (retention.length < 2) return;
  const days = retention.map((r) => parseDate(r.until)!);
  const kinds = new Map<string, { latest: number; count: number }>();
  retention.forEach((r, i) => {
    const k = kinds.get(r.record);
    kinds.set(r.record, k ? { latest: Math.max(k.latest, days[i]!), count: k.count + 1 } : { latest: days[i]!, count: 1 });
  });
  retention.forEach((r, i) => {
    const k = kinds.get(r.record)!;
    if (k.count > 1) r.binding = days[i] === k.latest;
  });
}

/** The retention of a decision that keeps the record its event would delete (the one that binds); none off a deletion event. */
export const protecting = (d: Decision, ev: Event, deletion: Deletion | undefined): Retention | undefined =>
  deletion ? d.retention.find((r) => r.record === deletion.readKind(ev) && r.binding !== false) : undefined;
