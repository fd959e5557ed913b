// The HTTP service against real parts: a real server on an ephemeral port, real HTTP requests, a
// real SQLite log file in a temporary directory.
import SwaggerParser from '@apidevtools/swagger-parser';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decide, readPolicyDir, SHIPPED_POLICIES, type Decision } from '../../engine/index.js';
import { SqliteLog } from '../../engine/log/sqlite.js';
import { event, shippedPolicy, shippedEventTypes } from '../helpers.js';
import { testService } from './harness.js';

const EVENT_TYPES = shippedEventTypes();

const TOKEN = 'test-admin-token';
const sources = readPolicyDir(SHIPPED_POLICIES);

async function start(file: string, adminToken: string | null = TOKEN) {
  const log = new SqliteLog(file);
  await log.activate(shippedPolicy().digest, sources, new Date().toISOString());
  const app = await testService({ policy: shippedPolicy(), sources, log, adminToken: adminToken ?? undefined });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as { port: number }).port;
  return { app, log, url: `http://127.0.0.1:${port}` };
}

/** A response body as JSON; the tests know its shape. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const read = async (res: Response): Promise<any> => res.json();
const json = (body: unknown) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const admin = (init: RequestInit = {}) => ({ ...init, headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${TOKEN}` } });

/** A log file of its own, in a fresh directory. */
const freshFile = (name = 'decisions.sqlite') => join(mkdtempSync(join(tmpdir(), 'tiaoli-svc-')), name);

// One service shared by the tests that leave its revision and its log as they found them (they only
// add decisions, each under ids of its own), so they pass in any order; a test that swaps the
// revision, restarts or counts metrics has a service of its own.
describe('the service', () => {
  let app: FastifyInstance;
  let log: SqliteLog;
  let url: string;

  beforeAll(async () => {
    ({ app, log, url } = await start(freshFile()));
  });
  afterAll(async () => {
    await app.close();
    await log.close();
  });

  it('decides one event exactly as the library does, and logs it before answering', async () => {
    const ev = event('content.publish', { content: { category: 'news' } });
    const res = await fetch(`${url}/v1/decisions`, json(ev));
    expect(res.status).toBe(200);
    const body = await read(res);
    expect(body).toEqual(decide(shippedPolicy(), ev));
    const [entry] = await log.query({ eventId: ev.id });
    expect(entry).toMatchObject({ eventId: ev.id, type: 'content.publish', digest: shippedPolicy().digest, event: ev, decision: body });
  });

  it('answers a bad event with 400 naming each JSON path', async () => {
    const res = await fetch(`${url}/v1/decisions`, json({ id: 'bad', type: 'content.publish', occurredAt: 'yesterday', provider: { id: 'p', services: 'live', businesses: [] }, actor: { id: 'a', verified: 'x' } }));
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
    const body = await read(res);
    expect(body).toMatchObject({ type: 'about:blank', title: 'Bad Request', status: 400, instance: '/v1/decisions', code: 'invalid_event', eventId: 'bad' });
    expect(body.errors).toEqual([
      { path: '/actor/verified', message: 'must be array' },
      { path: '/content', message: 'is required' },
      { path: '/occurredAt', message: 'must be an RFC 3339 time with offset' },
      { path: '/provider/services', message: 'must be array' },
    ]);
    expect(await log.query({ eventId: 'bad' })).toEqual([]);
  });

  it('answers malformed JSON with 400, an oversized body with 413, an unknown route with 404', async () => {
    const broken = await fetch(`${url}/v1/decisions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"id":' });
    expect(broken.status).toBe(400);
    expect((await read(broken)).code).toBe('invalid_json');
    const huge = await fetch(`${url}/v1/decisions`, json({ ...event('content.publish'), padding: 'x'.repeat(400_000) }));
    expect(huge.status).toBe(413);
    expect((await read(huge)).code).toBe('body_too_large');
    const missing = await fetch(`${url}/v2/nothing`);
    expect(missing.status).toBe(404);
    expect(await read(missing)).toEqual({ type: 'about:blank', title: 'Not Found', status: 404, detail: 'no route GET /v2/nothing', instance: '/v2/nothing', code: 'not_found' });
  });

  it('decides a batch, as a JSON array or JSON Lines, one result per event in order', async () => {
    const events = EVENT_TYPES.map((t) => event(t));
    const bad = { id: 'bad-in-batch', type: 'nope' };
    const array = await read(await fetch(`${url}/v1/decisions/batch`, json([events[0], bad, ...events.slice(1)])));
    expect(array).toHaveLength(events.length + 1);
    expect(array[1].error.errors).toContainEqual({ path: '/type', message: expect.stringContaining('must be one of') });
    expect(array.filter((r: { error?: unknown }) => !r.error).map((r: Decision) => r.eventId)).toEqual(events.map((e) => e.id));

    const lines = [JSON.stringify(events[0]), 'not json', JSON.stringify(events[1])].join('\n');
    const res = await fetch(`${url}/v1/decisions/batch`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body: lines });
    const results = await read(res);
    expect(results.map((r: { eventId: string | null }) => r.eventId)).toEqual([events[0]!.id, null, events[1]!.id]);
    expect(results[1].error.code).toBe('invalid_json');
    for (const e of events) expect(await log.query({ eventId: e.id })).not.toHaveLength(0);
  });

  it('logs every one of many concurrent requests', async () => {
    const events = Array.from({ length: 200 }, (_, i) => event(EVENT_TYPES[i % 8]!, { id: `conc-${i}` }));
    const statuses = await Promise.all(events.map(async (e) => (await fetch(`${url}/v1/decisions`, json(e))).status));
    expect(statuses.every((s) => s === 200)).toBe(true);
    const logged = new Set<string>();
    for (let after = 0; ; ) {
      const page = await log.query({ after, limit: 1000 });
      if (page.length === 0) break;
      for (const e of page) logged.add(e.eventId);
      after = page.at(-1)!.seq;
    }
    for (const e of events) expect(logged.has(e.id)).toBe(true);
  });

  it('serves the policies in force and the article table', async () => {
    const policies = await read(await fetch(`${url}/v1/policies`));
    expect(policies.digest).toBe(shippedPolicy().digest);
    expect(policies.files).toContain('live-2016/article-12.tiaoli');
    const articles = await read(await fetch(`${url}/v1/articles`));
    const live = articles.filter((r: { regulation: string }) => r.regulation === 'live-2016');
    expect(live).toHaveLength(20);
    expect(live[11]).toMatchObject({ article: 12, status: 'encoded', rules: 4 });
    expect(live[0]).toMatchObject({ article: 1, status: 'non-operative' });
  });

  it('publishes a valid OpenAPI document listing every route, and a readable page', async () => {
    const doc = await read(await fetch(`${url}/openapi.json`));
    await SwaggerParser.validate(structuredClone(doc));
    expect(Object.keys(doc.paths).sort()).toEqual(['/healthz', '/metrics', '/readyz', '/v1/admin/policies', '/v1/articles', '/v1/decisions', '/v1/decisions/batch', '/v1/diff', '/v1/log', '/v1/policies', '/v1/replay', '/v1/schema/decision.json', '/v1/schema/event.json', '/v1/sources']);
    const page = await fetch(`${url}/docs/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('swagger-ui');
  });

  it('reports health and Prometheus metrics', async () => {
    const { app, log, url } = await start(freshFile());
    // What the metrics count: a decision and a refused event, before the first scrape renders them.
    expect((await fetch(`${url}/v1/decisions`, json(event('content.publish')))).status).toBe(200);
    expect((await fetch(`${url}/v1/decisions`, json({ id: 'refused', type: 'content.publish' }))).status).toBe(400);
    expect(await read(await fetch(`${url}/healthz`))).toEqual({ status: 'ok', digest: shippedPolicy().digest, log: { ok: true } });
    expect(await read(await fetch(`${url}/readyz`))).toEqual({ status: 'ok', digest: shippedPolicy().digest, log: { ok: true }, ready: true });
    const text = await (await fetch(`${url}/metrics`)).text();
    expect(text).toMatch(/tiaoli_decisions_total\{type="content.publish",outcome="(allowed|denied)"\} 1\n/);
    expect(text).toContain('tiaoli_decision_duration_seconds_bucket');
    expect(text).toContain('tiaoli_log_write_duration_seconds_count');
    expect(text).toMatch(/tiaoli_errors_total\{code="invalid_event"\} 1\n/);
    await app.close();
    await log.close();
  });

  it('keeps the log behind the admin token, and filters it', async () => {
    expect((await fetch(`${url}/v1/log`)).status).toBe(401);
    expect((await fetch(`${url}/v1/log`, { headers: { authorization: 'Bearer wrong-token-of-same-size' } })).status).toBe(401);
    const ev = event('record.delete', { id: 'log-filter', occurredAt: '2019-03-05T23:30:00+08:00' });
    await fetch(`${url}/v1/decisions`, json(ev));
    const byDay = await read(await fetch(`${url}/v1/log?from=2019-03-05&to=2019-03-05&type=record.delete`, admin()));
    expect(byDay.entries.map((e: { eventId: string }) => e.eventId)).toEqual(['log-filter']);
    const none = await read(await fetch(`${url}/v1/log?from=2019-03-06`, admin()));
    expect(none.entries.map((e: { eventId: string }) => e.eventId)).not.toContain('log-filter');
    expect((await fetch(`${url}/v1/log?from=someday`, admin())).status).toBe(400);
  });

  it('refuses a policy revision with errors, with its diagnostics, and changes nothing', async () => {
    const broken = sources.map((s) => (s.path === 'live-2016/article-13.tiaoli' ? { ...s, text: s.text.replace('actor.agreementSigned', 'actor.agreementSined') } : s));
    const res = await fetch(`${url}/v1/admin/policies`, admin(json({ files: broken })));
    expect(res.status).toBe(422);
    const body = await read(res);
    expect(body.errors[0]).toMatchObject({ code: 'TL050', span: { file: 'live-2016/article-13.tiaoli' }, help: 'did you mean `actor.agreementSigned`?' });
    expect((await read(await fetch(`${url}/healthz`))).digest).toBe(shippedPolicy().digest);
    expect((await fetch(`${url}/v1/admin/policies`, json({ files: sources }))).status).toBe(401);
  });

  it('swaps in a checked revision atomically, records when it came into force, and finds it all again after a restart', async () => {
    const file = freshFile();
    let { app, log, url } = await start(file);
    const stricter = sources.map((s) => (s.path === 'live-2016/article-07.tiaoli' ? { ...s, text: s.text.replace('require label platform_identification', 'require label platform_identification\n    take keep_record') } : s));
    const ev = event('content.publish');
    const before = await read(await fetch(`${url}/v1/decisions`, json(ev)));
    const res = await fetch(`${url}/v1/admin/policies`, admin(json({ files: stricter })));
    expect(res.status).toBe(200);
    const { digest } = await read(res);
    expect(digest).not.toBe(shippedPolicy().digest);
    const after = await read(await fetch(`${url}/v1/decisions`, json({ ...ev, id: 'after-swap' })));
    expect(before.disposal).toEqual([]);
    expect(after.disposal).toEqual(['keep_record']);
    expect(after.policy.digest).toBe(digest);
    const revisions = await log.revisions();
    expect(revisions.at(-1)!.digest).toBe(digest);
    expect(await log.sources(digest)).toEqual(stricter);
    const [logged] = await log.query({ eventId: 'after-swap' });
    expect(logged!.digest).toBe(digest);

    const count = (await log.query({ limit: 100_000 })).length;
    await app.close();
    await log.close();
    ({ app, log, url } = await start(file));
    expect((await log.query({ limit: 100_000 })).length).toBe(count);
    expect(await log.query({ eventId: 'after-swap' })).toHaveLength(1);
    await app.close();
    await log.close();
  });

  it('refuses admin routes when no token is configured', async () => {
    const other = await start(freshFile(), null);
    const res = await fetch(`${other.url}/v1/log`, admin());
    expect(res.status).toBe(403);
    expect((await read(res)).code).toBe('admin_disabled');
    await other.app.close();
    await other.log.close();
  });

  it('answers an internal failure with 500 and no stack trace', async () => {
    // A log whose reads fail in a way nobody planned for: the service says only that it failed.
    class Unreadable extends SqliteLog {
      override async query(): Promise<never> {
        throw new TypeError('cannot read properties of undefined (reading "seq")');
      }
    }
    const broken = new Unreadable(join(mkdtempSync(join(tmpdir(), 'tiaoli-svc-')), 'unreadable.sqlite'));
    const service = await testService({ policy: shippedPolicy(), sources, log: broken, adminToken: TOKEN });
    const res = await service.inject({ method: 'GET', url: '/v1/log', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ type: 'about:blank', title: 'Internal Server Error', status: 500, detail: 'internal error', instance: '/v1/log', code: 'internal' });
    expect(res.body).not.toMatch(/at .*\.(ts|js):\d+/);
    await service.close();
    await broken.close();
  });

  it('answers 503 with Retry-After when the log cannot be written, and health says so', async () => {
    const dead = new SqliteLog(join(mkdtempSync(join(tmpdir(), 'tiaoli-svc-')), 'dead.sqlite'));
    const broken = await testService({ policy: shippedPolicy(), sources, log: dead });
    await dead.close(); // the log is gone: writing to it throws
    const res = await broken.inject({ method: 'POST', url: '/v1/decisions', payload: event('content.publish') });
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('1');
    expect(res.json().code).toBe('log_unavailable');
    expect(res.body).not.toMatch(/at .*\.(ts|js):\d+/);
    const health = (await broken.inject({ method: 'GET', url: '/healthz' })).json();
    expect(health).toMatchObject({ status: 'degraded', log: { ok: false, error: expect.stringContaining('not open') } });
    const ready = await broken.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toMatchObject({ ready: false });
    await broken.close();
  });

});

describe('npm start (tiaoli serve)', () => {
  it('serves on the port it prints, logs decisions, and on SIGTERM finishes and closes the log', async () => {
    const data = mkdtempSync(join(tmpdir(), 'tiaoli-serve-'));
    const child = spawn(process.execPath, [new URL('../../bin/tiaoli.js', import.meta.url).pathname, 'serve'], {
      env: { ...process.env, PORT: '0', TIAOLI_DATA: data },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const port = await new Promise<number>((resolve, reject) => {
      child.stdout.on('data', (b: Buffer) => {
        out += b.toString();
        const m = /http:\/\/localhost:(\d+)\//.exec(out);
        if (m) resolve(Number(m[1]));
      });
      child.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
    });
    const ev = event('interaction.post', { id: 'served-1' });
    const home = await fetch(`http://127.0.0.1:${port}/`);
    expect(await home.text()).toContain('Tiaoli');
    // The playground loads the revision's policies, tests and fixtures from here.
    const sources = await read(await fetch(`http://127.0.0.1:${port}/v1/sources`));
    expect(sources.files.map((f: { path: string }) => f.path)).toContain('live-2016/article-12.tiaoli');
    expect(sources.tests.map((f: { path: string }) => f.path)).toContain('live-2016/article-12.test.yaml');
    expect(sources.fixtures.map((f: { path: string }) => f.path)).toEqual(['fixtures.yaml']);
    const res = await fetch(`http://127.0.0.1:${port}/v1/decisions`, json(ev));
    expect(res.status).toBe(200);
    const decision = await read(res);
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const reopened = new SqliteLog(join(data, 'decisions.sqlite'));
    expect((await reopened.query({ eventId: 'served-1' }))[0]?.decision).toEqual(decision);
    await reopened.close();
  });
});
