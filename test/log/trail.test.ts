// The tamper-evident log on each backend: a real log is written, checkpointed and then tampered with
// through the database itself, the way someone with write access to it would; verification must
// name the entry. Also: concurrent writers keep one chain, and an older log migrates.
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateKeys, keyId } from '../../engine/keys.js';
import { rechain } from '../../engine/log/chain.js';
import type { DecisionLog } from '../../engine/log/log.js';
import { openLog } from '../../engine/log/open.js';
import { checkProof, makeCheckpoint, proveEntry, verifyLog } from '../../engine/log/verify.js';
import { BACKENDS, type Backend } from '../backends.js';
import { readPolicyDir, SHIPPED_POLICIES } from '../../engine/index.js';
import { event, shippedPolicy } from '../helpers.js';
import { entryOf, opening, sql, verified } from './entries.js';
import { testService } from '../server/harness.js';

const keys = generateKeys();
const KEY: KeyObject = createPrivateKey(keys.privatePem);
const PUB: KeyObject = createPublicKey(keys.publicPem);
const OTHER: KeyObject = createPrivateKey(generateKeys().privatePem);

const COLUMNS = 'format, event_id, type, occurred_at, occurred_ms, decided_at, digest, event, decision, hash';

function trailSuite(backend: Backend) {
  describe.skipIf(!backend.available)(`the ${backend.name} log's chain and checkpoints${backend.skipNote}`, () => {
    const { open, fresh } = opening(backend);

    /** A log of 12 entries (seq 1–12), with a checkpoint signed by KEY over the first 10. */
    async function written(): Promise<{ location: string; log: DecisionLog }> {
      const location = await fresh();
      const log = open(location);
      for (let i = 1; i <= 10; i += 5) await log.append(Array.from({ length: 5 }, (_, j) => entryOf(event('interaction.post', { id: `e-${i + j}` }))));
      expect(await makeCheckpoint(log, KEY, '2024-01-01T00:00:00.000Z')).toMatchObject({ size: 10, seq: 10, keyId: keyId(PUB) });
      await Promise.all([11, 12].map((i) => log.append([entryOf(event('interaction.post', { id: `e-${i}` }))])));
      return { location, log };
    }

    /** The first problem verification finds once `statements` have run, with the key unless 'no key'. */
    const tampered = async (statements: string, key: KeyObject | 'no key' = PUB) => {
      const { location } = await written();
      await sql(backend, location, statements);
      return (await verified(open(location), key === 'no key' ? {} : { key })).problem;
    };

    it('verifies an untouched log, with its checkpoint signed by the key', async () => {
      const { log } = await written();
      const v = await verified(log, { key: PUB });
      expect(v).toMatchObject({ entries: 12, lastSeq: 12, checkpoints: 1, signedBy: keyId(PUB), migration: undefined, problem: undefined });
      // Nothing new: no second checkpoint; two more entries: one of size 12, read on from the first.
      expect(await makeCheckpoint(log, KEY, '2024-01-02T00:00:00.000Z')).toMatchObject({ size: 12, root: v.root });
      expect(await makeCheckpoint(log, KEY, '2024-01-03T00:00:00.000Z')).toBeUndefined();
      expect((await log.checkpoints()).map((c) => c.size)).toEqual([10, 12]);
    });

    it('names an edited decision', async () => {
      expect(await tampered(`UPDATE decisions SET decision = '{"allowed":false}' WHERE seq = 4`)).toMatchObject({ kind: 'altered', seq: 4, message: expect.stringContaining('seq 4 (event "e-4")') });
    });

    it('names a deleted entry', async () => {
      expect(await tampered('DELETE FROM decisions WHERE seq = 6')).toMatchObject({ kind: 'deleted', seq: 6, message: expect.stringMatching(/^seq 6 missing: seq 5 is followed by seq 7/) });
    });

    it('names an inserted entry, the rest renumbered to make room', async () => {
      const problem = await tampered(
        `UPDATE decisions SET seq = seq + 1000 WHERE seq >= 5;
         UPDATE decisions SET seq = seq - 999 WHERE seq >= 1000;
         INSERT INTO decisions (seq, ${COLUMNS}) SELECT 5, format, 'forged', type, occurred_at, occurred_ms, decided_at, digest, event, decision, hash FROM decisions WHERE seq = 2`,
      );
      expect(problem).toMatchObject({ kind: 'inserted', seq: 5, message: expect.stringContaining('seq 5 (event "forged")') });
    });

    it('names two entries that changed places', async () => {
      const problem = await tampered('UPDATE decisions SET seq = -5 WHERE seq = 5; UPDATE decisions SET seq = 5 WHERE seq = 6; UPDATE decisions SET seq = 6 WHERE seq = -5');
      expect(problem).toMatchObject({ kind: 'moved', seq: 5, message: expect.stringContaining('seq 5 (event "e-6") and seq 6 (event "e-5") changed places') });
    });

    it('finds the tail cut off below a checkpoint', async () => {
      expect(await tampered('DELETE FROM decisions WHERE seq > 8')).toMatchObject({ kind: 'deleted', seq: 9, message: expect.stringContaining('the log ends at seq 8 (8 entries), but the stored checkpoint of 2024-01-01T00:00:00.000Z signs 10 entries') });
    });

    it('finds a replaced checkpoint: by its signature with the key, by its root without', async () => {
      const forge = `UPDATE checkpoints SET root = '${'ab'.repeat(32)}'`;
      expect(await tampered(forge)).toMatchObject({ kind: 'checkpoint', seq: 10, message: expect.stringContaining(`is not signed by key ${keyId(PUB)}`) });
      expect(await tampered(forge, 'no key')).toMatchObject({ kind: 'checkpoint', message: expect.stringContaining('does not match the entries up to seq 10') });
    });

    it('finds entries rewritten with every hash recomputed, by the checkpoint that signed them', async () => {
      const { location, log } = await written();
      const rows = await log.chained(0, 100);
      // Entry 4 edited and the chain recomputed from it on: the chain alone holds.
      const forged = rechain(Buffer.from(rows[2]!.hash, 'hex'), rows.slice(3).map((r, i) => (i === 0 ? { ...r, decision: '{"allowed":false}' } : r)));
      await sql(backend, location, forged.map((r) => `UPDATE decisions SET decision = '${r.decision}', hash = '${r.hash}' WHERE seq = ${r.seq}`).join(';\n'));
      expect(await verified(open(location), { key: PUB })).toMatchObject({ problem: { kind: 'checkpoint', seq: 10, message: expect.stringContaining('entries up to it were rewritten') } });
      // A checkpointer will not sign on from a checkpoint that the entries no longer match.
      await expect(makeCheckpoint(open(location), KEY, '2024-02-01T00:00:00.000Z')).rejects.toThrow(/will not sign a checkpoint: the last stored one \(size 10, .*\) does not match the entry at seq 10/);
    });

    it('refuses to sign on from a checkpoint signed by another key', async () => {
      const { log } = await written();
      await expect(makeCheckpoint(log, OTHER, '2024-02-01T00:00:00.000Z')).rejects.toThrow(`is not signed by key ${keyId(OTHER)}`);
      expect((await verified(log, { key: createPublicKey(OTHER) })).problem).toMatchObject({ kind: 'checkpoint', message: expect.stringContaining(`(it names key ${keyId(PUB)})`) });
    });

    it('proves an entry against the signed tree head, and the proof fails for anything else', async () => {
      const { log } = await written();
      const proof = await proveEntry(log, 7);
      expect(proof).toMatchObject({ index: 6, head: { size: 10, seq: 10 }, entry: { event_id: 'e-7' } });
      expect(checkProof(proof, { key: PUB })).toMatchObject({ ok: true, message: expect.stringContaining('seq 7 (event "e-7") is entry 7 of the 10') });
      expect(checkProof(proof, { head: proof.head }).ok).toBe(true);
      expect(checkProof({ ...proof, entry: { ...proof.entry, decision: '{"allowed":false}' } }, { key: PUB })).toMatchObject({ ok: false, message: expect.stringContaining('does not hold') });
      expect(checkProof(proof, { key: createPublicKey(OTHER) })).toMatchObject({ ok: false, message: expect.stringContaining('not signed by key') });
      expect(checkProof(proof, {})).toMatchObject({ ok: false, message: expect.stringContaining('give the log key') });
      await expect(proveEntry(log, 11)).rejects.toThrow(/seq 11 is after the checkpoint of size 10, which ends at seq 10/);
    });

    it('keeps one chain while several instances write at once', async () => {
      const location = await fresh();
      const writers = Array.from({ length: 3 }, () => open(location));
      await Promise.all(writers.flatMap((w, n) => Array.from({ length: 20 }, (_, i) => w.append([entryOf(event('feature.launch', { id: `w${n}-${i}` }))]))));
      expect(await verified(open(location))).toMatchObject({ entries: 60, lastSeq: 60, problem: undefined });
    });

    it('migrates an older log: the chain built over its entries in seq order, marked as migrated', async () => {
      const location = await fresh();
      const log = openLog(location);
      await log.append(Array.from({ length: 6 }, (_, i) => entryOf(event('interaction.post', { id: `old-${i}` }))));
      await log.close();
      // Back to the schema of the first release: no chain, entries of format 1, a gap in seq.
      await sql(
        backend,
        location,
        backend.name === 'sqlite'
          ? 'DELETE FROM decisions WHERE seq = 3; UPDATE decisions SET format = 1; DROP TABLE checkpoints; DROP TABLE chain_migration; DROP TABLE idempotency_keys; ALTER TABLE decisions DROP COLUMN hash; ALTER TABLE decisions DROP COLUMN logged_ms; ALTER TABLE activations DROP COLUMN signature; DROP INDEX decisions_retentions; PRAGMA user_version = 1'
          : // The first release's table was not partitioned: rebuilt as it was, with its entries.
            `CREATE TABLE first_release AS SELECT seq, format, event_id, type, occurred_at, occurred_ms, decided_at, digest, event, decision FROM decisions WHERE seq <> 3;
             DROP TABLE decisions;
             CREATE TABLE decisions (seq bigserial PRIMARY KEY, format integer NOT NULL, event_id text NOT NULL, type text NOT NULL, occurred_at text NOT NULL, occurred_ms bigint NOT NULL,
               decided_at text NOT NULL, digest text NOT NULL, event text NOT NULL, decision text NOT NULL);
             CREATE INDEX decisions_by_time ON decisions (occurred_ms); CREATE INDEX decisions_by_event ON decisions (event_id);
             INSERT INTO decisions SELECT * FROM first_release; DROP TABLE first_release; SELECT setval('decisions_seq_seq', 6);
             UPDATE decisions SET format = 1; DROP TABLE checkpoints; DROP TABLE chain_migration; DROP TABLE idempotency_keys; ALTER TABLE activations DROP COLUMN signature; DELETE FROM tiaoli_migrations WHERE version > 1`,
      );
      const migrated = open(location);
      await migrated.append([entryOf(event('interaction.post', { id: 'new-0' }))]);
      const v = await verified(migrated);
      expect(v).toMatchObject({ entries: 6, lastSeq: 7, problem: undefined, migration: { entries: 5 } });
      expect((await migrated.chained(0, 10)).map((r) => [Number(r.seq), Number(r.format)])).toEqual([[1, 1], [2, 1], [4, 1], [5, 1], [6, 1], [7, 2]]);
      // None of the migrated format may be slipped in after chained ones; and the chain holds the migrated entries from then on.
      await sql(backend, location, `INSERT INTO decisions (seq, ${COLUMNS}) SELECT 8, 1, 'late', type, occurred_at, occurred_ms, decided_at, digest, event, decision, hash FROM decisions WHERE seq = 7`);
      expect((await verified(open(location))).problem).toMatchObject({ kind: 'inserted', seq: 8, message: expect.stringContaining('yet follows chained ones') });
      await sql(backend, location, `UPDATE decisions SET event = '{}' WHERE seq = 2`);
      expect((await verified(open(location))).problem).toMatchObject({ kind: 'altered', seq: 2 });
    });
  });
}

for (const backend of BACKENDS) trailSuite(backend);

describe('the service audits a log that does not verify', () => {
  it('refuses POST /v1/replay and /v1/diff with 409, or flags the problem when asked', async () => {
    const { location } = await BACKENDS[0]!.fresh();
    const log = openLog(location);
    await log.append(Array.from({ length: 4 }, (_, i) => entryOf(event('interaction.post', { id: `h-${i}` }))));
    await log.activate(shippedPolicy().digest, readPolicyDir(SHIPPED_POLICIES), '2020-01-01T00:00:00.000Z');
    const app = await testService({ policy: shippedPolicy(), sources: readPolicyDir(SHIPPED_POLICIES), log, adminToken: 't', logPublicKey: PUB });
    try {
      const post = (url: string, payload: object) => app.inject({ method: 'POST', url, headers: { authorization: 'Bearer t' }, payload });
      expect((await post('/v1/replay', {})).statusCode).toBe(200);
      await sql(BACKENDS[0]!, location, 'DELETE FROM decisions WHERE seq = 2');
      const refused = await post('/v1/replay', {});
      expect(refused.statusCode).toBe(409);
      expect(refused.json()).toMatchObject({ code: 'log_unverified', detail: expect.stringContaining('seq 2 missing') });
      expect((await post('/v1/diff', { base: shippedPolicy().digest, head: shippedPolicy().digest })).statusCode).toBe(409);
      const flagged = await post('/v1/replay', { flagUnverified: true });
      expect(flagged.statusCode).toBe(200);
      const lines = flagged.body.trimEnd().split('\n').map((l) => JSON.parse(l));
      expect(lines[0]).toMatchObject({ seq: 2, error: { code: 'log_unverified' } });
      expect(lines.at(-1).summary).toMatchObject({ same: 3, errors: 1 });
    } finally {
      await app.close();
      await log.close();
    }
  });
});
