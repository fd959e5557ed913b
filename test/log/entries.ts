// For the log tests: an entry (an event decided by the shipped policies, as the service logs it), the
// logs a suite opens, and their verification both ways.
import { decide, isDecisionError, type Decision, type Event } from '../../engine/index.js';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterEach, expect } from 'vitest';
import type { DecisionLog, NewEntry } from '../../engine/log/log.js';
import { openLog } from '../../engine/log/open.js';
import { verifyLog, type Verification, type VerifyOptions } from '../../engine/log/verify.js';
import type { Backend } from '../backends.js';
import { shippedPolicy } from '../helpers.js';

export function entryOf(ev: Event, decidedAt = '2024-01-01T00:00:00.000Z'): NewEntry {
  const d = decide(shippedPolicy(), ev);
  if (isDecisionError(d)) throw new Error('invalid test event');
  return { eventId: ev.id, type: ev.type, occurredAt: ev.occurredAt, decidedAt, digest: shippedPolicy().digest, event: ev, decision: d as Decision };
}

/** The logs and databases a suite's tests open: each log closed and each database dropped after its test. */
export function opening(backend: Backend): { readonly open: (location: string) => DecisionLog; readonly fresh: () => Promise<string> } {
  const opened: DecisionLog[] = [];
  const drops: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const log of opened.splice(0)) await log.close();
    for (const drop of drops.splice(0)) await drop();
  });
  return {
    open: (location) => {
      const log = openLog(location);
      opened.push(log);
      return log;
    },
    fresh: async () => {
      const { location, drop } = await backend.fresh();
      drops.push(drop);
      return location;
    },
  };
}

/** Runs SQL on the log's database directly, behind the log's back. */
export async function sql(backend: Backend, location: string, statements: string): Promise<unknown[]> {
  if (backend.name === 'sqlite') {
    const db = new Database(location);
    try {
      const parts = statements.split(';').map((s) => s.trim()).filter(Boolean);
      const last = parts.pop()!;
      for (const s of parts) db.exec(s);
      const stmt = db.prepare(last);
      return stmt.reader ? stmt.all() : (stmt.run(), []);
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: location });
  await client.connect();
  try {
    const r = (await client.query(statements)) as pg.QueryResult | pg.QueryResult[];
    return Array.isArray(r) ? r.at(-1)!.rows : r.rows;
  } finally {
    await client.end();
  }
}

/**
 * The verification of `log` as the CLI runs it (these logs are shorter than a window, so on this
 * thread), and the same answer from windows of two entries checked on two threads of their own.
 */
export async function verified(log: DecisionLog, options: VerifyOptions = {}): Promise<Verification> {
  const v = await verifyLog(log, options);
  expect(await verifyLog(log, { ...options, windows: { size: 2, threads: 2, inThread: 1 } })).toEqual(v);
  return v;
}
