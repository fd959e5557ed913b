// `tiaoli decide [--policies DIR] FILE|-`: one output line per input event, in input order.
import type { Writable } from 'node:stream';
import { decide, isDecisionError, type CompiledPolicy, type Decision, type DecisionError, type Event } from '../index.js';
import type { DecisionLog, NewEntry } from '../log/log.js';
import type { Lang } from '../../language/glossary.js';
import { decisionJson } from '../decision-json.js';
import { explain, renderExplanation } from '../explain.js';
import { readEventBatches } from './events.js';
import { inputOf } from './paths.js';

export interface DecideSummary {
  readonly decided: number;
  readonly errors: number;
}

/** Which backend decides: the compiled closures, or json-rules-engine (engine/backends/jre.ts). */
export const BACKENDS = ['compiled', 'jre'] as const;
export type Backend = (typeof BACKENDS)[number];
export const isBackend = (name: string): name is Backend => (BACKENDS as readonly string[]).includes(name);

export interface DecideOptions {
  readonly log?: DecisionLog;
  /** Add an `explanation` in this language to each decision. */
  readonly explain?: Lang;
  readonly backend?: Backend;
}

/** How long a decided line may wait for others to fill a batch. */
const FLUSH_MS = 50;

type Decider = (input: unknown) => Decision | DecisionError | Promise<Decision | DecisionError>;

async function deciderFor(policy: CompiledPolicy, backend: Backend): Promise<Decider> {
  if (backend === 'compiled') return (input) => decide(policy, input);
  // Loaded only when asked for, so the usual start does not pay for json-rules-engine.
  const { compileJre, decideJre } = await import('../backends/jre.js');
  const jre = compileJre(policy.checked, policy.digest);
  return (input) => decideJre(jre, input);
}

/** Decides every event of `file`; with a log, each decision is logged before its line is written. */
export async function decideFile(policy: CompiledPolicy, file: string, stdin: NodeJS.ReadableStream, out: Writable, { log, explain: lang, backend = 'compiled' }: DecideOptions = {}): Promise<DecideSummary> {
  const input = inputOf(file, stdin);
  const decideOne = await deciderFor(policy, backend);
  let decided = 0;
  let errors = 0;
  let buffer = '';
  let entries: NewEntry[] = [];
  let timer: NodeJS.Timeout | undefined;
  // Flushes run one after another (the timer's may overlap the loop's): lines keep their order, and
  // with a log each batch is appended before its lines are written.
  let flushing = Promise.resolve();
  const flush = (): Promise<void> => (flushing = flushing.then(async () => {
    clearTimeout(timer);
    timer = undefined;
    if (buffer === '') return;
    const lines = buffer;
    const logged = entries;
    buffer = '';
    entries = [];
    if (log) await log.append(logged);
    if (!out.write(lines)) await new Promise<void>((resolve) => out.once('drain', resolve));
  }));
  // The items of a chunk are decided in one go: no await per event unless the backend is async.
  for await (const batch of readEventBatches(input)) {
    for (const item of batch) {
      let result: Decision | DecisionError;
      if (item.ok) {
        const r = decideOne(item.value);
        result = r instanceof Promise ? await r : r;
      } else result = { eventId: null, error: { code: 'invalid_json', message: item.message } };
      if (isDecisionError(result)) errors++;
      else {
        decided++;
        // A decision implies the item was a valid event.
        const ev = (item as { value: Event }).value;
        if (log) entries.push({ eventId: ev.id, type: ev.type, occurredAt: ev.occurredAt, decidedAt: new Date().toISOString(), digest: policy.digest, event: ev, decision: result });
      }
      if (lang && !isDecisionError(result)) {
        const ev = (item as { value: Event }).value;
        const x = explain(policy, ev);
        buffer += JSON.stringify({ ...result, explanation: { text: renderExplanation(x, ev, lang), remedies: x.remedies, remediesSuffice: x.remediesSuffice } }) + '\n';
      } else buffer += (isDecisionError(result) ? JSON.stringify(result) : decisionJson(result)) + '\n';
      // Batch writes: one syscall (and one log transaction) per 64 KiB rather than per decision; yet a
      // line waits at most FLUSH_MS, so events trickling in through a pipe are answered as they come.
      if (buffer.length > 65_536) await flush();
      // A failure of the timer's flush (of the log) ends the reading, so the loop fails with it.
      else timer ??= setTimeout(() => void flush().catch((e: Error) => input.destroy(e)), FLUSH_MS);
    }
  }
  await flush();
  return { decided, errors };
}
