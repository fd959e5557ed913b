// `npm run overload`: measures the service's capacity, then drives it at twice that rate for a
// bounded time, and reports what it shed (503 + Retry-After), its peak memory, and whether it
// recovers once the load stops. Traffic goes to a service this script starts on loopback.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';

const bin = new URL('../bin/tiaoli.js', import.meta.url).pathname;
const data = mkdtempSync(join(tmpdir(), 'tiaoli-overload-'));
const child = spawn(process.execPath, [bin, 'serve'], { env: { ...process.env, PORT: '0', TIAOLI_DATA: data }, stdio: ['ignore', 'pipe', 'inherit'] });
const port = await new Promise((resolve, reject) => {
  let out = '';
  child.stdout.on('data', (b) => {
    out += b;
    const m = /http:\/\/localhost:(\d+)\//.exec(out);
    if (m) resolve(Number(m[1]));
  });
  child.once('exit', (code) => reject(new Error(`service exited (${code})`)));
});
const url = `http://127.0.0.1:${port}/v1/decisions`;
const body = JSON.stringify({
  id: 'load',
  type: 'content.publish',
  occurredAt: '2021-06-01T12:00:00+08:00',
  provider: { id: 'p', services: ['live_broadcast', 'audio_video'], licenses: ['icp_filing'] },
  actor: { id: 'a', role: 'publisher', verified: ['identity_document'], agreementSigned: true },
  content: { id: 'c', form: 'live_stream', category: 'general' },
});
const run = (opts) => autocannon({ url, method: 'POST', headers: { 'content-type': 'application/json' }, body, ...opts });
const rssMb = () => Number(execFileSync('ps', ['-o', 'rss=', '-p', String(child.pid)]).toString().trim()) / 1024;

const capacity = await run({ connections: 50, duration: 8 });
const perSec = Math.round(capacity.requests.average);
console.log(`capacity: ${perSec} decisions/s at 50 connections (p99 ${capacity.latency.p99} ms), RSS ${rssMb().toFixed(0)} MB`);

let peak = 0;
const sampler = setInterval(() => (peak = Math.max(peak, rssMb())), 250);
const overload = await run({ connections: 400, duration: 15, overallRate: perSec * 2, timeout: 10 });
clearInterval(sampler);
const codes = overload.statusCodeStats ?? {};
const served = codes['200']?.count ?? 0;
const shed = codes['503']?.count ?? 0;
console.log(`at 2x (${perSec * 2}/s offered for 15 s): ${served} served, ${shed} shed with 503, ${overload.errors} errors, ${overload.timeouts} timeouts; peak RSS ${peak.toFixed(0)} MB`);

const after = await run({ connections: 10, duration: 3 });
const recovered = (after.statusCodeStats?.['200']?.count ?? 0) > 0 && !after.statusCodeStats?.['503'];
console.log(`after the load: ${Math.round(after.requests.average)} decisions/s, ${recovered ? 'recovered (no 503)' : 'NOT recovered'}`);
child.kill('SIGTERM');
await new Promise((r) => child.once('exit', r));
rmSync(data, { recursive: true, force: true });
process.exitCode = recovered ? 0 : 1;
