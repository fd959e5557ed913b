// The shared decision log: PostgreSQL through `pg`, so that several service instances write to one
// database and an audit reads all of their decisions. Appends arriving while a write is under way
// are grouped into the next one (one INSERT, one commit), as the SQLite log groups them per turn.
import pg from 'pg';
import type { SourceFile } from '../../language/source.js';
import { CHAIN_COLUMNS, chainEntries, ChainHasher, EMPTY_HEAD, headOf, rechain, type ChainTuple, type ChainedEntry, type ChainRow, type WrittenRow } from './chain.js';
import { CHECKPOINT_COLUMNS, checkpointRow, storedCheckpoint, type CheckpointRow, type StoredCheckpoint } from './checkpoint.js';
import { ENTRY_COLUMNS, EVENT_COLUMNS, keysOf, storedEntry, storedEvent, withoutRepeats, type Appended, type DecisionLog, type LogEntry, type LoggedEvent, type LogQuery, revisionOf, type Migration, type NewEntry, LAST_RETENTION, LAST_RETENTION_INDEX, RETENTION_TYPE, type RetentionCut, type Revision, type Row } from './log.js';
import type { RevisionSignature } from '../signed-revision.js';

/**
 * Versioned migrations, applied in order, each in its transaction, and recorded in tiaoli_migrations.
 * Event and decision are kept as text, not jsonb: jsonb reorders keys, and replay compares the
 * decision byte for byte (and the chain hashes it).
 */
const MIGRATIONS: readonly (string | ((client: pg.PoolClient) => Promise<void>))[] = [
  `CREATE TABLE revisions (
     digest text PRIMARY KEY,
     sources text NOT NULL
   );
   CREATE TABLE activations (
     id bigserial PRIMARY KEY,
     digest text NOT NULL REFERENCES revisions(digest),
     activated_at text NOT NULL
   );
   CREATE TABLE decisions (
     seq bigserial PRIMARY KEY,
     format integer NOT NULL,
     event_id text NOT NULL,
     type text NOT NULL,
     occurred_at text NOT NULL,
     occurred_ms bigint NOT NULL,
     decided_at text NOT NULL,
     digest text NOT NULL,
     event text NOT NULL,
     decision text NOT NULL
   );
   CREATE INDEX decisions_by_time ON decisions (occurred_ms);
   CREATE INDEX decisions_by_event ON decisions (event_id);`,
  // The chain (engine/log/chain.ts) and its checkpoints. seq is now given by the writer, one past the
  // last under CHAIN_LOCK: a sequence's values have gaps (a rolled-back insert spends one), and a
  // writer without the lock (an older build) must fail, not write an entry outside the chain.
  `ALTER TABLE decisions ADD COLUMN hash text;
   ALTER TABLE decisions ALTER COLUMN seq DROP DEFAULT;
   CREATE TABLE checkpoints (
     size bigint PRIMARY KEY,
     seq bigint NOT NULL,
     root text NOT NULL,
     chain text NOT NULL,
     at text NOT NULL,
     key_id text NOT NULL,
     signature text NOT NULL,
     frontier text NOT NULL
   );
   CREATE TABLE chain_migration (
     entries bigint NOT NULL,
     migrated_at text NOT NULL
   );`,
  // Entries already written are chained in seq order, a page at a time.
  async (client) => {
    const page = async (after: number) => (await client.query<ChainRow>(`SELECT ${CHAIN_COLUMNS} FROM decisions WHERE seq > $1 ORDER BY seq LIMIT 1000`, [after])).rows;
    let head = EMPTY_HEAD;
    let entries = 0;
    for (let rows = rechain(head.hash, await page(0)); rows.length > 0; rows = rechain(head.hash, await page(head.seq))) {
      await client.query('UPDATE decisions d SET hash = u.hash FROM unnest($1::bigint[], $2::text[]) AS u(seq, hash) WHERE d.seq = u.seq', [rows.map((r) => r.seq), rows.map((r) => r.hash)]);
      head = headOf(rows.at(-1));
      entries += rows.length;
    }
    if (entries > 0) await client.query('INSERT INTO chain_migration (entries, migrated_at) VALUES ($1, $2)', [entries, new Date().toISOString()]);
  },
  // Who signed each activated revision (engine/signed-revision.ts), as JSON.
  'ALTER TABLE activations ADD COLUMN signature text;',
  // Decisions partitioned by the month they were logged in (UTC), so that a retention drops whole
  // partitions and a large log's scans touch the partitions they need. logged_ms never goes back
  // along the chain (chainEntries), so each partition holds one stretch of it. seq cannot be a
  // primary key across partitions; the chain lock keeps it unique and the verifier checks it.
  // Rows with no month partition (written by something other than a writer, which makes its
  // month's partition first) land in the default one, which a retention never drops.
  `ALTER TABLE decisions ADD COLUMN logged_ms bigint NOT NULL DEFAULT 0;
   ALTER TABLE decisions RENAME TO decisions_unpartitioned;
   ALTER INDEX decisions_by_time RENAME TO decisions_unpartitioned_by_time;
   ALTER INDEX decisions_by_event RENAME TO decisions_unpartitioned_by_event;
   CREATE TABLE decisions (LIKE decisions_unpartitioned INCLUDING DEFAULTS) PARTITION BY RANGE (logged_ms);
   CREATE TABLE decisions_default PARTITION OF decisions DEFAULT;
   CREATE INDEX decisions_by_seq ON decisions (seq);
   CREATE INDEX decisions_by_time ON decisions (occurred_ms);
   CREATE INDEX decisions_by_event ON decisions (event_id);`,
  async (client) => {
    const logged = `greatest(0, max((extract(epoch FROM decided_at::timestamptz) * 1000)::bigint) OVER (ORDER BY seq))`;
    const { rows } = await client.query<{ first: string | null; last: string | null }>(`SELECT min(l) AS first, max(l) AS last FROM (SELECT ${logged} AS l FROM decisions_unpartitioned) x`);
    const [first, last] = [rows[0]!.first, rows[0]!.last];
    if (first !== null && last !== null) for (let m = monthStart(Number(first)); m <= Number(last); m = nextMonth(m)) await client.query(partitionDdl(m));
    await client.query(`INSERT INTO decisions (${CHAIN_COLUMNS}, logged_ms) SELECT ${CHAIN_COLUMNS}, ${logged} FROM decisions_unpartitioned ORDER BY seq`);
    await client.query('DROP TABLE decisions_unpartitioned');
  },
  LAST_RETENTION_INDEX,
  // The idempotency keys of decisions (the service's Idempotency-Key), each with its entry's seq: a
  // table of its own, as a unique index on the partitioned decisions would have to include logged_ms.
  `CREATE TABLE idempotency_keys (
     key text PRIMARY KEY,
     seq bigint NOT NULL
   );
   CREATE INDEX idempotency_keys_by_seq ON idempotency_keys (seq);`,
];

/** The start (ms) of the UTC month a time (ms) is in, and of the month after it. */
const monthStart = (ms: number): number => {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
};
const nextMonth = (ms: number): number => {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
};

/** The name of the partition of the UTC month starting at `start` (ms): `decisions_y2026m12`. */
const partitionName = (start: number): string => `decisions_y${new Date(start).toISOString().slice(0, 7).replace('-', 'm')}`;
const PARTITION_NAME = /^decisions_y(\d{4})m(\d{2})$/;

const partitionDdl = (start: number): string => `CREATE TABLE IF NOT EXISTS ${partitionName(start)} PARTITION OF decisions FOR VALUES FROM (${start}) TO (${nextMonth(start)})`;

/** Advisory lock key held while migrating, so instances starting together do not race. */
const MIGRATION_LOCK = 0x7469616f; // "tiao"
/**
 * Advisory lock key each append holds for its transaction: the one order of the log. Every writer,
 * on any node, reads the last entry and chains on from it under this lock, so entries are numbered
 * without gaps and each hash follows the one committed before it. An append is one transaction
 * that holds it for three round trips; grouping appends (below) spreads that over many entries.
 */
const CHAIN_LOCK = 0x74696c63; // "tilc"

/** The last entry as read under the chain lock (PostgreSQL gives bigints as text). */
interface LastRow {
  readonly seq: string;
  readonly hash: string;
  readonly logged_ms: string;
}

interface Pending {
  readonly entries: readonly NewEntry[];
  readonly resolve: (appended: Appended) => void;
  readonly reject: (e: unknown) => void;
}

export class PostgresLog implements DecisionLog {
  private readonly pool: pg.Pool;
  /** Migrations; every call waits for them, so the constructor can stay synchronous like SQLite's. */
  private readonly ready: Promise<void>;
  private pending: Pending[] = [];
  /** The month partitions (by their start, ms) known to exist, so that a write makes its month's only once. */
  private readonly partitions = new Set<number>();
  private writing: Promise<void> | undefined;
  /** Its buffers are reused by every append. */
  private readonly hasher = new ChainHasher();

  get location(): string {
    return this.url;
  }

  constructor(readonly url: string) {
    this.pool = new pg.Pool({ connectionString: url, max: 4 });
    // An idle connection the server ends (a restart, a failover, an administrator) is dropped by the
    // pool and a new one opened when next needed; unheard, its error would end the process.
    this.pool.on('error', () => undefined);
    this.ready = this.migrate();
    // Reported to every caller that awaits it; not an unhandled rejection in between.
    this.ready.catch(() => undefined);
  }

  private async migrate(): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
      try {
        await client.query('CREATE TABLE IF NOT EXISTS tiaoli_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
        const done = Number((await client.query('SELECT coalesce(max(version), 0) AS v FROM tiaoli_migrations')).rows[0].v);
        for (let v = done; v < MIGRATIONS.length; v++) {
          const step = MIGRATIONS[v]!;
          await client.query('BEGIN');
          if (typeof step === 'string') await client.query(step);
          else await step(client);
          await client.query('INSERT INTO tiaoli_migrations (version) VALUES ($1)', [v + 1]);
          await client.query('COMMIT');
        }
      } catch (e) {
        await client.query('ROLLBACK');
        throw e;
      } finally {
        await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
      }
    } finally {
      client.release();
    }
  }

  async activate(digest: string, sources: readonly SourceFile[], activatedAt: string, signature?: RevisionSignature): Promise<void> {
    await this.ready;
    // One statement, so both rows commit together.
    await this.pool.query(
      `WITH r AS (INSERT INTO revisions (digest, sources) VALUES ($1, $2) ON CONFLICT (digest) DO NOTHING)
       INSERT INTO activations (digest, activated_at, signature) VALUES ($1, $3, $4)`,
      [digest, JSON.stringify(sources), activatedAt, signature ? JSON.stringify(signature) : null],
    );
  }

  append(entries: readonly NewEntry[]): Promise<Appended> {
    if (entries.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      this.pending.push({ entries, resolve, reject });
      this.writing ??= this.drain();
    });
  }

  /** Writes pending appends a group at a time until none are left. */
  private async drain(): Promise<void> {
    await this.ready.catch(() => undefined);
    // Let the appends of this turn of the event loop join the first group.
    await new Promise((r) => setImmediate(r));
    while (this.pending.length > 0) {
      const batch = this.pending;
      this.pending = [];
      try {
        await this.ready;
        const appended = await this.insert(batch.flatMap((b) => b.entries));
        let at = 0;
        for (const b of batch) b.resolve(appended.slice(at, (at += b.entries.length)));
      } catch (e) {
        // One entry PostgreSQL refuses must not fail the others of its group: each is tried alone.
        if (batch.length === 1) batch[0]!.reject(e);
        else for (const b of batch) await this.insert(b.entries).then(b.resolve, b.reject);
      }
    }
    this.writing = undefined;
  }

  private insert(entries: readonly NewEntry[]): Promise<Appended> {
    return this.underChainLock((client, last) => this.write(client, last, entries));
  }

  /**
   * Runs `body` in a transaction that holds the chain lock, given the last entry as it was when the
   * lock was taken (`body` may remove it). One simple query begins, locks and reads, in one round trip.
   */
  private async underChainLock<T>(body: (client: pg.PoolClient, last: LastRow | undefined) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      const results = (await client.query(`BEGIN; SELECT pg_advisory_xact_lock(${CHAIN_LOCK}); SELECT seq, hash, logged_ms FROM decisions ORDER BY seq DESC LIMIT 1`)) as unknown as pg.QueryResult[];
      const result = await body(client, results[2]!.rows[0] as LastRow | undefined);
      await client.query('COMMIT');
      return result;
    } catch (e) {
      // A refused entry leaves the connection usable once rolled back; one that cannot roll back is dropped.
      await client.query('ROLLBACK').catch((r: Error) => (broken = r));
      throw e;
    } finally {
      client.release(broken);
    }
  }

  /**
   * Chains the entries on from the last row and inserts them, each month's partition made first, with
   * their idempotency keys (an entry whose key is logged is not); the caller holds the chain lock.
   */
  private async write(client: pg.PoolClient, last: LastRow | undefined, entries: readonly ChainedEntry[]): Promise<Appended> {
    const wanted = keysOf(entries);
    const { rows: known } = wanted.length === 0 ? { rows: [] } : await client.query<{ key: string; seq: string }>('SELECT key, seq FROM idempotency_keys WHERE key = ANY($1::text[])', [wanted]);
    const { write, appended, keys } = withoutRepeats(entries, new Map(known.map((r) => [r.key, Number(r.seq)])), headOf(last).seq + 1);
    const rows = chainEntries(headOf(last), write, last ? Number(last.logged_ms) : 0, this.hasher);
    for (const month of new Set(rows.map((r) => monthStart(r.logged_ms)))) {
      if (!this.partitions.has(month)) await client.query(partitionDdl(month)), this.partitions.add(month);
    }
    const columns = [...CHAIN_COLUMNS.split(', '), 'logged_ms'] as (keyof WrittenRow)[];
    await client.query(
      `INSERT INTO decisions (${columns.join(', ')})
       SELECT * FROM unnest($1::bigint[], $2::integer[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::bigint[])`,
      columns.map((c) => rows.map((r) => r[c])),
    );
    if (keys.length > 0) await client.query('INSERT INTO idempotency_keys (key, seq) SELECT * FROM unnest($1::text[], $2::bigint[])', [keys.map((k) => k[0]), keys.map((k) => k[1])]);
    return appended;
  }

  async retentionCut(before: number): Promise<RetentionCut> {
    await this.ready;
    // Whole partitions only: the cut is where the month of `before` starts.
    const month = monthStart(before);
    const { rows } = await this.pool.query<{ through: string | null }>('SELECT max(seq) AS through FROM decisions WHERE logged_ms < $1', [month]);
    return { through: Number(rows[0]!.through ?? 0), before: month };
  }

  async retain(cut: RetentionCut, statement: ChainedEntry): Promise<void> {
    await this.ready;
    // The statement is chained on from the last entry as it was: the removal may leave none to read.
    await this.underChainLock(async (client, last) => {
      const { rows: parts } = await client.query<{ name: string }>(`SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'decisions'::regclass`);
      for (const { name } of parts) {
        const m = PARTITION_NAME.exec(name);
        const start = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, 1) : undefined;
        if (start !== undefined && nextMonth(start) <= cut.before) {
          await client.query(`DROP TABLE ${name}`);
          this.partitions.delete(start);
        }
      }
      // Entries of the cut outside a dropped month (in the default partition) go too: the log keeps no part of what the retention removed.
      await client.query('DELETE FROM decisions WHERE seq <= $1', [cut.through]);
      await client.query('DELETE FROM idempotency_keys WHERE seq <= $1', [cut.through]);
      await this.write(client, last, [statement]);
    });
  }

  async lastRetention(): Promise<string | undefined> {
    await this.ready;
    const { rows } = await this.pool.query<{ event: string }>(LAST_RETENTION);
    return rows[0]?.event;
  }

  async query(q: LogQuery): Promise<LogEntry[]> {
    return (await this.select<Row>(ENTRY_COLUMNS, q)).map(storedEntry);
  }

  async events(q: LogQuery): Promise<LoggedEvent[]> {
    return (await this.select<Pick<Row, 'seq' | 'event'>>(EVENT_COLUMNS, q)).map(storedEvent);
  }

  private async select<R extends pg.QueryResultRow>(columns: string, q: LogQuery): Promise<R[]> {
    await this.ready;
    const { where, args } = filter(q);
    if (q.after !== undefined) args.push(q.after), where.push(`seq > $${args.length}`);
    args.push(q.limit ?? 1000);
    const sql = `SELECT ${columns} FROM decisions ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq LIMIT $${args.length}`;
    return (await this.pool.query<R>(sql, args)).rows;
  }

  async count(q: LogQuery): Promise<number> {
    await this.ready;
    const { where, args } = filter(q);
    const { rows } = await this.pool.query(`SELECT count(*) AS n FROM decisions ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`, args);
    return Number(rows[0].n);
  }

  async chained(after: number, limit: number): Promise<ChainRow[]> {
    await this.ready;
    return (await this.pool.query<ChainRow>(`SELECT ${CHAIN_COLUMNS} FROM decisions WHERE seq > $1 ORDER BY seq LIMIT $2`, [after, limit])).rows;
  }

  async chainedTuples(after: number, limit: number): Promise<ChainTuple[]> {
    await this.ready;
    // As arrays: no object per row.
    const config: pg.QueryArrayConfig = { text: `SELECT ${CHAIN_COLUMNS} FROM decisions WHERE seq > $1 ORDER BY seq LIMIT $2`, values: [after, limit], rowMode: 'array' };
    return (await this.pool.query(config)).rows as unknown as ChainTuple[];
  }

  async checkpoints(): Promise<StoredCheckpoint[]> {
    await this.ready;
    return (await this.pool.query<CheckpointRow>(`SELECT ${CHECKPOINT_COLUMNS} FROM checkpoints ORDER BY size`)).rows.map(storedCheckpoint);
  }

  async addCheckpoint(c: StoredCheckpoint): Promise<void> {
    await this.ready;
    await this.pool.query(`INSERT INTO checkpoints (${CHECKPOINT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (size) DO NOTHING`, checkpointRow(c));
  }

  async migration(): Promise<Migration | undefined> {
    await this.ready;
    const { rows } = await this.pool.query<{ entries: string; migrated_at: string }>('SELECT entries, migrated_at FROM chain_migration');
    return rows[0] && { entries: Number(rows[0].entries), migratedAt: rows[0].migrated_at };
  }

  async revisions(): Promise<Revision[]> {
    await this.ready;
    return (await this.pool.query<Parameters<typeof revisionOf>[0]>('SELECT digest, activated_at, signature FROM activations ORDER BY id')).rows.map(revisionOf);
  }

  async sources(digest: string): Promise<SourceFile[] | undefined> {
    await this.ready;
    const { rows } = await this.pool.query<{ sources: string }>('SELECT sources FROM revisions WHERE digest = $1', [digest]);
    return rows[0] ? JSON.parse(rows[0].sources) : undefined;
  }

  async ping(): Promise<void> {
    await this.ready;
    await this.pool.query('SELECT 1');
  }

  async close(): Promise<void> {
    await this.writing;
    await this.ready.catch(() => undefined);
    await this.pool.end();
  }
}

/** The WHERE terms of a query's filters (event time, type, ids, shard), numbered $1…; paging is the caller's. */
function filter(q: LogQuery): { where: string[]; args: (string | number | readonly string[])[] } {
  const where: string[] = [];
  const args: (string | number | readonly string[])[] = [];
  const term = (sql: string, arg: string | number | readonly string[]) => (args.push(arg), where.push(sql.replace('?', `$${args.length}`)));
  term('type <> ?', RETENTION_TYPE);
  if (q.from !== undefined) term('occurred_ms >= ?', Date.parse(q.from));
  if (q.to !== undefined) term('occurred_ms <= ?', Date.parse(q.to));
  if (q.type !== undefined) term('type = ?', q.type);
  if (q.eventId !== undefined) term('event_id = ?', q.eventId);
  if (q.eventIds !== undefined) term('event_id = ANY(?::text[])', q.eventIds);
  if (q.shard !== undefined) args.push(q.shard.count, q.shard.index), where.push(`seq % $${args.length - 1} = $${args.length}`);
  return { where, args };
}
