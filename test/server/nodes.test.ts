// Three `tiaoli serve` processes on one PostgreSQL log, under load, one killed with SIGKILL mid-way:
// every acknowledged decision is logged once, the chain verifies, and a revision activated through
// one node is in force on the others within the follow period's bound, each /healthz saying which.
// Then two services in process on one SQLite log: what a node follows, and what it refuses to.
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildBundle, readPolicyDir, SHIPPED_POLICIES } from '../../engine/index.js';
import { generateKeys } from '../../engine/keys.js';
import { openLog } from '../../engine/log/open.js';
import { signRevision } from '../../engine/signed-revision.js';
import { verifyLog } from '../../engine/log/verify.js';
import { BACKENDS } from '../backends.js';
import { serveChild } from '../extension/revision.js';
import { event, shippedPolicy } from '../helpers.js';
import { testService } from './harness.js';

const TOKEN = 'nodes-test-token';
const postgres = BACKENDS.find((b) => b.name === 'postgres')!;
const R2 = readPolicyDir(SHIPPED_POLICIES).map((s) => (s.path === 'live-2016/article-16.tiaoli' ? { ...s, text: s.text.replace('retain content_and_logs for P60D', 'retain content_and_logs for P90D') } : s));
const R2_DIGEST = buildBundle(R2).policy!.digest;

const healthDigest = async (url: string) => ((await (await fetch(`${url}/healthz`)).json()) as { digest: string }).digest;

describe.skipIf(!postgres.available)(`three nodes on one PostgreSQL log${postgres.skipNote}`, () => {
  it('log every acknowledged decision once in one chain through a SIGKILL, and follow a revision activated through one of them', async () => {
    const { location, drop } = await postgres.fresh();
    const nodes = [];
    try {
      for (let i = 0; i < 3; i++) nodes.push(await serveChild({ TIAOLI_LOG_URL: location, TIAOLI_ADMIN_TOKEN: TOKEN, TIAOLI_FOLLOW_SECONDS: '1' }));
      const acknowledged: string[] = [];
      let sent = 0;
      const victim = nodes[2]!;
      // Eight clients per node, each sending decisions one after another; the third node is killed
      // once a third of all requests have been answered, whatever it is doing then.
      const TOTAL = 240;
      const client = async (url: string) => {
        while (sent < TOTAL) {
          const id = `n-${sent++}`;
          try {
            const r = await fetch(`${url}/v1/decisions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(event('interaction.post', { id })) });
            if (r.status === 200) acknowledged.push(id);
          } catch {
            // The killed node's connections fail: those decisions were not acknowledged.
          }
          if (acknowledged.length >= TOTAL / 3 && victim.child.exitCode === null && victim.child.signalCode === null) victim.child.kill('SIGKILL');
        }
      };
      await Promise.all(nodes.flatMap((n) => Array.from({ length: 8 }, () => client(n.url))));
      expect(victim.child.signalCode).toBe('SIGKILL');
      expect(acknowledged.length).toBeGreaterThan(TOTAL / 2);

      const log = openLog(location);
      try {
        const logged = (await log.query({ limit: 1000 })).map((e) => e.eventId);
        // Each acknowledged decision once; what the killed node had not answered may be there or not, once at most.
        expect(logged.filter((id) => acknowledged.includes(id)).sort()).toEqual([...acknowledged].sort());
        expect(new Set(logged).size).toBe(logged.length);
        expect(await verifyLog(log)).toMatchObject({ entries: logged.length, lastSeq: logged.length, problem: undefined });

        const [a, b] = nodes as [(typeof nodes)[0], (typeof nodes)[0]];
        expect(await healthDigest(b.url)).toBe(shippedPolicy().digest);
        const up = await fetch(`${a.url}/v1/admin/policies`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` }, body: JSON.stringify({ files: R2 }) });
        expect(up.status).toBe(200);
        expect(await healthDigest(a.url)).toBe(R2_DIGEST);
        // Bounded: the other node looks every second and builds the revision in a worker; 20 s is the bound, not the expectation.
        const deadline = Date.now() + 20_000;
        while ((await healthDigest(b.url)) !== R2_DIGEST && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
        expect(await healthDigest(b.url)).toBe(R2_DIGEST);
        const after = (await (await fetch(`${b.url}/v1/decisions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(event('content.publish', { id: 'after-r2' })) })).json()) as { policy: { digest: string } };
        expect(after.policy.digest).toBe(R2_DIGEST);
        expect((await log.revisions()).map((r) => r.digest).at(-1)).toBe(R2_DIGEST);
      } finally {
        await log.close();
      }
    } finally {
      for (const n of nodes) await n.stop();
      await drop();
    }
  }, 180_000);
});

describe('a node following the log', () => {
  it('puts in force what another activated, and not what it cannot trust, saying why', async () => {
    const { location } = await BACKENDS[0]!.fresh();
    const sources = readPolicyDir(SHIPPED_POLICIES);
    const logs = [openLog(location), openLog(location)];
    const pair = generateKeys();
    const [a, b] = await Promise.all([
      testService({ policy: shippedPolicy(), sources, log: logs[0]!, adminToken: TOKEN, followSeconds: 1 }),
      // The second requires signed revisions: it follows only what the key signed.
      testService({ policy: shippedPolicy(), sources, log: logs[1]!, adminToken: TOKEN, followSeconds: 1, policyKey: createPublicKey(pair.publicPem) }),
    ]);
    try {
      const health = async (app: typeof a) => (await app.inject({ method: 'GET', url: '/healthz' })).json() as { digest: string; notFollowed?: { digest: string; reason: string } };
      const until = async (app: typeof a, done: (h: Awaited<ReturnType<typeof health>>) => boolean) => {
        const deadline = Date.now() + 20_000;
        while (!done(await health(app)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
        return health(app);
      };
      // Activated unsigned through the first: the second will not follow, and says so.
      expect((await a.inject({ method: 'POST', url: '/v1/admin/policies', headers: { authorization: `Bearer ${TOKEN}` }, payload: { files: R2 } })).statusCode).toBe(200);
      expect(await until(b, (h) => h.notFollowed !== undefined)).toMatchObject({ digest: shippedPolicy().digest, notFollowed: { digest: R2_DIGEST, reason: 'it was activated unsigned' } });
      // Signed, through the second: the first follows it (it needs no key to follow).
      const R3 = R2.map((s) => (s.path === 'live-2016/article-16.tiaoli' ? { ...s, text: s.text.replace('for P90D', 'for P120D') } : s));
      const r3 = buildBundle(R3).policy!.digest;
      const signature = signRevision(r3, 'legal', createPrivateKey(pair.privatePem));
      expect((await b.inject({ method: 'POST', url: '/v1/admin/policies', headers: { authorization: `Bearer ${TOKEN}` }, payload: { files: R3, signature } })).statusCode).toBe(200);
      expect(await until(a, (h) => h.digest === r3)).toEqual(expect.objectContaining({ digest: r3 }));
      expect((await health(b)).notFollowed).toBeUndefined();
    } finally {
      await a.close();
      await b.close();
      for (const log of logs) await log.close();
    }
  }, 120_000);
});
