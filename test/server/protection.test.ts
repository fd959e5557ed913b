// What the service refuses: load past its limits (503 with Retry-After, then recovery), requests to
// non-public routes without the token, cross-origin reads; and the headers its pages carry.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../engine/load.js';
import type { Limits } from '../../engine/server/app.js';
import { startService } from './harness.js';
import { event } from '../helpers.js';

const TOKEN = 'protection-test-token';

const start = (limits: Partial<Limits> = {}, slowLogMs = 0) => startService(TOKEN, limits, slowLogMs);

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

describe('overload', () => {
  it('sheds requests past the in-flight limit with 503 and Retry-After, and recovers', async () => {
    const { url, stop } = await start({ maxInFlight: 4 }, 200);
    const responses = await Promise.all(Array.from({ length: 120 }, (_, i) => post(`${url}/v1/decisions`, event('interaction.post', { id: `load-${i}` }))));
    const shed = responses.filter((r) => r.status === 503);
    expect(shed.length).toBeGreaterThan(0);
    expect(responses.filter((r) => r.status === 200).length).toBeGreaterThan(0);
    expect(responses.every((r) => r.status === 200 || r.status === 503)).toBe(true);
    expect(shed[0]!.headers.get('retry-after')).toBe('1');
    expect(await shed[0]!.json()).toMatchObject({ error: { code: 'overloaded' } });
    // Once the load stops, every request is served again.
    const after = await Promise.all(Array.from({ length: 4 }, (_, i) => post(`${url}/v1/decisions`, event('interaction.post', { id: `after-${i}` }))));
    expect(after.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    await stop();
  });

  it('refuses a batch over its size limit with 413', async () => {
    const { url, stop } = await start({ maxBatch: 10 });
    const res = await post(`${url}/v1/decisions/batch`, Array.from({ length: 11 }, () => event('feature.launch')));
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: { code: 'batch_too_large' } });
    await stop();
  });
});

describe('access', () => {
  let url: string;
  let stop: () => Promise<unknown>;
  beforeAll(async () => ({ url, stop } = await start()));
  afterAll(async () => stop());

  it('every route that is not public answers 401 without the token, or with a wrong one', async () => {
    const doc = (await (await fetch(`${url}/openapi.json`)).json()) as { paths: Record<string, Record<string, { security?: unknown[] }>> };
    const routes = Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ path, method: method.toUpperCase(), admin: (op.security ?? []).length > 0 })));
    const PUBLIC = ['GET /healthz', 'GET /readyz', 'GET /metrics', 'GET /v1/articles', 'GET /v1/policies', 'GET /v1/schema/event.json', 'GET /v1/schema/decision.json', 'POST /v1/decisions', 'POST /v1/decisions/batch'];
    // A new route must be classified: public here, or admin in its schema.
    expect(routes.filter((r) => !r.admin).map((r) => `${r.method} ${r.path}`).filter((r) => !PUBLIC.includes(r) && !r.startsWith('GET /v1/sources'))).toEqual([]);
    const admin = routes.filter((r) => r.admin);
    expect(admin.length).toBeGreaterThanOrEqual(2);
    for (const r of admin) {
      const attempts: Record<string, string>[] = [{}, { authorization: 'Bearer wrong' }, { authorization: `Basic ${TOKEN}` }, { authorization: `Bearer ${TOKEN}x` }];
      for (const headers of attempts) {
        const res = await fetch(`${url}${r.path}`, { method: r.method, headers: { 'content-type': 'application/json', ...headers }, ...(r.method === 'POST' ? { body: '{}' } : {}) });
        expect(res.status, `${r.method} ${r.path} ${JSON.stringify(headers)}`).toBe(401);
      }
    }
  });

  it('allows no cross-origin reads (CORS is closed)', async () => {
    const preflight = await fetch(`${url}/v1/decisions`, { method: 'OPTIONS', headers: { origin: 'http://elsewhere.example', 'access-control-request-method': 'POST' } });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    const res = await post(`${url}/v1/decisions`, event('feature.launch'), { origin: 'http://elsewhere.example' });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('sends security headers with its pages', async () => {
    for (const path of ['/', '/docs/']) {
      const res = await fetch(`${url}${path}`);
      expect(res.status).toBe(200);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      // Cross-origin isolated, so that the playground may run Z3's threads (SharedArrayBuffer).
      expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin');
      expect(res.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
    }
  });

  it("lets only the playground's workers evaluate code, and serves Z3's files", async () => {
    const assets = readdirSync(join(PACKAGE_ROOT, 'dist', 'playground', 'assets'));
    const z3 = assets.find((f) => f.startsWith('z3-'))!;
    const head = (file: string) => fetch(`${url}/assets/${file}`, { method: 'HEAD' });
    const csp = async (file: string) => (await head(file)).headers.get('content-security-policy');
    const named = (prefix: string) => assets.find((f) => f.startsWith(prefix) && f.endsWith('.js'))!;
    expect(await csp(named('index-'))).not.toContain('eval');
    expect(await csp(named('language-worker-'))).toBe("default-src 'self'; script-src 'self' 'unsafe-eval'");
    expect(await csp(named('analysis-worker-'))).toBe("default-src 'self'; script-src 'self' 'unsafe-eval' 'wasm-unsafe-eval'");
    // Z3's threads instantiate the module their parent compiled: no evaluation of their own.
    expect(await csp(`${z3}/z3-built.js`)).not.toContain('eval');
    const wasm = await head(`${z3}/z3-built.wasm`);
    expect(wasm.status).toBe(200);
    expect(wasm.headers.get('content-type')).toBe('application/wasm');
    expect(wasm.headers.get('cache-control')).toContain('immutable');
    expect((await head(`${z3}/z3-built.mjs`)).headers.get('content-type')).toMatch(/^application\/javascript/);
  });
});
