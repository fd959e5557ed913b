// Reading events, for the CLI and the service's batch route: a JSON array or JSON Lines, streamed,
// so memory stays flat however many events come (Node only: it reads streams of Buffers, so it lives
// with the command line). A line that is not JSON becomes an error item; the rest are still read.
import { Readable } from 'node:stream';

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

/**
 * The longest line read, in bytes: 64× the HTTP service's limit for one event (256 KiB), so any event
 * it takes passes, yet a runaway line (a file with no line breaks, a binary piped in by mistake)
 * holds at most this much plus its decoded text, not the whole input.
 */
export const MAX_LINE_BYTES = 16 * 1024 * 1024;

const LF = 0x0a;
const CR = 0x0d;

/** A line's text, or the mark of one over the limit. */
type Text = string | typeof tooLong;
const tooLong = Symbol('too long');

/** The pieces of one unfinished line or element, across chunks, joined once; past `max` bytes, none. */
class Pieces {
  private parts: Buffer[] = [];
  bytes = 0;

  constructor(readonly max: number) {}

  add(part: Buffer): void {
    if (part.length === 0) return;
    this.bytes += part.length;
    if (this.bytes <= this.max) this.parts.push(part);
    else this.parts = [];
  }

  take(): Text {
    const text = this.bytes > this.max ? tooLong : this.bytes === 0 ? '' : (this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.bytes)).toString('utf8');
    this.parts = [];
    this.bytes = 0;
    return text;
  }
}

/**
 * Splits chunks into lines as readline does (at \n, \r\n or a lone \r), in time linear in the input:
 * each chunk is scanned once, the pieces of an unfinished line are kept and joined once. Line breaks
 * are ASCII, never inside a UTF-8 sequence, so lines are cut as bytes and each decoded on its own.
 * A line over `max` bytes is reported, not kept: what follows it in the line is dropped as it comes.
 */
export class LineSplitter {
  private readonly line: Pieces;
  private lineNo = 0;
  /** The last chunk ended in \r: a \n starting the next one is the second half of \r\n. */
  private afterCr = false;

  constructor(max = MAX_LINE_BYTES) {
    this.line = new Pieces(max);
  }

  /** The items of the lines `chunk` ends. */
  push(chunk: Buffer): Iterable<InputItem> {
    const first = this.lineNo;
    const lines: Text[] = [];
    let start = this.afterCr && chunk[0] === LF ? 1 : 0;
    this.afterCr = false;
    // The next \n and the next \r, found natively: most input has no \r at all.
    let lf = chunk.indexOf(LF, start);
    let cr = chunk.indexOf(CR, start);
    while (lf !== -1 || cr !== -1) {
      const i = cr === -1 || (lf !== -1 && lf < cr) ? lf : cr;
      this.line.add(chunk.subarray(start, i));
      lines.push(this.take());
      start = i + 1;
      if (i === cr) {
        if (start === chunk.length) this.afterCr = true;
        else if (chunk[start] === LF) start++;
        cr = chunk.indexOf(CR, start);
      }
      if (lf !== -1 && lf < start) lf = chunk.indexOf(LF, start);
    }
    this.line.add(chunk.subarray(start));
    return parsed(lines, first, this.line.max);
  }

  /** The item of the last line, if the input does not end with a line break. */
  end(): Iterable<InputItem> {
    const first = this.lineNo;
    return parsed(this.line.bytes > 0 ? [this.take()] : [], first, this.line.max);
  }

  private take(): Text {
    this.lineNo++;
    return this.line.take();
  }
}

/** Parsed as the caller comes to them, so each event is garbage as soon as it is decided. */
function* parsed(lines: readonly Text[], lineNo: number, max: number): Generator<InputItem> {
  for (const line of lines) {
    lineNo++;
    if (line === tooLong) yield { ok: false, message: `line ${lineNo}: longer than ${max} bytes` };
    else if (line.trim() === '') continue;
    else {
      try {
        yield { ok: true, value: JSON.parse(line) };
      } catch (e) {
        yield { ok: false, message: `line ${lineNo}: ${(e as Error).message}` };
      }
    }
  }
}

async function* readLines(chunks: AsyncIterable<Buffer>): AsyncGenerator<Iterable<InputItem>> {
  const lines = new LineSplitter();
  for await (const chunk of chunks) yield lines.push(chunk);
  yield lines.end();
}

const [COMMA, QUOTE, BACKSLASH] = [0x2c, 0x22, 0x5c];
const [OPEN_ARRAY, CLOSE_ARRAY, OPEN_OBJECT, CLOSE_OBJECT] = [0x5b, 0x5d, 0x7b, 0x7d];
const isJsonSpace = (c: number): boolean => c === 0x20 || c === LF || c === CR || c === 0x09;

/**
 * Splits a JSON array into its elements' items, in one pass over the bytes: the commas and brackets
 * outside strings tell where each element ends, and JSON.parse reads it. So every element before the
 * point where the input breaks is decided (stream-json, which this replaces, threw away the tokens of
 * the whole chunk holding the error). Past a malformed element nothing more can be told apart: one
 * error item stands for the rest. An element over `max` bytes is reported and skipped, as a line is.
 */
export class ArraySplitter {
  private readonly element: Pieces;
  private elementNo = 0;
  /** 0 before the array's `[`, 1 between its elements, more inside one; -1 after its `]`. */
  private depth = 0;
  private inString = false;
  private escaped = false;
  private failed = false;

  constructor(max = MAX_LINE_BYTES) {
    this.element = new Pieces(max);
  }

  /** The items of the elements `chunk` ends. */
  push(chunk: Buffer): InputItem[] {
    const items: InputItem[] = [];
    let start = 0;
    for (let i = 0; i < chunk.length && !this.failed; i++) {
      const c = chunk[i]!;
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === BACKSLASH) this.escaped = true;
        else if (c === QUOTE) this.inString = false;
      } else if (this.depth <= 0) {
        if (isJsonSpace(c)) continue;
        if (this.depth === 0 && c === OPEN_ARRAY) {
          this.depth = 1;
          start = i + 1;
        } else this.fail(items, this.depth === 0 ? 'it does not start with [' : 'text after its closing ]');
      } else if (c === QUOTE) this.inString = true;
      else if (c === OPEN_ARRAY || c === OPEN_OBJECT) this.depth++;
      else if ((c === COMMA && this.depth === 1) || ((c === CLOSE_ARRAY || c === CLOSE_OBJECT) && --this.depth === 0)) {
        this.element.add(chunk.subarray(start, i));
        this.finish(items, c !== COMMA);
        if (c === CLOSE_OBJECT) this.fail(items, "unexpected '}'");
        if (c !== COMMA) this.depth = -1;
        start = i + 1;
      }
    }
    if (this.depth > 0 && !this.failed) this.element.add(chunk.subarray(start));
    return items;
  }

  /** If the input ends inside the array: its last element, if whole, and an error item. */
  end(): InputItem[] {
    const items: InputItem[] = [];
    if (this.depth === 1 && !this.failed) this.finish(items, false);
    if (this.depth > 0) this.fail(items, 'it ends before its closing ]');
    return items;
  }

  private finish(items: InputItem[], last: boolean): void {
    const text = this.element.take();
    const n = ++this.elementNo;
    if (text === tooLong) items.push({ ok: false, message: `element ${n}: longer than ${this.element.max} bytes` });
    else if (text.trim() === '') {
      // Only `[]` (or `[ ]`) may have nothing between its brackets.
      if (!(last && n === 1)) this.fail(items, `element ${n}: expected a value`);
    } else {
      try {
        items.push({ ok: true, value: JSON.parse(text) });
      } catch (e) {
        this.fail(items, `element ${n}: ${(e as Error).message}`);
      }
    }
  }

  private fail(items: InputItem[], why: string): void {
    if (!this.failed) items.push({ ok: false, message: `the JSON array is malformed: ${why}` });
    this.failed = true;
  }
}

async function* readArray(chunks: AsyncIterable<Buffer>): AsyncGenerator<Iterable<InputItem>> {
  const elements = new ArraySplitter();
  for await (const chunk of chunks) yield elements.push(chunk);
  yield elements.end();
}
