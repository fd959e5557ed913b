// `tiaoli log …`: verify a decision log, sign and print its checkpoints, prove an
// entry and check the proof offline. Exit status: 0 when it holds, 1 when it does not, 2 for bad usage
// or what cannot be had (a key, a file, the log).
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { KeyError, privateKey, publicKey } from '../keys.js';
import { checkpointFrom, type Checkpoint } from '../log/checkpoint.js';
import { timeBound } from '../log/log.js';
import { logLocation, openLog } from '../log/open.js';
import { retainLog } from '../log/retention.js';
import { addPeriod, parsePeriod } from '../../language/calendar.js';
import { checkProof, makeCheckpoint, proveEntry, TrailError, verifyLog, type Proof, type Verification } from '../log/verify.js';

export const LOG_USAGE = `  tiaoli log verify [--log DB] [--key PUB] [--head FILE…] [--json]
                                                     check every entry's chain hash and every checkpoint (signed by PUB, or
                                                     TIAOLI_LOG_PUBLIC_KEY); names the first entry altered, deleted, inserted or moved
  tiaoli log checkpoint [--log DB] [--key PRIV]      sign a tree head over every entry so far (PRIV, or TIAOLI_LOG_KEY) and store it
  tiaoli log checkpoints [--log DB]                  the stored checkpoints, one JSON line each: tree heads to publish
  tiaoli log prove SEQ [--log DB] [--size N]         an inclusion proof of entry SEQ under the last checkpoint (or the one of size N)
  tiaoli log check-proof FILE|- (--key PUB|--head FILE)   check a proof offline, against the log's key or a published tree head
  tiaoli log retain (--older-than PERIOD|--before TIME) [--log DB] [--key PRIV]
                                                     remove the entries logged before TIME (or PERIOD ago, as P6M), after
                                                     checking them, and chain a statement of the cut signed by PRIV
                                                     (or TIAOLI_LOG_KEY); PostgreSQL drops whole months`;

export const fail = (command: string, message: string, status = 2): number => {
  process.stderr.write(`tiaoli ${command}: ${message}\n`);
  return status;
};

export async function logCommand(argv: readonly string[]): Promise<number> {
  const [sub, ...rest] = argv;
  const command = `log ${sub ?? ''}`.trim();
  try {
    switch (sub) {
      case 'verify':
        return await verifyCommand(rest);
      case 'checkpoint':
        return await checkpointCommand(rest);
      case 'checkpoints':
        return await withLog(command, rest, {}, async (log) => {
          for (const { frontier: _f, ...c } of await log.checkpoints()) process.stdout.write(`${JSON.stringify(c)}\n`);
          return 0;
        });
      case 'prove':
        return await proveCommand(rest);
      case 'check-proof':
        return checkProofCommand(rest);
      case 'retain':
        return await retainCommand(rest);
      default:
        return fail('log', `${sub === undefined ? 'name a subcommand' : `unknown subcommand '${sub}'`}\nusage:\n${LOG_USAGE}`);
    }
  } catch (e) {
    if (e instanceof KeyError || e instanceof TrailError) return fail(command, e.message);
    throw e;
  }
}

type Options = NonNullable<Parameters<typeof parseArgs>[0]>['options'];

/** Opens the log --log or TIAOLI_LOG_URL names, runs `body` with it and closes it. */
async function withLog(command: string, args: readonly string[], options: Options, body: (log: ReturnType<typeof openLog>, values: Record<string, unknown>, positionals: string[]) => Promise<number>): Promise<number> {
  const { values, positionals } = parseArgs({ args: [...args], options: { log: { type: 'string' }, ...options }, allowPositionals: true });
  const location = logLocation(values['log'] as string | undefined);
  if (location === undefined) return fail(command, 'name the decision log: --log DB or TIAOLI_LOG_URL');
  const log = openLog(location);
  try {
    return await body(log, values, positionals);
  } finally {
    await log.close();
  }
}

async function verifyCommand(args: readonly string[]): Promise<number> {
  return withLog('log verify', args, { key: { type: 'string' }, head: { type: 'string', multiple: true }, json: { type: 'boolean', default: false } }, async (log, values) => {
    const source = (values['key'] as string | undefined) ?? process.env['TIAOLI_LOG_PUBLIC_KEY'];
    const key = source === undefined ? undefined : publicKey(source);
    const published: Checkpoint[] = [];
    for (const file of (values['head'] as string[] | undefined) ?? []) {
      const head = readCheckpoint(file);
      if (typeof head === 'string') return fail('log verify', `--head ${file}: ${head}`);
      published.push(head);
    }
    const v = await verifyLog(log, { key, published });
    process.stdout.write(values['json'] ? `${JSON.stringify(v)}\n` : `${describe(v)}\n`);
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

async function checkpointCommand(args: readonly string[]): Promise<number> {
  return withLog('log checkpoint', args, { key: { type: 'string' } }, async (log, values) => {
    const source = (values['key'] as string | undefined) ?? process.env['TIAOLI_LOG_KEY'];
    if (source === undefined) return fail('log checkpoint', 'give the signing key: --key PRIV or TIAOLI_LOG_KEY (tiaoli keygen makes one)');
    const c = await makeCheckpoint(log, privateKey(source), new Date().toISOString());
    if (!c) process.stderr.write('tiaoli log checkpoint: nothing written since the last checkpoint\n');
    else process.stdout.write(`${JSON.stringify(c)}\n`);
    return 0;
  });
}

async function retainCommand(args: readonly string[]): Promise<number> {
  return withLog('log retain', args, { key: { type: 'string' }, 'older-than': { type: 'string' }, before: { type: 'string' } }, async (log, values) => {
    const source = (values['key'] as string | undefined) ?? process.env['TIAOLI_LOG_KEY'];
    if (source === undefined) return fail('log retain', 'give the signing key: --key PRIV or TIAOLI_LOG_KEY; a retention is signed, so that removing entries any other way is found');
    const now = new Date();
    const age = values['older-than'] as string | undefined;
    const at = values['before'] as string | undefined;
    if ((age === undefined) === (at === undefined)) return fail('log retain', 'give one of --older-than PERIOD (as P6M or P180D) or --before TIME (RFC 3339 with an offset, or a date)');
    let before: string;
    if (age !== undefined) {
      const period = parsePeriod(age);
      if (!period) return fail('log retain', `--older-than ${age} is not a period: write it as P180D, P6M or P1Y`);
      before = new Date(addPeriod(Math.floor(now.getTime() / DAY_MS), period, -1) * DAY_MS).toISOString();
    } else {
      const bound = timeBound(at!, 'start');
      if (bound === undefined) return fail('log retain', `--before ${at} is not a time: write RFC 3339 with an offset, or a date (YYYY-MM-DD, China time)`);
      before = new Date(Date.parse(bound)).toISOString();
    }
    const statement = await retainLog(log, privateKey(source), before, now.toISOString());
    if (!statement) process.stderr.write(`tiaoli log retain: no entry logged before ${before} is left to remove\n`);
    else process.stdout.write(`${JSON.stringify({ removed: statement.removed, through: statement.cut.seq, before: statement.before, cut: { ...statement.cut, frontier: undefined } })}\n`);
    return 0;
  });
}

const DAY_MS = 86_400_000;

async function proveCommand(args: readonly string[]): Promise<number> {
  return withLog('log prove', args, { size: { type: 'string' } }, async (log, values, positionals) => {
    const seq = Number(positionals[0]);
    const size = values['size'] === undefined ? undefined : Number(values['size']);
    if (positionals.length !== 1 || !Number.isSafeInteger(seq) || seq < 1) return fail('log prove', 'name one entry by its seq (a whole number from 1)');
    if (size !== undefined && !(Number.isSafeInteger(size) && size > 0)) return fail('log prove', '--size takes the size of a stored checkpoint (tiaoli log checkpoints)');
    process.stdout.write(`${JSON.stringify(await proveEntry(log, seq, size))}\n`);
    return 0;
  });
}

function checkProofCommand(args: readonly string[]): number {
  const { values, positionals } = parseArgs({ args: [...args], options: { key: { type: 'string' }, head: { type: 'string' } }, allowPositionals: true });
  if (positionals.length !== 1) return fail('log check-proof', 'name one proof file (from tiaoli log prove), or - for standard input');
  const file = positionals[0]!;
  let proof: Proof;
  try {
    proof = JSON.parse(readFileSync(file === '-' ? 0 : file, 'utf8')) as Proof;
  } catch (e) {
    return fail('log check-proof', `cannot read the proof ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
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
  const result = checkProof({ ...proof, head }, { key: source === undefined ? undefined : publicKey(source), head: published });
  (result.ok ? process.stdout : process.stderr).write(`${result.ok ? '' : 'tiaoli log check-proof: '}${result.message}\n`);
  return result.ok ? 0 : 1;
}

/** A tree head from a file: a line `tiaoli log checkpoints` printed. */
function readCheckpoint(file: string): Checkpoint | string {
  try {
    return checkpointFrom(JSON.parse(readFileSync(file, 'utf8')));
  } catch (e) {
    return `cannot read it: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`;
  }
}
