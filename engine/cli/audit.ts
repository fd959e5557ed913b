// `tiaoli replay` and `tiaoli diff`: JSON Lines of changed decisions and a summary line on stdout,
// an HTML report on request, a progress bar on stderr when it is a terminal. Exit status: 0 when
// nothing changed, 1 when some decision changed or an event could not be decided, 2 for bad usage.
import { createReadStream, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { auditLines, Tally, type ShardOf } from '../audit/findings.js';
import { mergePartials, MergeError } from '../audit/merge.js';
import { ReportCollector } from '../audit/report.js';
import { diffRevisions } from '../audit/diff.js';
import { diffLog, replayLog, resolveRevision, RevisionError, UnverifiedLogError, type Run, type Selection, type Trust } from '../audit/run.js';
import { KeyError, publicKey } from '../keys.js';
import { timeBound, type DecisionLog } from '../log/log.js';
import { logLocation, openLog } from '../log/open.js';
import { readEvents } from './events.js';
import { progressBar } from './progress.js';

const SELECTION = {
  log: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  type: { type: 'string' },
  id: { type: 'string', multiple: true },
  report: { type: 'string' },
  key: { type: 'string' },
  'flag-unverified': { type: 'boolean', default: false },
  shard: { type: 'string' },
} as const;

export const AUDIT_USAGE = `  tiaoli replay [--log DB] [--revision sha256:…|--policies DIR] [--from T] [--to T] [--type TYPE] [--id ID…] [--report FILE.html]
                                                     re-decide logged events: against the revision that decided each (it must
                                                     be reproduced exactly), or another one; JSON Lines of changes, then a summary
  tiaoli diff --base A --head B (EVENTS|-|--log DB) [--from T] [--to T] [--type TYPE] [--id ID…] [--report FILE.html]
                                                     the decisions that differ between revisions A and B (directories or digests)
                                                     T: a CST date (YYYY-MM-DD) or an RFC 3339 time; DB: a SQLite file or postgres:// URL
                                                     A log is verified first (tiaoli log verify; --key PUB or TIAOLI_LOG_PUBLIC_KEY
                                                     checks its checkpoints' signatures) and refused when it does not verify;
                                                     --flag-unverified runs anyway, the problem as the first error
                                                     --shard I/N: only the entries whose seq modulo N is I-1, a partial result
  tiaoli audit merge PARTIAL…                        the partial results of shards 1…N of one run, merged into what the
                                                     unsharded run prints, byte for byte`;

type SelectionValues = { log?: string; from?: string; to?: string; type?: string; id?: string[]; report?: string; key?: string; 'flag-unverified'?: boolean; shard?: string };

export async function replayCommand(args: readonly string[]): Promise<number> {
  const { values } = parseArgs({ args: [...args], options: { ...SELECTION, revision: { type: 'string' }, policies: { type: 'string' } } });
  if (values.revision && values.policies) return usage('replay', 'give --revision or --policies, not both');
  const location = logLocation(values.log);
  if (location === undefined) return usage('replay', 'name the decision log: --log DB or TIAOLI_LOG_URL');
  const trust = trustOf('replay', values);
  if (typeof trust === 'number') return trust;
  const log = openLog(location);
  return withLog(log, 'replay', values, { revision: values.revision, policies: values.policies }, (selection) => replayLog(log, selection, values.revision ?? values.policies, trust));
}

export async function diffCommand(args: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: [...args], options: { ...SELECTION, base: { type: 'string' }, head: { type: 'string' } }, allowPositionals: true });
  const { base, head } = values;
  if (!base || !head) return usage('diff', 'name both revisions: --base A --head B');
  if (positionals.length > 1 || (positionals.length === 1) === (values.log !== undefined)) return usage('diff', 'give one events file (or -), or --log DB');
  if (values.log !== undefined) {
    const trust = trustOf('diff', values);
    if (typeof trust === 'number') return trust;
    const log = openLog(values.log);
    return withLog(log, 'diff', values, { base, head }, (selection) => diffLog(log, selection, base, head, trust));
  }
  if (values.shard !== undefined) return usage('diff', '--shard divides a log: give --log DB');
  const file = positionals[0]!;
  return audit('diff', values.report, async () => {
    const [b, h] = await Promise.all([resolveRevision(base, undefined), resolveRevision(head, undefined)]);
    const input = file === '-' ? process.stdin : createReadStream(file);
    return { outcomes: diffRevisions(readEvents(input as Readable), b, h) };
  });
}

/** What the run asks of the log, or the exit status of a key that cannot be had. */
function trustOf(command: string, values: SelectionValues): Trust | number {
  const source = values.key ?? process.env['TIAOLI_LOG_PUBLIC_KEY'];
  try {
    return { key: source === undefined ? undefined : publicKey(source), unverified: values['flag-unverified'] ? 'flag' : 'refuse' };
  } catch (e) {
    if (!(e instanceof KeyError)) throw e;
    process.stderr.write(`tiaoli ${command}: ${values.key === undefined ? 'TIAOLI_LOG_PUBLIC_KEY: ' : '--key: '}${e.message}\n`);
    return 2;
  }
}

/** `revisions`: what the run decides against, which with the selection names the run a shard is part of. */
async function withLog(log: DecisionLog, command: string, values: SelectionValues, revisions: Record<string, string | undefined>, start: (s: Selection) => Promise<Run>): Promise<number> {
  try {
    const from = values.from === undefined ? undefined : timeBound(values.from, 'start');
    const to = values.to === undefined ? undefined : timeBound(values.to, 'end');
    if ((values.from !== undefined && !from) || (values.to !== undefined && !to)) return usage(command, '--from and --to take a date (YYYY-MM-DD, China Standard Time) or an RFC 3339 time');
    const m = values.shard === undefined ? undefined : /^([1-9]\d{0,5})\/([1-9]\d{0,5})$/.exec(values.shard);
    const [index, count] = m ? [Number(m[1]), Number(m[2])] : [1, 1];
    if (values.shard !== undefined && !(m && index <= count)) return usage(command, `--shard takes I/N, shard I of N (1 ≤ I ≤ N), not ${values.shard}`);
    if (values.shard !== undefined && values.report !== undefined) return usage(command, '--report needs the whole run: merge the shards (tiaoli audit merge), without --report');
    const run = JSON.stringify({ command, ...revisions, from: values.from, to: values.to, type: values.type, id: values.id, flagUnverified: values['flag-unverified'] });
    const shard = values.shard === undefined ? undefined : { index, count, run };
    return await audit(command, values.report, () => start({ from, to, type: values.type, eventIds: values.id, shard: shard && { index: index - 1, count } }), shard);
  } finally {
    await log.close();
  }
}

/** `tiaoli audit merge PARTIAL…`: the shards' lines merged; the exit status a run over the whole gives. */
export async function auditCommand(args: readonly string[]): Promise<number> {
  const [sub, ...files] = args;
  if (sub !== 'merge') return usage('audit', sub === undefined ? 'name a subcommand: merge' : `unknown subcommand '${sub}'`);
  const parts = files.map((name) => ({ name, lines: () => createInterface({ input: createReadStream(name), crlfDelay: Infinity }) }));
  const lines = mergePartials(parts);
  let last = '';
  try {
    // The first line waits for every partial to be checked: nothing is printed from a merge that is refused.
    const first = await lines.next();
    await writeAll(
      process.stdout,
      (async function* () {
        if (!first.done) yield (last = first.value);
        for await (const line of lines) yield (last = line);
      })(),
    );
  } catch (e) {
    const { code, path } = e as NodeJS.ErrnoException;
    if (!(e instanceof MergeError) && code === undefined) throw e;
    process.stderr.write(`tiaoli audit merge: ${e instanceof MergeError ? e.message : `cannot read ${path}: ${code}`}\n`);
    return 2;
  }
  const { summary } = JSON.parse(last) as { summary: { changed: number; errors: number } };
  return summary.changed + summary.errors > 0 ? 1 : 0;
}

/** Streams a run's lines to stdout, with the progress bar and the report; the exit status. */
async function audit(command: string, report: string | undefined, start: () => Promise<Run>, shard?: ShardOf): Promise<number> {
  let run;
  try {
    run = await start();
  } catch (e) {
    if (!(e instanceof RevisionError || e instanceof UnverifiedLogError)) throw e;
    process.stderr.write(`tiaoli ${command}: ${e.message}${e instanceof UnverifiedLogError ? ' (--flag-unverified audits it anyway, the problem flagged)' : ''}\n`);
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
  if (collector && report) writeFileSync(report, collector.render(`Tiaoli ${command}`, summary, chartLibrary()));
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

function usage(command: string, message: string): number {
  process.stderr.write(`tiaoli ${command}: ${message}\nusage:\n${AUDIT_USAGE}\n`);
  return 2;
}
