// What replay and diff yield for each event, the running summary of a run, and the JSON Lines that
// the CLI prints and the service sends: one line per changed decision or error, then the summary.
import { cstDayOf, formatDate } from '../../language/calendar.js';
import type { CompiledPolicy } from '../compile.js';
import type { Change } from './diff.js';

/** A decision that differs between the two sides compared. */
export interface Finding {
  /** The log entry's seq, when the event came from a log. */
  readonly seq?: number;
  readonly eventId: string;
  readonly type: string;
  readonly occurredAt: string;
  /** Digests of the revisions compared: the one that decided (replay) or the base, and the other. */
  readonly base: string;
  readonly head: string;
  readonly changes: readonly Change[];
  /** Every article behind a change, sorted. */
  readonly articles: readonly string[];
}

export interface AuditError {
  readonly seq?: number;
  readonly eventId: string | null;
  readonly error: { readonly code: string; readonly message: string };
}

export type Outcome =
  | { readonly kind: 'same' }
  /** `policies`: the base and head revisions, where a report finds the text of the articles. */
  | { readonly kind: 'changed'; readonly finding: Finding; readonly policies: readonly CompiledPolicy[] }
  | { readonly kind: 'error'; readonly error: AuditError };

export interface Summary {
  readonly events: number;
  readonly same: number;
  readonly changed: number;
  readonly errors: number;
  /** Changed decisions per article, per event type, per CST day of the event, per field changed. */
  readonly byArticle: Record<string, number>;
  readonly byType: Record<string, number>;
  readonly byDay: Record<string, number>;
  readonly byField: Record<string, number>;
}

/** Shared: an unchanged decision says nothing else. */
export const SAME: Outcome = Object.freeze({ kind: 'same' });

export function finding(fields: Omit<Finding, 'articles'>): Finding {
  return { ...fields, articles: [...new Set(fields.changes.flatMap((c) => c.articles))].sort() };
}

/** Counts outcomes as they stream past; holds counts only, never the findings. */
export class Tally {
  private events = 0;
  private same = 0;
  private changed = 0;
  private errors = 0;
  private readonly byArticle = new Map<string, number>();
  private readonly byType = new Map<string, number>();
  private readonly byDay = new Map<string, number>();
  private readonly byField = new Map<string, number>();

  add(o: Outcome): void {
    this.events++;
    if (o.kind === 'same') this.same++;
    else if (o.kind === 'error') this.errors++;
    else {
      this.changed++;
      const f = o.finding;
      for (const a of f.articles) bump(this.byArticle, a);
      bump(this.byType, f.type);
      bump(this.byDay, formatDate(cstDayOf(f.occurredAt)!));
      for (const field of new Set(f.changes.map((c) => c.field))) bump(this.byField, field);
    }
  }

  summary(): Summary {
    return {
      events: this.events,
      same: this.same,
      changed: this.changed,
      errors: this.errors,
      byArticle: sorted(this.byArticle),
      byType: sorted(this.byType),
      byDay: sorted(this.byDay),
      byField: sorted(this.byField),
    };
  }
}

/** Which part of which run a partial result is: shard `index` (from 1) of `count`, and the run as its arguments named it. */
export interface ShardOf {
  readonly index: number;
  readonly count: number;
  readonly run: string;
}

/**
 * The JSON Lines of a run: each finding and error as it comes, then `{"summary": …}` (with `shard`
 * for a partial result, which `tiaoli audit merge` reads); `observe` sees every outcome.
 */
export async function* auditLines(outcomes: AsyncIterable<Outcome>, tally: Tally, observe?: (o: Outcome) => void, shard?: ShardOf): AsyncGenerator<string> {
  for await (const o of outcomes) {
    tally.add(o);
    observe?.(o);
    if (o.kind === 'changed') yield `${JSON.stringify(o.finding)}\n`;
    else if (o.kind === 'error') yield `${JSON.stringify(o.error)}\n`;
  }
  yield summaryLine(tally.summary(), shard);
}

export const summaryLine = (summary: Summary, shard?: ShardOf): string => `${JSON.stringify(shard ? { summary, shard } : { summary })}\n`;

/** The summary of a run made of the runs over its parts: counts added, each table's keys sorted as one run sorts them. */
export function mergeSummaries(parts: readonly Summary[]): Summary {
  const add = (pick: (s: Summary) => Record<string, number>) => {
    const m = new Map<string, number>();
    for (const p of parts) for (const [k, n] of Object.entries(pick(p))) m.set(k, (m.get(k) ?? 0) + n);
    return sorted(m);
  };
  const sum = (pick: (s: Summary) => number) => parts.reduce((n, p) => n + pick(p), 0);
  return {
    events: sum((s) => s.events),
    same: sum((s) => s.same),
    changed: sum((s) => s.changed),
    errors: sum((s) => s.errors),
    byArticle: add((s) => s.byArticle),
    byType: add((s) => s.byType),
    byDay: add((s) => s.byDay),
    byField: add((s) => s.byField),
  };
}

const bump = (m: Map<string, number>, k: string): void => void m.set(k, (m.get(k) ?? 0) + 1);
const sorted = (m: Map<string, number>): Record<string, number> => Object.fromEntries([...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
