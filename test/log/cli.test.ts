// `tiaoli keygen`, `tiaoli log …` and the audits' refusal, run as a user runs them (bin/tiaoli.js over
// dist/), on each backend; and `tiaoli serve` signing checkpoints with its key.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { generateKeys } from '../../engine/keys.js';
import { BACKENDS, type Backend } from '../backends.js';
import { serveChild } from '../extension/revision.js';
import { event } from '../helpers.js';

const BIN = new URL('../../bin/tiaoli.js', import.meta.url).pathname;

function tiaoli(args: string[], env: NodeJS.ProcessEnv = {}) {
  const { TIAOLI_LOG_URL: _l, TIAOLI_LOG_KEY: _k, TIAOLI_LOG_PUBLIC_KEY: _p, ...inherited } = process.env;
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...inherited, ...env }, timeout: 30_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

async function edit(backend: Backend, location: string, statement: string): Promise<void> {
  if (backend.name === 'sqlite') {
    const db = new Database(location);
    db.prepare(statement).run();
    db.close();
    return;
  }
  const client = new pg.Client({ connectionString: location });
  await client.connect();
  await client.query(statement);
  await client.end();
}

const dir = mkdtempSync(join(tmpdir(), 'tiaoli-logcli-'));
const keys = join(dir, 'log');
const pair = generateKeys();
writeFileSync(`${keys}.key`, pair.privatePem);
writeFileSync(`${keys}.pub`, pair.publicPem);
const events = join(dir, 'events.jsonl');
writeFileSync(events, Array.from({ length: 5 }, (_, i) => JSON.stringify(event('interaction.post', { id: `c-${i}` }))).join('\n'));

describe('tiaoli keygen', () => {
  it('writes a key pair once and never overwrites it', () => {
    const made = join(dir, 'made');
    expect(tiaoli(['keygen', '--out', made])).toMatchObject({ code: 0, stdout: expect.stringMatching(/^key [0-9a-f]{32}: .*made\.key \(private\)/) });
    expect(readFileSync(`${made}.key`, 'utf8')).toContain('-----BEGIN PRIVATE KEY-----');
    expect(statSync(`${made}.key`).mode & 0o777).toBe(0o600);
    expect(tiaoli(['keygen', '--out', made])).toMatchObject({ code: 2, stderr: expect.stringContaining('EEXIST (an existing key is never overwritten)') });
  });
});

for (const backend of BACKENDS) {
  describe.skipIf(!backend.available)(`tiaoli log on a ${backend.name} log${backend.skipNote}`, () => {
    const drops: (() => Promise<void>)[] = [];
    afterAll(async () => {
      for (const drop of drops) await drop();
    });

    it('verifies, signs, proves offline, and names what was changed; replay refuses the changed log or flags it', async () => {
      const { location, drop } = await backend.fresh();
      drops.push(drop);
      expect(tiaoli(['decide', '--log', location, events]).code).toBe(0);
      expect(tiaoli(['log', 'verify', '--log', location])).toMatchObject({ code: 0, stdout: expect.stringMatching(/^verified: 5 entries \(to seq 5\), every chain hash holds, no checkpoint; root [0-9a-f]{64}\n$/) });
      // The key from the environment, as the service takes it.
      const signed = tiaoli(['log', 'checkpoint', '--log', location], { TIAOLI_LOG_KEY: readFileSync(`${keys}.key`, 'utf8') });
      expect(signed.code).toBe(0);
      expect(JSON.parse(signed.stdout)).toMatchObject({ size: 5, seq: 5 });
      expect(tiaoli(['decide', '--log', location, events]).code).toBe(0);
      expect(tiaoli(['log', 'verify', '--log', location, '--key', `${keys}.pub`]).stdout).toMatch(/^verified: 10 entries \(to seq 10\), every chain hash holds, 1 checkpoint\(s\) match, signed by key [0-9a-f]{32};/);
      expect(tiaoli(['log', 'verify', '--log', location]).stdout).toContain('their signatures not checked (give --key PUB)');

      const head = join(dir, `${backend.name}-head.json`);
      writeFileSync(head, tiaoli(['log', 'checkpoints', '--log', location]).stdout);
      const proof = join(dir, `${backend.name}-proof.json`);
      const proved = tiaoli(['log', 'prove', '3', '--log', location]);
      expect(proved.code).toBe(0);
      writeFileSync(proof, proved.stdout);
      // Offline: no log named, only the proof and what the checker trusts.
      expect(tiaoli(['log', 'check-proof', proof, '--key', `${keys}.pub`])).toMatchObject({ code: 0, stdout: expect.stringContaining('seq 3 (event "c-2") is entry 3 of the 5') });
      expect(tiaoli(['log', 'check-proof', proof, '--head', head]).code).toBe(0);
      expect(tiaoli(['log', 'check-proof', proof])).toMatchObject({ code: 1, stderr: expect.stringContaining('nothing to check the proof against') });
      const forged = JSON.parse(proved.stdout);
      forged.entry.decision = forged.entry.decision.replace('"allowed":true', '"allowed":false');
      writeFileSync(proof, JSON.stringify(forged));
      expect(tiaoli(['log', 'check-proof', proof, '--key', `${keys}.pub`])).toMatchObject({ code: 1, stderr: expect.stringContaining('the proof does not hold') });
      expect(tiaoli(['log', 'prove', '7', '--log', location])).toMatchObject({ code: 2, stderr: expect.stringContaining('seq 7 is after the checkpoint of size 5') });

      expect(tiaoli(['replay', '--log', location]).code).toBe(0);
      await edit(backend, location, `UPDATE decisions SET decision = replace(decision, '"allowed":true', '"allowed":false') WHERE seq = 7`);
      expect(tiaoli(['log', 'verify', '--log', location, '--key', `${keys}.pub`])).toMatchObject({ code: 1, stdout: expect.stringContaining('seq 7 (event "c-1") does not give its stored chain hash: altered') });
      expect(tiaoli(['replay', '--log', location])).toMatchObject({ code: 2, stdout: '', stderr: expect.stringMatching(/^tiaoli replay: the decision log does not verify: seq 7 .*--flag-unverified audits it anyway/) });
      expect(tiaoli(['diff', '--log', location, '--base', 'policies', '--head', 'policies']).code).toBe(2);
      const flagged = tiaoli(['replay', '--log', location, '--flag-unverified']);
      expect(flagged.code).toBe(1);
      const lines = flagged.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
      expect(lines[0]).toMatchObject({ seq: 7, error: { code: 'log_unverified' } });
      // And the replay itself finds the edited decision.
      expect(lines.find((l) => l.seq === 7 && l.changes)).toMatchObject({ eventId: 'c-1', changes: [{ field: 'allowed' }] });
      // Some twenty processes, each a second or more on a loaded machine: a bound of its own.
    }, 150_000);

    it('retains: removes what is older, signed, and the log still verifies from the cut', async () => {
      const { location, drop } = await backend.fresh();
      drops.push(drop);
      expect(tiaoli(['decide', '--log', location, events]).code).toBe(0);
      const key = { TIAOLI_LOG_KEY: readFileSync(`${keys}.key`, 'utf8') };
      expect(tiaoli(['log', 'retain', '--log', location, '--older-than', 'P1D'])).toMatchObject({ code: 2, stderr: expect.stringContaining('give the signing key') });
      expect(tiaoli(['log', 'retain', '--log', location, '--older-than', 'P6X'], key)).toMatchObject({ code: 2, stderr: expect.stringContaining('--older-than P6X is not a period') });
      expect(tiaoli(['log', 'retain', '--log', location], key)).toMatchObject({ code: 2, stderr: expect.stringContaining('give one of --older-than PERIOD') });
      // Decided just now: nothing is a day old.
      expect(tiaoli(['log', 'retain', '--log', location, '--older-than', 'P1D'], key)).toMatchObject({ code: 0, stdout: '', stderr: expect.stringContaining('no entry logged before') });
      const retained = tiaoli(['log', 'retain', '--log', location, '--before', '2099-01-01'], key);
      expect(retained.code).toBe(0);
      expect(JSON.parse(retained.stdout)).toMatchObject({ removed: 5, through: 5 });
      expect(tiaoli(['log', 'verify', '--log', location, '--key', `${keys}.pub`])).toMatchObject({ code: 0, stdout: expect.stringMatching(/^verified: 6 entries \(to seq 6\).*entries to seq 5 were removed by the retention of /) });
      expect(tiaoli(['replay', '--log', location]).stdout).not.toContain('tiaoli.retention');
    }, 60_000);
  });
}

describe('tiaoli serve with a log key', () => {
  it('says so at start and signs a checkpoint over what it logged when it stops', async () => {
    const log = join(mkdtempSync(join(tmpdir(), 'tiaoli-serve-key-')), 'decisions.sqlite');
    const served = await serveChild({ TIAOLI_LOG_URL: log, TIAOLI_LOG_KEY: `${keys}.key` });
    try {
      expect(served.output()).toMatch(/Log checkpoints are signed every 60 s with key [0-9a-f]{32}\./);
      for (let i = 0; i < 3; i++) expect((await fetch(`${served.url}/v1/decisions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(event('feature.launch', { id: `s-${i}` })) })).status).toBe(200);
    } finally {
      await served.stop();
    }
    expect(JSON.parse(tiaoli(['log', 'checkpoints', '--log', log]).stdout)).toMatchObject({ size: 3, seq: 3 });
    expect(tiaoli(['log', 'verify', '--log', log, '--key', `${keys}.pub`]).code).toBe(0);
    const unsigned = await serveChild({ TIAOLI_LOG_URL: log });
    await unsigned.stop();
    expect(unsigned.output()).toContain('Log checkpoints are off');
    const refused = tiaoli(['serve'], { TIAOLI_LOG_URL: log, PORT: '0', TIAOLI_LOG_KEY: join(dir, 'no-such.key') });
    expect(refused).toMatchObject({ code: 2, stderr: expect.stringContaining('tiaoli serve: TIAOLI_LOG_KEY: cannot read the private key') });
  });
});
