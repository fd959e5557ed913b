// The decision log's write cost with its chain, and checkpoint cost: a fresh SQLite log (WAL,
// synchronous=FULL), shipped decisions of the replay bench's mix; appends one at a time (each its own
// transaction and fsync) and in groups of 100 (what concurrent requests share), then a checkpoint
// signed over all of it and one over the next group only. Runs from dist/ (build first).
//
//   node scripts/log-bench.js [--singles 2000] [--grouped 20000] [--against DIR]
// --against: the log of another checkout (its dist/, built), such as one from before the chain, fed
// the same decisions (decided here): so the two logs' costs differ only by the logs' code.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { decide, loadPolicyDir } from '../dist/engine/index.js';
import { pathToFileURL } from 'node:url';

const { values: opts } = parseArgs({ options: { singles: { type: 'string', default: '2000' }, grouped: { type: 'string', default: '20000' }, against: { type: 'string' } } });
const dist = opts.against === undefined ? new URL('../dist/', import.meta.url) : pathToFileURL(join(opts.against, 'dist/'));
const { openLog } = await import(new URL('engine/log/open.js', dist).href);
// Absent from a checkout before the chain: then only appends are measured, for comparing.
const verify = await import(new URL('engine/log/verify.js', dist).href).catch(() => undefined);
const loaded = loadPolicyDir();
const provider = { id: 'p', services: ['live_broadcast'], licenses: ['icp_filing'], businesses: [], hasStorage: true };
const entry = (i) => {
  const event = { id: `b-${i}`, type: 'content.publish', occurredAt: '2020-03-01T12:00:00+08:00', provider, actor: { id: 'a', role: 'publisher', verified: ['phone_number', 'identity_document'], agreementSigned: true, newsQualified: false, priorViolations: 0 }, content: { id: 'c', form: 'live_stream', category: 'general', prohibited: [] } };
  const decision = decide(loaded.policy, event);
  // An invalid event would log a short error, not a decision: the cost measured would be another's.
  if (decision.error) throw new Error(`log-bench: the event is invalid: ${JSON.stringify(decision.error)}`);
  return { eventId: event.id, type: event.type, occurredAt: event.occurredAt, decidedAt: new Date().toISOString(), digest: loaded.policy.digest, event, decision };
};
const tmp = mkdtempSync(join(tmpdir(), 'tiaoli-log-bench-'));
const log = openLog(join(tmp, 'decisions.sqlite'));
/** Wall time per decision (µs), and this process's CPU time per decision: the part a loaded machine distorts least. */
const perDecision = async (n, group) => {
  const entries = Array.from({ length: n }, (_, i) => entry(i));
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < n; i += group) await Promise.all(entries.slice(i, i + group).map((e) => log.append([e])));
  const { user, system } = process.cpuUsage(cpu);
  return { us: ((performance.now() - started) * 1000) / n, cpuUs: (user + system) / n };
};
const single = await perDecision(Number(opts.singles), 1);
const grouped = await perDecision(Number(opts.grouped), 100);
console.log(`append, one decision a transaction: ${single.us.toFixed(0)} µs per decision (CPU ${single.cpuUs.toFixed(0)} µs); in groups of 100: ${grouped.us.toFixed(1)} µs per decision (CPU ${grouped.cpuUs.toFixed(1)} µs)`);
const figures = { appendSingleUs: Math.round(single.us), appendGroupedUs: Number(grouped.us.toFixed(1)), appendSingleCpuUs: Math.round(single.cpuUs), appendGroupedCpuUs: Number(grouped.cpuUs.toFixed(1)) };
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
