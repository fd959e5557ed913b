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
  /** A new, empty log location (a file path or a URL to a database of its own), and its clean-up. */
  fresh(): Promise<{ readonly location: string; readonly drop: () => Promise<void> }>;
}

async function reachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch (e) {
    if (process.env['CI'] === 'true') throw new Error(`PostgreSQL is required under CI but ${PG_URL} is unreachable: ${(e as Error).message}`);
    return false;
  }
}

const sqlite: Backend = {
  name: 'sqlite',
  available: true,
  fresh: async () => ({ location: join(mkdtempSync(join(tmpdir(), 'tiaoli-log-')), 'decisions.sqlite'), drop: async () => undefined }),
};

const postgres: Backend = {
  name: 'postgres',
  available: await reachable(),
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
    return { location: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
  },
};

export const BACKENDS: readonly Backend[] = [sqlite, postgres];
