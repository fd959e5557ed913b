// Two decisions on one event, field by field: whether it is allowed, each code added or removed,
// retention periods and dates, obligations and due dates, citations and the rules that fired. Each
// change names the articles behind it: the citations of the fired rules (on either side) whose
// outcomes produce the changed value. Pure: decisions and the policies that made them in, changes
// out; `diffRevisions` streams events through two revisions.
import type { CheckedOutcome, CheckedRule } from '../../language/checked.js';
import { articleKey, citationText } from '../citation-text.js';
import type { CompiledPolicy } from '../compile.js';
import { decideWith, isDecisionError } from '../decide.js';
import { evaluateOutcome } from '../evaluate.js';
import { CODE_KINDS, deletionsOf, denies, LIST_OF } from '../outcomes.js';
import type { Event } from '../schema/event.js';
import { finding, SAME, type Outcome } from './findings.js';
import type { Decision, Obligation, Retention, TraceEntry } from '../schema/decision.js';

type Added = 'added' | 'removed';

export type Change = (
  | { readonly field: 'allowed'; readonly base: boolean; readonly head: boolean }
  | { readonly field: 'verification' | 'labeling' | 'disposal'; readonly code: string; readonly change: Added }
  | { readonly field: 'retention'; readonly record: string; readonly base: readonly Retention[]; readonly head: readonly Retention[] }
  | { readonly field: 'obligations'; readonly code: string; readonly base: readonly Obligation[]; readonly head: readonly Obligation[] }
  | { readonly field: 'citations'; readonly citation: string; readonly change: Added }
  | { readonly field: 'rules'; readonly rule: string; readonly change: Added }
  | { readonly field: 'trace'; readonly rule: string; readonly base: TraceEntry; readonly head: TraceEntry }
  | { readonly field: 'policy'; readonly base: Decision['policy']; readonly head: Decision['policy'] }
) & {
  /** `regulation article` of each article behind the change, e.g. `live-2016 16`. */
  readonly articles: readonly string[];
};

/** A decision with the policy that made it, to find the rules behind its trace. */
export interface Decided {
  readonly decision: Decision;
  readonly policy: CompiledPolicy;
}

/**
 * Every difference between the outcomes of `base` and `head` on an event of `type`; empty when they
 * decide alike. `exact` compares the rest too (the policy consulted, the facts and lines of each
 * rule that fired both times), for a replay that must reproduce a decision byte for byte.
 */
export function diffDecisions(type: string, base: Decided, head: Decided, exact = false): Change[] {
  // Most decisions do not change: that is found without building the sets the changes need.
  if (!exact && sameOutcome(base.decision, head.decision)) return [];
  const firedBase = firedRules(base);
  const firedHead = firedRules(head);
  const fired = [...firedBase, ...firedHead];
  /** The articles of the rules fired on one side (or both) with an outcome `produces` accepts. */
  const behind = (produces: (o: CheckedOutcome) => boolean, rules: readonly CheckedRule[] = fired): string[] =>
    [...new Set(rules.filter((r) => r.outcomes.some(produces)).map((r) => articleKey(r.citation)))].sort();
  const side = (change: Added) => (change === 'added' ? firedHead : firedBase);
  const b = base.decision;
  const h = head.decision;
  const changes: Change[] = [];

  if (b.allowed !== h.allowed) {
    changes.push({ field: 'allowed', base: b.allowed, head: h.allowed, articles: behind((o) => denies(o, deletionsOf(head.policy.checked.vocabulary).get(type) ?? deletionsOf(base.policy.checked.vocabulary).get(type))) });
  }
  for (const k of CODE_KINDS) {
    const field = LIST_OF[k];
    for (const [code, change] of setChanges(b[field], h[field])) changes.push({ field, code, change, articles: behind((o) => o.k === k && o.code === code, side(change)) });
  }
  // A retention or obligation is behind a change when it is kept on one side only: by its period, by its code.
  for (const [record, [bs, hs]] of grouped(b.retention, h.retention, (r) => r.record)) {
    const periods = (items: readonly Retention[], others: readonly Retention[]) => new Set(items.filter((r) => !others.some((o) => o.period === r.period && o.until === r.until)).map((r) => r.period));
    const [gone, come] = [periods(bs, hs), periods(hs, bs)];
    const articles = [...new Set([...behind((o) => o.k === 'retain' && o.record === record && gone.has(o.periodText), firedBase), ...behind((o) => o.k === 'retain' && o.record === record && come.has(o.periodText), firedHead)])].sort();
    changes.push({ field: 'retention', record, base: bs, head: hs, articles });
  }
  for (const [code, [bs, hs]] of grouped(b.obligations, h.obligations, (o) => o.code)) {
    changes.push({ field: 'obligations', code, base: bs, head: hs, articles: behind((o) => o.k === 'oblige' && o.code === code) });
  }
  for (const [citation, change] of setChanges(b.citations.map(citationText), h.citations.map(citationText))) {
    changes.push({ field: 'citations', citation, change, articles: [citation.split('.')[0]!] });
  }
  const ruleArticle = new Map(fired.map((r) => [r.id, articleKey(r.citation)]));
  for (const [rule, change] of setChanges(b.trace.map((t) => t.rule), h.trace.map((t) => t.rule))) {
    changes.push({ field: 'rules', rule, change, articles: [ruleArticle.get(rule)!] });
  }
  if (exact) {
    const headTrace = new Map(h.trace.map((t) => [t.rule, t]));
    for (const t of b.trace) {
      const other = headTrace.get(t.rule);
      if (other && JSON.stringify(t) !== JSON.stringify(other)) changes.push({ field: 'trace', rule: t.rule, base: t, head: other, articles: [ruleArticle.get(t.rule)!] });
    }
    if (JSON.stringify(b.policy) !== JSON.stringify(h.policy)) changes.push({ field: 'policy', base: b.policy, head: h.policy, articles: [] });
  }
  return changes;
}

/** Whether two decisions agree on every field `diffDecisions` compares when not exact. */
function sameOutcome(b: Decision, h: Decision): boolean {
  return (
    b.allowed === h.allowed &&
    sameList(b.verification, h.verification, Object.is) &&
    sameList(b.labeling, h.labeling, Object.is) &&
    sameList(b.disposal, h.disposal, Object.is) &&
    sameList(b.retention, h.retention, (x, y) => x.record === y.record && x.period === y.period && x.until === y.until) &&
    sameList(b.obligations, h.obligations, (x, y) => x.code === y.code && x.due === y.due) &&
    sameList(b.citations, h.citations, (x, y) => x.regulation === y.regulation && x.article === y.article && x.paragraph === y.paragraph) &&
    sameList(b.trace, h.trace, (x, y) => x.rule === y.rule)
  );
}

/** Decisions keep their lists sorted, so equal lists are equal item by item. */
function sameList<T>(a: readonly T[], b: readonly T[], same: (x: T, y: T) => boolean): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!same(a[i]!, b[i]!)) return false;
  return true;
}


/** The checked rules behind a decision's trace, looked up in the policy that made it. */
function firedRules({ decision, policy }: Decided): CheckedRule[] {
  const rules = rulesById(policy);
  return decision.trace.flatMap((t) => rules.get(t.rule) ?? []);
}

const ruleIndex = new WeakMap<CompiledPolicy, ReadonlyMap<string, CheckedRule>>();
function rulesById(policy: CompiledPolicy): ReadonlyMap<string, CheckedRule> {
  let index = ruleIndex.get(policy);
  if (!index) ruleIndex.set(policy, (index = new Map(policy.checked.articles.flatMap((a) => a.rules.map((r) => [r.id, r] as const)))));
  return index;
}

/** Values only in `head` (added) and only in `base` (removed), in order. */
function setChanges(base: readonly string[], head: readonly string[]): [string, Added][] {
  const b = new Set(base);
  const h = new Set(head);
  return [...head.filter((x) => !b.has(x)).map((x): [string, Added] => [x, 'added']), ...base.filter((x) => !h.has(x)).map((x): [string, Added] => [x, 'removed'])];
}

/** Items of both sides grouped by key, for the keys whose groups differ. */
function grouped<T>(base: readonly T[], head: readonly T[], key: (t: T) => string): Map<string, [T[], T[]]> {
  const groups = new Map<string, [T[], T[]]>();
  for (const [side, items] of [base, head].entries()) {
    for (const item of items) {
      const k = key(item);
      if (!groups.has(k)) groups.set(k, [[], []]);
      groups.get(k)![side]!.push(item);
    }
  }
  for (const [k, [b, h]] of groups) if (JSON.stringify(b) === JSON.stringify(h)) groups.delete(k);
  return groups;
}

/** An event to decide under both revisions: parsed input (validated here), or a line that was not JSON. */
export type Subject = ({ readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly message: string }) & { readonly seq?: number };

/** Decides each event under `base` and `head`; a finding for each decision that differs. Streams. */
export async function* diffRevisions(events: AsyncIterable<Subject>, base: CompiledPolicy, head: CompiledPolicy): AsyncGenerator<Outcome> {
  for await (const s of events) yield diffSubject(s, base, head);
}

/** One event decided under `base` and `head`: the same, a finding, or why it could not be decided. */
function diffSubject(s: Subject, base: CompiledPolicy, head: CompiledPolicy): Outcome {
  const seq = s.seq === undefined ? {} : { seq: s.seq };
  if (!s.ok) return { kind: 'error', error: { ...seq, eventId: null, error: { code: 'invalid_json', message: s.message } } };
  const b = decideWith(base.checked.vocabulary, s.value, evaluateOutcome, base);
  if (isDecisionError(b)) return { kind: 'error', error: { ...seq, ...b } };
  // Each revision validates against its own vocabulary: an event may be valid for one only.
  const h = decideWith(head.checked.vocabulary, s.value, evaluateOutcome, head);
  if (isDecisionError(h)) return { kind: 'error', error: { ...seq, ...h } };
  const ev = s.value as Event;
  const changes = diffDecisions(ev.type, { decision: b, policy: base }, { decision: h, policy: head });
  if (changes.length === 0) return SAME;
  return { kind: 'changed', finding: finding({ ...seq, eventId: ev.id, type: ev.type, occurredAt: ev.occurredAt, base: base.digest, head: head.digest, changes }), policies: [base, head] };
}
