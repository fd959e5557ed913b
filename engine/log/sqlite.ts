// The embedded decision log: SQLite through better-sqlite3, WAL mode, synchronous=FULL so that a
// committed decision survives a crash or a power cut. Concurrent appends are grouped into one
// transaction (one fsync) per turn of the event loop: durability without one fsync per request.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { SourceFile } from '../../language/source.js';
import { CHAIN_COLUMNS, chainEntries, ChainHasher, EMPTY_HEAD, headOf, rechain, type ChainTuple, type ChainedEntry, type ChainRow } from './chain.js';
import { CHECKPOINT_COLUMNS, checkpointRow, storedCheckpoint, type CheckpointRow, type StoredCheckpoint } from './checkpoint.js';
import { ENTRY_COLUMNS, EVENT_COLUMNS, keysOf, storedEntry, storedEvent, withoutRepeats, type Appended, type DecisionLog, type LogEntry, type LoggedEvent, type LogQuery, revisionOf, type Migration, type NewEntry, LAST_RETENTION, LAST_RETENTION_INDEX, RETENTION_TYPE, type RetentionCut, type Revision, type Row } from './log.js';
import type { RevisionSignature } from '../signed-revision.js';

/** The last entry, where the next is chained from. */
interface LastRow {
  readonly seq: number;
  readonly hash: string;
  readonly logged_ms: number;
}

/** Versioned migrations, applied in order, each in its transaction; PRAGMA user_version records how many ran. */
const MIGRATIONS: readonly (string | ((db: Database.Database) => void))[] = [
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
  // The chain (engine/log/chain.ts) and its checkpoints; entries already written are chained in seq order.
  `ALTER TABLE decisions ADD COLUMN hash TEXT;
   CREATE TABLE checkpoints (
     size INTEGER PRIMARY KEY,
     seq INTEGER NOT NULL,
     root TEXT NOT NULL,
     chain TEXT NOT NULL,
     at TEXT NOT NULL,
     key_id TEXT NOT NULL,
     signature TEXT NOT NULL,
     frontier TEXT NOT NULL
   );
   CREATE TABLE chain_migration (
     entries INTEGER NOT NULL,
     migrated_at TEXT NOT NULL
   );`,
  (db) => {
    const page = db.prepare(`SELECT ${CHAIN_COLUMNS} FROM decisions WHERE seq > ? ORDER BY seq LIMIT 1000`);
    const update = db.prepare('UPDATE decisions SET hash = ? WHERE seq = ?');
    let head = EMPTY_HEAD;
    let entries = 0;
    for (let rows = rechain(head.hash, page.all(0) as ChainRow[]); rows.length > 0; rows = rechain(head.hash, page.all(head.seq) as ChainRow[])) {
      for (const r of rows) update.run(r.hash, r.seq);
      head = headOf(rows.at(-1));
      entries += rows.length;
    }
    if (entries > 0) db.prepare('INSERT INTO chain_migration (entries, migrated_at) VALUES (?, ?)').run(entries, new Date().toISOString());
  },
  // Who signed each activated revision (engine/signed-revision.ts), as JSON.
  'ALTER TABLE activations ADD COLUMN signature TEXT;',
  // When each entry was logged, never going back along the chain (chainEntries): what a retention
  // cuts by. Entries already written get their decision time, or a later one's before them.
  (db) => {
    db.exec('ALTER TABLE decisions ADD COLUMN logged_ms INTEGER NOT NULL DEFAULT 0');
    const page = db.prepare('SELECT seq, decided_at FROM decisions WHERE seq > ? ORDER BY seq LIMIT 10000');
    const update = db.prepare('UPDATE decisions SET logged_ms = ? WHERE seq = ?');
    let logged = 0;
    for (let rows = page.all(0) as { seq: number; decided_at: string }[]; rows.length > 0; rows = page.all(rows.at(-1)!.seq) as typeof rows) {
      for (const r of rows) update.run((logged = Math.max(logged, Date.parse(r.decided_at) || 0)), r.seq);
    }
  },
  LAST_RETENTION_INDEX,
  // The idempotency keys of decisions (the service's Idempotency-Key), each with its entry's seq.
  `CREATE TABLE idempotency_keys (
     key TEXT PRIMARY KEY,
     seq INTEGER NOT NULL
   );
   CREATE INDEX idempotency_keys_by_seq ON idempotency_keys (seq);`,
];

const CHAINED_TUPLES = `SELECT ${CHAIN_COLUMNS} FROM decisions WHERE seq > ? ORDER BY seq LIMIT ?`;

/** How a SQLite log is opened: see the constructor. */
export interface SqliteOptions {
  readonly verify?: boolean;
  readonly mapped?: boolean;
}

export class SqliteLog implements DecisionLog {
  private readonly db: Database.Database;
  private readonly insert: Database.Statement;
  private readonly writeBatch: Database.Transaction<(entries: readonly ChainedEntry[], after?: LastRow) => Appended>;
  private readonly last: Database.Statement;
  private pending: { entries: readonly NewEntry[]; resolve: (appended: Appended) => void; reject: (e: unknown) => void }[] = [];
  private scheduled = false;
  private readonly statements = new Map<string, Database.Statement>();
  private tuples: Database.Statement | undefined;

  get location(): string | undefined {
    return this.file === ':memory:' ? undefined : this.file;
  }

  /**
   * `verify`: refuse a file damaged mid-way (a bad disk, a copy cut short) at once, rather than let
   * the service write on for months into a log an audit will find broken. quick_check reads every
   * page once (about 1.6 s per GB here), so the service pays it at start; an audit, which reads
   * every page it needs and fails on a damaged one, does not.
   */
  constructor(
    readonly file: string,
    { verify = false, mapped = false }: SqliteOptions = {},
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
    // `mapped`: pages read in place, not copied in by a system call each (a verification reads a
    // third faster). For readers, such as the threads verifying a log: a file cut short under a
    // map ends the process (SIGBUS) rather than failing one read.
    if (mapped) this.db.pragma(`mmap_size = ${2 ** 40}`);
    this.migrate();
    this.insert = this.db.prepare(`INSERT INTO decisions (${CHAIN_COLUMNS}, logged_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    const last = this.db.prepare('SELECT seq, hash, logged_ms FROM decisions ORDER BY seq DESC LIMIT 1');
    // Run IMMEDIATE (see flush): the write lock is taken before the last entry is read, so processes
    // sharing the file chain one after another, never two entries from the same one.
    this.last = last;
    const loggedKeys = this.db.prepare('SELECT key, seq FROM idempotency_keys WHERE key IN (SELECT value FROM json_each(?))');
    const insertKey = this.db.prepare('INSERT INTO idempotency_keys (key, seq) VALUES (?, ?)');
    // Its buffers are reused by every append.
    const hasher = new ChainHasher();
    this.writeBatch = this.db.transaction((entries: readonly ChainedEntry[], after?: LastRow) => {
      const head = after ?? (last.get() as LastRow | undefined);
      const wanted = keysOf(entries);
      const logged = new Map(wanted.length === 0 ? [] : (loggedKeys.all(JSON.stringify(wanted)) as { key: string; seq: number }[]).map((r) => [r.key, r.seq] as const));
      const { write, appended, keys } = withoutRepeats(entries, logged, headOf(head).seq + 1);
      for (const r of chainEntries(headOf(head), write, head?.logged_ms, hasher)) {
        this.insert.run(r.seq, r.format, r.event_id, r.type, r.occurred_at, r.occurred_ms, r.decided_at, r.digest, r.event, r.decision, r.hash, r.logged_ms);
      }
      for (const [key, seq] of keys) insertKey.run(key, seq);
      return appended;
    });
  }

  private migrate(): void {
    const done = this.db.pragma('user_version', { simple: true }) as number;
    for (let v = done; v < MIGRATIONS.length; v++) {
      const step = MIGRATIONS[v]!;
      this.db
        .transaction(() => {
          if (typeof step === 'string') this.db.exec(step);
          else step(this.db);
          this.db.pragma(`user_version = ${v + 1}`);
        })
        .immediate();
    }
  }

  async activate(digest: string, sources: readonly SourceFile[], activatedAt: string, signature?: RevisionSignature): Promise<void> {
    this.db.transaction(() => {
      this.db.prepare('INSERT OR IGNORE INTO revisions (digest, sources) VALUES (?, ?)').run(digest, JSON.stringify(sources));
      this.db.prepare('INSERT INTO activations (digest, activated_at, signature) VALUES (?, ?, ?)').run(digest, activatedAt, signature ? JSON.stringify(signature) : null);
    })();
  }

  append(entries: readonly NewEntry[]): Promise<Appended> {
    if (entries.length === 0) return Promise.resolve([]);
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
      const appended = this.writeBatch.immediate(batch.flatMap((b) => b.entries));
      let at = 0;
      for (const b of batch) b.resolve(appended.slice(at, (at += b.entries.length)));
    } catch (e) {
      if (batch.length === 1) return batch[0]!.reject(e);
      for (const b of batch) {
        try {
          b.resolve(this.writeBatch.immediate(b.entries));
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
    return this.cached(`SELECT ${columns} FROM decisions ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq LIMIT ?`).all(...args, q.limit ?? 1000);
  }

  /** A long run asks the same query a page at a time: prepared once. */
  private cached(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) this.statements.set(sql, (statement = this.db.prepare(sql)));
    return statement;
  }

  async count(q: LogQuery): Promise<number> {
    const { where, args } = filter(q);
    return (this.db.prepare(`SELECT count(*) AS n FROM decisions ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`).get(...args) as { n: number }).n;
  }

  async chained(after: number, limit: number): Promise<ChainRow[]> {
    return this.cached(`SELECT ${CHAIN_COLUMNS} FROM decisions WHERE seq > ? ORDER BY seq LIMIT ?`).all(after, limit) as ChainRow[];
  }

  async chainedTuples(after: number, limit: number): Promise<ChainTuple[]> {
    // As arrays, no object per row: a statement of its own, as raw mode is the statement's.
    return (this.tuples ??= this.db.prepare(CHAINED_TUPLES).raw(true)).all(after, limit) as ChainTuple[];
  }

  async retentionCut(before: number): Promise<RetentionCut> {
    const row = this.db.prepare('SELECT max(seq) AS through FROM decisions WHERE logged_ms < ?').get(before) as { through: number | null };
    return { through: row.through ?? 0, before };
  }

  async retain(cut: RetentionCut, statement: ChainedEntry): Promise<void> {
    this.flush();
    this.db
      .transaction(() => {
        // Chained on from the last entry as it was: the removal may leave no entry to read it from.
        const head = this.last.get() as LastRow;
        this.db.prepare('DELETE FROM decisions WHERE seq <= ?').run(cut.through);
        this.db.prepare('DELETE FROM idempotency_keys WHERE seq <= ?').run(cut.through);
        this.writeBatch([statement], head);
      })
      .immediate();
  }

  async lastRetention(): Promise<string | undefined> {
    return (this.db.prepare(LAST_RETENTION).get() as { event: string } | undefined)?.event;
  }

  async checkpoints(): Promise<StoredCheckpoint[]> {
    const rows = this.db.prepare(`SELECT ${CHECKPOINT_COLUMNS} FROM checkpoints ORDER BY size`).all() as CheckpointRow[];
    return rows.map(storedCheckpoint);
  }

  async addCheckpoint(c: StoredCheckpoint): Promise<void> {
    this.db.prepare(`INSERT OR IGNORE INTO checkpoints (${CHECKPOINT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`).run(...checkpointRow(c));
  }

  async migration(): Promise<Migration | undefined> {
    const row = this.db.prepare('SELECT entries, migrated_at FROM chain_migration').get() as { entries: number; migrated_at: string } | undefined;
    return row && { entries: row.entries, migratedAt: row.migrated_at };
  }

  async revisions(): Promise<Revision[]> {
    return (this.db.prepare('SELECT digest, activated_at, signature FROM activations ORDER BY id').all() as Parameters<typeof revisionOf>[0][]).map(revisionOf);
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

/** The WHERE terms of a query's filters (event time, type, ids, shard); paging is the caller's. */
function filter(q: LogQuery): { where: string[]; args: (string | number)[] } {
  const where: string[] = ['type <> ?'];
  const args: (string | number)[] = [RETENTION_TYPE];
  if (q.from !== undefined) where.push('occurred_ms >= ?'), args.push(Date.parse(q.from));
  if (q.to !== undefined) where.push('occurred_ms <= ?'), args.push(Date.parse(q.to));
  if (q.type !== undefined) where.push('type = ?'), args.push(q.type);
  if (q.eventId !== undefined) where.push('event_id = ?'), args.push(q.eventId);
  // One JSON parameter, however many ids: SQLite caps the number of bound parameters.
  if (q.eventIds !== undefined) where.push('event_id IN (SELECT value FROM json_each(?))'), args.push(JSON.stringify(q.eventIds));
  if (q.shard !== undefined) where.push('seq % ? = ?'), args.push(q.shard.count, q.shard.index);
  return { where, args };
}
