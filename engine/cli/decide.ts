// `tiaoli decide [--policies DIR] FILE|-`: one output line per input event, in input order.
import { createReadStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { decide, isDecisionError, type CompiledPolicy, type Event } from '../index.js';
import type { DecisionLog, NewEntry } from '../log/log.js';
import type { Lang } from '../../language/glossary.js';
import { explain, renderExplanation } from '../explain.js';
import { readEvents } from './events.js';

export interface DecideSummary {
  readonly decided: number;
  readonly errors: number;
}

export interface DecideOptions {
  readonly log?: DecisionLog;
  /** Add an `explanation` in this language to each decision. */
  readonly explain?: Lang;
}

/** Decides every event of `file`; with a log, each decision is logged before its line is written. */
export async function decideFile(policy: CompiledPolicy, file: string, stdin: NodeJS.ReadableStream, out: Writable, { log, explain: lang }: DecideOptions = {}): Promise<DecideSummary> {
  const input = file === '-' ? stdin : createReadStream(file);
  let decided = 0;
  let errors = 0;
  let buffer = '';
  let entries: NewEntry[] = [];
  const flush = async (): Promise<void> => {
    if (buffer === '') return;
    if (log) {
      await log.append(entries);
      entries = [];
    }
    const ok = out.write(buffer);
    buffer = '';
    if (!ok) await new Promise<void>((resolve) => out.once('drain', resolve));
  };
  for await (const item of readEvents(input as import('node:stream').Readable)) {
    const result = item.ok ? decide(policy, item.value) : { eventId: null, error: { code: 'invalid_json' as const, message: item.message } };
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
    } else buffer += JSON.stringify(result) + '\n';
    // Batch writes: one syscall (and one log transaction) per 64 KiB rather than per decision.
    if (buffer.length > 65_536) await flush();
  }
  await flush();
  return { decided, errors };
}
