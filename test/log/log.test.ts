// The DecisionLog contract, one suite run against each backend: real SQLite files and a real
// PostgreSQL database of its own per test.
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { closeSync, mkdtempSync, openSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { readPolicyDir, SHIPPED_POLICIES } from '../../engine/index.js';
import { entries, loggedEvents, type DecisionLog } from '../../engine/log/log.js';
import { openLog } from '../../engine/log/open.js';
import { SqliteLog } from '../../engine/log/sqlite.js';
import { BACKENDS, type Backend } from '../backends.js';
import { event, shippedPolicy } from '../helpers.js';
import { entryOf, opening } from './entries.js';

const sources = readPolicyDir(SHIPPED_POLICIES);

function logSuite(backend: Backend) {
  describe.skipIf(!backend.available)(`the ${backend.name} decision log${backend.skipNote}`, () => {
    const { open, fresh } = opening(backend);

    it('migrates a new log once, however many instances start together, and keeps it on reopening', async () => {
      const location = await fresh();
      const logs = Array.from({ length: 4 }, () => open(location));
      await Promise.all(logs.map((l, i) => l.append([entryOf(event('interaction.post', { id: `start-${i}` }))])));
      const reopened = open(location);
      expect((await reopened.query({})).map((e) => e.eventId).sort()).toEqual(['start-0', 'start-1', 'start-2', 'start-3']);
    });

    it('stores each revision once, and every activation in order', async () => {
      const log = open(await fresh());
      await log.activate('sha256:a', sources, '2024-01-01T00:00:00.000Z');
      await log.activate('sha256:b', sources.slice(0, 2), '2024-02-01T00:00:00.000Z');
      await log.activate('sha256:a', [], '2024-03-01T00:00:00.000Z');
      expect(await log.revisions()).toEqual([
        { digest: 'sha256:a', activatedAt: '2024-01-01T00:00:00.000Z' },
        { digest: 'sha256:b', activatedAt: '2024-02-01T00:00:00.000Z' },
        { digest: 'sha256:a', activatedAt: '2024-03-01T00:00:00.000Z' },
      ]);
      expect(await log.sources('sha256:a')).toEqual(sources);
      expect(await log.sources('sha256:b')).toEqual(sources.slice(0, 2));
      expect(await log.sources('sha256:none')).toBeUndefined();
    });

    it('gives back every entry byte for byte, in order, and filters by time, type and ids', async () => {
      const log = open(await fresh());
      const evs = [
        event('content.publish', { id: 'q1', occurredAt: '2019-03-05T00:10:00+08:00' }),
        event('record.delete', { id: 'q2', occurredAt: '2019-03-05T23:30:00+08:00' }),
        event('interaction.post', { id: 'q3', occurredAt: '2019-03-06T08:00:00+08:00' }),
        event('record.delete', { id: 'q4', occurredAt: '2019-03-04T16:00:00Z' }),
      ];
      // Concurrent appends share a write and keep their order.
      await Promise.all(evs.map((e) => log.append([entryOf(e)])));
      const all = await log.query({});
      expect(all.map((e) => e.eventId)).toEqual(['q1', 'q2', 'q3', 'q4']);
      expect(all.map((e) => JSON.stringify(e.decision))).toEqual(evs.map((e) => JSON.stringify(entryOf(e).decision)));
      expect(all[0]).toMatchObject({ type: 'content.publish', occurredAt: '2019-03-05T00:10:00+08:00', digest: shippedPolicy().digest, event: evs[0] });
      const day = { from: '2019-03-05T00:00:00.000+08:00', to: '2019-03-05T23:59:59.999+08:00' };
      expect((await log.query(day)).map((e) => e.eventId)).toEqual(['q1', 'q2', 'q4']);
      expect((await log.query({ ...day, type: 'record.delete' })).map((e) => e.eventId)).toEqual(['q2', 'q4']);
      expect((await log.query({ eventIds: ['q3', 'q1', 'none'] })).map((e) => e.eventId)).toEqual(['q1', 'q3']);
      expect((await log.query({ eventId: 'q2' })).map((e) => e.eventId)).toEqual(['q2']);
      expect((await log.query({ after: all[1]!.seq, limit: 1 })).map((e) => e.eventId)).toEqual(['q3']);
      expect(await log.count(day)).toBe(3);
      expect(await log.count({ after: 1, limit: 1 })).toBe(4);
    });

    it.skipIf(backend.name !== 'postgres')('goes on when the server ends its idle connections (a restart, an administrator; PostgreSQL only: SQLite has no server)', async () => {
      const location = await fresh();
      const log = open(location);
      await log.append([entryOf(event('feature.launch', { id: 'before' }))]);
      const pool = (log as unknown as { pool: pg.Pool }).pool;
      expect(pool.totalCount).toBeGreaterThan(0);
      const admin = new pg.Client({ connectionString: location });
      await admin.connect();
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
      await admin.end();
      // The pool hears of it when the server's message arrives, and drops each connection it ended;
      // nothing may end the process meanwhile.
      while (pool.totalCount > 0) await once(pool, 'remove');
      await log.append([entryOf(event('feature.launch', { id: 'after' }))]);
      expect((await log.query({})).map((e) => e.eventId)).toEqual(['before', 'after']);
    });

    it('streams entries page by page in seq order, across instances writing at once', async () => {
      const location = await fresh();
      const [a, b] = [open(location), open(location)];
      const write = (log: DecisionLog, prefix: string) => Promise.all(Array.from({ length: 25 }, (_, i) => log.append([entryOf(event('feature.launch', { id: `${prefix}-${i}` }))])));
      await Promise.all([write(a, 'a'), write(b, 'b')]);
      const seen: { seq: number; eventId: string }[] = [];
      for await (const e of entries(open(location), {}, 7)) seen.push(e);
      expect(seen).toHaveLength(50);
      expect(seen.map((e) => e.seq)).toEqual([...seen.map((e) => e.seq)].sort((x, y) => x - y));
      expect(new Set(seen.map((e) => e.eventId)).size).toBe(50);
      // A diff reads the events alone: the same ones, in the same order.
      const events: { seq: number; id: string }[] = [];
      for await (const e of loggedEvents(a, {}, 3)) events.push({ seq: e.seq, id: e.event.id });
      expect(events).toEqual(seen.map((e) => ({ seq: e.seq, id: e.eventId })));
      const filtered: string[] = [];
      for await (const e of entries(a, { eventIds: ['a-3', 'b-4'] }, 1)) filtered.push(e.eventId);
      expect(filtered.sort()).toEqual(['a-3', 'b-4']);
    });

    it('fails only the append whose entry the database refuses, not the others written with it', async () => {
      const log = open(await fresh());
      const good = Array.from({ length: 6 }, (_, i) => entryOf(event('interaction.post', { id: `good-${i}` })));
      // A missing event id breaks NOT NULL on both backends: a refusal by the database itself.
      const refused = { ...entryOf(event('interaction.post', { id: 'refused' })), eventId: undefined as unknown as string };
      // Appended in one turn, so that both backends group them into one write.
      const results = await Promise.allSettled([...good.slice(0, 3), refused, ...good.slice(3)].map((e) => log.append([e])));
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled']);
      expect((await log.query({})).map((e) => e.eventId)).toEqual(good.map((e) => e.eventId));
    });

    it('answers a ping while it takes writes, and refuses one once closed', async () => {
      const log = openLog(await fresh());
      await log.ping();
      await log.close();
      await expect(log.ping()).rejects.toThrow();
    });
  });
}

for (const backend of BACKENDS) logSuite(backend);

describe('a damaged SQLite log', () => {
  it('is refused at start, naming the file, rather than found out by an audit', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'tiaoli-damaged-')), 'decisions.sqlite');
    const log = new SqliteLog(file);
    for (let i = 0; i < 20; i++) await log.append(Array.from({ length: 50 }, (_, j) => entryOf(event('interaction.post', { id: `d-${i}-${j}` }))));
    await log.close();
    const { size } = statSync(file);
    expect(size).toBeGreaterThan(64 * 1024);
    // Pages in the middle of the file overwritten, as a bad disk or a torn copy leaves them.
    const fd = openSync(file, 'r+');
    writeSync(fd, randomBytes(8192), 0, 8192, Math.floor(size / 2 / 4096) * 4096);
    closeSync(fd);
    expect(() => new SqliteLog(file, { verify: true })).toThrow(/decisions\.sqlite is damaged/);
  });
});
