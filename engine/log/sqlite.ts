// The embedded decision log: SQLite through better-sqlite3, WAL mode, synchronous=FULL so that a
// committed decision survives a crash or a power cut. Concurrent appends are grouped into one
// transaction (one fsync) per turn of the event loop: durability without one fsync per request.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { SourceFile } from '../../language/source.js';
import { ENTRY_COLUMNS, EVENT_COLUMNS, LOG_FORMAT, storedEntry, storedEvent, type DecisionLog, type LogEntry, type LoggedEvent, type LogQuery, type NewEntry, type Revision, type Row } from './log.js';

/** Versioned migrations, applied in order; PRAGMA user_version records how many ran. */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE revisions (
     digest TEXT PRIMARY KEY,
     sources TEXT NOT NULL
   );
   CREATE TABLE activations (
     id INTEGER PRIMARY KEY,
     digest TEXT NOT NULL REFERENCES revisions(digest),
     activated_at TEXT NOT NULL
   );
   CREATE TABLE decisions (
     seq INTEGER PRIMARY KEY,
     format INTEGER NOT NULL,
     event_id TEXT NOT NULL,
     type TEXT NOT NULL,
     occurred_at TEXT NOT NULL,
     occurred_ms INTEGER NOT NULL,
     decided_at TEXT NOT NULL,
     digest TEXT NOT NULL,
     event TEXT NOT NULL,
     decision TEXT NOT NULL
   );
   CREATE INDEX decisions_by_time ON decisions (occurred_ms);
   CREATE INDEX decisions_by_event ON decisions (event_id);`,
];

export class SqliteLog implements DecisionLog {
  private readonly db: Database.Database;
  private readonly insert: Database.Statement;
  private readonly writeBatch: (entries: readonly NewEntry[]) => void;
  private pending: { entries: readonly NewEntry[]; resolve: () => void; reject: (e: unknown) => void }[] = [];
  private scheduled = false;
  private readonly statements = new Map<string, Database.Statement>();

  /**
   * `verify`: refuse a file damaged mid-way (a bad disk, a copy cut short) at once, rather than let
   * the service write on for months into a log an audit will find broken. quick_check reads every
   * page once (about 1.6 s per GB here), so the service pays it at start; an audit, which reads
   * every page it needs and fails on a damaged one, does not.
   */
  constructor(
    readonly file: string,
    { verify = false }: { readonly verify?: boolean } = {},
  ) {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    const damage = verify ? quickCheck(this.db) : undefined;
    if (damage !== undefined) {
      this.db.close();
      throw new Error(`the decision log ${file} is damaged (${damage}); restore it from a backup or move it away`);
    }
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('foreign_keys = ON');
    this.migrate();
    this.insert = this.db.prepare(
      `INSERT INTO decisions (format, event_id, type, occurred_at, occurred_ms, decided_at, digest, event, decision)
       VALUES (${LOG_FORMAT}, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.writeBatch = this.db.transaction((entries: readonly NewEntry[]) => {
      for (const e of entries) {
        this.insert.run(e.eventId, e.type, e.occurredAt, Date.parse(e.occurredAt), e.decidedAt, e.digest, JSON.stringify(e.event), JSON.stringify(e.decision));
      }
    });
  }

  private migrate(): void {
    const done = this.db.pragma('user_version', { simple: true }) as number;
    for (let v = done; v < MIGRATIONS.length; v++) {
      this.db.transaction(() => {
        this.db.exec(MIGRATIONS[v]!);
        this.db.pragma(`user_version = ${v + 1}`);
      })();
    }
  }

  async activate(digest: string, sources: readonly SourceFile[], activatedAt: string): Promise<void> {
    this.db.transaction(() => {
      this.db.prepare('INSERT OR IGNORE INTO revisions (digest, sources) VALUES (?, ?)').run(digest, JSON.stringify(sources));
      this.db.prepare('INSERT INTO activations (digest, activated_at) VALUES (?, ?)').run(digest, activatedAt);
    })();
  }

  append(entries: readonly NewEntry[]): Promise<void> {
    if (entries.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.pending.push({ entries, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /**
   * Writes every pending append in one transaction, then settles them all. When the group fails,
   * each append is tried on its own, so one entry the database refuses fails only its own request.
   */
  private flush(): void {
    this.scheduled = false;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    try {
      this.writeBatch(batch.flatMap((b) => b.entries));
      for (const b of batch) b.resolve();
    } catch (e) {
      if (batch.length === 1) return batch[0]!.reject(e);
      for (const b of batch) {
        try {
          this.writeBatch(b.entries);
          b.resolve();
        } catch (own) {
          b.reject(own);
        }
      }
    }
  }

  async query(q: LogQuery): Promise<LogEntry[]> {
    return (this.select(ENTRY_COLUMNS, q) as Row[]).map(storedEntry);
  }

  async events(q: LogQuery): Promise<LoggedEvent[]> {
    return (this.select(EVENT_COLUMNS, q) as Pick<Row, 'seq' | 'event'>[]).map(storedEvent);
  }

  private select(columns: string, q: LogQuery): unknown[] {
    const { where, args } = filter(q);
    if (q.after !== undefined) where.push('seq > ?'), args.push(q.after);
    const sql = `SELECT ${columns} FROM decisions ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq LIMIT ?`;
    // A long run asks the same query a page at a time: prepared once.
    let statement = this.statements.get(sql);
    if (!statement) this.statements.set(sql, (statement = this.db.prepare(sql)));
    return statement.all(...args, q.limit ?? 1000);
  }

  async count(q: LogQuery): Promise<number> {
    const { where, args } = filter(q);
    return (this.db.prepare(`SELECT count(*) AS n FROM decisions ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`).get(...args) as { n: number }).n;
  }

  async revisions(): Promise<Revision[]> {
    const rows = this.db.prepare('SELECT digest, activated_at FROM activations ORDER BY id').all() as { digest: string; activated_at: string }[];
    return rows.map((r) => ({ digest: r.digest, activatedAt: r.activated_at }));
  }

  async sources(digest: string): Promise<SourceFile[] | undefined> {
    const row = this.db.prepare('SELECT sources FROM revisions WHERE digest = ?').get(digest) as { sources: string } | undefined;
    return row ? JSON.parse(row.sources) : undefined;
  }

  async ping(): Promise<void> {
    // Rewriting the schema version is a committed, synced write that changes nothing: it fails
    // while the disk is full or the file unwritable, and succeeds again once they are not.
    this.db.pragma(`user_version = ${MIGRATIONS.length}`);
  }

  async close(): Promise<void> {
    this.flush();
    this.db.close();
  }
}

/** What SQLite's quick_check finds wrong with the file, or undefined when nothing; a page too broken to read throws. */
function quickCheck(db: Database.Database): string | undefined {
  try {
    const rows = db.pragma('quick_check(5)') as { quick_check: string }[];
    return rows.length === 1 && rows[0]!.quick_check === 'ok' ? undefined : rows.map((r) => r.quick_check).join(' | ').replace(/\s*\n\s*/g, ' | ');
  } catch (e) {
    return (e as Error).message;
  }
}

/** The WHERE terms of a query's filters (event time, type, ids); paging is the caller's. */
function filter(q: LogQuery): { where: string[]; args: (string | number)[] } {
  const where: string[] = [];
  const args: (string | number)[] = [];
  if (q.from !== undefined) where.push('occurred_ms >= ?'), args.push(Date.parse(q.from));
  if (q.to !== undefined) where.push('occurred_ms <= ?'), args.push(Date.parse(q.to));
  if (q.type !== undefined) where.push('type = ?'), args.push(q.type);
  if (q.eventId !== undefined) where.push('event_id = ?'), args.push(q.eventId);
  // One JSON parameter, however many ids: SQLite caps the number of bound parameters.
  if (q.eventIds !== undefined) where.push('event_id IN (SELECT value FROM json_each(?))'), args.push(JSON.stringify(q.eventIds));
  return { where, args };
}
