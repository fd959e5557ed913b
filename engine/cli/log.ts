// `tiaoli log …`: verify a decision log, sign and print its checkpoints, prove an
// entry and check the proof offline. Exit status: 0 when it holds, 1 when it does not, 2 for bad usage
// or what cannot be had (a key, a file, the log).
import { readFileSync } from 'node:fs';
import { KeyError, privateKey, publicKey } from '../keys.js';
import { checkpointFrom, type Checkpoint } from '../log/checkpoint.js';
import type { DecisionLog } from '../log/log.js';
import { logLocation, openLog } from '../log/open.js';
import { retainLog } from '../log/retention.js';
import { addPeriod, DAY_MS, parsePeriod, parseTimeBound } from '../../language/calendar.js';
import { UsageError } from './paths.js';
import { checkProof, makeCheckpoint, proveEntry, TrailError, verifyLog, type Proof, type Verification } from '../log/verify.js';

export const fail = (command: string, message: string, status = 2): number => {
  process.stderr.write(`tiaoli ${command}: ${message}\n`);
  return status;
};

export interface LogOptions {
  readonly log?: string;
}
export type VerifyOptions = LogOptions & { readonly key?: string; readonly head?: string[]; readonly json?: boolean };
export type CheckpointOptions = LogOptions & { readonly key?: string };
export type ProveOptions = LogOptions & { readonly size?: string };
export type RetainOptions = LogOptions & { readonly key?: string; readonly olderThan?: string; readonly before?: string };
export type CheckProofOptions = { readonly key?: string; readonly head?: string };

/** Opens the log --log or TIAOLI_LOG_URL names (it must exist), runs `body` with it and closes it; a key or trail refused, one line. */
async function withLog(command: string, o: LogOptions, body: (log: DecisionLog) => Promise<number>): Promise<number> {
  const location = logLocation(o.log);
  if (location === undefined) throw new UsageError('name the decision log: --log DB or TIAOLI_LOG_URL');
  const log = openLog(location, { existing: true });
  try {
    return await body(log);
  } catch (e) {
    if (e instanceof KeyError || e instanceof TrailError) return fail(command, e.message);
    throw e;
  } finally {
    await log.close();
  }
}

export function checkpointsCommand(o: LogOptions): Promise<number> {
  return withLog('log checkpoints', o, async (log) => {
    for (const { frontier: _f, ...c } of await log.checkpoints()) process.stdout.write(`${JSON.stringify(c)}\n`);
    return 0;
  });
}

export function verifyCommand(o: VerifyOptions): Promise<number> {
  return withLog('log verify', o, async (log) => {
    const source = o.key ?? process.env['TIAOLI_LOG_PUBLIC_KEY'];
    const key = source === undefined ? undefined : publicKey(source);
    const published: Checkpoint[] = [];
    for (const file of o.head ?? []) {
      const head = readCheckpoint(file);
      if (typeof head === 'string') return fail('log verify', `--head ${file}: ${head}`);
      published.push(head);
    }
    const v = await verifyLog(log, { key, published });
    process.stdout.write(o.json ? `${JSON.stringify(v)}\n` : `${describe(v)}\n`);
    return v.problem ? 1 : 0;
  });
}

/** A verification in one line (two with a problem): what holds, and what was not checked. */
function describe(v: Verification): string {
  if (v.problem) return `the log does not verify: ${v.problem.message}`;
  const range = v.entries === 0 ? 'no entries' : `${v.entries} entries (to seq ${v.lastSeq})`;
  const signatures = v.checkpoints === 0 ? 'no checkpoint' : v.signedBy ? `${v.checkpoints} checkpoint(s) match, signed by key ${v.signedBy}` : `${v.checkpoints} checkpoint(s) match; their signatures not checked (give --key PUB)`;
  const migrated = v.migration ? `; the first ${v.migration.entries} were written before the log was chained and chained at its migration (${v.migration.migratedAt}): the chain holds them from then` : '';
  const retained = v.retention ? `; entries to seq ${v.retention.cut.seq} were removed by the retention of ${v.retention.at} (logged before ${v.retention.before}), whose signed cut stands for them` : '';
  return `verified: ${range}, every chain hash holds, ${signatures}; root ${v.root}${migrated}${retained}`;
}

export function checkpointCommand(o: CheckpointOptions): Promise<number> {
  return withLog('log checkpoint', o, async (log) => {
    const source = o.key ?? process.env['TIAOLI_LOG_KEY'];
    if (source === undefined) return fail('log checkpoint', 'give the signing key: --key PRIV or TIAOLI_LOG_KEY (tiaoli keygen makes one)');
    const c = await makeCheckpoint(log, privateKey(source), new Date().toISOString());
    if (!c) process.stderr.write('tiaoli log checkpoint: nothing written since the last checkpoint\n');
    else process.stdout.write(`${JSON.stringify(c)}\n`);
    return 0;
  });
}

export function retainCommand(o: RetainOptions): Promise<number> {
  const source = o.key ?? process.env['TIAOLI_LOG_KEY'];
  if (source === undefined) throw new UsageError('give the signing key: --key PRIV or TIAOLI_LOG_KEY; a retention is signed, so that removing entries any other way is found');
  if ((o.olderThan === undefined) === (o.before === undefined)) throw new UsageError('give one of --older-than PERIOD (as P6M or P180D) or --before TIME (RFC 3339 with an offset, or a date)');
  const now = new Date();
  let before: string;
  if (o.olderThan !== undefined) {
    const period = parsePeriod(o.olderThan);
    if (!period) throw new UsageError(`--older-than ${o.olderThan} is not a period: write it as P180D, P6M or P1Y`);
    before = new Date(addPeriod(Math.floor(now.getTime() / DAY_MS), period, -1) * DAY_MS).toISOString();
  } else {
    const bound = parseTimeBound(o.before!, 'start');
    if (!bound.ok) throw new UsageError(`--before: ${bound.problem}`);
    before = new Date(Date.parse(bound.time)).toISOString();
  }
  return withLog('log retain', o, async (log) => {
    const statement = await retainLog(log, privateKey(source), before, now.toISOString());
    if (!statement) process.stderr.write(`tiaoli log retain: no entry logged before ${before} is left to remove\n`);
    else process.stdout.write(`${JSON.stringify({ removed: statement.removed, through: statement.cut.seq, before: statement.before, cut: { ...statement.cut, frontier: undefined } })}\n`);
    return 0;
  });
}

export function proveCommand(seqText: string, o: ProveOptions): Promise<number> {
  const seq = Number(seqText);
  const size = o.size === undefined ? undefined : Number(o.size);
  if (!/^\d+$/.test(seqText) || !Number.isSafeInteger(seq) || seq < 1) throw new UsageError('name one entry by its seq (a whole number from 1)');
  if (size !== undefined && !(Number.isSafeInteger(size) && size > 0)) throw new UsageError('--size takes the size of a stored checkpoint (tiaoli log checkpoints)');
  return withLog('log prove', o, async (log) => {
    process.stdout.write(`${JSON.stringify(await proveEntry(log, seq, size))}\n`);
    return 0;
  });
}

export function checkProofCommand(file: string, values: CheckProofOptions): number {
  let proof: Proof;
  const text = readFileSync(file === '-' ? 0 : file, 'utf8');
  try {
    proof = JSON.parse(text) as Proof;
  } catch (e) {
    return fail('log check-proof', `${file} is not JSON (${(e as Error).message}): give the file tiaoli log prove printed`);
  }
  const head = checkpointFrom(proof?.head);
  if (typeof head === 'string' || !Array.isArray(proof.path) || !Number.isSafeInteger(proof.index) || typeof proof.entry !== 'object' || proof.entry === null) {
    return fail('log check-proof', `${file} is not a proof from tiaoli log prove${typeof head === 'string' ? ` (its head: ${head})` : ''}`);
  }
  let published: Checkpoint | undefined;
  if (values.head !== undefined) {
    const read = readCheckpoint(values.head);
    if (typeof read === 'string') return fail('log check-proof', `--head ${values.head}: ${read}`);
    published = read;
  }
  const source = values.key ?? process.env['TIAOLI_LOG_PUBLIC_KEY'];
  let key;
  try {
    key = source === undefined ? undefined : publicKey(source);
  } catch (e) {
    if (e instanceof KeyError) return fail('log check-proof', e.message);
    throw e;
  }
  const result = checkProof({ ...proof, head }, { key, head: published });
  (result.ok ? process.stdout : process.stderr).write(`${result.ok ? '' : 'tiaoli log check-proof: '}${result.message}\n`);
  return result.ok ? 0 : 1;
}

/** A tree head from a file: a line `tiaoli log checkpoints` printed. */
function readCheckpoint(file: string): Checkpoint | string {
  const text = readFileSync(file, 'utf8');
  try {
    return checkpointFrom(JSON.parse(text));
  } catch (e) {
    return `not JSON (${(e as Error).message}): give a line tiaoli log checkpoints printed`;
  }
}
