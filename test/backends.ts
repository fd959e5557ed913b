// The decision-log backends every log and audit test runs against: real SQLite files and a real
// PostgreSQL server. PostgreSQL tests run when a server is reachable (TIAOLI_TEST_PG_URL, or the
// role and database .ci/run creates) and skip otherwise; under CI=true an unreachable server fails.
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export const PG_URL = process.env['TIAOLI_TEST_PG_URL'] ?? 'postgres://tiaoli:tiaoli@127.0.0.1:5432/tiaoli';

export interface Backend {
  readonly name: 'sqlite' | 'postgres';
  readonly available: boolean;
  /** For a suite's title: empty where the backend runs, else why its suites are skipped here. */
  readonly skipNote: string;
  /** A new, empty log location (a file path or a URL to a database of its own), and its clean-up. */
  fresh(): Promise<{ readonly location: string; readonly drop: () => Promise<void> }>;
}

/** Undefined when the server answers, else why not. */
async function unreachable(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.end();
    return undefined;
  } catch (e) {
    if (process.env['CI'] === 'true') throw new Error(`PostgreSQL is required under CI but ${PG_URL} is unreachable: ${(e as Error).message}`);
    return `${(e as Error).message || (e as Error).name}`;
  }
}
const pgProblem = await unreachable();

const sqlite: Backend = {
  name: 'sqlite',
  available: true,
  skipNote: '',
  fresh: async () => ({ location: join(mkdtempSync(join(tmpdir(), 'tiaoli-log-')), 'decisions.sqlite'), drop: async () => undefined }),
};

const postgres: Backend = {
  name: 'postgres',
  available: pgProblem === undefined,
  skipNote: pgProblem === undefined ? '' : ` (skipped: PostgreSQL at ${new URL(PG_URL).host} is unreachable, ${pgProblem}; set TIAOLI_TEST_PG_URL)`,
  async fresh() {
    const name = `tiaoli_test_${randomBytes(6).toString('hex')}`;
    const admin = async (sql: string) => {
      const client = new pg.Client({ connectionString: PG_URL });
      await client.connect();
      try {
        await client.query(sql);
      } finally {
        await client.end();
      }
    };
    await admin(`CREATE DATABASE ${name}`);
    const url = new URL(PG_URL);
    url.pathname = `/${name}`;
    const drop = async () => {
      try {
        // FORCE ends the connections a test left open (a log it did not close, a killed node's).
        await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } catch (e) {
        // An autovacuum worker in the database, which only a superuser may terminate (42501): a plain
        // DROP stops it itself, once the test's own connections are gone.
        if ((e as { code?: string }).code !== '42501') throw e;
        await admin(`DROP DATABASE IF EXISTS ${name}`);
      }
    };
    return { location: url.toString(), drop };
  },
};

export const BACKENDS: readonly Backend[] = [sqlite, postgres];
