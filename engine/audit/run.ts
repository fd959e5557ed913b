// An audit run as the CLI and the service both start it: which logged events, against which
// revisions. A revision is named by its digest (its sources are in the log) or by a policy directory.
import { loadPolicyDir, PolicyLoadError } from '../load.js';
import { entries, loggedEvents, type DecisionLog, type LogQuery } from '../log/log.js';
import { diffRevisions } from './diff.js';
import type { Outcome } from './findings.js';
import type { CompiledPolicy } from '../compile.js';
import { logRevisions, replay, type Revisions } from './replay.js';

/** Which logged events: event time bounds (RFC 3339), type, ids. */
export type Selection = Pick<LogQuery, 'from' | 'to' | 'type' | 'eventIds'>;

export interface Run {
  /** How many events the run will decide, for a progress bar, when known in advance. */
  readonly total?: number;
  readonly outcomes: AsyncIterable<Outcome>;
}

/** Thrown for a revision that cannot be had: not stored, not a directory, does not compile. */
export class RevisionError extends Error {}

const DIGEST = /^sha256:[0-9a-f]{64}$/;

/** A digest (looked up in the log) or a policy directory. */
export async function resolveRevision(spec: string, revisions: Revisions | undefined): Promise<CompiledPolicy> {
  if (DIGEST.test(spec)) {
    if (!revisions) throw new RevisionError(`${spec}: a revision named by digest needs a log to read its sources from`);
    return revisions(spec).catch((e: Error) => Promise.reject(new RevisionError(e.message)));
  }
  let loaded;
  try {
    loaded = loadPolicyDir(spec, { tests: false });
  } catch (e) {
    throw new RevisionError(e instanceof PolicyLoadError ? `the policy directory ${spec} is refused: ${e.message}` : `cannot read the policy directory ${spec}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  if (!loaded.policy) throw new RevisionError(`the policies in ${spec} do not compile (tiaoli check ${spec})`);
  return loaded.policy;
}

/** Replays the selected entries against the revision that decided each, or against `against`. */
export async function replayLog(log: DecisionLog, selection: Selection, against?: string): Promise<Run> {
  const revisions = logRevisions(log);
  const target = against === undefined ? ({ kind: 'logged' } as const) : ({ kind: 'policy', policy: await resolveRevision(against, revisions) } as const);
  return { total: await log.count(selection), outcomes: replay(entries(log, selection), target, revisions) };
}

/** Decides the selected logged events under `base` and `head`. */
export async function diffLog(log: DecisionLog, selection: Selection, base: string, head: string): Promise<Run> {
  const revisions = logRevisions(log);
  const [b, h] = await Promise.all([resolveRevision(base, revisions), resolveRevision(head, revisions)]);
  return { total: await log.count(selection), outcomes: diffRevisions(subjects(log, selection), b, h) };
}

async function* subjects(log: DecisionLog, selection: Selection) {
  for await (const e of loggedEvents(log, selection)) yield { ok: true as const, value: e.event, seq: e.seq };
}
