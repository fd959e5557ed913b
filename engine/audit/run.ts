// An audit run as the CLI and the service both start it: which logged events, against which
// revisions. A revision is named by its digest (its sources are in the log) or by a policy directory.
import { suggest } from '../../language/diagnostics.js';
import { loadPolicyDir, PolicyLoadError } from '../load.js';
import { entries, loggedEvents, type DecisionLog, type LogQuery } from '../log/log.js';
import { verifyLog, type TrailKey } from '../log/verify.js';
import { diffRevisions } from './diff.js';
import type { Outcome } from './findings.js';
import type { CompiledPolicy } from '../compile.js';
import type { SourceFile } from '../../language/source.js';
import { logRevisions, replay, type Revisions } from './replay.js';

/** Which logged events: event time bounds (RFC 3339), type, ids, and a shard of them. */
export type Selection = Pick<LogQuery, 'from' | 'to' | 'type' | 'eventIds' | 'shard'>;

export interface Run {
  /** How many events the run will decide, for a progress bar, when known in advance. */
  readonly total?: number;
  readonly outcomes: AsyncIterable<Outcome>;
  /** What it compares, for a report's provenance. */
  readonly compared: Compared;
}

/**
 * One side of a run as its provenance names it: as given (a directory, a digest, or `logged`: the
 * revision that decided each entry) and the digests it stands for; with its sources when it is one
 * revision, for the diff of the policy source.
 */
export interface Side {
  readonly name: string;
  readonly digests: readonly string[];
  readonly sources?: readonly SourceFile[];
}

export interface Compared {
  readonly base: Side;
  readonly head: Side;
}

/** A revision resolved: compiled, and the side of a run it makes. */
export interface Resolved {
  readonly policy: CompiledPolicy;
  readonly side: Side;
}

/** Thrown for a revision that cannot be had: not stored, not a directory, does not compile. */
export class RevisionError extends Error {}

/**
 * What a run asks of the log before reading it: that it verifies (its chain and checkpoints, their
 * signatures when a key is given). A log that does not is refused, or, when asked, read with the
 * problem as the run's first error, so that no run over it ends clean.
 */
export interface Trust {
  readonly key?: TrailKey;
  readonly unverified: 'refuse' | 'flag';
}

export const REFUSE_UNVERIFIED: Trust = { unverified: 'refuse' };

/** Thrown when the log does not verify and the run refuses it. */
export class UnverifiedLogError extends Error {}

/** The problem flagged, once: by the first shard of a sharded run, so that merged shards flag it as one run does. */
async function verified(log: DecisionLog, trust: Trust, selection: Selection): Promise<Outcome[]> {
  const { problem } = await verifyLog(log, { key: trust.key });
  if (!problem) return [];
  const message = `the decision log does not verify: ${problem.message}`;
  if (trust.unverified === 'refuse') throw new UnverifiedLogError(`${message}; refused, since an audit of it would vouch for decisions it cannot show were the ones made`);
  if ((selection.shard?.index ?? 0) > 0) return [];
  return [{ kind: 'error', error: { seq: problem.seq, eventId: null, error: { code: 'log_unverified', message } } }];
}

async function* flagged(first: readonly Outcome[], rest: AsyncIterable<Outcome>): AsyncGenerator<Outcome> {
  yield* first;
  yield* rest;
}

/** Thrown for a selection no revision of the run could match: an event type none of them declares. */
export class SelectionError extends RevisionError {}

/** The digests of the revisions a log holds, each once. */
const loggedDigests = async (log: DecisionLog): Promise<string[]> => [...new Set((await log.revisions()).map((r) => r.digest))];

const DIGEST = /^sha256:[0-9a-f]{64}$/;

/**
 * A digest as given, completed from the log's revisions: the start of one (`sha256:1f2e3d4c5b6a`, as
 * `tiaoli serve` prints it, with or without its ellipsis) names the one revision it begins; a
 * policy directory is left as it is.
 */
export async function fullDigest(spec: string, log: DecisionLog | undefined): Promise<string> {
  if (!spec.startsWith('sha256:')) return spec;
  const start = spec.replace(/(…|\.\.\.)$/, '');
  if (!/^sha256:[0-9a-f]{1,64}$/.test(start)) throw new RevisionError(`${spec} is not a digest: sha256: and hexadecimal digits, as tiaoli serve prints them`);
  if (!log) throw new RevisionError(`${spec}: a revision named by digest needs a log to read its sources from`);
  const digests = await loggedDigests(log);
  const matching = digests.filter((d) => d.startsWith(start));
  if (matching.length === 1) return matching[0]!;
  if (matching.length > 1) throw new RevisionError(`${spec} is the start of ${matching.length} revisions in the log (${matching.join(', ')}): give more of it`);
  throw new RevisionError(`no revision in the log has the digest ${spec}; it holds ${digests.length === 0 ? 'none' : digests.map((d) => d.slice(0, 19)).join(', ')}`);
}

/** A digest (or the start of one, looked up in the log) or a policy directory, as named by `spec`. */
export async function resolveRevision(spec: string, log: DecisionLog | undefined, revisions: Revisions | undefined = log && logRevisions(log)): Promise<Resolved> {
  const name = await fullDigest(spec, log);
  if (DIGEST.test(name)) {
    if (!revisions || !log) throw new RevisionError(`${name}: a revision named by digest needs a log to read its sources from`);
    const policy = await revisions(name).catch((e: Error) => Promise.reject(new RevisionError(e.message)));
    return { policy, side: { name: spec, digests: [policy.digest], sources: await log.sources(name) } };
  }
  let loaded;
  try {
    loaded = loadPolicyDir(name, { tests: false });
  } catch (e) {
    throw new RevisionError(e instanceof PolicyLoadError ? `the policy directory ${name} is refused: ${e.message}` : `cannot read the policy directory ${name}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  if (!loaded.policy) throw new RevisionError(`the policies in ${name} do not compile (tiaoli check ${name})`);
  return { policy: loaded.policy, side: { name: spec, digests: [loaded.policy.digest], sources: loaded.sources } };
}

/** Refuses a type no revision of the run declares: it would select nothing, and the run would end clean. */
function checkType(selection: Selection, policies: readonly CompiledPolicy[]): void {
  if (selection.type === undefined || policies.length === 0) return;
  const types = [...new Set(policies.flatMap((p) => p.checked.vocabulary.events.map((e) => e.type)))].sort();
  if (types.includes(selection.type)) return;
  throw new SelectionError(`type ${selection.type} is not an event type of the vocabulary: ${suggest(selection.type, types, 'the event types').suggestion}`);
}

/** The side of a replay that is the revisions that decided each entry: every revision of the log. */
export async function loggedSide(log: DecisionLog): Promise<Side> {
  const digests = await loggedDigests(log);
  // The one revision that decided everything has sources to diff against; several have none to choose.
  return { name: 'logged', digests, ...(digests.length === 1 && { sources: await log.sources(digests[0]!) }) };
}

/** Replays the selected entries against the revision that decided each, or against `against`. */
export async function replayLog(log: DecisionLog, selection: Selection, against?: string, trust: Trust = REFUSE_UNVERIFIED): Promise<Run> {
  const revisions = logRevisions(log);
  const resolved = against === undefined ? undefined : await resolveRevision(against, log, revisions);
  const target = resolved === undefined ? ({ kind: 'logged' } as const) : ({ kind: 'policy', policy: resolved.policy } as const);
  // Against the logged revisions, a type any of them declares (one that no longer compiles is the replay's to report).
  if (selection.type !== undefined && target.kind === 'logged') {
    const logged = await Promise.all((await loggedDigests(log)).map((d) => revisions(d).catch(() => undefined)));
    checkType(selection, logged.filter((p) => p !== undefined));
  } else if (target.kind === 'policy') checkType(selection, [target.policy]);
  const flags = await verified(log, trust, selection);
  const logged = await loggedSide(log);
  return { total: (await log.count(selection)) + flags.length, outcomes: flagged(flags, replay(entries(log, selection), target, revisions)), compared: { base: logged, head: resolved?.side ?? logged } };
}

/** Decides the selected logged events under `base` and `head`. */
export async function diffLog(log: DecisionLog, selection: Selection, base: string, head: string, trust: Trust = REFUSE_UNVERIFIED): Promise<Run> {
  const revisions = logRevisions(log);
  const [b, h] = await Promise.all([resolveRevision(base, log, revisions), resolveRevision(head, log, revisions)]);
  checkType(selection, [b.policy, h.policy]);
  const flags = await verified(log, trust, selection);
  return { total: (await log.count(selection)) + flags.length, outcomes: flagged(flags, diffRevisions(subjects(log, selection), b.policy, h.policy)), compared: { base: b.side, head: h.side } };
}

async function* subjects(log: DecisionLog, selection: Selection) {
  for await (const e of loggedEvents(log, selection)) yield { ok: true as const, value: e.event, seq: e.seq };
}
