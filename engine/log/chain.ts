// The hash chain of the decision log: each entry's leaf hash is taken over its canonical bytes, and
// its chain hash is SHA-256(previous chain hash || leaf hash), so that changing, removing, adding or
// moving any entry changes every chain hash after it. Both backends write through `chainEntries`,
// and the verifier and the proofs read an entry's bytes through `entryLeaf`: one definition.
import { hash } from 'node:crypto';
import { LOG_FORMAT, type NewEntry, type Row } from './log.js';
import { leafHash, type Hash } from './merkle.js';

/** An entry as stored, every column its hash covers, and its chain hash (hex). */
export interface ChainRow extends Row {
  readonly format: number | string;
  readonly occurred_ms: number | string;
  readonly hash: string;
}

/** The columns of a ChainRow, in the order both backends insert them. */
export const CHAIN_COLUMNS = 'seq, format, event_id, type, occurred_at, occurred_ms, decided_at, digest, event, decision, hash';

/** The chain hash before the first entry. */
export const GENESIS: Hash = Buffer.alloc(32);

/** The last entry of a log: where the next one is chained from. */
export interface ChainHead {
  readonly seq: number;
  readonly hash: Hash;
}

export const EMPTY_HEAD: ChainHead = { seq: 0, hash: GENESIS };

/**
 * An entry's leaf hash (RFC 9162's 0x00 prefix) over its canonical bytes: the JSON array
 * [format, seq, eventId, type, occurredAt, occurredMs, decidedAt, digest, event bytes, decision bytes],
 * a newline, then the stored event JSON and the stored decision JSON, exactly as stored. The
 * lengths make the bytes unambiguous; the seq in them makes renumbering an entry a change of it.
 */
export function entryLeaf(r: Omit<ChainRow, 'hash'>): Hash {
  const head = JSON.stringify([Number(r.format), Number(r.seq), r.event_id, r.type, r.occurred_at, Number(r.occurred_ms), r.decided_at, r.digest, Buffer.byteLength(r.event), Buffer.byteLength(r.decision)]);
  return leafHash(`${head}\n${r.event}${r.decision}`);
}

export const chainHash = (previous: Hash, leaf: Hash): Hash => hash('sha256', Buffer.concat([previous, leaf]), 'buffer');

/** Rows chained on from `previous`: each one's hash set from the one before. */
export function rechain<R extends Omit<ChainRow, 'hash'>>(previous: Hash, rows: readonly R[]): (R & { readonly hash: string })[] {
  let h = previous;
  return rows.map((r) => {
    h = chainHash(h, entryLeaf(r));
    return { ...r, hash: h.toString('hex') };
  });
}

/** What is chained: a decision (NewEntry), or a statement the log makes of itself, such as a retention's. */
export type ChainedEntry = Omit<NewEntry, 'event' | 'decision'> & { readonly event: unknown; readonly decision: unknown };

/** A row as written: its chain columns and when it was logged (not hashed: where it is stored, not what). */
export interface WrittenRow extends ChainRow {
  readonly logged_ms: number;
}

/**
 * New entries as the rows that follow `head`: seq one past the last, each chained to the one before.
 * Each is logged at its decision time or the last entry's logging time, whichever is later, so
 * logging times never go back along the chain (whatever the writers' clocks): the entries logged
 * before any moment are a prefix of it, which a retention can cut off whole.
 */
export function chainEntries(head: ChainHead, entries: readonly ChainedEntry[], lastLoggedMs = 0): WrittenRow[] {
  let logged = lastLoggedMs;
  return rechain(
    head.hash,
    entries.map((e, i) => ({
      seq: head.seq + i + 1,
      format: LOG_FORMAT,
      event_id: e.eventId,
      type: e.type,
      occurred_at: e.occurredAt,
      occurred_ms: Date.parse(e.occurredAt),
      decided_at: e.decidedAt,
      digest: e.digest,
      event: JSON.stringify(e.event),
      decision: JSON.stringify(e.decision),
      logged_ms: (logged = Math.max(logged, Date.parse(e.decidedAt) || 0)),
    })),
  );
}

/** The head a stored last row gives, or the empty log's. */
export const headOf = (row: { seq: number | string; hash: string } | undefined): ChainHead => (row ? { seq: Number(row.seq), hash: Buffer.from(row.hash, 'hex') } : EMPTY_HEAD);
