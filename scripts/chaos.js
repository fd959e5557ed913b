// `npm run chaos [-- --kills N]`: crash safety of the decision log. Each round starts the real
// service on a shared data directory, sends it decisions from many concurrent clients, kills it with
// SIGKILL at a random moment, and then checks that the log opens cleanly and holds every decision
// whose response arrived. Exits 1 if any acknowledged decision is missing.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';

const { values } = parseArgs({ options: { kills: { type: 'string', default: '20' }, seed: { type: 'string', default: String(Date.now()) } } });
const kills = Number(values.kills);
let seed = Number(values.seed) >>> 0 || 1;
const random = () => ((seed = (seed * 1_103_515_245 + 12_345) >>> 0) / 2 ** 32);

const bin = new URL('../bin/tiaoli.js', import.meta.url).pathname;
const data = mkdtempSync(join(tmpdir(), 'tiaoli-chaos-'));
const CLIENTS = 16;

function event(id, i) {
  const types = ['content.publish', 'interaction.post', 'account.register', 'record.delete'];
  return {
    id,
    type: types[i % types.length],
    occurredAt: new Date(Date.UTC(2017, 0, 1) + i * 3_600_000).toISOString(),
    provider: { id: 'p', services: ['live_broadcast'] },
    actor: { id: `a${i}`, role: 'user', verified: ['phone_number'], agreementSigned: true },
    content: { id: `c${i}`, form: 'comment', category: 'general' },
    record: { kind: 'content_and_logs', createdAt: '2016-12-15T00:00:00Z' },
  };
}

function start() {
  const child = spawn(process.execPath, [bin, 'serve'], { env: { ...process.env, PORT: '0', TIAOLI_DATA: data }, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (b) => {
      out += b;
      const m = /http:\/\/localhost:(\d+)\//.exec(out);
      if (m) resolve({ child, port: Number(m[1]) });
    });
    child.once('exit', (code) => reject(new Error(`service exited (${code}) before listening: ${out}`)));
  });
}

const acknowledged = new Set();
let sent = 0;
for (let round = 1; round <= kills; round++) {
  const { child, port } = await start();
  let running = true;
  const client = async (c) => {
    while (running) {
      const id = `r${round}-c${c}-${sent++}`;
      try {
        const res = await fetch(`http://127.0.0.1:${port}/v1/decisions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(event(id, sent)) });
        if (res.status === 200) {
          await res.json();
          acknowledged.add(id);
        }
      } catch {
        // The service died under this request: no response arrived, so nothing was promised.
      }
    }
  };
  const clients = Array.from({ length: CLIENTS }, (_, c) => client(c));
  await new Promise((r) => setTimeout(r, 100 + random() * 1400));
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
  running = false;
  await Promise.all(clients);

  const db = new Database(join(data, 'decisions.sqlite'));
  const integrity = db.pragma('integrity_check', { simple: true });
  const logged = new Set(db.prepare('SELECT event_id FROM decisions').pluck().all());
  db.close();
  const lost = [...acknowledged].filter((id) => !logged.has(id));
  console.log(`kill ${String(round).padStart(2)}: ${acknowledged.size} acknowledged so far, ${logged.size} in the log, integrity ${integrity}, ${lost.length} lost`);
  if (integrity !== 'ok' || lost.length > 0) {
    console.log(`FAILED: ${lost.slice(0, 5).join(', ')}`);
    process.exit(1);
  }
}
rmSync(data, { recursive: true, force: true });
console.log(`${kills} kills survived, ${acknowledged.size} acknowledged decisions, 0 lost`);
