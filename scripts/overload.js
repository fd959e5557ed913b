// `npm run overload [-- --scenario NAME …] [-- --list]`: traffic attacks on the service, each a
// bounded, repeatable scenario against a fresh service this script starts on loopback. Every one
// ends with the same recovery check (scripts/attack-harness.js): a valid decision answered 200
// within 2 s, RSS back under 300 MB. Prints one line per scenario, then a table; exits 1 if any failed.
import { execFileSync } from 'node:child_process';
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { adminHeaders, Counts, decision, event, fillLog, FORBIDDEN_EVENT, json, pool, PROBE_EVENT, rawSocket, req, runScenarios, sleep, tmpDir } from './attack-harness.js';

const MiB = 1024 * 1024;
const BATCH_LIMIT = 32 * MiB;

/** The head of an HTTP/1.1 request, up to and including the blank line. */
const head = (method, path, headers) => `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`;
/** The status of the first response on a raw socket, from its status line. */
const statusOf = (text) => /^HTTP\/1\.1 (\d{3})/.exec(text)?.[1];

/** Opens `count` raw connections (at most 200 connecting at once); errors are counted. */
async function openSockets(port, count, counts, onSocket) {
  const sockets = [];
  await pool(count, 200, async () => {
    const { socket, error } = await rawSocket(port);
    if (error) return void counts.add(`connect:${error}`);
    socket.on('error', () => {});
    let text = '';
    socket.on('data', (b) => {
      if (text.length < 64) {
        text += b;
        const s = statusOf(text);
        if (s) counts.add(s);
      }
    });
    sockets.push(socket);
    onSocket?.(socket);
  });
  return sockets;
}

/** Resolves when a socket drains, closes, or after 5 s; leaves no listener behind. */
const drained = (socket) =>
  new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      socket.off('drain', done);
      socket.off('close', done);
      resolve();
    };
    const timer = setTimeout(done, 5_000);
    socket.on('drain', done);
    socket.on('close', done);
  });

/** Largest /healthz latency seen while `work` runs (one probe at a time, every 100 ms). */
async function healthzDuring(port, work) {
  let running = true;
  let maxMs = 0;
  let probes = 0;
  const prober = (async () => {
    while (running && probes < 2_000) {
      const r = await req(port, { path: '/healthz', timeoutMs: 30_000 });
      probes++;
      maxMs = Math.max(maxMs, r.ms);
      await sleep(100);
    }
  })();
  const result = await work();
  running = false;
  await prober;
  return { result, maxMs, probes };
}

const regulation = `regulation x-2020\n  title zh "x"\n  title en "x"\n  in force from 2020-01-01\n  articles 1\n`;
const articleHead = `article 1 of x-2020\nversion 1 in effect from 2020-01-01\n\nparagraph 1\n  zh "x"\n  en "x"\n\n`;
const rule = (name, when) => `\nrule ${name}\n  cites x-2020 article 1\n  on content.publish\n  when ${when}\n  then\n    deny\n`;

const scenarios = [
  {
    name: 'capacity',
    summary: 'capacity at 50 connections, then twice that rate from 400 connections for 15 s (the original overload run)',
    async run({ svc }) {
      const url = `http://127.0.0.1:${svc.port}/v1/decisions`;
      const run = (opts) => autocannon({ url, method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(PROBE_EVENT), ...opts });
      const capacity = await run({ connections: 50, duration: 8 });
      const perSec = Math.round(capacity.requests.average);
      const overload = await run({ connections: 400, duration: 15, overallRate: perSec * 2, timeout: 10 });
      const counts = new Counts();
      for (const [code, { count }] of Object.entries(overload.statusCodeStats ?? {})) counts.add(code, count);
      if (overload.errors) counts.add('error', overload.errors);
      if (overload.timeouts) counts.add('timeout', overload.timeouts);
      return { did: `${perSec}/s capacity (p99 ${capacity.latency.p99} ms); ${perSec * 2}/s offered for 15 s`, counts };
    },
  },
  {
    name: 'reset-after-headers',
    summary: '256 POST /v1/decisions whose socket is destroyed after the headers, before the body',
    async run({ svc }) {
      const counts = new Counts();
      const sockets = await openSockets(svc.port, 256, counts, (s) => s.write(head('POST', '/v1/decisions', { 'content-type': 'application/json', 'content-length': 1_000 })));
      await sleep(500);
      for (const s of sockets) s.destroy();
      counts.add('reset', sockets.length);
      await sleep(500);
      return { did: `${sockets.length} requests reset after their headers`, counts };
    },
  },
  {
    name: 'slow-body',
    summary: '300 connections send headers, then trickle the body a byte a second for 10 s, then stop',
    async run({ svc }) {
      const counts = new Counts();
      const sockets = await openSockets(svc.port, 300, counts, (s) => s.write(head('POST', '/v1/decisions', { 'content-type': 'application/json', 'content-length': 64 })));
      let during;
      for (let second = 0; second < 10; second++) {
        for (const s of sockets) if (!s.destroyed) s.write(' ');
        if (second === 5) during = await decision(svc.port, 1_000);
        else await sleep(1_000);
      }
      const open = sockets.filter((s) => !s.destroyed).length;
      for (const s of sockets) s.destroy();
      counts.add('decision-during:' + during.status);
      return { did: `300 slow bodies for 10 s (${open} still open at the end); a decision during it: ${during.status} in ${during.ms.toFixed(0)} ms`, counts };
    },
  },
  {
    name: 'reset-after-request',
    summary: '1,000 complete POST /v1/decisions whose socket is destroyed before the response',
    async run({ svc }) {
      const counts = new Counts();
      const body = JSON.stringify(PROBE_EVENT);
      const request = head('POST', '/v1/decisions', { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }) + body;
      for (let wave = 0; wave < 10; wave++) {
        const sockets = await openSockets(svc.port, 100, counts, (s) => s.write(request));
        await sleep(5);
        for (const s of sockets) s.destroy();
        counts.add('reset', sockets.length);
        await sleep(300);
      }
      // The requests were complete: the service decides and logs each (about 2 s of work for
      // 1,000); the check starts once that work is done, so what it sees is what the resets left.
      await sleep(3_000);
      return { did: '1,000 full requests reset before their response, in waves of 100 every 0.3 s', counts };
    },
  },
  {
    name: 'idle-connections',
    summary: 'service under ulimit -n 1024; 1,100 idle connections held for 5 s',
    service: { ulimit: 1024 },
    async run({ svc }) {
      const counts = new Counts();
      const sockets = await openSockets(svc.port, 1_100, counts, (s) => s.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n'));
      counts.add('open', sockets.length);
      await sleep(5_000);
      const during = await req(svc.port, { path: '/healthz', timeoutMs: 2_000 });
      for (const s of sockets) s.destroy();
      counts.add('healthz-during:' + during.status);
      await sleep(500);
      return { did: `${sockets.length} idle connections for 5 s`, counts, ok: !svc.exit, why: 'the service exited' };
    },
  },
  {
    name: 'big-bodies',
    summary: '250 concurrent unauthenticated 32 MiB application/x-ndjson uploads, to /v1/admin/policies and /v1/decisions',
    timeLimitMs: 90_000,
    async run(ctx) {
      const { svc } = ctx;
      const counts = new Counts();
      const chunk = Buffer.from('{"id":"x","type":"content.publish"}\n'.repeat(7_282)); // ~256 KiB
      const length = BATCH_LIMIT - 16;
      let sent = 0;
      const stopAt = performance.now() + 60_000;
      const upload = async (i) => {
        const path = i % 2 ? '/v1/decisions' : '/v1/admin/policies';
        const { socket, error } = await rawSocket(svc.port);
        if (error) return void counts.add(`connect:${error}`);
        let answered = false;
        let text = '';
        socket.on('data', (b) => {
          text += b;
          if (!answered && statusOf(text)) {
            answered = true;
            counts.add(`${path === '/v1/decisions' ? 'decisions' : 'admin'}:${statusOf(text)}`);
          }
        });
        socket.on('error', () => {});
        socket.write(head('POST', path, { 'content-type': 'application/x-ndjson', 'content-length': length }));
        let left = length;
        while (left > 0 && !answered && !socket.destroyed && !ctx.aborted && performance.now() < stopAt) {
          const part = left >= chunk.length ? chunk : chunk.subarray(0, left);
          left -= part.length;
          sent += part.length;
          if (!socket.write(part)) await drained(socket);
        }
        // Up to 10 s for an answer to a complete upload, then the connection goes.
        for (let t = 0; t < 100 && !answered && !socket.destroyed; t++) await sleep(100);
        if (!answered) counts.add(socket.destroyed ? 'closed' : 'no-answer');
        socket.destroy();
      };
      await Promise.all(Array.from({ length: 250 }, (_, i) => upload(i)));
      return { did: `250 uploads of ${length / MiB | 0} MiB; ${(sent / MiB).toFixed(0)} MiB sent in all`, counts };
    },
  },
  {
    name: 'ndjson-lines',
    summary: 'one 32 MiB body of `1\\n` lines to /v1/decisions/batch, /healthz probed during it',
    async run({ svc }) {
      const body = Buffer.alloc(BATCH_LIMIT - 16, '1\n');
      const { result, maxMs, probes } = await healthzDuring(svc.port, () => req(svc.port, { method: 'POST', path: '/v1/decisions/batch', headers: { 'content-type': 'application/x-ndjson' }, body, timeoutMs: 60_000 }));
      const counts = new Counts().add(result.status);
      return { did: `${body.length / 2} lines answered ${result.status} in ${result.ms.toFixed(0)} ms; /healthz worst ${maxMs.toFixed(0)} ms over ${probes} probes`, counts, ok: maxMs < 1_000, why: `/healthz took ${maxMs.toFixed(0)} ms (the event loop was blocked)` };
    },
  },
  {
    name: 'batches',
    summary: '40 concurrent valid batches of 10,000 events each: all 40 heads first, then the bodies',
    async run(ctx) {
      const { svc } = ctx;
      const counts = new Counts();
      const bodies = Array.from({ length: 40 }, (_, b) => Buffer.from(JSON.stringify(Array.from({ length: 10_000 }, (_, i) => event(`batch-${b}-${i}`, b * 10_000 + i)))));
      // Every head arrives while the service is idle, so each request is admitted before any body
      // is read; then the bodies follow at once.
      const answers = [];
      const sockets = await openSockets(svc.port, 40, new Counts(), (s) => {
        const i = answers.length;
        answers.push(new Promise((resolve) => {
          let text = '';
          s.on('data', (b) => {
            text += b;
            const status = statusOf(text);
            if (status) resolve(status);
          });
          s.on('close', () => resolve('closed'));
          setTimeout(() => resolve('timeout'), 90_000).unref();
        }));
        s.write(head('POST', '/v1/decisions/batch', { 'content-type': 'application/json', 'content-length': bodies[i].length }));
      });
      await sleep(500);
      const started = performance.now();
      sockets.forEach((s, i) => s.write(bodies[i]));
      const statuses = await Promise.all(answers);
      for (const st of statuses) counts.add(st);
      const seconds = (performance.now() - started) / 1000;
      for (const s of sockets) s.destroy();
      const bad = statuses.filter((st) => !['200', '413', '503'].includes(st)).length;
      return { did: `40 × 10,000 events (${(bodies[0].length / MiB).toFixed(1)} MiB each), all answered after ${seconds.toFixed(1)} s`, counts, ok: bad === 0, why: `${bad} batches got no answer or an error` };
    },
  },
  {
    name: 'metrics-flood',
    summary: 'GET /metrics from 200 connections for 10 s; a decision attempted 3 s in',
    async run({ svc }) {
      const flood = autocannon({ url: `http://127.0.0.1:${svc.port}/metrics`, connections: 200, duration: 10, timeout: 10 });
      await sleep(3_000);
      const d = await decision(svc.port, 15_000);
      const result = await flood;
      const counts = new Counts();
      for (const [code, { count }] of Object.entries(result.statusCodeStats ?? {})) counts.add(`metrics:${code}`, count);
      if (result.errors) counts.add('metrics:error', result.errors);
      counts.add(`decision:${d.status}`);
      return { did: `${result.requests.total} /metrics requests; the decision: ${d.status} in ${d.ms.toFixed(0)} ms`, counts, ok: d.status === 200 && d.ms < 2_000, why: `the decision during the flood: ${d.status} in ${d.ms.toFixed(0)} ms` };
    },
  },
  {
    name: 'log-limit',
    summary: 'GET /v1/log with limit=-1, limit=0.5, type=a&type=b (admin) after logging 5,000 decisions',
    async run({ svc }) {
      const counts = new Counts();
      await fillLog(svc.port, 5_000, 'fill', counts);
      const figures = [];
      let ok = true;
      for (const q of ['limit=-1', 'limit=0.5', 'type=a&type=b', 'limit=1e9']) {
        const r = await req(svc.port, { path: `/v1/log?${q}`, headers: adminHeaders, timeoutMs: 30_000, maxBodyBytes: 64 * MiB });
        const entries = json(r)?.entries?.length;
        const good = r.status === 400 || (r.status === 200 && entries <= 1_000 && r.ms < 2_000);
        ok &&= good;
        counts.add(`${q}:${r.status}`);
        figures.push(`${q} → ${r.status}${entries === undefined ? '' : ` ${entries} entries`} in ${r.ms.toFixed(0)} ms`);
      }
      return { did: figures.join(', '), counts, ok, why: 'expected 400 or a page of at most 1,000 entries within 2 s' };
    },
  },
  {
    name: 'exponential-policy',
    summary: 'admin upload of a policy whose definitions double at each of 28 levels, then a decision',
    timeLimitMs: 150_000,
    async run({ svc }) {
      let art = `${articleHead}define d-0 as actor.role is publisher\n`;
      for (let i = 1; i <= 28; i++) art += `define d-${i} as d-${i - 1} and d-${i - 1}\n`;
      art += rule('exponential', 'd-28');
      const files = [{ path: 'x/regulation.tiaoli', text: regulation }, { path: 'x/article-01.tiaoli', text: art }];
      const up = await req(svc.port, { method: 'POST', path: '/v1/admin/policies', headers: adminHeaders, body: { files }, timeoutMs: 60_000 });
      const d = await decision(svc.port, 60_000);
      const counts = new Counts().add(`upload:${up.status}`).add(`decision:${d.status}`);
      const ok = up.ms < 2_000 && d.ms < 2_000;
      return { did: `upload ${up.status} in ${up.ms.toFixed(0)} ms, then a decision ${d.status} in ${d.ms.toFixed(0)} ms`, counts, ok, why: 'the upload and the decision after it must each answer within 2 s' };
    },
  },
  {
    name: 'huge-policy',
    summary: 'admin upload of a ~30 MB policy of 190,000 rules, under the 32 MiB body limit (killed at 4 GB RSS or 90 s)',
    timeLimitMs: 120_000,
    async run({ svc }) {
      const parts = [articleHead];
      for (let r = 0; r < 190_000; r++) parts.push(rule(`generated-rule-number-${r}`, 'actor.role is publisher and content.form is live_stream'));
      const files = [{ path: 'x/regulation.tiaoli', text: regulation }, { path: 'x/article-01.tiaoli', text: parts.join('') }];
      const body = JSON.stringify({ files });
      const up = await req(svc.port, { method: 'POST', path: '/v1/admin/policies', headers: adminHeaders, body, timeoutMs: 90_000 });
      const counts = new Counts().add(`upload:${up.status}`);
      return { did: `${(body.length / MiB).toFixed(1)} MiB upload: ${up.status} in ${(up.ms / 1000).toFixed(1)} s`, counts, ok: up.status !== 'timeout' && up.ms < 10_000, why: `the upload answered ${up.status} after ${(up.ms / 1000).toFixed(1)} s (expected an answer within 10 s)` };
    },
  },
  {
    name: 'directory-attacks',
    summary: 'admin uploads of /usr, a symlink loop, a FIFO test file, {"files": []} and /etc: each refused (4xx), the old revision still deciding',
    timeLimitMs: 240_000,
    async run(ctx) {
      const loop = tmpDir('symlink-loop');
      symlinkSync('.', join(loop, 'x'));
      const fifo = tmpDir('fifo');
      execFileSync('mkfifo', [join(fifo, 'a.test.yaml')]);
      const attacks = [
        ['usr', { directory: '/usr' }],
        ['symlink-loop', { directory: loop }],
        ['fifo', { directory: fifo }],
        ['files-empty', { files: [] }],
        ['etc', { directory: '/etc' }],
      ];
      const counts = new Counts();
      const figures = [];
      const failed = [];
      for (const [i, [name, body]] of attacks.entries()) {
        const svc = i === 0 ? ctx.svc : await ctx.restart();
        const before = json(await req(svc.port, { path: '/v1/policies', timeoutMs: 2_000 }))?.digest;
        const up = await req(svc.port, { method: 'POST', path: '/v1/admin/policies', headers: adminHeaders, body, timeoutMs: 15_000 });
        const after = json(await req(svc.port, { path: '/v1/policies', timeoutMs: 2_000 }))?.digest;
        const forbidden = await decision(svc.port, 2_000, FORBIDDEN_EVENT);
        const denied = forbidden.status === 200 && json(forbidden)?.allowed === false;
        const rec = await ctx.recover();
        const refused = typeof up.status === 'number' && up.status >= 400 && up.status < 500;
        const problems = [!refused && `answered ${up.status}`, (after === undefined ? 'revision unreadable' : after !== before && 'revision changed'), !denied && `forbidden event ${forbidden.status === 200 ? 'allowed' : forbidden.status}`, !rec.ok && `recovery: ${rec.why}`, svc.exit && 'service exited'].filter(Boolean);
        counts.add(`${name}:${up.status}`);
        figures.push(`${name} ${up.status} in ${up.ms.toFixed(0)} ms${problems.length ? ` (${problems.join(', ')})` : ''}`);
        if (problems.length) failed.push(name);
        if (svc.exit) await ctx.restart();
      }
      return { did: figures.join('; '), counts, ok: failed.length === 0, why: `not refused safely: ${failed.join(', ')}` };
    },
  },
];

await runScenarios('overload scenarios', scenarios);
// The child is gone; make sure nothing keeps the process (autocannon's timers, sockets).
setTimeout(() => process.exit(), 100).unref();
