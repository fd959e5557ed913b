// The decision log: what was decided, under which policy revision, and when. The service writes
// every decision here before answering; auditors read it back. Backends implement DecisionLog.
import type { SourceFile } from '../../language/source.js';
import type { Decision } from '../schema/decision.js';
import type { Event } from '../schema/event.js';

/** Version of the entry format below; bumped when a field's meaning changes. */
export const LOG_FORMAT = 1;

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

export type NewEntry = Omit<LogEntry, 'seq'>;

export interface Revision {
  readonly digest: string;
  /** When this revision was put in force (RFC 3339 UTC). */
  readonly activatedAt: string;
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
  readonly limit?: number;
}

export interface DecisionLog {
  /** Stores a revision's sources (once per digest) and records that it is in force from `activatedAt`. */
  activate(digest: string, sources: readonly SourceFile[], activatedAt: string): Promise<void>;
  /** Durably writes the entries; resolves only once they would survive a crash. */
  append(entries: readonly NewEntry[]): Promise<void>;
  /** Entries in seq order, at most `limit` (default 1000). */
  query(q: LogQuery): Promise<LogEntry[]>;
  /** How many entries match (`after` and `limit` ignored): what a progress bar counts towards. */
  count(q: LogQuery): Promise<number>;
  /** Every activation, oldest first. */
  revisions(): Promise<Revision[]>;
  /** The sources of a stored revision. */
  sources(digest: string): Promise<SourceFile[] | undefined>;
  close(): Promise<void>;
}

const storedDecisions = new WeakMap<LogEntry, string>();

/**
 * An entry as a backend reads it back: the decision is parsed on first use, and its stored JSON is
 * kept (see `storedDecision`), so a replay can compare bytes without parsing and re-serialising.
 */
export function storedEntry(fields: Omit<LogEntry, 'event' | 'decision'>, event: string, decision: string): LogEntry {
  let parsed: Decision | undefined;
  const entry: LogEntry = {
    ...fields,
    event: JSON.parse(event),
    get decision() {
      return (parsed ??= JSON.parse(decision) as Decision);
    },
  };
  storedDecisions.set(entry, decision);
  return entry;
}

/** The decision's JSON as stored, for an entry read from a log. */
export const storedDecision = (entry: LogEntry): string | undefined => storedDecisions.get(entry);

/** A query time: RFC 3339, or a CST date meaning that day's start or end; undefined when it is neither. */
export function timeBound(value: string, edge: 'start' | 'end'): string | undefined {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return `${value}T${edge === 'start' ? '00:00:00.000' : '23:59:59.999'}+08:00`;
  return Number.isNaN(Date.parse(value)) ? undefined : value;
}

/** The revision in force at a moment: the last activated at or before it. */
export function revisionAt(revisions: readonly Revision[], at: string): Revision | undefined {
  const t = Date.parse(at);
  let found: Revision | undefined;
  for (const r of revisions) if (Date.parse(r.activatedAt) <= t) found = r;
  return found;
}

/** Every matching entry in seq order, a page at a time: memory stays flat however long the log. */
export async function* entries(log: DecisionLog, q: Omit<LogQuery, 'after' | 'limit'>, pageSize = 2000): AsyncGenerator<LogEntry> {
  for (let after = 0; ; ) {
    const page = await log.query({ ...q, after, limit: pageSize });
    yield* page;
    if (page.length < pageSize) return;
    // A synchronous backend never yields to the event loop by itself: let a service answer between pages.
    await new Promise((resolve) => setImmediate(resolve));
    after = page.at(-1)!.seq;
  }
}
