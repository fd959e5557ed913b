// The HTTP conventions of the service, on a real server over real logs: problem details, 405 and
// 415, request ids and the access log, compression, validated bodies, and idempotent decisions
// (concurrent repeats included) on SQLite and PostgreSQL.
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPolicyDir, SHIPPED_POLICIES } from '../../engine/index.js';
import { openLog } from '../../engine/log/open.js';
import { buildService } from '../../engine/server/app.js';
import { BACKENDS } from '../backends.js';
import { event, shippedPolicy } from '../helpers.js';
import { startService } from './harness.js';

const TOKEN = 'http-test-token';
const PROBLEM = 'application/problem+json; charset=utf-8';
const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

describe('HTTP conventions', () => {
  let svc: Awaited<ReturnType<typeof startService>>;
  const lines: Record<string, unknown>[] = [];
  beforeAll(async () => {
    const stream = new PassThrough();
    stream.on('data', (chunk: Buffer) => lines.push(...chunk.toString().trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>)));
    svc = await startService(TOKEN, {}, 0, { logger: { level: 'info', stream } });
  });
  afterAll(() => svc.stop());

  it('answers a wrong method on a known path with 405 and Allow, an unknown path with 404, as problem details', async () => {
    const res = await fetch(`${svc.url}/v1/policies`, { method: 'DELETE' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
    expect(res.headers.get('content-type')).toBe(PROBLEM);
    expect(await res.json()).toMatchObject({ type: 'about:blank', title: 'Method Not Allowed', status: 405, code: 'method_not_allowed', instance: '/v1/policies' });
    const decide = await fetch(`${svc.url}/v1/decisions`);
    expect([decide.status, decide.headers.get('allow')]).toEqual([405, 'POST']);
    expect((await fetch(`${svc.url}/v1/nothing`, { method: 'POST' })).status).toBe(404);
    const malformed = await fetch(`${svc.url}/v1/%zz`);
    expect([malformed.status, malformed.headers.get('content-type')]).toEqual([400, PROBLEM]);
    expect(await malformed.json()).toMatchObject({ status: 400, code: 'bad_request' });
  });

  it('answers a body that is not JSON with 415', async () => {
    const res = await fetch(`${svc.url}/v1/decisions`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify(event('content.publish')) });
    expect(res.status).toBe(415);
    expect(await res.json()).toMatchObject({ status: 415, code: 'unsupported_media_type' });
  });

  it('keeps a sane X-Request-Id, makes one otherwise, returns it on every answer and logs it on every line', async () => {
    const kept = await post(`${svc.url}/v1/decisions`, event('content.publish', { id: 'rid-1' }), { 'x-request-id': 'client-42.a:b' });
    expect([kept.status, kept.headers.get('x-request-id')]).toEqual([200, 'client-42.a:b']);
    const error = await fetch(`${svc.url}/v1/nothing`, { headers: { 'x-request-id': 'client-43' } });
    expect([error.status, error.headers.get('x-request-id')]).toEqual([404, 'client-43']);
    for (const bad of ['has space', 'x'.repeat(129), 'a"b', '{"forged":1}']) {
      const res = await fetch(`${svc.url}/healthz`, { headers: { 'x-request-id': bad } });
      expect(res.headers.get('x-request-id'), bad).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect((await fetch(`${svc.url}/healthz`)).headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const access = lines.find((l) => l['reqId'] === 'client-42.a:b');
    expect(access).toMatchObject({ level: 30, msg: 'request', method: 'POST', url: '/v1/decisions', status: 200 });
    expect(lines.find((l) => l['reqId'] === 'client-43')).toMatchObject({ status: 404 });
    // Every line about a request names it (the server's own, such as where it listens, name none).
    const aboutRequests = lines.filter((l) => !String(l['msg']).startsWith('Server listening'));
    expect(aboutRequests.length).toBeGreaterThan(5);
    expect(aboutRequests.filter((l) => typeof l['reqId'] !== 'string')).toEqual([]);
  });

  it('compresses JSON with brotli or gzip as the client accepts, but not the streamed JSON Lines of an audit', async () => {
    for (const encoding of ['br', 'gzip']) {
      const res = await fetch(`${svc.url}/v1/articles`, { headers: { 'accept-encoding': encoding } });
      expect(res.headers.get('content-encoding')).toBe(encoding);
      expect(Array.isArray(await res.json())).toBe(true);
    }
    const plain = await fetch(`${svc.url}/v1/articles`, { headers: { 'accept-encoding': 'identity' } });
    expect(plain.headers.get('content-encoding')).toBeNull();
    const audit = await fetch(`${svc.url}/v1/replay`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', 'accept-encoding': 'br, gzip' }, body: '{}' });
    expect(audit.headers.get('content-type')).toBe('application/x-ndjson');
    expect(audit.headers.get('content-encoding')).toBeNull();
    await audit.text();
  });

  it('refuses unknown and mistyped fields of an audit body with 400 naming each', async () => {
    const res = await post(`${svc.url}/v1/diff`, { base: 'a', head: 'b', frm: '2019-01-01', flagUnverified: 'yes' }, { authorization: `Bearer ${TOKEN}` });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { errors: unknown[] }).errors).toEqual([
      { path: '/flagUnverified', message: 'must be boolean', in: 'body' },
      { path: '/frm', message: 'is not allowed here', in: 'body' },
    ]);
  });
});

describe.each(BACKENDS)('idempotent decisions on $name$skipNote', (backend) => {
  it.skipIf(!backend.available)('log a repeat once and answer it with the logged decision; another event under the key is 422', async () => {
    const { location, drop } = await backend.fresh();
    const log = openLog(location);
    const times = ['2026-12-01T00:00:00.000Z', '2026-12-01T00:05:00.000Z'];
    let tick = 0;
    const app = await buildService({ policy: shippedPolicy(), sources: readPolicyDir(SHIPPED_POLICIES), log, now: () => new Date(times[Math.min(tick++, 1)]!) });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}/v1/decisions`;
    try {
      const ev = event('content.publish', { id: 'idem-1' });
      const first = await post(url, ev, { 'idempotency-key': 'key-1' });
      expect(first.status).toBe(200);
      const decision = await first.json();
      const again = await post(url, ev, { 'idempotency-key': 'key-1' });
      expect([again.status, again.headers.get('idempotent-replayed')]).toEqual([200, 'true']);
      expect(await again.json()).toEqual(decision);
      expect(await log.count({ eventId: 'idem-1' })).toBe(1);

      const other = await post(url, { ...ev, id: 'idem-2' }, { 'idempotency-key': 'key-1' });
      expect(other.status).toBe(422);
      expect(await other.json()).toMatchObject({ code: 'idempotency_key_reused', status: 422 });
      expect(await log.count({ eventId: 'idem-2' })).toBe(0);

      // Ten concurrent requests with one key: one entry, and every answer is its decision.
      const burst = event('interaction.post', { id: 'idem-burst' });
      const answers = await Promise.all(Array.from({ length: 10 }, () => post(url, burst, { 'idempotency-key': 'key-burst' })));
      expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
      const bodies = await Promise.all(answers.map((a) => a.json()));
      expect(new Set(bodies.map((b) => JSON.stringify(b))).size).toBe(1);
      expect(await log.count({ eventId: 'idem-burst' })).toBe(1);
      // Without a key, the same event is logged each time it is sent.
      await post(url, burst);
      expect(await log.count({ eventId: 'idem-burst' })).toBe(2);

      for (const key of ['', 'has space', 'x'.repeat(256)]) expect((await post(url, ev, { 'idempotency-key': key })).status, JSON.stringify(key)).toBe(400);
    } finally {
      await app.close();
      await log.close();
      await drop();
    }
  });

  it.skipIf(!backend.available)('log repeats once when they come from two processes sharing the log', async () => {
    const { location, drop } = await backend.fresh();
    const [a, b] = [openLog(location), openLog(location)];
    const entry = (key: string) => {
      const ev = event('content.publish', { id: `shared-${key}` });
      return { eventId: ev.id, type: ev.type, occurredAt: ev.occurredAt, decidedAt: '2026-12-01T00:00:00.000Z', digest: 'sha256:x', event: ev, decision: {} as never, idempotencyKey: key };
    };
    try {
      const results = await Promise.all([...Array.from({ length: 5 }, () => a.append([entry('k')])), ...Array.from({ length: 5 }, () => b.append([entry('k')]))]);
      expect(results.filter(([r]) => r === undefined)).toHaveLength(1);
      const seq = results.find(([r]) => r !== undefined)![0];
      expect(results.every(([r]) => r === undefined || r === seq)).toBe(true);
      expect(await a.count({ eventId: 'shared-k' })).toBe(1);
      // Within one append, a key given twice is logged once.
      expect(await a.append([entry('twice'), entry('twice')])).toEqual([undefined, seq! + 1]);
    } finally {
      await a.close();
      await b.close();
      await drop();
    }
  });
});

describe('injected requests', () => {
  it('carry cookies through light-my-request 6.6 on cookie 1.1 (6.8 pulls in cookie 2, which needs Node 22)', async () => {
    const log = openLog(':memory:');
    const app = await buildService({ policy: shippedPolicy(), sources: readPolicyDir(SHIPPED_POLICIES), log });
    const res = await app.inject({ method: 'GET', url: '/healthz', cookies: { session: 'a b;c' } });
    expect(res.statusCode).toBe(200);
    expect(res.raw.req.headers['cookie']).toBe('session=a%20b%3Bc');
    await app.close();
    await log.close();
  });
});
