// Retention on each backend: the oldest entries go (whole monthly partitions in PostgreSQL), a
// signed statement of the cut is chained in their place, and the log still verifies, proves and
// signs on; removing entries any other way, or the statement, or altering it, is found.
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateKeys } from '../../engine/keys.js';
import { RETENTION_TYPE, type DecisionLog } from '../../engine/log/log.js';
import { retainLog } from '../../engine/log/retention.js';
import { checkProof, makeCheckpoint, proveEntry } from '../../engine/log/verify.js';
import { BACKENDS, type Backend } from '../backends.js';
import { event } from '../helpers.js';
import { entryOf, opening, sql, verified } from './entries.js';

const keys = generateKeys();
const KEY: KeyObject = createPrivateKey(keys.privatePem);
const PUB: KeyObject = createPublicKey(keys.publicPem);
const OTHER: KeyObject = createPrivateKey(generateKeys().privatePem);

function retentionSuite(backend: Backend) {
  describe.skipIf(!backend.available)(`retention of the ${backend.name} log`, () => {
    const { open, fresh } = opening(backend);
    // PostgreSQL drops whole months: entries logged before the start of February go; SQLite's cut is the moment itself.
    const cutThrough = backend.name === 'postgres' ? 5 : 10;

    /** 13 entries: 5 decided in January 2024, 5 on 15 February, 3 in March; a checkpoint over the first 10. */
    async function written(): Promise<{ location: string; log: DecisionLog }> {
      const location = await fresh();
      const log = open(location);
      const month = (n: number, at: string, from: number) => log.append(Array.from({ length: n }, (_, i) => entryOf(event('interaction.post', { id: `e-${from + i}` }), at)));
      await month(5, '2024-01-10T00:00:00.000Z', 1);
      await month(5, '2024-02-15T00:00:00.000Z', 6);
      expect(await makeCheckpoint(log, KEY, '2024-02-16T00:00:00.000Z')).toMatchObject({ size: 10 });
      await month(3, '2024-03-01T00:00:00.000Z', 11);
      return { location, log };
    }

    const retain = (log: DecisionLog) => retainLog(log, KEY, '2024-02-20T00:00:00.000Z', '2024-04-01T00:00:00.000Z');

    it('removes the oldest entries, chains a signed statement of the cut, and the rest verifies', async () => {
      const { log } = await written();
      const statement = await retain(log);
      expect(statement).toMatchObject({ type: RETENTION_TYPE, removed: cutThrough, cut: { size: cutThrough, seq: cutThrough }, before: backend.name === 'postgres' ? '2024-02-01T00:00:00.000Z' : '2024-02-20T00:00:00.000Z' });
      // Readers of decisions see the entries kept and not the statement; the chain has both.
      expect(await log.count({})).toBe(13 - cutThrough);
      expect((await log.query({})).map((e) => e.eventId)[0]).toBe(`e-${cutThrough + 1}`);
      expect((await log.chained(0, 100)).map((r) => Number(r.seq))).toEqual([...Array.from({ length: 13 - cutThrough }, (_, i) => cutThrough + 1 + i), 14]);
      expect(await verified(log, { key: PUB })).toMatchObject({ entries: 14, lastSeq: 14, problem: undefined, retention: { removed: cutThrough } });
      // Nothing more is old enough: a second run removes nothing.
      expect(await retain(log)).toBeUndefined();
    });

    it('logs an entry decided by a clock behind the last at the last one\'s time, so a cut is always a prefix of the chain', async () => {
      const { log } = await written();
      await log.append([entryOf(event('interaction.post', { id: 'late-clock' }), '2024-01-02T00:00:00.000Z')]);
      await retain(log);
      expect((await log.query({})).map((e) => e.eventId)).toContain('late-clock');
      expect((await verified(log, { key: PUB })).problem).toBeUndefined();
    });

    it('signs on, proves the entries kept against heads signed since, and refuses to prove a removed one', async () => {
      const { log } = await written();
      await retain(log);
      await log.append([entryOf(event('interaction.post', { id: 'after' }), '2024-04-02T00:00:00.000Z')]);
      expect(await makeCheckpoint(log, KEY, '2024-04-03T00:00:00.000Z')).toMatchObject({ size: 15, seq: 15 });
      for (const seq of [cutThrough + 1, 13, 15]) {
        const proof = await proveEntry(log, seq);
        expect(checkProof(proof, { key: PUB })).toMatchObject({ ok: true });
      }
      await expect(proveEntry(log, 2)).rejects.toThrow(/seq 2 was removed by the retention of 2024-04-01/);
      expect(await verified(log, { key: PUB })).toMatchObject({ entries: 15, problem: undefined });
    });

    it('finds the statement removed, altered or forged, and entries removed past it', async () => {
      const tampered = async (statement: string, key: KeyObject | undefined = PUB) => {
        const { location, log } = await written();
        await retain(log);
        await sql(backend, location, statement);
        return (await verified(open(location), { key })).problem;
      };
      expect(await tampered(`DELETE FROM decisions WHERE type = '${RETENTION_TYPE}'`)).toMatchObject({ kind: 'deleted', seq: 1 });
      expect(await tampered(`UPDATE decisions SET event = replace(event, '"removed":${cutThrough}', '"removed":1') WHERE type = '${RETENTION_TYPE}'`)).toMatchObject({ kind: 'altered', seq: 14 });
      expect(await tampered(`DELETE FROM decisions WHERE seq = ${cutThrough + 1}`)).toMatchObject({ kind: 'deleted', seq: cutThrough + 1 });
      // A statement signed by another key: what a writer without the log's key could forge.
      const { location, log } = await written();
      await retainLog(log, OTHER, '2024-02-20T00:00:00.000Z', '2024-04-01T00:00:00.000Z').catch(() => undefined);
      expect((await verified(open(location), { key: PUB })).problem).toMatchObject({ kind: 'checkpoint', message: expect.stringContaining('not signed by key') });
    });

    it('refuses to remove entries that do not verify', async () => {
      const { location, log } = await written();
      await sql(backend, location, `UPDATE decisions SET event = replace(event, 'e-3', 'e-x') WHERE seq = 3`);
      await expect(retain(open(location))).rejects.toThrow(/will not remove entries: seq 3 .* altered/);
      expect(await log.count({})).toBe(13);
    });

    if (backend.name === 'postgres') {
      it('keeps decisions in monthly partitions, and a retention drops the old months whole', async () => {
        const { location, log } = await written();
        const partitions = async () => ((await sql(backend, location, `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'decisions'::regclass ORDER BY 1`)) as { name: string }[]).map((r) => r.name);
        expect(await partitions()).toEqual(['decisions_default', 'decisions_y2024m01', 'decisions_y2024m02', 'decisions_y2024m03']);
        await retain(log);
        expect(await partitions()).toEqual(['decisions_default', 'decisions_y2024m02', 'decisions_y2024m03', 'decisions_y2024m04']);
      });
    }
  });
}

for (const backend of BACKENDS) retentionSuite(backend);
