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
  /** Entries with seq greater than this (for paging). */
  readonly after?: number;
  readonly limit?: number;
}

export interface DecisionLog {
  /** Stores a revision's sources (once per digest) and records that it is in force from `activatedAt`. */
  activate(digest: string, sources: readonly SourceFile[], activatedAt: string): Promise<void>;
  /** Durably writes the entries; resolves only once they would survive a crash. */
  append(entries: readonly NewEntry[]): Promise<void>;
  query(q: LogQuery): Promise<LogEntry[]>;
  /** Every activation, oldest first. */
  revisions(): Promise<Revision[]>;
  /** The sources of a stored revision. */
  sources(digest: string): Promise<SourceFile[] | undefined>;
  close(): Promise<void>;
}

/** The revision in force at a moment: the last activated at or before it. */
export function revisionAt(revisions: readonly Revision[], at: string): Revision | undefined {
  const t = Date.parse(at);
  let found: Revision | undefined;
  for (const r of revisions) if (Date.parse(r.activatedAt) <= t) found = r;
  return found;
}
