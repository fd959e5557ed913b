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
import { provenance, ReportCollector, type Provenance } from '../audit/report.js';
import { diffRevisions } from '../audit/diff.js';
import { diffLog, loggedSide, replayLog, resolveRevision, RevisionError, SelectionError, UnverifiedLogError, type Compared, type Run, type Selection, type Trust } from '../audit/run.js';
import { KeyError, publicKey } from '../keys.js';
import { parseTimeBound } from '../../language/calendar.js';
import type { Lang } from '../../language/glossary.js';
import { packageVersion } from '../load.js';
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
  readonly lang: Lang;
  readonly json?: string;
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
  return withLog(log, location, 'replay', o, { revision: o.revision, policies: o.policies }, (selection) => replayLog(log, selection, o.revision ?? o.policies, trust));
}

export async function diffCommand(file: string | undefined, o: DiffOptions): Promise<number> {
  const { base, head } = o;
  if ((file === undefined) === (o.log === undefined)) throw new UsageError('give one events file (or -), or --log DB');
  if (o.log !== undefined) {
    const trust = trustOf('diff', o);
    if (typeof trust === 'number') return trust;
    const log = openLog(o.log, { existing: true });
    return withLog(log, o.log, 'diff', o, { base, head }, (selection) => diffLog(log, selection, base, head, trust));
  }
  if (o.shard !== undefined) throw new UsageError('--shard divides a log: give --log DB');
  for (const flag of ['from', 'to', 'type', 'id'] as const) if (o[flag] !== undefined) throw new UsageError(`--${flag} selects logged events: give --log DB, or select the events of the file before`);
  return audit('diff', o, { events: file! }, async () => {
    const [b, h] = await Promise.all([resolveRevision(base, undefined), resolveRevision(head, undefined)]);
    return { outcomes: diffRevisions(readEvents(inputOf(file!)), b.policy, h.policy), compared: { base: b.side, head: h.side } };
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

/** `revisions`: what the run decides against, which with the selection names the run a shard is part of. */
/** The options that name a run's revisions, as its shards record them (a directory, or a digest in the log). */
const REVISION_FLAGS = ['revision', 'policies', 'base', 'head'] as const;
type RevisionFlag = (typeof REVISION_FLAGS)[number];
/** What a shard records of its run: what chooses its outcomes (not the log's location, which may differ between machines). */
type RunSpec = { readonly command: Provenance['command']; readonly from?: string; readonly to?: string; readonly type?: string; readonly id?: string[] } & Partial<Record<RevisionFlag, string>>;

/** The selection a report's provenance shows: the bounds as the log was asked, the log without its password. */
const selectionOf = (location: string, o: Pick<SelectionOptions, 'from' | 'to' | 'type' | 'id' | 'shard'>): Provenance['selection'] => ({
  log: withoutPassword(location),
  from: bound('from', o.from),
  to: bound('to', o.to),
  type: o.type,
  eventIds: o.id,
  shard: o.shard,
});

/** `revisions`: what the run decides against, which with the selection names the run a shard is part of. */
async function withLog(log: DecisionLog, location: string, command: Provenance['command'], o: SelectionOptions, revisions: Partial<Record<RevisionFlag, string>>, start: (s: Selection) => Promise<Run>): Promise<number> {
  try {
    const selection = selectionOf(location, o);
    const { from, to } = selection;
    const m = o.shard === undefined ? undefined : /^([1-9]\d{0,5})\/([1-9]\d{0,5})$/.exec(o.shard);
    const [index, count] = m ? [Number(m[1]), Number(m[2])] : [1, 1];
    if (o.shard !== undefined && !(m && index <= count)) throw new UsageError(`--shard takes I/N, shard I of N (1 ≤ I ≤ N), not ${o.shard}`);
    if (o.shard !== undefined && (o.report !== undefined || o.json !== undefined)) throw new UsageError('--report and --json need the whole run: give them to tiaoli audit merge, which writes them for the merged shards');
    const run = JSON.stringify({ command, ...revisions, from: o.from, to: o.to, type: o.type, id: o.id, flagUnverified: o.flagUnverified ?? false });
    const shard = o.shard === undefined ? undefined : { index, count, run };
    return await audit(command, o, selection, () => start({ from, to, type: o.type, eventIds: o.id, shard: shard && { index: index - 1, count } }), shard);
  } finally {
    await log.close();
  }
}

/** `tiaoli audit merge`'s options: the report and JSON of the whole run, and the log its shards read. */
export interface MergeOptions {
  readonly report?: string;
  readonly json?: string;
  readonly lang: Lang;
  readonly log?: string;
}

/** `tiaoli audit merge PARTIAL…`: the shards' lines merged; the exit status a run over the whole gives. */
export async function mergeCommand(files: readonly string[], o: MergeOptions): Promise<number> {
  const at = generatedAt();
  const parts = files.map((name) => ({ name, lines: () => createInterface({ input: createReadStream(name), crlfDelay: Infinity }) }));
  let whole: Awaited<ReturnType<typeof wholeRun>> | undefined;
  let last = '';
  try {
    const tails = await shardsOf(parts);
    if (o.report !== undefined || o.json !== undefined) whole = await wholeRun(parts, tails[0]!.shard.run, o.log);
    const lines = mergePartials(parts, tails);
    // The first line waits for every partial to be checked: nothing is printed from a merge that is refused.
    const first = await lines.next();
    const seen = (line: string) => {
      last = line;
      const f = whole && (JSON.parse(line) as Finding & { changes?: unknown });
      if (whole && f?.changes !== undefined) whole.collector.observe({ kind: 'changed', finding: f, policies: [whole.policyOf(f.base), whole.policyOf(f.head)] });
      return line;
    };
    await writeAll(
      process.stdout,
      (async function* () {
        if (!first.done) yield seen(first.value);
        for await (const line of lines) yield seen(line);
      })(),
    );
  } catch (e) {
    if (!(e instanceof MergeError || e instanceof RevisionError)) throw e;
    process.stderr.write(`tiaoli audit merge: ${e.message}\n`);
    return 2;
  }
  const { summary } = JSON.parse(last) as { summary: Summary };
  if (whole) writeOutputs({ ...o, command: whole.command, at, compared: whole.compared, selection: whole.selection, summary, collector: whole.collector });
  return summary.changed + summary.errors > 0 ? 1 : 0;
}

/**
 * The run the shards are parts of, as its report shows it: what it compared, read from the log the
 * shards read (which a shard does not record: it may be named differently on each machine), the
 * selection, and every revision its findings name, compiled before a line is printed.
 */
async function wholeRun(parts: readonly PartialResult[], runText: string, logSpec: string | undefined) {
  const run = JSON.parse(runText) as RunSpec;
  const location = logLocation(logSpec);
  if (location === undefined) throw new RevisionError('the report of a merged run names the log its shards read, and quotes its revisions: give --log DB');
  const log = openLog(location, { existing: true });
  try {
    const revisions = logRevisions(log);
    const side = (spec: string | undefined) => (spec === undefined ? undefined : resolveRevision(spec, log, revisions));
    const [against, base, head] = await Promise.all([side(run.revision ?? run.policies), side(run.base), side(run.head)]);
    const logged = run.command === 'replay' ? await loggedSide(log) : undefined;
    const compared: Compared = run.command === 'replay' ? { base: logged!, head: against?.side ?? logged! } : { base: base!.side, head: head!.side };
    const byDigest = new Map<string, CompiledPolicy>([against, base, head].flatMap((r) => (r ? [[r.policy.digest, r.policy] as const] : [])));
    for (const p of parts)
      for await (const line of p.lines()) {
        let f: { base?: unknown; head?: unknown; changes?: unknown } | undefined;
        try {
          f = JSON.parse(line);
        } catch {
          continue; // the merge refuses it, naming the line
        }
        if (f?.changes !== undefined) for (const d of [f.base, f.head]) if (typeof d === 'string' && !byDigest.has(d)) byDigest.set(d, await revisions(d).catch((e: Error) => Promise.reject(new RevisionError(e.message))));
      }
    return { command: run.command, compared, selection: selectionOf(location, run), collector: new ReportCollector(), policyOf: (digest: string) => byDigest.get(digest)! };
  } finally {
    await log.close();
  }
}

/** The report and the JSON of a run, whole or merged from its shards: the same bytes either way. */
function writeOutputs(w: { readonly command: Provenance['command']; readonly at: string; readonly compared: Compared; readonly selection: Provenance['selection']; readonly summary: Summary; readonly collector: ReportCollector; readonly report?: string; readonly json?: string; readonly lang: Lang }): void {
  // Without undefined fields, so the file reads as the selection was given.
  const p = provenance({ command: w.command, generatedAt: w.at, compared: w.compared, selection: JSON.parse(JSON.stringify(w.selection)) as Provenance['selection'], events: w.summary.events, version: packageVersion() });
  if (w.json !== undefined) writeFileSync(w.json, `${JSON.stringify({ provenance: p, summary: w.summary, changes: w.collector.changeGroups() }, null, 2)}\n`);
  if (w.report !== undefined) writeFileSync(w.report, w.collector.render(p, w.summary, w.compared, w.lang, chartLibrary()));
}

/** Streams a run's lines to stdout, with the progress bar and the report; the exit status. */
async function audit(command: Provenance['command'], { report, json, lang, allowEmpty }: SelectionOptions, selection: Provenance['selection'], start: () => Promise<Run>, shard?: ShardOf): Promise<number> {
  const at = generatedAt();
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
  const collector = report === undefined && json === undefined ? undefined : new ReportCollector();
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
  if (collector) writeOutputs({ command, at, compared: run.compared, selection, summary, collector, report, json, lang });
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

/** When a report says it was made: SOURCE_DATE_EPOCH (seconds) when set, for a reproducible file, else now. */
function generatedAt(): string {
  const epoch = process.env['SOURCE_DATE_EPOCH'];
  if (epoch === undefined || epoch === '') return new Date().toISOString();
  if (!/^\d{1,12}$/.test(epoch)) throw new UsageError(`SOURCE_DATE_EPOCH must be whole seconds since 1970, not ${epoch}`);
  return new Date(Number(epoch) * 1000).toISOString();
}

/** A log's location as a report may show it: a URL's password left out. */
function withoutPassword(location: string): string {
  if (!/^postgres(ql)?:/.test(location)) return location;
  const url = new URL(location);
  if (url.password) url.password = '***';
  return url.toString();
}

/** Chart.js's UMD build, from the installed package, for the report to inline. */
export function chartLibrary(): string {
  return readFileSync(join(dirname(createRequire(import.meta.url).resolve('chart.js')), 'chart.umd.min.js'), 'utf8');
}
