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
  return leafHash(`${leafHead(r, Buffer.byteLength(r.event), Buffer.byteLength(r.decision))}\n${r.event}${r.decision}`);
}

/** The hashed columns of an entry but its event and decision. */
type HeadColumns = Pick<ChainRow, 'format' | 'seq' | 'event_id' | 'type' | 'occurred_at' | 'occurred_ms' | 'decided_at' | 'digest'>;

/**
 * The JSON array that opens an entry's canonical bytes (entryLeaf), given the byte lengths of its
 * event and decision: JSON.stringify's text of it, written out item by item, since it is made for
 * every entry appended or verified (test/log/chain.test.ts holds it to JSON.stringify).
 */
export const leafHead = (r: HeadColumns, eventBytes: number, decisionBytes: number): string =>
  `[${number(r.format)},${number(r.seq)},${text(r.event_id)},${text(r.type)},${text(r.occurred_at)},${number(r.occurred_ms)},${text(r.decided_at)},${text(r.digest)},${number(eventBytes)},${number(decisionBytes)}]`;

/** Text JSON writes as it is, between quotes: no quote, backslash, control character or surrogate. */
const PLAIN = /^[^"\\\u0000-\u001f\ud800-\udfff]*$/;
/** An item of a JSON array as JSON.stringify writes it (undefined as null). */
const item = (v: unknown): string => JSON.stringify([v]).slice(1, -1);
const text = (v: unknown): string => (typeof v === 'string' && PLAIN.test(v) ? `"${v}"` : item(v));
/** A finite number's JSON is its ToString; NaN and the infinities are null. */
const number = (v: unknown): string => {
  const n = Number(v);
  return Number.isFinite(n) ? String(n) : 'null';
};

export const chainHash = (previous: Hash, leaf: Hash): Hash => hash('sha256', Buffer.concat([previous, leaf]), 'buffer');

/**
 * The leaf and chain hashes of entries one after another, over buffers it keeps and reuses: what
 * appending and verifying in bulk do per entry. Hashes come back as text (the leaf's 32 bytes as
 * latin1, one character a byte; the chain hash as hex, as stored), which costs a third of the
 * hashing of a decision less than a new Buffer per hash. The bytes are entryLeaf's and the hashes
 * chainHash's (test/log/chain.test.ts holds them to it).
 */
export class ChainHasher {
  private bytes = Buffer.allocUnsafe(1 << 16);
  private readonly pair = Buffer.allocUnsafe(64);

  /** The leaf hash (as latin1) of an entry whose event and decision are given as text (as written). */
  leaf(r: HeadColumns, event: string, decision: string): string {
    const eventBytes = Buffer.byteLength(event);
    const decisionBytes = Buffer.byteLength(decision);
    const head = leafHead(r, eventBytes, decisionBytes);
    // A UTF-16 code unit is at most 3 bytes of UTF-8: room enough for the head, whatever it holds.
    const size = 2 + head.length * 3 + eventBytes + decisionBytes;
    if (size > this.bytes.length) this.bytes = Buffer.allocUnsafe(2 * size);
    const b = this.bytes;
    b[0] = 0;
    let at = 1 + b.write(head, 1);
    b[at++] = 0x0a;
    at += b.write(event, at);
    at += b.write(decision, at);
    return hash('sha256', b.subarray(0, at), 'binary');
  }

  /** The chain hash (hex) of the entry whose leaf hash is `leaf` (as latin1), after the one whose chain hash is `previous` (hex). */
  link(previous: string, leaf: string): string {
    this.pair.write(previous, 0, 32, 'hex');
    this.pair.write(leaf, 32, 32, 'binary');
    return hash('sha256', this.pair, 'hex');
  }
}

/** An entry as verification reads it in bulk: a ChainRow's columns in CHAIN_COLUMNS order, as an array rather than an object. */
export type ChainTuple = readonly [
  seq: number | string,
  format: number | string,
  event_id: string,
  type: string,
  occurred_at: string,
  occurred_ms: number | string,
  decided_at: string,
  digest: string,
  event: string,
  decision: string,
  hash: string,
];

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
export function chainEntries(head: ChainHead, entries: readonly ChainedEntry[], lastLoggedMs = 0, hasher = new ChainHasher()): WrittenRow[] {
  let logged = lastLoggedMs;
  let previous = head.hash.toString('hex');
  return entries.map((e, i) => {
    const r = {
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
      hash: '',
    };
    r.hash = previous = hasher.link(previous, hasher.leaf(r, r.event, r.decision));
    return r;
  });
}

/** The head a stored last row gives, or the empty log's. */
export const headOf = (row: { seq: number | string; hash: string } | undefined): ChainHead => (row ? { seq: Number(row.seq), hash: Buffer.from(row.hash, 'hex') } : EMPTY_HEAD);
