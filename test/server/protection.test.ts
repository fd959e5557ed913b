// What the service refuses: load past its limits (503 with Retry-After, then recovery), requests to
// non-public routes without the token, cross-origin reads; and the headers its pages carry.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../engine/package-root.js';
import { SqliteLog } from '../../engine/log/sqlite.js';
import type { Limits } from '../../engine/server/app.js';
import { pressureSignal, startService } from './harness.js';
import { event } from '../helpers.js';

const TOKEN = 'protection-test-token';

const start = (limits: Partial<Limits> = {}) => startService(TOKEN, limits);

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

/** A real log whose writes wait until the test lets them through: requests hold their slots until then. */
class GatedLog extends SqliteLog {
  private waiting = 0;
  private open!: () => void;
  private gate = new Promise<void>((r) => (this.open = r));
  private watchers: (() => void)[] = [];
  override async append(entries: Parameters<SqliteLog['append']>[0]): ReturnType<SqliteLog['append']> {
    this.waiting++;
    for (const w of this.watchers.splice(0)) w();
    await this.gate;
    return super.append(entries);
  }
  /** Resolves once `n` writes are waiting at the gate. */
  async holding(n: number): Promise<void> {
    while (this.waiting < n) await new Promise<void>((r) => this.watchers.push(r));
  }
  release(): void {
    this.open();
  }
}


describe('overload', () => {
  it('sheds requests past the in-flight limit with 503 and Retry-After, and recovers', async () => {
    const signal = pressureSignal();
    let log!: GatedLog;
    const { url, stop } = await startService(TOKEN, { maxInFlight: 4, logTimeoutMs: 600_000 }, 0, { log: (file) => (log = new GatedLog(file)), pressure: signal.pressure });
    // Four requests take the four slots and wait for the log; the fifth finds none.
    const held = Array.from({ length: 4 }, (_, i) => post(`${url}/v1/decisions`, event('interaction.post', { id: `held-${i}` })));
    await log.holding(4);
    const shed = await post(`${url}/v1/decisions`, event('interaction.post', { id: 'shed' }));
    expect(shed.status).toBe(503);
    expect(shed.headers.get('retry-after')).toBe('1');
    expect(await shed.json()).toMatchObject({ code: 'overloaded', detail: expect.stringMatching(/^the service is at capacity/) });
    // Health is answered all the same.
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    log.release();
    expect((await Promise.all(held)).map((r) => r.status)).toEqual([200, 200, 200, 200]);
    // Once the load is gone, every request is served again.
    const after = await Promise.all(Array.from({ length: 4 }, (_, i) => post(`${url}/v1/decisions`, event('interaction.post', { id: `after-${i}` }))));
    expect(after.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    await stop();
  });

  it('sheds every gated request while under pressure, says why, and serves again when the pressure goes', async () => {
    const signal = pressureSignal();
    const { url, stop } = await startService(TOKEN, {}, 0, { pressure: signal.pressure });
    expect((await post(`${url}/v1/decisions`, event('feature.launch'))).status).toBe(200);
    signal.set('event loop delay');
    const shed = await post(`${url}/v1/decisions`, event('feature.launch'));
    expect(shed.status).toBe(503);
    expect(shed.headers.get('retry-after')).toBe('1');
    expect(await shed.json()).toMatchObject({ code: 'overloaded', detail: expect.stringMatching(/^the service is under pressure \(event loop delay\)/) });
    const ready = await fetch(`${url}/readyz`);
    expect([ready.status, ((await ready.json()) as { pressure?: string }).pressure]).toEqual([503, 'event loop delay']);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    signal.set(undefined);
    expect((await post(`${url}/v1/decisions`, event('feature.launch'))).status).toBe(200);
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    await stop();
  });

  it('refuses a batch over its size limit with 413', async () => {
    const { url, stop } = await start({ maxBatch: 10 });
    const res = await post(`${url}/v1/decisions/batch`, Array.from({ length: 11 }, () => event('feature.launch')));
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ code: 'batch_too_large' });
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

  it('sends the files the build compressed (brotli, else gzip) to a browser that takes them, the file itself to one that does not', async () => {
    const dir = join(PACKAGE_ROOT, 'dist', 'playground', 'assets');
    const script = readdirSync(dir).find((f) => f.startsWith('main-') && f.endsWith('.js'))!;
    const z3 = readdirSync(dir).find((f) => f.startsWith('z3-'))!;
    const head = (file: string, encodings: string) => fetch(`${url}/assets/${file}`, { method: 'HEAD', headers: { 'accept-encoding': encodings } });
    for (const [file, type] of [[script, /^application\/javascript/], [`${z3}/z3-built.wasm`, /^application\/wasm$/]] as const) {
      for (const [accepts, encoding, suffix] of [['br, gzip', 'br', '.br'], ['gzip', 'gzip', '.gz'], ['identity', null, '']] as const) {
        const res = await head(file, accepts);
        expect([file, accepts, res.headers.get('content-encoding')]).toEqual([file, accepts, encoding]);
        expect(res.headers.get('content-type')).toMatch(type);
        expect(Number(res.headers.get('content-length'))).toBe(statSync(join(dir, `${file}${suffix}`)).size);
        expect(res.headers.get('vary')).toMatch(/accept-encoding/i);
      }
    }
    // Compressed, the editor's script is a fifth of itself.
    expect(statSync(join(dir, `${script}.br`)).size * 4).toBeLessThan(statSync(join(dir, script)).size);
  });
});
