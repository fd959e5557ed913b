// `tiaoli replay` and `tiaoli diff`: JSON Lines of changed decisions and a summary line on stdout,
// an HTML report on request, a progress bar on stderr when it is a terminal. Exit status: 0 when
// nothing changed, 1 when some decision changed or an event could not be decided, 2 for bad usage,
// a log or revision that cannot be had, or a selection that matches no event (unless --allow-empty).
import { createReadStream, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Writable } from 'node:stream';
import { createInterface } from 'node:readline';
import { auditLines, Tally, type Finding, type ShardOf, type Summary } from '../audit/findings.js';
import { mergePartials, MergeError, shardsOf, type Partial as PartialResult } from '../audit/merge.js';
import { logRevisions } from '../audit/replay.js';
import type { CompiledPolicy } from '../compile.js';
import { ReportCollector } from '../audit/report.js';
import { diffRevisions } from '../audit/diff.js';
import { diffLog, fullDigest, replayLog, resolveRevision, RevisionError, SelectionError, UnverifiedLogError, type Run, type Selection, type Trust } from '../audit/run.js';
import { KeyError, publicKey } from '../keys.js';
import { parseTimeBound } from '../../language/calendar.js';
import type { DecisionLog } from '../log/log.js';
import { logLocation, openLog } from '../log/open.js';
import { readEvents } from './events.js';
import { inputOf, UsageError } from './paths.js';
import { progressBar } from './progress.js';

/** What `selection` in commands.ts declares. */
export interface SelectionOptions {
  readonly from?: string;
  readonly to?: string;
  readonly type?: string;
  readonly id?: string[];
  readonly allowEmpty?: boolean;
  readonly report?: string;
  readonly key?: string;
  readonly flagUnverified?: boolean;
  readonly shard?: string;
}
export type ReplayOptions = SelectionOptions & { readonly log?: string; readonly revision?: string; readonly policies?: string };
export type DiffOptions = SelectionOptions & { readonly log?: string; readonly base: string; readonly head: string };

export async function replayCommand(o: ReplayOptions): Promise<number> {
  if (o.revision && o.policies) throw new UsageError('give --revision or --policies, not both');
  const location = logLocation(o.log);
  if (location === undefined) throw new UsageError('name the decision log: --log DB or TIAOLI_LOG_URL');
  const trust = trustOf('replay', o);
  if (typeof trust === 'number') return trust;
  const log = openLog(location, { existing: true });
  return withLog(log, 'replay', o, { revision: o.revision, policies: o.policies }, (selection) => replayLog(log, selection, o.revision ?? o.policies, trust));
}

export async function diffCommand(file: string | undefined, o: DiffOptions): Promise<number> {
  const { base, head } = o;
  if ((file === undefined) === (o.log === undefined)) throw new UsageError('give one events file (or -), or --log DB');
  if (o.log !== undefined) {
    const trust = trustOf('diff', o);
    if (typeof trust === 'number') return trust;
    const log = openLog(o.log, { existing: true });
    return withLog(log, 'diff', o, { base, head }, (selection) => diffLog(log, selection, base, head, trust));
  }
  if (o.shard !== undefined) throw new UsageError('--shard divides a log: give --log DB');
  for (const flag of ['from', 'to', 'type', 'id'] as const) if (o[flag] !== undefined) throw new UsageError(`--${flag} selects logged events: give --log DB, or select the events of the file before`);
  return audit('diff', o, async () => {
    const [b, h] = await Promise.all([resolveRevision(await fullDigest(base, undefined), undefined), resolveRevision(await fullDigest(head, undefined), undefined)]);
    return { outcomes: diffRevisions(readEvents(inputOf(file!)), b, h) };
  });
}

/** What the run asks of the log, or the exit status of a key that cannot be had. */
function trustOf(command: string, o: SelectionOptions): Trust | number {
  const source = o.key ?? process.env['TIAOLI_LOG_PUBLIC_KEY'];
  try {
    return { key: source === undefined ? undefined : publicKey(source), unverified: o.flagUnverified ? 'flag' : 'refuse' };
  } catch (e) {
    if (!(e instanceof KeyError)) throw e;
    process.stderr.write(`tiaoli ${command}: ${o.key === undefined ? 'TIAOLI_LOG_PUBLIC_KEY: ' : '--key: '}${e.message}\n`);
    return 2;
  }
}

/** A --from or --to bound, read as the log and the HTTP API read it; a usage error naming the flag. */
function bound(flag: 'from' | 'to', value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const b = parseTimeBound(value, flag === 'from' ? 'start' : 'end');
  if (!b.ok) throw new UsageError(`--${flag}: ${b.problem}`);
  return b.time;
}

/** The options that name a run's revisions, as its shards record them (a directory, or a digest in the log). */
const REVISION_FLAGS = ['revision', 'policies', 'base', 'head'] as const;
type RevisionFlag = (typeof REVISION_FLAGS)[number];

/** `revisions`: what the run decides against, which with the selection names the run a shard is part of. */
async function withLog(log: DecisionLog, command: string, o: SelectionOptions, revisions: Partial<Record<RevisionFlag, string>>, start: (s: Selection) => Promise<Run>): Promise<number> {
  try {
    const from = bound('from', o.from);
    const to = bound('to', o.to);
    const m = o.shard === undefined ? undefined : /^([1-9]\d{0,5})\/([1-9]\d{0,5})$/.exec(o.shard);
    const [index, count] = m ? [Number(m[1]), Number(m[2])] : [1, 1];
    if (o.shard !== undefined && !(m && index <= count)) throw new UsageError(`--shard takes I/N, shard I of N (1 ≤ I ≤ N), not ${o.shard}`);
    if (o.shard !== undefined && o.report !== undefined) throw new UsageError('--report needs the whole run: give it to tiaoli audit merge, which writes the report of the merged shards');
    const run = JSON.stringify({ command, ...revisions, from: o.from, to: o.to, type: o.type, id: o.id, flagUnverified: o.flagUnverified ?? false });
    const shard = o.shard === undefined ? undefined : { index, count, run };
    return await audit(command, o, () => start({ from, to, type: o.type, eventIds: o.id, shard: shard && { index: index - 1, count } }), shard);
  } finally {
    await log.close();
  }
}

/** `tiaoli audit merge`'s options: the report of the whole run, and the log its revisions are stored in. */
export interface MergeOptions {
  readonly report?: string;
  readonly log?: string;
}

/** `tiaoli audit merge PARTIAL…`: the shards' lines merged; the exit status a run over the whole gives. */
export async function mergeCommand(files: readonly string[], o: MergeOptions = {}): Promise<number> {
  const parts = files.map((name) => ({ name, lines: () => createInterface({ input: createReadStream(name), crlfDelay: Infinity }) }));
  let report: { collector: ReportCollector; command: string; policyOf: (digest: string) => CompiledPolicy } | undefined;
  const lines = mergePartials(parts);
  let last = '';
  try {
    if (o.report !== undefined) report = await reportRevisions(parts, o.log);
    // The first line waits for every partial to be checked: nothing is printed from a merge that is refused.
    const first = await lines.next();
    const observe = (line: string) => {
      last = line;
      const v = report && (JSON.parse(line) as Finding & { changes?: unknown });
      if (report && v?.changes !== undefined) report.collector.observe({ kind: 'changed', finding: v, policies: [report.policyOf(v.base), report.policyOf(v.head)] });
      return line;
    };
    await writeAll(
      process.stdout,
      (async function* () {
        if (!first.done) yield observe(first.value);
        for await (const line of lines) yield observe(line);
      })(),
    );
  } catch (e) {
    if (!(e instanceof MergeError || e instanceof RevisionError)) throw e;
    process.stderr.write(`tiaoli audit merge: ${e.message}\n`);
    return 2;
  }
  const { summary } = JSON.parse(last) as { summary: Summary };
  if (report) writeReport(o.report!, report.command, report.collector, summary);
  return summary.changed + summary.errors > 0 ? 1 : 0;
}

/**
 * What the report of a merged run quotes: every revision its findings name, compiled before a line
 * is printed. The run's policy directories are read again; a digest is read from the log the shards
 * read, which the run does not name (the shards may have opened it by TIAOLI_LOG_URL).
 */
async function reportRevisions(parts: readonly PartialResult[], logSpec: string | undefined) {
  const [tail] = await shardsOf(parts);
  const run = JSON.parse(tail!.shard.run) as { command: string } & Partial<Record<RevisionFlag, string>>;
  const byDigest = new Map<string, CompiledPolicy>();
  for (const flag of REVISION_FLAGS) {
    const spec = run[flag];
    if (spec === undefined || spec.startsWith('sha256:')) continue;
    const policy = await resolveRevision(spec, undefined);
    byDigest.set(policy.digest, policy);
  }
  const wanted = new Set<string>();
  for (const p of parts)
    for await (const line of p.lines()) {
      let v: { base?: unknown; head?: unknown; changes?: unknown } | undefined;
      try {
        v = JSON.parse(line);
      } catch {
        continue; // the merge refuses it, naming the line
      }
      if (v?.changes !== undefined) for (const d of [v.base, v.head]) if (typeof d === 'string' && !byDigest.has(d)) wanted.add(d);
    }
  if (wanted.size > 0) {
    const location = logLocation(logSpec);
    if (location === undefined) throw new RevisionError(`the report quotes revision ${[...wanted][0]}, which only the log the shards read holds: give --log DB`);
    const log = openLog(location, { existing: true });
    try {
      const stored = logRevisions(log);
      for (const d of wanted) byDigest.set(d, await resolveRevision(d, stored));
    } finally {
      await log.close();
    }
  }
  return { collector: new ReportCollector(), command: run.command, policyOf: (digest: string) => byDigest.get(digest)! };
}

/** The HTML report of a run, whole or merged from its shards: the same bytes either way. */
function writeReport(file: string, command: string, collector: ReportCollector, summary: Summary): void {
  writeFileSync(file, collector.render(`Tiaoli ${command}`, summary, chartLibrary()));
}

/** Streams a run's lines to stdout, with the progress bar and the report; the exit status. */
async function audit(command: string, { report, allowEmpty }: SelectionOptions, start: () => Promise<Run>, shard?: ShardOf): Promise<number> {
  let run;
  try {
    run = await start();
  } catch (e) {
    if (!(e instanceof RevisionError || e instanceof UnverifiedLogError)) throw e;
    const flag = e instanceof SelectionError ? '--type: ' : '';
    process.stderr.write(`tiaoli ${command}: ${flag}${e.message}${e instanceof UnverifiedLogError ? ' (--flag-unverified audits it anyway, the problem flagged)' : ''}\n`);
    return 2;
  }
  const tally = new Tally();
  const collector = report === undefined ? undefined : new ReportCollector();
  const bar = progressBar(process.stderr, run.total, command);
  await writeAll(
    process.stdout,
    auditLines(
      run.outcomes,
      tally,
      (o) => {
        bar.tick();
        collector?.observe(o);
      },
      shard,
    ),
  );
  bar.done();
  const summary = tally.summary();
  if (collector && report) writeReport(report, command, collector, summary);
  // A run over nothing vouches for nothing: it fails unless asked not to (a shard may well be empty).
  if (summary.events === 0 && !allowEmpty && !shard) {
    process.stderr.write(`tiaoli ${command}: no event matches the selection, so nothing was audited; check --log and the selection (--from, --to, --type, --id), or give --allow-empty\n`);
    return 2;
  }
  return summary.changed + summary.errors > 0 ? 1 : 0;
}

/** Writes lines in 64 KiB chunks, waiting when the pipe is full. */
async function writeAll(out: Writable, lines: AsyncIterable<string>): Promise<void> {
  let buffer = '';
  const flush = async () => {
    if (!out.write(buffer)) await new Promise<void>((resolve) => out.once('drain', resolve));
    buffer = '';
  };
  for await (const line of lines) {
    buffer += line;
    if (buffer.length > 65_536) await flush();
  }
  await flush();
}

/** Chart.js's UMD build, from the installed package, for the report to inline. */
export function chartLibrary(): string {
  return readFileSync(join(dirname(createRequire(import.meta.url).resolve('chart.js')), 'chart.umd.min.js'), 'utf8');
}
