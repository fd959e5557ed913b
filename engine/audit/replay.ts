// Replay: re-decide logged events and compare with what was logged. Against the revision that
// decided each one (it must be reproduced byte for byte: any difference is a finding), or against
// one other revision (a finding is a change of outcome). Streams: one entry in, one outcome out.
import { buildBundle } from '../bundle.js';
import type { CompiledPolicy } from '../compile.js';
import { decide, decideWith, isDecisionError } from '../decide.js';
import { decisionJson } from '../decision-json.js';
import { evaluateOutcome } from '../evaluate.js';
import { storedDecision, type DecisionLog, type LogEntry } from '../log/log.js';
import type { Decision } from '../schema/decision.js';
import { diffDecisions } from './diff.js';
import { finding, SAME, type Outcome } from './findings.js';

/** The logged revision of each entry, or one policy for all. */
export type Against = { readonly kind: 'logged' } | { readonly kind: 'policy'; readonly policy: CompiledPolicy };

/** Finds a revision by digest; rejects with a message when it cannot be had. */
export type Revisions = (digest: string) => Promise<CompiledPolicy>;

/** The revisions stored in a log, each compiled once from its sources on first use. */
export function logRevisions(log: DecisionLog): Revisions {
  const cache = new Map<string, Promise<CompiledPolicy>>();
  return (digest) => {
    let p = cache.get(digest);
    if (!p) cache.set(digest, (p = compileStored(log, digest)));
    return p;
  };
}

async function compileStored(log: DecisionLog, digest: string): Promise<CompiledPolicy> {
  const sources = await log.sources(digest);
  if (!sources) throw new Error(`revision ${digest} is not stored in the log`);
  const { policy } = buildBundle(sources);
  if (!policy) throw new Error(`the stored sources of ${digest} no longer compile`);
  // A compiler change that alters the canonical form would replay a different revision under the old name.
  if (policy.digest !== digest) throw new Error(`the stored sources of ${digest} now compile to ${policy.digest}`);
  return policy;
}

export async function* replay(entries: AsyncIterable<LogEntry>, against: Against, revisions: Revisions): AsyncGenerator<Outcome> {
  for await (const e of entries) {
    let logged: CompiledPolicy;
    try {
      logged = await revisions(e.digest);
    } catch (err) {
      yield unavailable(e, err as Error);
      continue;
    }
    let outcome: Outcome;
    try {
      outcome = replayEntry(e, logged, against.kind === 'policy' ? against.policy : undefined);
    } catch (err) {
      // A stored event or decision that is not what the log writes (one edited by hand, in a log
      // audited with its problems flagged): a finding of its own, not the end of the run.
      outcome = { kind: 'error', error: { seq: e.seq, eventId: e.eventId, error: { code: 'malformed_entry', message: `the logged event or decision cannot be read: ${(err as Error).message}` } } };
    }
    yield outcome;
  }
}

/** The finding for an entry whose revision cannot be had. */
const unavailable = (e: Pick<LogEntry, 'seq' | 'eventId'>, err: Error): Outcome => ({
  kind: 'error',
  error: { seq: e.seq, eventId: e.eventId, error: { code: 'revision_unavailable', message: err.message } },
});

/**
 * One logged entry decided again: under `logged`, the revision that decided it, which must
 * reproduce the logged decision byte for byte; or, given `other`, under that revision, where only a
 * change of outcome is a finding.
 */
function replayEntry(e: LogEntry, logged: CompiledPolicy, other: CompiledPolicy | undefined): Outcome {
  const exact = other === undefined;
  const policy = other ?? logged;
  // Against another revision only outcomes are compared: the facts behind the trace are not needed.
  const result = exact ? decide(policy, e.event) : decideWith(policy.checked.vocabulary, e.event, evaluateOutcome, policy);
  if (isDecisionError(result)) return { kind: 'error', error: { seq: e.seq, ...result } };
  // The stored text first: most entries are reproduced exactly, and need not be parsed to say so.
  const stored = exact ? (storedDecision(e) ?? JSON.stringify(e.decision)) : undefined;
  if (stored !== undefined && decisionJson(result) === stored) return SAME;
  const again = loggedUnmarked(e.decision) ? unmarked(result) : result;
  if (stored !== undefined && again !== result && decisionJson(again) === stored) return SAME;
  const changes = diffDecisions(e.type, { decision: e.decision, policy: logged }, { decision: again, policy }, exact);
  if (changes.length === 0) return SAME;
  return { kind: 'changed', finding: finding({ seq: e.seq, eventId: e.eventId, type: e.type, occurredAt: e.occurredAt, base: e.digest, head: policy.digest, changes }), policies: [logged, policy] };
}

/**
 * Whether a logged decision was made before retentions said which binds: it keeps a record kind
 * under several periods and marks none. The marks are a function of the entries it has (the latest
 * `until` of a kind binds), so it says all the marks would; the decision made again is compared
 * without them, and the replay finds what really changed.
 */
function loggedUnmarked(d: Decision): boolean {
  const kinds = d.retention.map((r) => r.record);
  return new Set(kinds).size < kinds.length && d.retention.every((r) => r.binding === undefined);
}

const unmarked = (d: Decision): Decision => ({ ...d, retention: d.retention.map(({ binding: _, ...r }) => r) });
