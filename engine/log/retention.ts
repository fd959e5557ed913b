// Retention: removing the oldest entries of a decision log, past a configured age, without losing
// what makes the rest verifiable. The entries removed are a prefix of the chain (logging times never
// go back along it); the retention signs a tree head at the cut, with its frontier, and writes it
// into the chain as an entry of its own, in the same transaction as the removal. A verifier starts
// from that cut: the removed entries are accounted for by a signed statement that is itself chained,
// so removing entries any other way, or the statement with them, is found as a deletion.
import type { KeyObject } from 'node:crypto';
import { signTreeHead, type RetentionStatement } from './checkpoint.js';
import { RETENTION_TYPE, type DecisionLog } from './log.js';
import { walkTo } from './verify.js';

/**
 * Removes the entries logged before `before` (for PostgreSQL, before the start of its month: whole
 * partitions go) and records it in the chain, signed with `key`. It walks the entries it removes
 * and refuses when they do not verify: what a retention vouches for must hold. Undefined when
 * nothing is old enough.
 */
export async function retainLog(log: DecisionLog, key: KeyObject, before: string, at: string): Promise<RetentionStatement | undefined> {
  const cut = await log.retentionCut(Date.parse(before));
  // Every entry removed is walked, not resumed past at a checkpoint: it must verify as it is now.
  const { walk, retention } = await walkTo(log, key, cut.through, undefined, 'remove entries');
  const removed = cut.through - (retention?.cut.seq ?? 0);
  if (removed <= 0 || walk.head.seq !== cut.through) return undefined;
  const head = signTreeHead({ size: walk.frontier.size, seq: walk.head.seq, root: walk.frontier.root().toString('hex'), chain: walk.head.hash.toString('hex'), at }, key);
  const statement: RetentionStatement = {
    type: RETENTION_TYPE,
    cut: { ...head, frontier: walk.frontier.hashes().map((h) => h.toString('hex')) },
    before: new Date(cut.before).toISOString(),
    at,
    removed,
  };
  await log.retain(cut, { eventId: `retention-${at}`, type: RETENTION_TYPE, occurredAt: at, decidedAt: at, digest: '', event: statement, decision: {} });
  return statement;
}
