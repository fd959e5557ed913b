// The harness `npm run overload` and `npm run chaos` share: it starts the real service as a child
// process on loopback, watches its memory in /proc, runs attack scenarios one at a time, and ends
// each with the same recovery check (a valid decision answered 200 within 2 s, RSS back under
// 300 MB within 10 s). Every child it starts is killed and every temporary directory removed at the
// end, on failure too. Traffic goes to 127.0.0.1 only.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

export const BIN = new URL('../bin/tiaoli.js', import.meta.url).pathname;
export const ROOT = new URL('..', import.meta.url).pathname;
export const HOST = '127.0.0.1';
export const ADMIN_TOKEN = 'attack-harness-admin-token';
/** The recovery check's bounds. */
export const RECOVERY = { decisionWithinMs: 2_000, rssUnderMb: 300, rssWithinMs: 10_000 };
/** Past this RSS the child is killed and the scenario fails: the host must stay usable. */
export const KILL_ABOVE_MB = 4_096;

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---- cleanup: every child and tmp dir this process made, gone at exit ---------------------------

const children = new Set();
const tmpDirs = new Set();
const mounts = new Set();

export function tmpDir(prefix) {
  const dir = mkdtempSync(join(tmpdir(), `tiaoli-${prefix}-`));
  tmpDirs.add(dir);
  return dir;
}
export function removeTmpDir(dir) {
  rmSync(dir, { recursive: true, force: true });
  tmpDirs.delete(dir);
}
/** A directory someone mounted on: unmounted (lazily) at the end, before the tmp dirs go. */
export function registerMount(dir) {
  mounts.add(dir);
}
export function unregisterMount(dir) {
  mounts.delete(dir);
}

let cleanedUp = false;
function cleanupSync(umount) {
  if (cleanedUp) return;
  cleanedUp = true;
  for (const c of children) {
    try {
      process.kill(c.pid, 'SIGKILL');
    } catch {
      // Gone already.
    }
  }
  for (const m of mounts) umount?.(m);
  for (const d of tmpDirs) rmSync(d, { recursive: true, force: true });
}
let umountSync;
export function setUmount(fn) {
  umountSync = fn;
}
process.once('exit', () => cleanupSync(umountSync));
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, () => {
    cleanupSync(umountSync);
    process.exit(130);
  });
}

// ---- the service ---------------------------------------------------------------------------------

/**
 * Starts `tiaoli serve` with PORT=0 on a data directory and waits for its banner
 * ("http://localhost:PORT/"). `ulimit` runs it under `bash -c 'ulimit -n N; exec node …'`.
 */
export async function startService({ data, env = {}, ulimit, admin = true, startTimeoutMs = 30_000 } = {}) {
  const dir = data ?? tmpDir('data');
  // No access log unless asked (TIAOLI_LOG_LEVEL): a line per request would cost the attacks' throughput and fill the pipe read here.
  const fullEnv = { TIAOLI_LOG_LEVEL: 'warn', ...process.env, PORT: '0', HOST, TIAOLI_DATA: dir, ...(admin ? { TIAOLI_ADMIN_TOKEN: ADMIN_TOKEN } : {}), ...env };
  const child =
    ulimit === undefined
      ? spawn(process.execPath, [BIN, 'serve'], { env: fullEnv, stdio: ['ignore', 'pipe', 'pipe'], cwd: ROOT })
      : spawn('bash', ['-c', `ulimit -n ${Number(ulimit)}; exec "${process.execPath}" "${BIN}" serve`], { env: fullEnv, stdio: ['ignore', 'pipe', 'pipe'], cwd: ROOT });
  children.add(child);
  const svc = { child, pid: child.pid, port: 0, data: dir, ownData: data === undefined, stdout: '', stderr: '', exit: null };
  svc.exited = new Promise((r) =>
    child.once('exit', (code, signal) => {
      svc.exit = { code, signal };
      children.delete(child);
      r(svc.exit);
    }),
  );
  child.stderr.on('data', (b) => (svc.stderr = (svc.stderr + b).slice(-8_000)));
  svc.port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`service did not listen within ${startTimeoutMs} ms`));
    }, startTimeoutMs);
    child.stdout.on('data', (b) => {
      svc.stdout = (svc.stdout + b).slice(-8_000);
      const m = /http:\/\/localhost:(\d+)\//.exec(svc.stdout);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    svc.exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`service exited (${code ?? signal}) before listening: ${svc.stderr.trim().split('\n').slice(-3).join(' | ')}`));
    });
  });
  return svc;
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the child is gone. */
export async function stopService(svc, graceMs = 3_000) {
  if (!svc || svc.exit) return svc?.exit;
  try {
    svc.child.kill('SIGTERM');
  } catch {
    // Gone.
  }
  const timer = setTimeout(() => svc.exit || svc.child.kill('SIGKILL'), graceMs);
  await svc.exited;
  clearTimeout(timer);
  return svc.exit;
}

export const alive = (svc) => svc && !svc.exit;

/** RSS of a process in MB, from /proc/PID/status VmRSS; undefined when it has gone. */
export function rssMb(pid) {
  try {
    const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Polls RSS every `ms`, keeps the peak, and kills the child past `killAboveMb`. */
export function watchRss(svc, { ms = 100, killAboveMb = KILL_ABOVE_MB } = {}) {
  const w = { peakMb: 0, killed: false };
  const poll = setInterval(() => {
    const mb = rssMb(svc.pid);
    if (mb === undefined) return;
    w.peakMb = Math.max(w.peakMb, mb);
    if (mb > killAboveMb && !w.killed) {
      w.killed = true;
      try {
        svc.child.kill('SIGKILL');
      } catch {
        // Gone.
      }
    }
  }, ms);
  w.stop = () => clearInterval(poll);
  return w;
}

// ---- requests ------------------------------------------------------------------------------------

/**
 * One HTTP request on its own connection; never throws. `status` is the code, or 'timeout' /
 * 'reset' / 'refused' / 'error'. `maxBodyBytes` keeps only the start of a large answer.
 */
export function req(port, { method = 'GET', path = '/', headers = {}, body, timeoutMs = 10_000, maxBodyBytes = 1 << 20 } = {}) {
  const started = performance.now();
  return new Promise((resolve) => {
    let done = false;
    const finish = (r) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve({ ms: performance.now() - started, ...r });
    };
    const payload = body === undefined ? undefined : typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
    const h = { ...headers };
    if (payload !== undefined) {
      h['content-length'] = Buffer.byteLength(payload);
      h['content-type'] ??= 'application/json';
    }
    const r = httpRequest({ host: HOST, port, method, path, headers: h, agent: false }, (res) => {
      const chunks = [];
      let size = 0;
      let total = 0;
      res.on('data', (c) => {
        total += c.length;
        if (size < maxBodyBytes) {
          chunks.push(c);
          size += c.length;
        }
      });
      res.on('end', () => finish({ status: res.statusCode, headers: res.headers, text: Buffer.concat(chunks).toString('utf8'), bytes: total }));
      res.on('error', () => finish({ status: 'reset' }));
    });
    const timer = setTimeout(() => {
      finish({ status: 'timeout' });
      r.destroy();
    }, timeoutMs);
    r.on('error', (e) => finish({ status: e.code === 'ECONNREFUSED' ? 'refused' : e.code === 'ECONNRESET' || e.code === 'EPIPE' ? 'reset' : 'error', error: e.code ?? e.message }));
    r.end(payload);
  });
}

export const json = (r) => {
  try {
    return JSON.parse(r.text);
  } catch {
    return undefined;
  }
};
export const adminHeaders = { authorization: `Bearer ${ADMIN_TOKEN}` };

/** A raw TCP connection to the service; resolves once connected (or with the error). */
export function rawSocket(port, timeoutMs = 5_000) {
  return new Promise((resolve) => {
    const s = connect({ host: HOST, port });
    const t = setTimeout(() => {
      s.destroy();
      resolve({ error: 'timeout' });
    }, timeoutMs);
    s.once('connect', () => {
      clearTimeout(t);
      resolve({ socket: s });
    });
    s.once('error', (e) => {
      clearTimeout(t);
      resolve({ error: e.code ?? e.message });
    });
  });
}

/** Counts of things by name, printed as `200×12 503×4`. */
export class Counts {
  constructor() {
    this.map = new Map();
  }
  add(key, n = 1) {
    this.map.set(String(key), (this.map.get(String(key)) ?? 0) + n);
    return this;
  }
  get(key) {
    return this.map.get(String(key)) ?? 0;
  }
  toString() {
    return [...this.map].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, n]) => `${k}×${n}`).join(' ') || '-';
  }
}

/** Runs `fn(i)` for i < count with at most `concurrency` at once. */
export async function pool(count, concurrency, fn) {
  let next = 0;
  const worker = async () => {
    while (next < count) await fn(next++);
  };
  await Promise.all(Array.from({ length: Math.min(count, concurrency) }, worker));
}

// ---- events --------------------------------------------------------------------------------------

/** A valid event, as the overload and chaos scripts have always sent. */
export function event(id, i = 0) {
  const types = ['content.publish', 'interaction.post', 'account.register', 'record.delete'];
  return {
    id,
    type: types[i % types.length],
    occurredAt: new Date(Date.UTC(2017, 0, 1) + (i % 100_000) * 60_000).toISOString(),
    provider: { id: 'p', services: ['live_broadcast'], businesses: [] },
    actor: { id: `a${i}`, role: 'user', verified: ['phone_number'], agreementSigned: true },
    content: { id: `c${i}`, form: 'comment', category: 'general', streamCategory: 'general' },
    record: { kind: 'content_and_logs', createdAt: '2016-12-15T00:00:00Z' },
  };
}
/** The event the recovery check decides (the one `npm run overload` has always sent). */
export const PROBE_EVENT = {
  id: 'probe',
  type: 'content.publish',
  occurredAt: '2021-06-01T12:00:00+08:00',
  provider: { id: 'p', services: ['live_broadcast', 'audio_video'], licenses: ['icp_filing'], businesses: [] },
  actor: { id: 'a', role: 'publisher', verified: ['identity_document'], agreementSigned: true },
  content: { id: 'c', form: 'live_stream', category: 'general' },
};
/** Prohibited content from a blacklisted actor: every revision of the shipped policies denies it. */
export const FORBIDDEN_EVENT = {
  ...PROBE_EVENT,
  id: 'forbidden',
  actor: { ...PROBE_EVENT.actor, blacklisted: true },
  content: { ...PROBE_EVENT.content, prohibited: ['pornography'] },
};
let probeSeq = 0;
export const decision = (port, timeoutMs = RECOVERY.decisionWithinMs, ev = PROBE_EVENT) =>
  req(port, { method: 'POST', path: '/v1/decisions', body: { ...ev, id: `${ev.id}-${probeSeq++}` }, timeoutMs });

/**
 * Logs `count` valid decisions through /v1/decisions/batch, 1,000 at a time; a batch shed with 503
 * is retried after its Retry-After (up to 10 times). Counts the final status of each batch.
 */
export async function fillLog(port, count, prefix, counts) {
  for (let b = 0; b * 1_000 < count; b++) {
    const body = Array.from({ length: Math.min(1_000, count - b * 1_000) }, (_, i) => event(`${prefix}-${b}-${i}`, b * 1_000 + i));
    let r;
    for (let attempt = 0; attempt < 10; attempt++) {
      r = await req(port, { method: 'POST', path: '/v1/decisions/batch', body, timeoutMs: 30_000, maxBodyBytes: 0 });
      if (r.status !== 503) break;
      await sleep(1_000);
    }
    counts.add(`fill:${r.status}`);
  }
}

// ---- the recovery check --------------------------------------------------------------------------

/**
 * After an attack: polls a valid POST /v1/decisions until one answers 200 (up to 2 s in all), then
 * RSS until it is under 300 MB (up to 10 s). Reports the measured times.
 */
export async function recoveryCheck(svc) {
  const out = { ok: false, firstOkMs: undefined, rssMs: undefined, rssAfterMb: undefined, lastStatus: undefined };
  if (!alive(svc)) {
    out.why = `service exited (${svc?.exit?.code ?? svc?.exit?.signal ?? 'not started'})`;
    return out;
  }
  const started = performance.now();
  while (performance.now() - started < RECOVERY.decisionWithinMs) {
    const left = RECOVERY.decisionWithinMs - (performance.now() - started);
    const r = await decision(svc.port, Math.max(50, left));
    out.lastStatus = r.status;
    if (r.status === 200) {
      out.firstOkMs = performance.now() - started;
      break;
    }
    await sleep(50);
  }
  const rssStart = performance.now();
  while (true) {
    out.rssAfterMb = rssMb(svc.pid);
    if (out.rssAfterMb !== undefined && out.rssAfterMb < RECOVERY.rssUnderMb) {
      out.rssMs = performance.now() - rssStart;
      break;
    }
    if (out.rssAfterMb === undefined || performance.now() - rssStart >= RECOVERY.rssWithinMs) break;
    await sleep(200);
  }
  const why = [];
  if (out.firstOkMs === undefined) why.push(`no 200 within ${RECOVERY.decisionWithinMs} ms (last: ${out.lastStatus})`);
  if (out.rssMs === undefined) why.push(`RSS ${fmtMb(out.rssAfterMb)} not under ${RECOVERY.rssUnderMb} MB within ${RECOVERY.rssWithinMs / 1000} s`);
  out.ok = why.length === 0;
  if (!out.ok) out.why = why.join('; ');
  return out;
}

export const fmtMb = (mb) => (mb === undefined ? 'gone' : `${mb.toFixed(0)} MB`);
export const fmtMs = (ms) => (ms === undefined ? '-' : ms < 10_000 ? `${ms.toFixed(0)} ms` : `${(ms / 1000).toFixed(1)} s`);

// ---- scenarios -----------------------------------------------------------------------------------

/**
 * A scenario: { name, summary, service?: start options (false: it starts its own), timeLimitMs?,
 * run(ctx) → { did, counts?, ok?, why?, skipped? } }. The context holds `svc` (the service the
 * recovery check decides against), `restart(opts)`, `recover()` and `watch` (peak RSS, kill at 4 GB).
 * A scenario passes when its own check (`ok`, default true) and the recovery check pass, the
 * child did not exit, and it was not killed for memory.
 */
export async function runScenarios(title, scenarios, argv = process.argv.slice(2), extraOptions = {}) {
  const { values } = parseArgs({
    args: argv,
    options: { scenario: { type: 'string', multiple: true }, list: { type: 'boolean', default: false }, ...extraOptions },
    allowPositionals: false,
  });
  if (values.list) {
    for (const s of scenarios) console.log(`${s.name.padEnd(22)} ${s.summary}`);
    return { values, results: [] };
  }
  const wanted = values.scenario?.flatMap((s) => s.split(','));
  const unknown = wanted?.filter((n) => !scenarios.some((s) => s.name === n)) ?? [];
  if (unknown.length) {
    console.error(`unknown scenario: ${unknown.join(', ')} (see --list)`);
    process.exitCode = 2;
    return { values, results: [] };
  }
  const chosen = wanted ? scenarios.filter((s) => wanted.includes(s.name)) : scenarios;
  const results = [];
  for (const s of chosen) {
    const r = await runOne(s, values);
    results.push(r);
    console.log(line(r));
  }
  console.log(`\n${title}`);
  table(results);
  const failed = results.filter((r) => r.verdict === 'FAIL');
  process.exitCode = failed.length ? 1 : 0;
  return { values, results };
}

async function runOne(s, options) {
  const started = performance.now();
  const services = [];
  const ctx = {
    options,
    /** Set once the scenario's time is up: its loops stop. */
    aborted: false,
    svc: undefined,
    watch: undefined,
    peakMb: 0,
    killedForMemory: false,
    async start(opts = {}) {
      const svc = await startService({ ...(s.service || {}), ...opts });
      services.push(svc);
      ctx.svc = svc;
      ctx.watch?.stop();
      ctx.watch = watchRss(svc);
      return svc;
    },
    async restart(opts) {
      await ctx.stopCurrent();
      return ctx.start(opts);
    },
    async stopCurrent() {
      if (ctx.watch) {
        ctx.watch.stop();
        ctx.peakMb = Math.max(ctx.peakMb, ctx.watch.peakMb);
        ctx.killedForMemory ||= ctx.watch.killed;
      }
      ctx.watch = undefined;
      if (ctx.svc) await stopService(ctx.svc);
    },
    recover: () => recoveryCheck(ctx.svc),
    peak: () => Math.max(ctx.peakMb, ctx.watch?.peakMb ?? 0),
  };
  const result = { name: s.name, did: '', counts: '-', peakMb: 0, firstOkMs: undefined, rssAfterMb: undefined, verdict: 'FAIL', why: [] };
  try {
    if (s.service !== false) await ctx.start();
    const limit = s.timeLimitMs ?? 120_000;
    let timer;
    ctx.deadline = performance.now() + limit;
    const out = await Promise.race([s.run(ctx), new Promise((r) => (timer = setTimeout(() => r({ timedOut: true }), limit)))]);
    clearTimeout(timer);
    ctx.aborted = true;
    if (out.timedOut) {
      result.why.push(`scenario did not finish within ${limit / 1000} s`);
    } else {
      result.did = out.did ?? '';
      result.counts = out.counts?.toString() ?? '-';
      if (out.skipped) {
        result.verdict = 'SKIP';
        result.why.push(out.skipped);
        return result;
      }
      if (out.ok === false) result.why.push(out.why ?? 'its own check failed');
    }
    if (ctx.watch?.killed || ctx.killedForMemory) result.why.push(`killed: RSS passed ${KILL_ABOVE_MB} MB`);
    else if (ctx.svc && ctx.svc.exit) result.why.push(`service exited during the attack (${ctx.svc.exit.code ?? ctx.svc.exit.signal}): ${lastLine(ctx.svc.stderr)}`);
    const rec = await recoveryCheck(ctx.svc);
    result.firstOkMs = rec.firstOkMs;
    result.rssAfterMb = rec.rssAfterMb;
    result.rssMs = rec.rssMs;
    if (!rec.ok && !(ctx.svc?.exit && result.why.length)) result.why.push(`recovery: ${rec.why}`);
    else if (!rec.ok) result.why.push('no recovery');
    result.verdict = result.why.length ? 'FAIL' : 'PASS';
  } catch (e) {
    result.why.push(`harness: ${e.message}`);
  } finally {
    result.peakMb = ctx.peak();
    ctx.watch?.stop();
    for (const svc of services) {
      await stopService(svc);
      if (svc.ownData) removeTmpDir(svc.data);
    }
    result.seconds = (performance.now() - started) / 1000;
  }
  return result;
}

/** The telling line of a dead child's stderr: its error, else its last line. */
const lastLine = (text) => {
  const lines = text.trim().split('\n').filter(Boolean);
  return (lines.find((l) => /^\w*Error\b|\bE[A-Z]{3,}\b/.test(l.trim())) ?? lines.at(-1) ?? '').trim().slice(0, 200);
};

function line(r) {
  if (r.verdict === 'SKIP') return `SKIP ${r.name}: ${r.why.join('; ')}`;
  return `${r.verdict} ${r.name}: ${r.did}; status ${r.counts}; peak RSS ${fmtMb(r.peakMb)}; first 200 after ${fmtMs(r.firstOkMs)}; RSS after ${fmtMb(r.rssAfterMb)}${r.rssMs !== undefined ? ` (under ${RECOVERY.rssUnderMb} MB after ${fmtMs(r.rssMs)})` : ''}; ${r.seconds.toFixed(1)} s${r.why.length ? ` — ${r.why.join('; ')}` : ''}`;
}

function table(results) {
  const rows = [['scenario', 'result', 'peak RSS', 'first 200', 'RSS after', 'status counts', 'why']];
  for (const r of results) rows.push([r.name, r.verdict, fmtMb(r.peakMb), fmtMs(r.firstOkMs), fmtMb(r.rssAfterMb), r.counts, r.why.join('; ').slice(0, 160)]);
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => String(row[i]).length)));
  for (const [i, row] of rows.entries()) {
    console.log(row.map((c, j) => (j === row.length - 1 ? c : String(c).padEnd(widths[j]))).join('  '));
    if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  }
}
