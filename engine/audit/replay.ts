// Replay: re-decide logged events and compare with what was logged. Against the revision that
// decided each one (it must be reproduced byte for byte: any difference is a finding), or against
// one other revision (a finding is a change of outcome). Streams: one entry in, one outcome out.
import { buildBundle } from '../bundle.js';
import type { CompiledPolicy } from '../compile.js';
import { decide, decideWith, isDecisionError } from '../decide.js';
import { decisionJson } from '../decision-json.js';
import { evaluateOutcome } from '../evaluate.js';
import { storedDecision, type DecisionLog, type LogEntry } from '../log/log.js';
import { diffDecisions } from './diff.js';
import { finding, type Outcome } from './findings.js';

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
  const exact = against.kind === 'logged';
  for await (const e of entries) {
    let logged: CompiledPolicy;
    try {
      logged = await revisions(e.digest);
    } catch (err) {
      yield { kind: 'error', error: { seq: e.seq, eventId: e.eventId, error: { code: 'revision_unavailable', message: (err as Error).message } } };
      continue;
    }
    const policy = exact ? logged : against.policy;
    // Against another revision only outcomes are compared: the facts behind the trace are not needed.
    const result = exact ? decide(policy, e.event) : decideWith(e.event, evaluateOutcome, policy);
    if (isDecisionError(result)) {
      yield { kind: 'error', error: { seq: e.seq, ...result } };
      continue;
    }
    if (exact && decisionJson(result) === (storedDecision(e) ?? JSON.stringify(e.decision))) {
      yield { kind: 'same' };
      continue;
    }
    const changes = diffDecisions(e.type, { decision: e.decision, policy: logged }, { decision: result, policy }, exact);
    if (changes.length === 0) yield { kind: 'same' };
    else yield { kind: 'changed', finding: finding({ seq: e.seq, eventId: e.eventId, type: e.type, occurredAt: e.occurredAt, base: e.digest, head: policy.digest, changes }), policies: [logged, policy] };
  }
}
