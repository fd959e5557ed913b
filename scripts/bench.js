// `npm run bench`: decision throughput of both backends, Tiaoli's whole decision beside its peers
// (cedar-wasm, json-rules-engine and hand-written JS on eleven of its deny rules, scripts/bench-peers.js), the JSON floor, `tiaoli decide` end to end,
// verify, replay (whole and in two shards) and diff of a log as large, the log's append and checkpoint cost, bundle compile time and CLI cold start, on a seeded mix of
// realistic events. Prints a table, then one JSON line. Runs from dist/ (build first); bounds its
// own run time and removes its temp files.
//
//   node scripts/bench.js [--events 1000000] [--sample 20000] [--seed 1] [--seconds 3] [--only log]
// --only log: the log's part alone (verify, replay, shards and diff of a log of --events decisions;
// appends and checkpoints), for measuring a change to the log without the rest.
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { eventMaker } from './bench-events.js';
import { cedarPeer, handWritten, jrePeer, PEER_RULES } from './bench-peers.js';
import { watchMemory } from './memory.js';
import { compileJre, evaluateJre } from '../dist/engine/backends/jre.js';
import { decide, evaluate, isDecisionError, loadPolicyDir } from '../dist/engine/index.js';
import { analyze } from '../dist/engine/analysis/analyze.js';
import { loadZ3 } from '../dist/engine/analysis/z3-node.js';

const { values: opts } = parseArgs({
  options: {
    events: { type: 'string', default: '1000000' },
    sample: { type: 'string', default: '20000' },
    seed: { type: 'string', default: '1' },
    seconds: { type: 'string', default: '3' },
    only: { type: 'string' },
  },
});
const CLI_EVENTS = Number(opts.events);
const SAMPLE = Number(opts.sample);
const SEED = Number(opts.seed);
const SECONDS = Number(opts.seconds);
/** A run of `tiaoli decide` or of the floor is killed past this; the in-process phases are bounded by SECONDS. */
const CLI_TIMEOUT_MS = 120_000;
/** The whole run stops past this, whatever it is doing (its temp files are still removed). */
const DEADLINE_MS = 12 * 60_000;
// The CLI runs as `npx tiaoli` runs it: the bin file itself, so with the Node options of its first line.
const BIN = new URL('../bin/tiaoli.js', import.meta.url).pathname;
const NODE = process.execPath;
const ROOT = new URL('..', import.meta.url).pathname;

// ---------------------------------------------------------------- measuring

const fmt = (n) => (n === null ? 'n/a' : n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(1));
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/**
 * Runs `pass` (one pass over the sample, returning how many it did) for SECONDS, in five windows,
 * and gives the best window's rate: this machine is shared, and a neighbour's burst of work should
 * not count against the code measured.
 */
async function perSecond(pass) {
  await pass(); // warm-up: JIT and caches, not counted
  let best = 0;
  for (let w = 0; w < 5; w++) {
    let count = 0;
    const start = performance.now();
    do count += await pass();
    while (performance.now() - start < (SECONDS * 1000) / 5);
    best = Math.max(best, (count / (performance.now() - start)) * 1000);
  }
  return best;
}

/**
 * Streams the output of `command` (writing one line per event) into this process and times it, end
 * to end; with `rss`, also its peak RSS (VmHWM from /proc, polled). Both the CLI and the JSON floor
 * run this way, so they pay for the same reading, piping and line counting.
 */
function runLines([command, ...args], expectedLines, { rss = false } = {}) {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(child);
    const memory = rss ? watchMemory(child.pid, 50) : undefined;
    const timer = setTimeout(() => child.kill(), CLI_TIMEOUT_MS);
    let lines = 0;
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
    });
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      running.delete(child);
      const peakKb = memory?.stop().peakKb;
      clearTimeout(timer);
      const ms = performance.now() - start;
      if (code !== 0 || lines !== expectedLines) reject(new Error(`${args.join(' ').slice(0, 80)} exited ${code} after ${lines} of ${expectedLines} lines: ${stderr.slice(0, 500)}`));
      else resolve({ perSec: (lines / ms) * 1000, rssMb: peakKb ? peakKb / 1024 : null, seconds: ms / 1000 });
    });
  });
}

/**
 * The JSON floor, end to end: what `tiaoli decide` does minus deciding. The same reader parses each
 * line of the same file; a decision-sized object (one of the sample's decisions, in turn) is
 * stringified and written for it, in the same 64 KiB batches.
 */
const FLOOR = `
  import { createReadStream, readFileSync } from 'node:fs';
  import { readEventBatches } from './dist/engine/cli/events.js';
  const [file, decisionsFile] = process.argv.slice(1);
  const decisions = JSON.parse(readFileSync(decisionsFile, 'utf8'));
  let buffer = '';
  let n = 0;
  for await (const batch of readEventBatches(createReadStream(file))) {
    for (const item of batch) {
      if (!item.ok) throw new Error(item.message);
      buffer += JSON.stringify(decisions[n++ % decisions.length]) + '\\n';
      if (buffer.length > 65536) {
        if (!process.stdout.write(buffer)) await new Promise((resolve) => process.stdout.once('drain', resolve));
        buffer = '';
      }
    }
  }
  process.stdout.write(buffer);`;

/** Median wall time of a fresh Node process running `command`. */
function wallMs([command, ...args], runs, input) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    const r = spawnSync(command, args, { input, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    times.push(performance.now() - start);
  }
  return median(times);
}

/** Parse + check + compile of the shipped bundle in a fresh process (a cold JIT, as the CLI has it). */
function compileMsCold(runs) {
  const script = `
    import { buildBundle, readPolicyDir, SHIPPED_POLICIES } from './dist/engine/index.js';
    const sources = readPolicyDir(SHIPPED_POLICIES);
    const start = performance.now();
    const { policy } = buildBundle(sources);
    if (!policy) process.exit(1);
    process.stdout.write(String(performance.now() - start));`;
  const times = [];
  for (let i = 0; i < runs; i++) {
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`compiling the shipped bundle failed: ${r.stderr}`);
    times.push(Number(r.stdout));
  }
  return median(times);
}

/** scripts/replay-bench.js on `events` decisions, in a child process: its final JSON line. */
function replayBench(events) {
  return lastJsonLine(spawnSync(NODE, [join(ROOT, 'scripts', 'replay-bench.js'), '--events', String(events)], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 24, timeout: 8 * 60_000 }), 'replay-bench');
}

/** The figures a bench script prints last, as one JSON line. */
function lastJsonLine(r, name) {
  if (r.status !== 0) throw new Error(`${name} exited ${r.status}: ${r.stderr.slice(0, 500)}`);
  return JSON.parse(r.stdout.trimEnd().split('\n').at(-1));
}

// ---------------------------------------------------------------- the run

const tmp = mkdtempSync(join(tmpdir(), 'tiaoli-bench-'));
/** Child processes still running, stopped if this one stops first. */
const running = new Set();
process.on('exit', () => {
  for (const child of running) child.kill();
  rmSync(tmp, { recursive: true, force: true });
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));
setTimeout(() => {
  console.error(`bench: stopped after ${DEADLINE_MS / 60_000} minutes`);
  process.exit(1);
}, DEADLINE_MS).unref();

/** The log's rows of the table: verify, shards, appends and checkpoints, from replay-bench's and log-bench's figures. */
const logRows = (million, audit, logBench) => [
  [`tiaoli log verify, ${million} logged decisions`, `${fmt(audit.verify.perSec)} entries/s`, `every chain hash, start included (${fmt(audit.verify.seconds)} s), ${availableParallelism()} threads; private memory ${audit.verify.privateMB} MB; target ≥ 200,000/s`],
  [`tiaoli replay in 2 shards at once, merged`, `${fmt(audit.shards2.seconds)} s`, `the same log; one process: ${fmt(audit.replay.seconds)} s`],
  ['log append, one decision a transaction', `${fmt(logBench.appendSingleUs)} µs`, `per decision, chained: one fsync each (CPU ${fmt(logBench.appendSingleCpuUs)} µs)`],
  ['log append, in groups of 100', `${fmt(logBench.appendGroupedUs)} µs`, `per decision, chained: what concurrent requests share (CPU ${fmt(logBench.appendGroupedCpuUs)} µs)`],
  ['checkpoint', `${fmt(logBench.checkpointNextMs)} ms`, `signing over 100 new entries (the first, over ${fmt(logBench.checkpointEntries)}: ${fmt(logBench.checkpointFirstMs)} ms)`],
];
const printRows = (rows) => {
  const width = [0, 1, 2].map((c) => Math.max(...rows.map((r) => r[c].length)));
  for (const r of rows) console.log(`${r[0].padEnd(width[0])}  ${r[1].padStart(width[1])}  ${r[2]}`);
};
/** scripts/log-bench.js: the log's write cost with its chain, and checkpoints. */
const runLogBench = () => lastJsonLine(spawnSync(NODE, [join(ROOT, 'scripts', 'log-bench.js')], { cwd: ROOT, encoding: 'utf8', timeout: 5 * 60_000 }), 'log-bench');

if (opts.only === 'log') {
  try {
    const audit = replayBench(CLI_EVENTS);
    const logBench = runLogBench();
    printRows(logRows(CLI_EVENTS.toLocaleString('en-US'), audit, logBench));
    console.log(JSON.stringify({ verifyPerSec: Math.round(audit.verify.perSec), verifySeconds: Number(audit.verify.seconds.toFixed(2)), replaySeconds: Number(audit.replay.seconds.toFixed(1)), replay2ShardsSeconds: Number(audit.shards2.seconds.toFixed(1)), ...logBench }));
  } catch (e) {
    console.error(`bench: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
  }
  process.exit();
} else if (opts.only !== undefined) {
  console.error(`bench: --only takes log, not ${opts.only}`);
  process.exit(2);
}

try {
  const loaded = loadPolicyDir();
  if (!loaded.policy) throw new Error('the shipped policies do not compile');
  const policy = loaded.policy;
  const jre = compileJre(policy.checked, policy.digest);
  const next = eventMaker(SEED);
  const lines = Array.from({ length: SAMPLE }, () => JSON.stringify(next()));
  // Parsed, as a caller's events would be: objects from JSON.parse, not from the generator's literals.
  const sample = lines.map((l) => JSON.parse(l));
  let denied = 0;
  let fired = 0;
  for (const e of sample) {
    const d = decide(policy, e);
    if (isDecisionError(d)) throw new Error(`the generator made an invalid event: ${JSON.stringify(d.error)}`);
    denied += d.allowed ? 0 : 1;
    fired += d.trace.length;
  }

  // The engines alone, on events already parsed and validated (validation is the same for both).
  const compiledPerSec = await perSecond(() => {
    for (const e of sample) evaluate(policy, e);
    return sample.length;
  });
  // json-rules-engine is slow: a pass is a slice of the sample, so the phase keeps to its time.
  const jreSlice = sample.slice(0, Math.min(SAMPLE, 2_000));
  const jsonRulesEnginePerSec = await perSecond(async () => {
    for (const e of jreSlice) await evaluateJre(jre, e);
    return jreSlice.length;
  });
  // Tiaoli's whole contract decision (validation, every rule of three regulations, the decision
  // with its trace) beside its peers deciding eleven of its deny rules, written natively
  // (scripts/bench-peers.js; test/bench/peers.test.ts holds them to Tiaoli's decisions on these events).
  const decidePerSec = await perSecond(() => {
    for (const e of sample) decide(policy, e);
    return sample.length;
  });
  let masks = 0;
  const handWrittenPerSec = await perSecond(() => {
    for (const e of sample) masks |= handWritten(e);
    return sample.length;
  });
  if (masks === 0) throw new Error('the hand-written rules denied nothing');
  // The slow peers decide a slice per pass, as json-rules-engine above; cedar converts each event to its request inside the pass.
  const cedar = cedarPeer();
  const cedarPerSec = await perSecond(() => {
    for (const e of jreSlice) cedar.deny(e);
    return jreSlice.length;
  });
  const jreNative = jrePeer();
  const jreNativePerSec = await perSecond(async () => {
    for (const e of jreSlice) await jreNative.deny(e);
    return jreSlice.length;
  });
  // Kept only from here on: 20,000 decisions held in memory slow the engines' garbage collection.
  const decisions = sample.map((e) => decide(policy, e));
  // The JSON work on lines already in memory: no reading, no writing.
  const jsonInProcessPerSec = await perSecond(() => {
    let bytes = 0;
    for (let i = 0; i < lines.length; i++) {
      JSON.parse(lines[i]);
      bytes += JSON.stringify(decisions[i]).length;
    }
    return bytes > 0 ? lines.length : 0;
  });

  // The CLI input: CLI_EVENTS events of the same mix as JSON Lines, written in chunks.
  const file = join(tmp, 'events.jsonl');
  const more = eventMaker(SEED + 1);
  await new Promise((resolve, reject) => {
    const out = createWriteStream(file).on('error', reject);
    let i = 0;
    const write = () => {
      while (i < CLI_EVENTS) {
        let chunk = '';
        for (const end = Math.min(CLI_EVENTS, i + 10_000); i < end; i++) chunk += `${JSON.stringify(more())}\n`;
        if (!out.write(chunk)) return void out.once('drain', write);
      }
      out.end(resolve);
    };
    write();
  });
  const decisionsFile = join(tmp, 'decisions.json');
  writeFileSync(decisionsFile, JSON.stringify(decisions.slice(0, 2_000)));
  // Twice each, in turn: the faster run of each counts, the higher peak RSS.
  const floorRuns = [];
  const cliRuns = [];
  const roundsStart = performance.now();
  for (let round = 0; round < 2; round++) {
    floorRuns.push(await runLines([NODE, '--input-type=module', '-e', FLOOR, file, decisionsFile], CLI_EVENTS));
    cliRuns.push(await runLines([BIN, 'decide', file], CLI_EVENTS, { rss: true }));
    // A slow machine gets one round, so the run keeps to its time.
    if (performance.now() - roundsStart > 150_000) break;
  }
  const fastest = (runs) => runs.reduce((a, b) => (b.perSec > a.perSec ? b : a));
  const floor = fastest(floorRuns);
  const cli = { ...fastest(cliRuns), rssMb: Math.max(...cliRuns.map((r) => r.rssMb ?? 0)) || null };

  // Audit at scale: scripts/replay-bench.js fills a log with as many decisions, then times verify, replay (whole and in two shards) and diff.
  const audit = replayBench(CLI_EVENTS);
  // The log's write cost with its chain, and checkpoints: scripts/log-bench.js.
  const logBench = runLogBench();

  const compileMs = compileMsCold(5);
  // The editor's re-check after one file changes: scripts/recheck-bench.js.
  const { recheckMs } = lastJsonLine(spawnSync(NODE, [join(ROOT, 'scripts', 'recheck-bench.js')], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 }), 'recheck-bench');
  // The playground's first view in chromium: bytes transferred and time to interactive (scripts/playground-bench.js).
  const playground = lastJsonLine(spawnSync(NODE, [join(ROOT, 'scripts', 'playground-bench.js')], { cwd: ROOT, encoding: 'utf8', timeout: 5 * 60_000 }), 'playground-bench');
  const one = `${lines[0]}\n`;
  writeFileSync(join(tmp, 'one.jsonl'), one);
  const coldStartMs = wallMs([BIN, 'decide', join(tmp, 'one.jsonl')], 7);
  const nodeMs = wallMs([NODE, '-e', '0'], 7);
  // The semantic analysis of the shipped bundle (tiaoli analyze): Z3's solving time, after the timed phases.
  const z3 = await loadZ3();
  const analyzeMs = (await analyze(z3.z3, policy)).solverMs;
  await z3.close();

  const million = CLI_EVENTS.toLocaleString('en-US');
  const met = (ok) => (ok ? 'met' : 'unmet');
  const eleven = `the same events, ${PEER_RULES.length} deny rules of the three regulations`;
  const rows = [
    ['Tiaoli decide, in process', `${fmt(decidePerSec)} decisions/s`, `the whole contract decision: validation, every rule of three regulations, trace; target ≥ 800,000/s: ${met(decidePerSec >= 800_000)}`],
    [`peer: hand-written JS, ${PEER_RULES.length} rules`, `${fmt(handWrittenPerSec)} decisions/s`, `${eleven} as one plain function (the ceiling); Tiaoli decide is ${(decidePerSec / handWrittenPerSec).toFixed(3)}× this`],
    [`peer: cedar-wasm, ${PEER_RULES.length} rules`, `${fmt(cedarPerSec)} decisions/s`, `${eleven} in Cedar, each event converted to a request inside the timing; Tiaoli decide ${fmt(decidePerSec / cedarPerSec)}× (target ≥ 100×): ${met(decidePerSec >= 100 * cedarPerSec)}`],
    [`peer: json-rules-engine, ${PEER_RULES.length} rules`, `${fmt(jreNativePerSec)} decisions/s`, `${eleven} over plain facts with its own operators; Tiaoli decide ${fmt(decidePerSec / jreNativePerSec)}× (target ≥ 200×): ${met(decidePerSec >= 200 * jreNativePerSec)}`],
    ['compiled engine, in process', `${fmt(compiledPerSec)} decisions/s`, `${fmt(compiledPerSec / jsonRulesEnginePerSec)}× json-rules-engine (target ≥ 50×); events parsed and validated beforehand`],
    ['json-rules-engine backend, in process', `${fmt(jsonRulesEnginePerSec)} decisions/s`, 'the same events and bundle'],
    [`JSON floor, ${million} JSON Lines events`, `${fmt(floor.perSec)} events/s`, `read, parse, stringify a decision-sized object, write: no deciding; ${floor.seconds.toFixed(1)} s`],
    [`tiaoli decide, ${million} JSON Lines events`, `${fmt(cli.perSec)} events/s`, `${(cli.perSec / floor.perSec).toFixed(2)}× the JSON floor (target ≥ 0.75×): ${met(cli.perSec >= 0.75 * floor.perSec)}; ${cli.seconds.toFixed(1)} s, start included`],
    ['tiaoli decide, peak RSS', `${fmt(cli.rssMb)} MB`, 'target < 150 MB'],
    ['JSON alone, in process', `${fmt(jsonInProcessPerSec)} events/s`, `parse + stringify on lines in memory; tiaoli decide is ${(cli.perSec / jsonInProcessPerSec).toFixed(2)}× this`],
    ['parse + check + plan + generate, shipped bundle', `${fmt(compileMs)} ms`, `a fresh process, as the CLI has it; target < 100 ms: ${met(compileMs < 100)}`],
    ['re-check after an edit, shipped bundle', `${fmt(recheckMs)} ms`, 'one file changed, the others\' parses reused (editor, lsp); target < 200 ms'],
    [`tiaoli replay, ${million} logged decisions`, `${fmt(audit.replay.seconds)} s`, `every decision reproduced exactly; private memory ${audit.replay.privateMB} MB (peak RSS ${audit.replay.peakMB} MB, with the log's pages mapped by verify); target < 15 s`],
    ...logRows(million, audit, logBench),
    [`tiaoli diff, ${million} logged decisions`, `${fmt(audit.diff.seconds)} s`, `shipped policies against a revision keeping content 90 days; private memory ${audit.diff.privateMB} MB (peak RSS ${audit.diff.peakMB} MB); target < 15 s`],
    ['CLI cold start (decide one event)', `${fmt(coldStartMs)} ms`, `node alone: ${fmt(nodeMs)} ms; target < 200 ms: ${met(coldStartMs < 200)}`],
    ['tiaoli analyze, shipped bundle', `${fmt(analyzeMs)} ms`, 'Z3 solver time: dead, covered and contradicting rules; target a few seconds'],
    ['playground first view, transferred', playground.firstLoadBytes === null ? 'no chromium' : `${(playground.firstLoadBytes / 1e6).toFixed(2)} MB`, `compressed (${playground.firstLoadDecodedBytes === undefined ? '—' : (playground.firstLoadDecodedBytes / 1e6).toFixed(2)} MB decoded), fresh profile, Z3 not fetched; target < 1.5 MB`],
    ['playground time to interactive', playground.interactiveMs === null ? 'no chromium' : `${fmt(playground.interactiveMs)} ms`, 'localhost, until the first view takes input and shows its diagnostic; target < 1.5 s'],
    ['playground editor ready', playground.editorReadyMs === null ? 'no chromium' : `${fmt(playground.editorReadyMs)} ms`, 'localhost, until Monaco has taken over from the first view'],
  ];
  console.log(`${SAMPLE.toLocaleString('en-US')} events in process (seed ${SEED}): ${denied} denied, ${(fired / SAMPLE).toFixed(2)} rules fired per event\n`);
  printRows(rows);
  console.log(
    JSON.stringify({
      decidePerSec: Math.round(decidePerSec),
      handWrittenPerSec: Math.round(handWrittenPerSec),
      cedarPerSec: Math.round(cedarPerSec),
      jreNativePerSec: Math.round(jreNativePerSec),
      compiledPerSec: Math.round(compiledPerSec),
      jsonRulesEnginePerSec: Math.round(jsonRulesEnginePerSec),
      jsonFloorPerSec: Math.round(floor.perSec),
      cliPerSec: Math.round(cli.perSec),
      cliRssMb: cli.rssMb === null ? null : Math.round(cli.rssMb),
      compileMs: Math.round(compileMs),
      recheckMs,
      coldStartMs: Math.round(coldStartMs),
      analyzeMs: Math.round(analyzeMs),
      replaySeconds: Number(audit.replay.seconds.toFixed(1)),
      diffSeconds: Number(audit.diff.seconds.toFixed(1)),
      verifyPerSec: Math.round(audit.verify.perSec),
      replay2ShardsSeconds: Number(audit.shards2.seconds.toFixed(1)),
      appendSingleUs: logBench.appendSingleUs,
      appendGroupedUs: logBench.appendGroupedUs,
      checkpointMs: logBench.checkpointNextMs,
      auditPeakRssMb: Math.max(audit.replay.peakMB, audit.diff.peakMB),
      auditPrivateMb: Math.max(audit.replay.privateMB, audit.diff.privateMB),
      playgroundFirstLoadBytes: playground.firstLoadBytes,
      playgroundInteractiveMs: playground.interactiveMs,
      playgroundEditorReadyMs: playground.editorReadyMs,
    }),
  );
} catch (e) {
  console.error(`bench: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
}
