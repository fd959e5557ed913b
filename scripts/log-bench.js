// The decision log's write cost with its chain, and checkpoint cost: a fresh SQLite log (WAL,
// synchronous=FULL), shipped decisions of the replay bench's mix; appends one at a time (each its own
// transaction and fsync) and in groups of 100 (what concurrent requests share), then a checkpoint
// signed over all of it and one over the next group only. Runs from dist/ (build first).
//
//   node scripts/log-bench.js [--singles 2000] [--grouped 20000]
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { decide, loadPolicyDir } from '../dist/engine/index.js';
import { openLog } from '../dist/engine/log/open.js';
// Absent from a checkout before the chain: then only appends are measured, for comparing.
const verify = await import('../dist/engine/log/verify.js').catch(() => undefined);

const { values: opts } = parseArgs({ options: { singles: { type: 'string', default: '2000' }, grouped: { type: 'string', default: '20000' } } });
const loaded = loadPolicyDir();
const provider = { id: 'p', services: ['live_broadcast'], licenses: ['icp_filing'], hasStorage: true };
const entry = (i) => {
  const event = { id: `b-${i}`, type: 'content.publish', occurredAt: '2020-03-01T12:00:00+08:00', provider, actor: { id: 'a', role: 'publisher', verified: ['phone_number', 'identity_document'], agreementSigned: true, newsQualified: false, priorViolations: 0 }, content: { id: 'c', form: 'live_stream', category: 'general', prohibited: [] } };
  return { eventId: event.id, type: event.type, occurredAt: event.occurredAt, decidedAt: new Date().toISOString(), digest: loaded.policy.digest, event, decision: decide(loaded.policy, event) };
};
const tmp = mkdtempSync(join(tmpdir(), 'tiaoli-log-bench-'));
const log = openLog(join(tmp, 'decisions.sqlite'));
const perDecision = async (n, group) => {
  const entries = Array.from({ length: n }, (_, i) => entry(i));
  const started = performance.now();
  for (let i = 0; i < n; i += group) await Promise.all(entries.slice(i, i + group).map((e) => log.append([e])));
  return ((performance.now() - started) * 1000) / n;
};
const singleUs = await perDecision(Number(opts.singles), 1);
const groupedUs = await perDecision(Number(opts.grouped), 100);
console.log(`append, one decision a transaction: ${singleUs.toFixed(0)} µs per decision; in groups of 100: ${groupedUs.toFixed(1)} µs per decision`);
const figures = { appendSingleUs: Math.round(singleUs), appendGroupedUs: Number(groupedUs.toFixed(1)) };
if (verify) {
  const { privateKey } = generateKeyPairSync('ed25519');
  let started = performance.now();
  const first = await verify.makeCheckpoint(log, privateKey, new Date().toISOString());
  const firstMs = performance.now() - started;
  await perDecision(100, 100);
  started = performance.now();
  await verify.makeCheckpoint(log, privateKey, new Date().toISOString());
  const nextMs = performance.now() - started;
  console.log(`checkpoint over ${first.size.toLocaleString('en')} entries: ${firstMs.toFixed(0)} ms; the next, over 100 more: ${nextMs.toFixed(1)} ms`);
  Object.assign(figures, { checkpointFirstMs: Math.round(firstMs), checkpointNextMs: Number(nextMs.toFixed(1)), checkpointEntries: first.size });
}
await log.close();
rmSync(tmp, { recursive: true, force: true });
console.log(JSON.stringify(figures));
