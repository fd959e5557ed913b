// Replay and diff at scale: fills a decision log with N decisions of a varied event mix (not timed),
// then times `tiaoli log verify --log DB` (every chain hash), `tiaoli replay --log DB` (every decision
// reproduced under its revision), the same replay as two shards run at once and merged, and
// `tiaoli diff --base R1 --head R2 --log DB` (R2 keeps content and logs 90 days, not 60) as a user
// runs them, sampling each process's peak RSS (VmHWM) as it goes. Runs from dist/ (build first).
//
//   node scripts/replay-bench.js [--events 1000000] [--log FILE|postgres://…]   (default: a temporary SQLite file)
// A given log that already holds N decisions is not filled again.
import { spawn } from 'node:child_process';
import { cpSync, createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { decide, loadPolicyDir, SHIPPED_POLICIES } from '../dist/engine/index.js';
import { openLog } from '../dist/engine/log/open.js';
import { watchMemory } from './memory.js';

const { values: opts } = parseArgs({ options: { events: { type: 'string', default: '1000000' }, log: { type: 'string' } } });
const N = Number(opts.events);
const BIN = new URL('../bin/tiaoli.js', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'tiaoli-replay-bench-'));
const location = opts.log ?? join(tmp, 'decisions.sqlite');

const r2 = join(tmp, 'r2');
cpSync(SHIPPED_POLICIES, r2, { recursive: true });
const art16 = join(r2, 'live-2016', 'article-16.tiaoli');
writeFileSync(art16, readFileSync(art16, 'utf8').replace('for P60D', 'for P90D'));

const provider = { id: 'p', services: ['live_broadcast'], licenses: ['icp_filing'], businesses: [], hasStorage: true, launchedAt: '2016-06-01', publicSecurityFiledAt: '2016-06-20' };
const publisher = { id: 'a', role: 'publisher', verified: ['phone_number', 'identity_document'], agreementSigned: true, newsQualified: false, priorViolations: 0 };
const user = { id: 'u', role: 'user', verified: ['phone_number'], agreementSigned: true, priorViolations: 1 };
const TEMPLATES = [
  { type: 'content.publish', provider, actor: publisher, content: { id: 'c', form: 'live_stream', category: 'general', prohibited: [] } },
  { type: 'content.publish', provider: { ...provider, services: ['audio_video'] }, actor: publisher, content: { id: 'c', form: 'video', category: 'general', prohibited: [], synthetic: true, untrue: true } },
  { type: 'interaction.post', provider, actor: user, content: { id: 'c', form: 'comment', category: 'general', streamCategory: 'general', prohibited: [] } },
  { type: 'content.flagged', provider, actor: user, content: { id: 'c', form: 'live_stream', category: 'general', prohibited: ['rumor'] } },
  { type: 'account.register', provider, actor: { ...user, verified: [] } },
  { type: 'feature.launch', provider, feature: { id: 'f', deepSynthesis: true, mediaAttributes: false, socialMobilization: false } },
  { type: 'access.request', provider, requester: { kind: 'app_store' } },
  { type: 'record.delete', provider, record: { kind: 'content_and_logs', createdAt: '2019-12-20T08:00:00+08:00' } },
];

async function fill() {
  const loaded = loadPolicyDir();
  const log = openLog(location);
  if ((await log.count({})) >= N) return (await log.close(), 0);
  await log.activate(loaded.policy.digest, loaded.sources, new Date().toISOString());
  const started = Date.now();
  const day0 = Date.parse('2019-06-01T00:00:00+08:00');
  for (let i = 0; i < N; ) {
    const batch = [];
    for (const end = Math.min(N, i + 5000); i < end; i++) {
      const t = TEMPLATES[i % TEMPLATES.length];
      // Spread over a year of event time, one event every ~30 s.
      const occurredAt = new Date(day0 + ((i * 31_557) % (365 * 86_400_000))).toISOString();
      const event = { ...t, id: `ev-${i}`, occurredAt };
      const decision = decide(loaded.policy, event);
      if (decision.error) throw new Error(JSON.stringify(decision));
      batch.push({ eventId: event.id, type: event.type, occurredAt, decidedAt: new Date().toISOString(), digest: loaded.policy.digest, event, decision });
    }
    await log.append(batch);
  }
  await log.close();
  return (Date.now() - started) / 1000;
}

/** Runs the CLI, discarding its findings (or writing them to `out`); wall time, peak RSS and the summary line. */
function timed(args, out) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    // As `npx tiaoli` runs it: the bin file itself, with the Node options of its first line.
    const child = spawn(BIN, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let tail = '';
    // The summary line can be long (a count per day): keep enough of the end for it.
    child.stdout.on('data', (b) => {
      tail = (tail + b.toString()).slice(-1_048_576);
      out?.write(b);
    });
    const memory = watchMemory(child.pid, 500);
    child.once('error', reject);
    // 'close': after the output has all been read; a partial result then has all been written too.
    child.once('close', async (code) => {
      if (out) await new Promise((done) => out.end(done));
      const { peakKb, peakAnonKb, rssKb } = memory.stop();
      const samples = rssKb.map((kb) => Math.round(kb / 1024));
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const last = tail.trimEnd().split('\n').at(-1);
      // `log verify` prints one line of words, not a summary.
      const summary = last.startsWith('{') ? JSON.parse(last).summary : last;
      resolve({ code, seconds, peakMB: Math.round(peakKb / 1024), privateMB: Math.round(peakAnonKb / 1024), rssMB: samples.filter((_, i) => i % Math.max(1, Math.floor(samples.length / 8)) === 0), summary });
    });
  });
}

const fillSeconds = await fill();
console.log(`filled ${N.toLocaleString('en')} decisions into ${location.startsWith('postgres') ? 'PostgreSQL' : 'SQLite'} in ${fillSeconds.toFixed(1)} s`);
const verify = await timed(['log', 'verify', '--log', location]);
if (verify.code !== 0) throw new Error(`log verify: ${verify.summary}`);
console.log(`log verify: ${N.toLocaleString('en')} entries in ${verify.seconds.toFixed(1)} s (${Math.round(N / verify.seconds).toLocaleString('en')}/s), start included; peak RSS ${verify.peakMB} MB, of which private ${verify.privateMB} MB (the rest the log file's pages, mapped)`);
const replay = await timed(['replay', '--log', location]);
// Two shards at once, each a process (of two cores), then merged: the wall time of the whole.
const shardStarted = process.hrtime.bigint();
const parts = [1, 2].map((i) => join(tmp, `shard-${i}.jsonl`));
await Promise.all(parts.map((file, i) => timed(['replay', '--log', location, '--shard', `${i + 1}/2`], createWriteStream(file))));
const merged = await timed(['audit', 'merge', ...parts]);
const shardSeconds = Number(process.hrtime.bigint() - shardStarted) / 1e9;
if (JSON.stringify(merged.summary) !== JSON.stringify(replay.summary)) throw new Error('the merged shards do not give the summary of one replay');
console.log(`replay in 2 shards at once, merged: ${shardSeconds.toFixed(1)} s (one process: ${replay.seconds.toFixed(1)} s)`);
const shipped = loadPolicyDir().policy.digest;
const diff = await timed(['diff', '--base', SHIPPED_POLICIES, '--head', r2, '--log', location]);
for (const [name, r] of [['replay', replay], ['diff', diff]]) {
  const { events, same, changed, errors } = r.summary;
  console.log(`${name}: ${events.toLocaleString('en')} events in ${r.seconds.toFixed(1)} s (${Math.round(events / r.seconds).toLocaleString('en')}/s), ${same} same, ${changed} changed, ${errors} errors; peak RSS ${r.peakMB} MB; RSS over the run (MB) ${r.rssMB.join(' ')}`);
}
console.log(JSON.stringify({ events: N, base: shipped, verify: { seconds: verify.seconds, perSec: N / verify.seconds, peakMB: verify.peakMB, privateMB: verify.privateMB }, replay: { seconds: replay.seconds, peakMB: replay.peakMB, privateMB: replay.privateMB }, shards2: { seconds: shardSeconds }, diff: { seconds: diff.seconds, peakMB: diff.peakMB, privateMB: diff.privateMB } }));
if (!opts.log) rmSync(tmp, { recursive: true, force: true });
