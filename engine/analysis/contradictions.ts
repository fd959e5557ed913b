// The outcome pairs that contradict each other: one decision requiring what another forbids. Each
// is grounded in the contract's vocabulary (test/analysis/analyze.test.ts checks every code).
import type { CheckedOutcome } from '../../language/checked.js';
import { codeOf, codesIn, LIST_OF } from '../outcomes.js';
import type { Decision } from '../schema/decision.js';

/** An outcome by kind, and its code (a retention's record kind) where the kind has one. */
export interface OutcomePattern {
  readonly k: CheckedOutcome['k'];
  readonly code?: string;
}

export interface Contradiction {
  readonly first: OutcomePattern;
  readonly second: OutcomePattern;
  /** The event type on which the two contradict; on any when absent. */
  readonly on?: string;
  readonly why: string;
}

export const CONTRADICTIONS: readonly Contradiction[] = [
  {
    first: { k: 'deny' },
    second: { k: 'oblige', code: 'provide_identity_information' },
    on: 'identity.disclosure',
    why: 'the disclosure is refused, yet the identity information is owed',
  },
  {
    first: { k: 'disposal', code: 'warn' },
    second: { k: 'disposal', code: 'close_account' },
    why: 'the user is warned to rectify, yet the account is closed',
  },
  {
    first: { k: 'oblige', code: 'supplement_materials' },
    second: { k: 'disposal', code: 'stop_service' },
    why: 'the provider is given time to supply its materials, yet its service is stopped',
  },
];

export const matches = (p: OutcomePattern, o: CheckedOutcome): boolean => p.k === o.k && (p.code === undefined || p.code === codeOf(o));

/** Whether a decision shows an outcome of the pattern: how a witness is confirmed. */
export const shows = (d: Decision, p: OutcomePattern): boolean =>
  p.k === 'deny' ? !d.allowed : codesIn(d, LIST_OF[p.k]).includes(p.code as string);
