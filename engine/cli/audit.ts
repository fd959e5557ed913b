// `tiaoli replay` and `tiaoli diff`: JSON Lines of changed decisions and a summary line on stdout,
// an HTML report on request, a progress bar on stderr when it is a terminal. Exit status: 0 when
// nothing changed, 1 when some decision changed or an event could not be decided, 2 for bad usage.
import { createReadStream, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { auditLines, Tally } from '../audit/findings.js';
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
} as const;

export const AUDIT_USAGE = `  tiaoli replay [--log DB] [--revision sha256:…|--policies DIR] [--from T] [--to T] [--type TYPE] [--id ID…] [--report FILE.html]
                                                     re-decide logged events: against the revision that decided each (it must
                                                     be reproduced exactly), or another one; JSON Lines of changes, then a summary
  tiaoli diff --base A --head B (EVENTS|-|--log DB) [--from T] [--to T] [--type TYPE] [--id ID…] [--report FILE.html]
                                                     the decisions that differ between revisions A and B (directories or digests)
                                                     T: a CST date (YYYY-MM-DD) or an RFC 3339 time; DB: a SQLite file or postgres:// URL
                                                     A log is verified first (tiaoli log verify; --key PUB or TIAOLI_LOG_PUBLIC_KEY
                                                     checks its checkpoints' signatures) and refused when it does not verify;
                                                     --flag-unverified runs anyway, the problem as the first error`;

type SelectionValues = { log?: string; from?: string; to?: string; type?: string; id?: string[]; report?: string; key?: string; 'flag-unverified'?: boolean };

export async function replayCommand(args: readonly string[]): Promise<number> {
  const { values } = parseArgs({ args: [...args], options: { ...SELECTION, revision: { type: 'string' }, policies: { type: 'string' } } });
  if (values.revision && values.policies) return usage('replay', 'give --revision or --policies, not both');
  const location = logLocation(values.log);
  if (location === undefined) return usage('replay', 'name the decision log: --log DB or TIAOLI_LOG_URL');
  const trust = trustOf('replay', values);
  if (typeof trust === 'number') return trust;
  const log = openLog(location);
  return withLog(log, 'replay', values, (selection) => replayLog(log, selection, values.revision ?? values.policies, trust));
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
    return withLog(log, 'diff', values, (selection) => diffLog(log, selection, base, head, trust));
  }
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

async function withLog(log: DecisionLog, command: string, values: SelectionValues, start: (s: Selection) => Promise<Run>): Promise<number> {
  try {
    const from = values.from === undefined ? undefined : timeBound(values.from, 'start');
    const to = values.to === undefined ? undefined : timeBound(values.to, 'end');
    if ((values.from !== undefined && !from) || (values.to !== undefined && !to)) return usage(command, '--from and --to take a date (YYYY-MM-DD, China Standard Time) or an RFC 3339 time');
    return await audit(command, values.report, () => start({ from, to, type: values.type, eventIds: values.id }));
  } finally {
    await log.close();
  }
}

/** Streams a run's lines to stdout, with the progress bar and the report; the exit status. */
async function audit(command: string, report: string | undefined, start: () => Promise<Run>): Promise<number> {
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
    auditLines(run.outcomes, tally, (o) => {
      bar.tick();
      collector?.observe(o);
    }),
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
