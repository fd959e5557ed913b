// What a rule's outcomes mean in law, said once: the decision list each kind fills and the code it
// puts there, which outcomes refuse the action and on which events, and the deletion event, on
// which a retention protects the record being deleted. The evaluator (evaluate.ts `assemble`), its
// Z3 encoding (analysis/decision-smt.ts), explanations, audit diffs and the analysis's contradiction
// witnesses read it here rather than each saying it again.
import { addPeriod, type DayNumber } from '../language/calendar.js';
import type { CheckedOutcome, Value } from '../language/checked.js';
import { asDay, fieldReader } from './compile.js';
import type { Decision, Retention } from './schema/decision.js';
import type { Event } from './schema/event.js';

export type OutcomeKind = CheckedOutcome['k'];

/**
 * The deletion event: its type, and the fields that give the kind of the record being deleted and
 * the time it was made. These names are written nowhere else in the engine.
 */
export const DELETION = { type: 'record.delete', kind: 'record.kind', createdAt: 'record.createdAt' } as const;

/** The decision list each kind of outcome fills. A deny fills none: it only refuses. */
export const LIST_OF = {
  verification: 'verification',
  label: 'labeling',
  disposal: 'disposal',
  retain: 'retention',
  oblige: 'obligations',
} as const satisfies Record<Exclude<OutcomeKind, 'deny'>, keyof Decision>;

export type OutcomeList = (typeof LIST_OF)[keyof typeof LIST_OF];

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

/** The events on which an outcome that applies refuses the action: every one, none, or those of one type. */
export type Refusal = 'always' | 'never' | { readonly on: string };

/**
 * A deny refuses, and so does a verification (the check is missing, and the action waits for it);
 * a retention refuses only the deletion of the record it keeps. The rest say what else must be done.
 */
export const REFUSAL: Readonly<Record<OutcomeKind, Refusal>> = {
  deny: 'always',
  verification: 'always',
  label: 'never',
  disposal: 'never',
  retain: { on: DELETION.type },
  oblige: 'never',
};

/** Whether the outcome, when it applies to an event of `type`, refuses the action. */
export function denies(o: CheckedOutcome, type: string): boolean {
  const r = REFUSAL[o.k];
  return r === 'always' || (r !== 'never' && r.on === type);
}

const deletedKind = fieldReader(DELETION.kind);
const deletedCreatedAt = fieldReader(DELETION.createdAt);

/**
 * The last day a retention keeps its record, or undefined when it keeps nothing on this event (the
 * event's CST `day`). On the deletion event it protects the record being deleted, if it is of the
 * retention's kind: counted from the record's creation, deletion is refused through the last day of
 * the period (the day of creation is not counted, as in 民法典 art. 201). On any other event it keeps
 * from its `from` day, read with `read`, when that is known.
 */
export function retainedUntil(
  o: Extract<CheckedOutcome, { k: 'retain' }>,
  ev: Event,
  day: DayNumber,
  read: (v: Value) => (ev: Event) => unknown,
): DayNumber | undefined {
  if (ev.type === DELETION.type) {
    const created = deletedKind(ev) === o.record ? asDay(deletedCreatedAt(ev), 'timestamp') : undefined;
    if (created === undefined) return undefined;
    const until = addPeriod(created, o.period);
    return day <= until ? until : undefined;
  }
  const from = read(o.from)(ev);
  return typeof from === 'number' ? addPeriod(from, o.period) : undefined;
}

/** The retention of a decision that keeps the record its event would delete; none off the deletion event. */
export const protecting = (d: Decision, ev: Event): Retention | undefined =>
  ev.type === DELETION.type ? d.retention.find((r) => r.record === deletedKind(ev)) : undefined;
