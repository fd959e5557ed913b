// The decision log: what was decided, under which policy revision, and when. The service writes
// every decision here before answering; auditors read it back. Backends implement DecisionLog.
import type { SourceFile } from '../../language/source.js';
import type { Decision } from '../schema/decision.js';
import type { Event } from '../schema/event.js';
import type { ChainedEntry, ChainRow, ChainTuple } from './chain.js';
import type { StoredCheckpoint } from './checkpoint.js';
import type { RevisionSignature } from '../signed-revision.js';

/**
 * Version of the entry format below; bumped when a field's meaning changes. 2: each entry is
 * chained (engine/log/chain.ts) as it is written; entries of format 1 were chained when their log
 * was migrated.
 */
export const LOG_FORMAT = 2;

export interface LogEntry {
  /** Order of writing, assigned by the log. */
  readonly seq: number;
  readonly eventId: string;
  readonly type: string;
  readonly occurredAt: string;
  /** When the decision was made (the service's clock, RFC 3339 UTC). */
  readonly decidedAt: string;
  /** Digest of the policy revision that decided. */
  readonly digest: string;
  readonly event: Event;
  readonly decision: Decision;
}

/**
 * An entry to log. With an idempotency key (the service's Idempotency-Key header), it is logged
 * only when no entry was logged under that key before: the log keeps the keys, each with its entry.
 */
export type NewEntry = Omit<LogEntry, 'seq'> & { readonly idempotencyKey?: string };

/** What an append did with each entry, in order: undefined when it was logged, else the seq of the entry logged before under its idempotency key. */
export type Appended = readonly (number | undefined)[];

/**
 * The entries of an append that are to be logged, and what the append did with each: an entry whose
 * key is among `logged` (keys already in the log, with their seq) or on an entry before it in the
 * same append is not logged again. `next` is the seq the first one logged gets; `keys` are the new
 * keys with their entries' seq. Both backends call it under their write lock, so two concurrent
 * repeats log one entry.
 */
export function withoutRepeats<E extends { readonly idempotencyKey?: string }>(entries: readonly E[], logged: ReadonlyMap<string, number>, next: number): { write: E[]; appended: Appended; keys: [key: string, seq: number][] } {
  const seen = new Map(logged);
  const write: E[] = [];
  const appended: (number | undefined)[] = [];
  const keys: [string, number][] = [];
  for (const e of entries) {
    const key = e.idempotencyKey;
    const earlier = key === undefined ? undefined : seen.get(key);
    appended.push(earlier);
    if (earlier !== undefined) continue;
    if (key !== undefined) seen.set(key, next + write.length), keys.push([key, next + write.length]);
    write.push(e);
  }
  return { write, appended, keys };
}

/** The distinct idempotency keys of some entries. */
export const keysOf = (entries: readonly { readonly idempotencyKey?: string }[]): string[] => [...new Set(entries.flatMap((e) => (e.idempotencyKey === undefined ? [] : [e.idempotencyKey])))];

/**
 * The type of the entry a retention writes into the chain (engine/log/retention.ts): not a decision,
 * so every reader of decisions (query, events, count) passes it over; the chain keeps it.
 */
export const RETENTION_TYPE = 'tiaoli.retention';
/**
 * Where every verification, checkpoint and proof starts: the last retention statement. A partial
 * index holds the statements alone, so finding the last is one index step on either backend, not a
 * scan back through every decision (the whole log, when there is none). The type is written into
 * the SQL, not bound, so that both planners can match the index's predicate.
 */
export const LAST_RETENTION_INDEX = `CREATE INDEX decisions_retentions ON decisions (seq) WHERE type = '${RETENTION_TYPE}'`;
export const LAST_RETENTION = `SELECT event FROM decisions WHERE type = '${RETENTION_TYPE}' ORDER BY seq DESC LIMIT 1`;

/** Where a retention may cut the log: every entry through `through` was logged before `before` (ms). */
export interface RetentionCut {
  readonly through: number;
  readonly before: number;
}

export type LoggedEvent = Pick<LogEntry, 'seq' | 'event'>;

/** The columns of a logged decision as both backends read them (PostgreSQL gives a bigint seq as text). */
export interface Row {
  readonly seq: number | string;
  readonly event_id: string;
  readonly type: string;
  readonly occurred_at: string;
  readonly decided_at: string;
  readonly digest: string;
  readonly event: string;
  readonly decision: string;
}

/** The columns `query` reads, in order; `events` reads the first and the one named event. */
export const ENTRY_COLUMNS = 'seq, event_id, type, occurred_at, decided_at, digest, event, decision';
export const EVENT_COLUMNS = 'seq, event';

export interface Revision {
  readonly digest: string;
  /** When this revision was put in force (RFC 3339 UTC). */
  readonly activatedAt: string;
  /** Who signed it, when the service required signed revisions. */
  readonly signature?: RevisionSignature;
}

/** A part of a log, for spreading an audit over processes: disjoint, and together all of it. */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** The chain built over an older log's entries when it was migrated: how many, and when. */
export interface Migration {
  readonly entries: number;
  readonly migratedAt: string;
}

export interface LogQuery {
  /** Event time bounds, inclusive, as RFC 3339. */
  readonly from?: string;
  readonly to?: string;
  readonly type?: string;
  readonly eventId?: string;
  /** Any of these event ids. */
  readonly eventIds?: readonly string[];
  /** Entries with seq greater than this (for paging). */
  readonly after?: number;
  /** One part of the log: the entries whose seq modulo `count` is `index` (0 ≤ index < count). */
  readonly shard?: Shard;
  readonly limit?: number;
}

export interface DecisionLog {
  /** Where another connection, such as a thread's, opens this same log; undefined when none can (an in-memory log). */
  readonly location: string | undefined;
  /** Stores a revision's sources (once per digest) and records that it is in force from `activatedAt`, and who signed it. */
  activate(digest: string, sources: readonly SourceFile[], activatedAt: string, signature?: RevisionSignature): Promise<void>;
  /** Durably writes the entries (but not an entry whose idempotency key is logged); resolves only once they would survive a crash. */
  append(entries: readonly NewEntry[]): Promise<Appended>;
  /** Entries in seq order, at most `limit` (default 1000). */
  query(q: LogQuery): Promise<LogEntry[]>;
  /** The same entries' events without their decisions, which are not even read: for deciding afresh (a diff). */
  events(q: LogQuery): Promise<LoggedEvent[]>;
  /** How many entries match (`after` and `limit` ignored): what a progress bar counts towards. */
  count(q: LogQuery): Promise<number>;
  /** Every activation, oldest first. */
  revisions(): Promise<Revision[]>;
  /** The sources of a stored revision. */
  sources(digest: string): Promise<SourceFile[] | undefined>;
  /** Entries with every column their hash covers, in seq order after `after`: what verification and proofs read. */
  chained(after: number, limit: number): Promise<ChainRow[]>;
  /** The same entries as `chained`, each as an array (ChainTuple): what verification reads in bulk. */
  chainedTuples(after: number, limit: number): Promise<ChainTuple[]>;
  /** The stored checkpoints, smallest first. */
  checkpoints(): Promise<StoredCheckpoint[]>;
  /** Stores a checkpoint; when one of the same size is stored already, that one is kept. */
  addCheckpoint(c: StoredCheckpoint): Promise<void>;
  /**
   * The last entry (seq) that a retention of the entries logged before `before` (ms) may remove, 0
   * when none: the log's oldest entries, up to the first logged since; for PostgreSQL, up to the
   * start of the month `before` falls in, as its entries are kept in monthly partitions.
   */
  retentionCut(before: number): Promise<RetentionCut>;
  /** Removes the entries through `cut.through` and appends `statement` (the retention's own entry), in one transaction. */
  retain(cut: RetentionCut, statement: ChainedEntry): Promise<void>;
  /** The stored event JSON of the last retention entry, if any. */
  lastRetention(): Promise<string | undefined>;
  /** When the log was chained over entries written before it was tamper-evident; undefined for a log chained from its first entry. */
  migration(): Promise<Migration | undefined>;
  /** Resolves when the log takes writes now (a durable write for SQLite, a round trip for PostgreSQL). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

const storedDecisions = new WeakMap<LogEntry, string>();

/**
 * An entry as a backend reads it back: event and decision are parsed on first use, and the stored
 * JSON of the decision is kept (see `storedDecision`), so a replay can compare bytes without parsing
 * and re-serialising. A page of entries holds only text until each is used: parsed objects die
 * young, not after surviving the whole page into the old generation.
 */
export function storedEntry(r: Row): LogEntry {
  let parsedEvent: Event | undefined;
  let parsed: Decision | undefined;
  const entry: LogEntry = {
    seq: Number(r.seq),
    get event() {
      return (parsedEvent ??= JSON.parse(r.event) as Event);
    },
    eventId: r.event_id,
    type: r.type,
    occurredAt: r.occurred_at,
    decidedAt: r.decided_at,
    digest: r.digest,
    get decision() {
      return (parsed ??= JSON.parse(r.decision) as Decision);
    },
  };
  storedDecisions.set(entry, r.decision);
  return entry;
}

/** A logged event as `events` gives it: parsed on first use, as an entry's is. */
export function storedEvent(r: Pick<Row, 'seq' | 'event'>): LoggedEvent {
  let parsed: Event | undefined;
  return {
    seq: Number(r.seq),
    get event() {
      return (parsed ??= JSON.parse(r.event) as Event);
    },
  };
}

/** The decision's JSON as stored, for an entry read from a log. */
export const storedDecision = (entry: LogEntry): string | undefined => storedDecisions.get(entry);

/** A revision as both backends store its activation (the signature as JSON, or null). */
export const revisionOf = (r: { digest: string; activated_at: string; signature: string | null }): Revision =>
  r.signature === null ? { digest: r.digest, activatedAt: r.activated_at } : { digest: r.digest, activatedAt: r.activated_at, signature: JSON.parse(r.signature) as RevisionSignature };

/** The revision in force at a moment: the last activated at or before it. */
export function revisionAt(revisions: readonly Revision[], at: string): Revision | undefined {
  const t = Date.parse(at);
  let found: Revision | undefined;
  for (const r of revisions) if (Date.parse(r.activatedAt) <= t) found = r;
  return found;
}

/** Every matching entry in seq order, a page at a time: memory stays flat however long the log. */
export function entries(log: DecisionLog, q: Omit<LogQuery, 'after' | 'limit'>, pageSize = PAGE): AsyncGenerator<LogEntry> {
  return paged((after) => log.query({ ...q, after, limit: pageSize }), pageSize);
}

/** Every matching entry's event, without its decision, in seq order, a page at a time. */
export function loggedEvents(log: DecisionLog, q: Omit<LogQuery, 'after' | 'limit'>, pageSize = PAGE): AsyncGenerator<LoggedEvent> {
  return paged((after) => log.events({ ...q, after, limit: pageSize }), pageSize);
}

/** Every entry with its chain columns, in seq order from after `after`. */
export function chainedRows(log: DecisionLog, after = 0, pageSize = 1000): AsyncGenerator<ChainRow> {
  return paged((from) => log.chained(from, pageSize), pageSize, after);
}

/**
 * Pages of 100: small enough that a page, and what is made while it is decided, dies in the young
 * generation (the CLI runs with a small one; a page of 2000 pushed every entry into the old
 * generation, to be collected there at far greater cost), large enough that the queries cost little.
 */
const PAGE = 100;

async function* paged<T extends { readonly seq: number | string }>(page: (after: number) => Promise<T[]>, size: number, start = 0): AsyncGenerator<T> {
  for await (const items of pages(page, size, start, (item) => item.seq)) {
    // The page lets go of each item as it hands it out, so an item (and the event parsed from it)
    // is garbage once its caller is done with it, not when the whole page is.
    for (let i = 0; i < items.length; i++) {
      const item = items[i]!;
      (items as (T | undefined)[])[i] = undefined;
      yield item;
    }
  }
}

/** Whole pages in seq order from after `start`, the next asked for while one is used. */
async function* pages<T>(page: (after: number) => Promise<T[]>, size: number, start: number, seqOf: (item: T) => number | string): AsyncGenerator<T[]> {
  for (let next = page(start); ; ) {
    const items = await next;
    const full = items.length === size;
    // The next page is asked for before this one is used: a database round trip overlaps the work.
    if (full) {
      next = page(Number(seqOf(items.at(-1)!)));
      // Seen when awaited; a caller that stops reading early must not leave it unhandled.
      next.catch(() => undefined);
    }
    yield items;
    if (!full) return;
    // A synchronous backend never yields to the event loop by itself: let a service answer between pages.
    await new Promise((resolve) => setImmediate(resolve));
  }
}
