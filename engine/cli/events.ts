// Reading events for the CLI: a JSON array or JSON Lines, streamed, so memory stays flat however
// many events come. A line that is not JSON becomes an error item; the rest are still read.
import { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import streamArray from 'stream-json/streamers/stream-array.js';

export type InputItem = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly message: string };

/** One item at a time. */
export async function* readEvents(input: Readable): AsyncGenerator<InputItem> {
  for await (const batch of readEventBatches(input)) yield* batch;
}

/**
 * The items of each chunk read, together, so a caller can go through them without awaiting each.
 * Peeks at the first non-blank character: `[` is a JSON array, anything else JSON Lines.
 */
export async function* readEventBatches(input: Readable): AsyncGenerator<Iterable<InputItem>> {
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

/** Lines end as readline ends them: at \n, \r\n or a lone \r. */
const LINE_BREAK = /\r\n|\n|\r/;

async function* readLines(chunks: AsyncIterable<Buffer>): AsyncGenerator<Iterable<InputItem>> {
  const decoder = new StringDecoder('utf8');
  let lineNo = 0;
  let partial = '';
  const split = (text: string, last: boolean): Iterable<InputItem> => {
    const s = partial + text;
    // A \r at the end may be the first half of a \r\n: it waits for the next chunk.
    const cut = !last && s.endsWith('\r') ? s.length - 1 : s.length;
    const lines = s.slice(0, cut).split(LINE_BREAK);
    partial = last ? '' : lines.pop()! + s.slice(cut);
    const first = lineNo;
    lineNo += lines.length;
    return parsed(lines, first);
  };
  for await (const chunk of chunks) yield split(decoder.write(chunk), false);
  yield split(decoder.end(), true);
}

/** Parsed as the caller comes to them, so each event is garbage as soon as it is decided. */
function* parsed(lines: readonly string[], lineNo: number): Generator<InputItem> {
  for (const line of lines) {
    lineNo++;
    if (line.trim() === '') continue;
    try {
      yield { ok: true, value: JSON.parse(line) };
    } catch (e) {
      yield { ok: false, message: `line ${lineNo}: ${(e as Error).message}` };
    }
  }
}

async function* readArray(chunks: AsyncIterable<Buffer>): AsyncGenerator<Iterable<InputItem>> {
  const stream = streamArray.withParserAsStream();
  const source = toReadable(chunks);
  source.pipe(stream);
  source.on('error', (e) => stream.destroy(e));
  try {
    for await (const item of stream) yield [{ ok: true, value: (item as { value: unknown }).value }];
  } catch (e) {
    // A JSON array broken part-way cannot be split further: report where, after what was read.
    yield [{ ok: false, message: `the JSON array is malformed: ${(e as Error).message}` }];
  }
}

const toReadable = (chunks: AsyncIterable<Buffer>): Readable => Readable.from(chunks, { objectMode: false });
