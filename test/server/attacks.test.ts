// The attacks that once stopped, crashed or blinded the service, each against a real server on
// 127.0.0.1 with real sockets: aborted and trickled requests, descriptor exhaustion, bodies sent
// before authentication, oversized and endless JSON Lines, malformed log queries, bad event ids.
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPolicyDir, SHIPPED_POLICIES } from '../../engine/index.js';
import { PACKAGE_ROOT } from '../../engine/package-root.js';
import type { Limits } from '../../engine/server/app.js';
import { startService } from './harness.js';
import { BACKENDS } from '../backends.js';
import { event, shippedPolicy } from '../helpers.js';

const TOKEN = 'attacks-test-token';
const POSTGRES = BACKENDS.find((b) => b.name === 'postgres')!;
const sources = readPolicyDir(SHIPPED_POLICIES);

const start = (limits: Partial<Limits> = {}, slowLogMs = 0) => startService(TOKEN, limits, slowLogMs);

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

/** A socket to the service that has connected. */
const open = (port: number): Promise<Socket> =>
  new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });

/** What the server sends on a socket until it closes it, `ms` pass, or (with `enough`) it has sent that much. */
const received = (s: Socket, ms: number, enough?: RegExp): Promise<string> =>
  new Promise((resolve) => {
    let text = '';
    const done = () => (clearTimeout(timer), resolve(text));
    const timer = setTimeout(done, ms);
    s.on('data', (b) => {
      text += b;
      if (enough?.test(text)) done();
    });
    s.once('close', done);
    s.once('error', done);
  });

/** The body of a raw HTTP answer, as JSON. */
const bodyOf = (answer: string): unknown => JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4));

const head = (path: string, headers: Record<string, string | number>) =>
  `POST ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\n${Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('')}\r\n`;

/** A response body as JSON; the tests know its shape. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const read = async (res: Response): Promise<any> => res.json();

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One sample of the service's /metrics, by its name and labels as printed (`name{kind="batches"}`). */
async function metric(url: string, series: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  if (line === undefined) throw new Error(`/metrics has no ${series}`);
  return Number(line.slice(series.length + 1));
}

/** Waits (vitest's expect.poll, bounded only so a broken service fails instead of hanging) until a series of /metrics reads `n`. */
const until = (url: string, series: string, n: number) => expect.poll(() => metric(url, series), { timeout: 15_000, interval: 20 }).toBe(n);
const BODY_BYTES = 'tiaoli_request_body_bytes_in_flight';
const BATCHES = 'tiaoli_requests_in_flight{kind="batches"}';

/** Polls until a decision is answered 200, at most `ms` (a bound on a wait, generous for a busy
 * machine, never a speed claim); the status seen last otherwise. */
async function decidedWithin(url: string, ms = 15_000): Promise<number> {
  const until = Date.now() + ms;
  let status = 0;
  for (let i = 0; Date.now() < until; i++) {
    status = (await post(`${url}/v1/decisions`, event('interaction.post', { id: `probe-${i}` }))).status;
    if (status === 200) return status;
    await sleep(50);
  }
  return status;
}

describe('requests that end without an answer give their slot back', () => {
  it('after connections reset once the headers are sent', async () => {
    const { port, url, stop } = await start({ maxInFlight: 8 });
    for (let i = 0; i < 24; i++) {
      const s = await open(port);
      s.write(head('/v1/decisions', { 'content-type': 'application/json', 'content-length': 500 }));
      await sleep(5);
      s.resetAndDestroy();
    }
    expect(await decidedWithin(url)).toBe(200);
    await stop();
  });

  it('after connections reset once the whole request is sent, before the answer', async () => {
    const { port, url, stop } = await start({ maxInFlight: 8 }, 300);
    const body = JSON.stringify(event('interaction.post', { id: 'reset-after-request' }));
    const sockets = await Promise.all(Array.from({ length: 16 }, () => open(port)));
    for (const s of sockets) s.write(head('/v1/decisions', { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }) + body);
    await sleep(50);
    for (const s of sockets) s.resetAndDestroy();
    // The writes still land; what matters is that their slots come back once they have.
    expect(await decidedWithin(url)).toBe(200);
    await stop();
  });

  it('after a trickled body is cut off by the request timeout, when the README says', async () => {
    const { port, url, stop } = await start({ maxInFlight: 4, requestTimeoutMs: 1000 });
    const sockets = await Promise.all(Array.from({ length: 4 }, () => open(port)));
    // Only the request timeout answers 408 (Node's own default waits 300 s, past this wait): the
    // status says which cut the body off, so no clock is read.
    const answers = sockets.map((s) => received(s, 20_000));
    for (const s of sockets) s.write(head('/v1/decisions', { 'content-type': 'application/json', 'content-length': 100 }) + '{"id"');
    for (const t of await Promise.all(answers)) {
      expect(t).toMatch(/^HTTP\/1\.1 408/);
      // Problem details like every other refusal, not Node's or Fastify's own body.
      expect(t).toMatch(/\r\ncontent-type: application\/problem\+json/i);
      expect(bodyOf(t)).toMatchObject({ status: 408, code: 'request_timeout' });
    }
    expect(await decidedWithin(url)).toBe(200);
    await stop();
  });

  it('after bytes that are not HTTP, answered as problem details before the connection closes', async () => {
    const { port, url, stop } = await start({ maxInFlight: 4 });
    const s = await open(port);
    const answer = received(s, 20_000);
    s.write('\x16\x03\x01 not a request line\r\n\r\n');
    const t = await answer;
    expect(t).toMatch(/^HTTP\/1\.1 400/);
    expect(bodyOf(t)).toMatchObject({ status: 400, code: 'bad_request' });
    expect(await decidedWithin(url)).toBe(200);
    await stop();
  });
});

describe('a stalled log', () => {
  it('holds no slot for a client that gave up, answers 503 once a request has waited its time, and turns new ones away while it is behind', async () => {
    const { url, stop } = await start({ maxInFlight: 8, logTimeoutMs: 400, maxEntriesAwaitingLog: 12 }, 1500);
    // Impatient clients fill every slot, and each gives up after 100 ms, long before the log answers.
    const aborted = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        fetch(`${url}/v1/decisions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(event('interaction.post', { id: `abort-${i}` })), signal: AbortSignal.timeout(100) }).then(
          (r) => r.status,
          () => 'aborted',
        ),
      ),
    );
    expect(aborted.every((a) => a === 'aborted' || a === 503)).toBe(true);
    // The log answers after 1.5 s: a 503 (not the 200 it would give then) is the 400 ms wait at work.
    const res = await post(`${url}/v1/decisions`, event('interaction.post', { id: 'waits-its-time' }));
    expect(res.status).toBe(503);
    expect((await read(res)).code).toBe('log_unavailable');
    expect(res.headers.get('retry-after')).toBe('1');
    // Nine decisions still wait for the log: four more would pass the twelve it may fall behind by.
    const more = await Promise.all(Array.from({ length: 4 }, (_, i) => post(`${url}/v1/decisions`, event('interaction.post', { id: `behind-${i}` }))));
    const behind = await Promise.all(more.map(async (r) => (r.status === 503 ? (await read(r)).detail : r.status)));
    expect(behind.some((m) => typeof m === 'string' && m.includes('behind'))).toBe(true);
    await stop();
  });
});

describe('descriptors exhausted by idle connections', () => {
  it('do not end the process, and it serves again once they close', { timeout: 30_000 }, async () => {
    const data = mkdtempSync(join(tmpdir(), 'tiaoli-fds-'));
    const child = spawn('bash', ['-c', `ulimit -n 1024; exec "${process.execPath}" "${join(PACKAGE_ROOT, 'bin', 'tiaoli.js')}" serve`], {
      env: { ...process.env, PORT: '0', TIAOLI_DATA: data, TIAOLI_ADMIN_TOKEN: TOKEN },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let exited = false;
    child.once('exit', () => (exited = true));
    const port = await new Promise<number>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (b) => {
        out += b;
        const m = /http:\/\/localhost:(\d+)\//.exec(out);
        if (m) resolve(Number(m[1]));
      });
      child.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
    });
    // Opened 200 at a time, as a flood arrives: more than the process has descriptors for.
    const sockets: Socket[] = [];
    for (let wave = 0; wave < 6; wave++) {
      const opened = await Promise.allSettled(Array.from({ length: 200 }, () => open(port)));
      for (const o of opened) {
        if (o.status !== 'fulfilled') continue;
        o.value.on('error', () => undefined);
        // A request begun and never finished: the connection stays, waiting for the rest.
        o.value.write('GET /healthz HTTP/1.1\r\nhost: 127.0.0.1\r\n');
        sockets.push(o.value);
      }
    }
    // Long enough for the memory sampler to have run several times with no descriptor to spare.
    await sleep(5000);
    // A client arriving meanwhile is turned away or answered; either way the process goes on.
    await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(2000) }).catch(() => undefined);
    await sleep(500);
    expect(exited).toBe(false);
    for (const s of sockets) s.destroy();
    expect(await decidedWithin(`http://127.0.0.1:${port}`)).toBe(200);
    child.kill('SIGTERM');
    await new Promise((r) => (exited ? r(undefined) : child.once('exit', r)));
  });
});

describe('no descriptor left at all', () => {
  it('does not end the process through a timer that reads memory, and it serves once descriptors are back', async () => {
    // The service in a process of its own that then takes every descriptor it may open, as a
    // connection flood does: reading memory (/proc) fails with EMFILE, which must not throw out of a timer.
    const script = `
      import { openSync, closeSync } from 'node:fs';
      const { main } = await import(${JSON.stringify(join(PACKAGE_ROOT, 'dist/cli/tiaoli.js'))});
      const write = process.stdout.write.bind(process.stdout);
      const listening = new Promise((resolve) => {
        process.stdout.write = (text, ...rest) => {
          const m = /localhost:(\\d+)/.exec(String(text));
          if (m) resolve(m[1]);
          return write(text, ...rest);
        };
      });
      void main(['serve']);
      const port = await listening;
      const held = [];
      try { for (;;) held.push(openSync('/dev/null', 'r')); } catch (e) { console.log('exhausted', e.code); }
      await new Promise((r) => setTimeout(r, 2500));
      for (const fd of held) closeSync(fd);
      console.log('port', port);
    `;
    const child = spawn('bash', ['-c', `ulimit -n 2048; exec "${process.execPath}" --input-type=module -e "$0"`, script], {
      env: { ...process.env, PORT: '0', TIAOLI_DATA: mkdtempSync(join(tmpdir(), 'tiaoli-emfile-')) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (b) => (out += b));
    child.stderr.on('data', (b) => (err += b));
    const exit = new Promise<number | null>((r) => child.once('exit', r));
    const port = await Promise.race([
      new Promise<number>((resolve) => child.stdout.on('data', () => /port (\d+)/.test(out) && resolve(Number(/port (\d+)/.exec(out)![1])))),
      exit.then((code) => {
        throw new Error(`the service exited (${code}) with no descriptor left: ${err.slice(0, 300)}`);
      }),
    ]);
    expect(out).toContain('exhausted EMFILE');
    expect(await decidedWithin(`http://127.0.0.1:${port}`, 2000)).toBe(200);
    child.kill('SIGKILL');
    await exit;
  });
});

describe('bodies', () => {
  let svc: Awaited<ReturnType<typeof start>>;
  beforeAll(async () => (svc = await start({ maxBatch: 1000 })));
  afterAll(async () => svc.stop());

  it('of admin routes are refused without the token before a byte of them is read', async () => {
    for (const path of ['/v1/admin/policies', '/v1/replay', '/v1/diff']) {
      const s = await open(svc.port);
      const answer = received(s, 3000, /\r\n/);
      s.write(head(path, { 'content-type': 'application/x-ndjson', 'content-length': 30_000_000 }));
      expect(await answer).toMatch(/^HTTP\/1\.1 401/);
      s.destroy();
    }
  });

  it('over the route limit are refused from their declared length, and JSON Lines are read only by the batch route', async () => {
    const s = await open(svc.port);
    const answer = received(s, 3000, /\r\n/);
    s.write(head('/v1/decisions', { 'content-type': 'application/json', 'content-length': 10_000_000 }));
    expect(await answer).toMatch(/^HTTP\/1\.1 413/);
    s.destroy();
    const lines = await fetch(`${svc.url}/v1/decisions`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body: JSON.stringify(event('interaction.post')) });
    expect(lines.status).toBe(415);
  });

  it('of JSON Lines stop being read at the batch limit, before the rest of the body comes', async () => {
    // 16 MiB of `1\n` lines declared, 64 KiB of them sent: the batch is over its limit (1,000
    // events here) long before the body ends, and the answer comes without waiting for it.
    const s = await open(svc.port);
    const answer = received(s, 3000, /\r\n\r\n[\s\S]*\}/);
    s.write(head('/v1/decisions/batch', { 'content-type': 'application/x-ndjson', 'content-length': 16 * 1024 * 1024 }) + '1\n'.repeat(32 * 1024));
    const text = await answer;
    s.destroy();
    expect(text).toMatch(/^HTTP\/1\.1 413/);
    expect(text).toContain('batch_too_large');
    expect(await decidedWithin(svc.url, 2000)).toBe(200);
  });

  it('count against one budget while in flight: past it, 503 with Retry-After, and the budget comes back', async () => {
    const small = await start({ maxBodyBytesInFlight: 600_000, maxBatchesInFlight: 10 });
    const holders = await Promise.all(Array.from({ length: 3 }, () => open(small.port)));
    // Two batch uploads of 250 KB each, sent but for their last byte, hold 500 KB of the budget.
    for (const s of holders.slice(0, 2)) s.write(head('/v1/decisions/batch', { 'content-type': 'application/x-ndjson', 'content-length': 250_001 }) + 'x'.repeat(250_000));
    await until(small.url, BODY_BYTES, 500_000);
    const answer = received(holders[2]!, 3000);
    holders[2]!.write(head('/v1/decisions/batch', { 'content-type': 'application/x-ndjson', 'content-length': 200_000 }));
    const text = await answer;
    expect(text).toMatch(/^HTTP\/1\.1 503/);
    expect(text).toMatch(/retry-after: 1/i);
    for (const s of holders) s.destroy();
    await until(small.url, BODY_BYTES, 0);
    // 500 KB fits again once the holders are gone.
    const body = Array.from({ length: 1600 }, (_, i) => JSON.stringify(event('feature.launch', { id: `budget-${i}` }))).join('\n');
    expect(body.length).toBeGreaterThan(400_000);
    expect((await fetch(`${small.url}/v1/decisions/batch`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body })).status).toBe(200);
    await small.stop();
  });

  it('of batches are read two at a time: a third is turned away from its headers', async () => {
    const holders = await Promise.all(Array.from({ length: 3 }, () => open(svc.port)));
    for (const s of holders.slice(0, 2)) s.write(head('/v1/decisions/batch', { 'content-type': 'application/x-ndjson', 'content-length': 1001 }) + 'x'.repeat(1000));
    await until(svc.url, BATCHES, 2);
    const answer = received(holders[2]!, 3000, /\r\n/);
    holders[2]!.write(head('/v1/decisions/batch', { 'content-type': 'application/x-ndjson', 'content-length': 1000 }));
    expect(await answer).toMatch(/^HTTP\/1\.1 503/);
    for (const s of holders) s.destroy();
    await until(svc.url, BATCHES, 0);
    expect((await fetch(`${svc.url}/v1/decisions/batch`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body: JSON.stringify(event('feature.launch')) })).status).toBe(200);
  });

  it('that are not JSON are answered with where they go wrong', async () => {
    for (const [body, where] of [
      ['{"id": x}', 'line 1 column 8'],
      ['{\n  "id": 1\n  "type": 2}', 'line 3 column 3'],
      ['{"id":', 'line 1 column 7'],
    ] as const) {
      const res = await fetch(`${svc.url}/v1/decisions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      expect(res.status).toBe(400);
      const problem = await read(res);
      expect(problem.code).toBe('invalid_json');
      expect(problem.detail).toContain(where);
    }
  });
});

describe('event ids', () => {
  it('are bounded and printable, refused alike with 400 naming /id, and the log keeps the good ones', async () => {
    const { url, log, stop } = await start();
    for (const id of ['nul\u0000id', 'x'.repeat(3000), 'lone\ud800surrogate', 'tab\tid']) {
      const res = await post(`${url}/v1/decisions`, event('interaction.post', { id }));
      expect(res.status, JSON.stringify(id.slice(0, 20))).toBe(400);
      const { errors } = await read(res);
      expect(errors.map((e: { path: string }) => e.path)).toEqual(['/id']);
    }
    const fine = '事件-2026/12/01 #1 😀';
    expect((await post(`${url}/v1/decisions`, event('interaction.post', { id: fine }))).status).toBe(200);
    const [logged] = await log.query({ eventId: fine });
    expect([logged!.eventId, logged!.event.id]).toEqual([fine, fine]);
    await stop();
  });
});

describe('the log route', () => {
  it('refuses page sizes and repeated filters it cannot honour, with 400', async () => {
    const { url, stop } = await start();
    const get = (q: string) => fetch(`${url}/v1/log?${q}`, { headers: { authorization: `Bearer ${TOKEN}` } });
    for (const q of ['limit=-1', 'limit=0', 'limit=0.5', 'limit=2.5', 'limit=abc', 'limit=1001', 'after=-3', 'after=abc', 'type=a&type=b', 'type=content.publsh', 'from=2019-13-45', 'to=2019-03-01T08:00:00', 'evenId=x']) {
      const res = await get(q);
      expect(res.status, q).toBe(400);
      expect(res.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
      expect((await read(res)).code, q).toBe('bad_request');
    }
    expect((await read(await get('type=content.publsh'))).detail).toContain('did you mean `content.publish`');
    expect((await read(await get('limit=-1'))).errors).toEqual([{ path: '/limit', message: 'must be >= 1', in: 'querystring' }]);
    expect((await get('limit=1000')).status).toBe(200);
    await stop();
  });
});

describe('metrics', () => {
  it('are rendered at most once a second, so a flood of scrapes costs little', async () => {
    // The service's clock, moved by the test: the second is the clock's, not the machine's speed.
    let at = Date.parse('2026-03-01T00:00:00Z');
    const { url, stop } = await startService(TOKEN, {}, 0, { now: () => new Date(at) });
    const scrape = async () => (await fetch(`${url}/metrics`)).text();
    const first = await scrape();
    await post(`${url}/v1/decisions`, event('interaction.post', { id: 'between-scrapes' }));
    at += 999;
    expect(await scrape()).toBe(first);
    at += 1;
    expect(await scrape()).not.toBe(first);
    await stop();
  });
});

describe('policy uploads fail closed', () => {
  let svc: Awaited<ReturnType<typeof start>>;
  beforeAll(async () => (svc = await start()));
  afterAll(async () => svc.stop());

  const upload = (body: unknown) => post(`${svc.url}/v1/admin/policies`, body, { authorization: `Bearer ${TOKEN}` });
  /** A copy of the shipped policy tree to spoil. */
  const tree = () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'tiaoli-upload-')), 'policies');
    cpSync(SHIPPED_POLICIES, dir, { recursive: true });
    return dir;
  };
  /** The revision in force still decides as the shipped one: a blacklisted, unverified actor publishing prohibited content is denied. */
  const stillLaw = async () => {
    const res = await read(await post(`${svc.url}/v1/decisions`, event('content.publish', { actor: { id: 'a', blacklisted: true }, content: { id: 'c', form: 'live_stream', prohibited: ['rumor'] } })));
    expect(res.allowed).toBe(false);
    expect((await read(await fetch(`${svc.url}/v1/policies`))).digest).toBe(shippedPolicy().digest);
  };

  it('refuses a revision with no law in it, and the old one goes on deciding', async () => {
    const empty = await upload({ files: [] });
    expect(empty.status).toBe(422);
    expect((await read(empty)).errors.map((d: { code: string }) => d.code)).toContain('TL070');
    const etc = await upload({ directory: '/etc' });
    expect([400, 422]).toContain(etc.status);
    const bare = mkdtempSync(join(tmpdir(), 'tiaoli-bare-'));
    expect((await upload({ directory: bare })).status).toBe(422);
    await stillLaw();
  });

  it('refuses a revision that drops a regulation, unless that is what was asked', async () => {
    const without = sources.filter((s) => !s.path.startsWith('av-2019/'));
    const res = await upload({ files: without });
    expect(res.status).toBe(422);
    const body = await read(res);
    expect(body.code).toBe('regulations_dropped');
    expect(body.errors.map((d: { code: string }) => d.code)).toEqual(['TL024']);
    await stillLaw();
    const meant = await upload({ files: without, allowDroppedRegulations: true });
    expect(meant.status).toBe(200);
    expect((await upload({ files: sources, allowDroppedRegulations: true })).status).toBe(200);
  });

  it('never reads a file linked from outside the tree, nor publishes it', async () => {
    const dir = tree();
    symlinkSync('/proc/self/environ', join(dir, 'live-2016', 'secrets.test.yaml'));
    const res = await upload({ directory: dir });
    expect(res.status).toBe(422);
    expect((await read(res)).errors).toEqual([{ code: 'link_outside_root', path: 'live-2016/secrets.test.yaml' }]);
    const published = await (await fetch(`${svc.url}/v1/sources`)).text();
    expect(published).not.toContain(TOKEN);
    expect(published).not.toContain('secrets.test.yaml');
    await stillLaw();
  });

  it('refuses loops, FIFOs and trees past the limits at once, without hanging', async () => {
    const loop = tree();
    symlinkSync('.', join(loop, 'x'));
    const fifo = tree();
    execFileSync('mkfifo', [join(fifo, 'live-2016', 'a.test.yaml')]);
    for (const dir of [loop, fifo, '/usr']) {
      const res = await upload({ directory: dir });
      expect(res.status, dir).toBe(422);
    }
    await stillLaw();
  });

  it('refuses an upload over its size, and one whose rules would cost work beyond the limits', async () => {
    const huge = await upload({ files: [{ path: 'live-2016/big.tiaoli', text: '# '.repeat(5 * 1024 * 1024) }] });
    expect(huge.status).toBe(413);
    const chain = Array.from({ length: 28 }, (_, i) => `define d${i + 1} as d${i} and d${i}`).join('\n');
    const doubling = sources.map((s) =>
      s.path === 'live-2016/article-12.tiaoli' ? { ...s, text: `${s.text}\ndefine d0 as actor.blacklisted\n${chain}\nrule doubling cites live-2016 article 12 on content.publish when d28 then deny\n` } : s,
    );
    const res = await upload({ files: doubling });
    expect(res.status).toBe(422);
    expect((await read(res)).errors.map((d: { code: string }) => d.code)).toContain('TL035');
    await stillLaw();
  });

  it('records an activation only once the revision is in force', async () => {
    const dir = tree();
    // Once, this name made reading the tests fail after the log had recorded the new revision.
    mkdirSync(join(dir, 'weird.test.yaml'));
    writeFileSync(join(dir, 'live-2016', 'article-07.tiaoli'), readFileSync(join(dir, 'live-2016', 'article-07.tiaoli'), 'utf8').replace('require label platform_identification', 'require label platform_identification\n    take keep_record'));
    const res = await upload({ directory: dir });
    expect(res.status).toBe(200);
    const { digest } = await read(res);
    expect((await read(await fetch(`${svc.url}/v1/policies`))).digest).toBe(digest);
    expect((await svc.log.revisions()).at(-1)!.digest).toBe(digest);
    expect((await upload({ files: sources })).status).toBe(200);
  });
});

describe.skipIf(!POSTGRES.available)(`the start banner${POSTGRES.skipNote}`, () => {
  it('names a PostgreSQL log without its password', async () => {
    const { location, drop } = await POSTGRES.fresh();
    const password = new URL(location).password;
    expect(password.length).toBeGreaterThan(0);
    const child = spawn(process.execPath, [join(PACKAGE_ROOT, 'bin', 'tiaoli.js'), 'serve'], { env: { ...process.env, PORT: '0', TIAOLI_LOG_URL: location }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (b) => {
        out += b;
        if (/serving on/.test(out)) resolve();
      });
      child.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
    });
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    await drop();
    expect(out).toContain(`${new URL(location).username}:***@`);
    expect(out).not.toContain(`:${password}@`);
  });
});
