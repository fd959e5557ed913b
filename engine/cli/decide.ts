// `tiaoli decide [--policies DIR] FILE|-`: one output line per input event, in input order.
import { createReadStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { decide, isDecisionError, type CompiledPolicy } from '../index.js';
import { readEvents } from './events.js';

export interface DecideSummary {
  readonly decided: number;
  readonly errors: number;
}

export async function decideFile(policy: CompiledPolicy, file: string, stdin: NodeJS.ReadableStream, out: Writable): Promise<DecideSummary> {
  const input = file === '-' ? stdin : createReadStream(file);
  let decided = 0;
  let errors = 0;
  let buffer = '';
  const flush = async (): Promise<void> => {
    if (buffer === '') return;
    const ok = out.write(buffer);
    buffer = '';
    if (!ok) await new Promise<void>((resolve) => out.once('drain', resolve));
  };
  for await (const item of readEvents(input as import('node:stream').Readable)) {
    const result = item.ok ? decide(policy, item.value) : { eventId: null, error: { code: 'invalid_json' as const, message: item.message } };
    if (isDecisionError(result)) errors++;
    else decided++;
    buffer += JSON.stringify(result) + '\n';
    // Batch writes: one syscall per 64 KiB rather than per decision.
    if (buffer.length > 65_536) await flush();
  }
  await flush();
  return { decided, errors };
}
