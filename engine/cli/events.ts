// Reading events for the CLI: a JSON array or JSON Lines, streamed, so memory stays flat however
// many events come. A line that is not JSON becomes an error item; the rest are still read.
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import streamArray from 'stream-json/streamers/stream-array.js';

export type InputItem = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly message: string };

/** Peeks at the first non-blank character: `[` is a JSON array, anything else JSON Lines. */
export async function* readEvents(input: Readable): AsyncGenerator<InputItem> {
  const iterator = input[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let first: string | undefined;
  for (;;) {
    const next = await iterator.next();
    if (next.done) break;
    const chunk = Buffer.isBuffer(next.value) ? next.value : Buffer.from(String(next.value));
    head.push(chunk);
    const m = /\S/.exec(chunk.toString('utf8'));
    if (m) {
      first = m[0];
      break;
    }
  }
  if (first === undefined) return;
  const rest = (async function* () {
    yield* head;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield next.value as Buffer;
    }
  })();
  yield* first === '[' ? readArray(rest) : readLines(rest);
}

async function* readLines(chunks: AsyncIterable<Buffer>): AsyncGenerator<InputItem> {
  let lineNo = 0;
  for await (const line of createInterface({ input: toReadable(chunks), crlfDelay: Infinity })) {
    lineNo++;
    if (line.trim() === '') continue;
    try {
      yield { ok: true, value: JSON.parse(line) };
    } catch (e) {
      yield { ok: false, message: `line ${lineNo}: ${(e as Error).message}` };
    }
  }
}

async function* readArray(chunks: AsyncIterable<Buffer>): AsyncGenerator<InputItem> {
  const stream = streamArray.withParserAsStream();
  const source = toReadable(chunks);
  source.pipe(stream);
  source.on('error', (e) => stream.destroy(e));
  try {
    for await (const item of stream) yield { ok: true, value: (item as { value: unknown }).value };
  } catch (e) {
    // A JSON array broken part-way cannot be split further: report where, after what was read.
    yield { ok: false, message: `the JSON array is malformed: ${(e as Error).message}` };
  }
}

const toReadable = (chunks: AsyncIterable<Buffer>): Readable => Readable.from(chunks, { objectMode: false });
