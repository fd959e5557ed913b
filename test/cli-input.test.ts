// How `tiaoli decide` reads its input and answers: long lines, broken arrays, slow pipes, a reader
// that stops early. The CLI cases run the built command (bin/tiaoli.js over dist/) on real pipes.
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ArraySplitter, LineSplitter, MAX_LINE_BYTES, type InputItem } from '../engine/cli/events.js';
import { SqliteLog } from '../engine/log/sqlite.js';
import { event } from './helpers.js';

const BIN = new URL('../bin/tiaoli.js', import.meta.url).pathname;
const tmp = () => mkdtempSync(join(tmpdir(), 'tiaoli-input-'));
const line = (id: string) => JSON.stringify(event('feature.launch', { id }));

/** The items of `bytes` cut into chunks at `cuts` (byte offsets, any order, repeats allowed). */
function split(splitter: LineSplitter | ArraySplitter, bytes: Buffer, cuts: readonly number[]): InputItem[] {
  const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const items: InputItem[] = [];
  let from = 0;
  for (const to of [...at, bytes.length]) {
    items.push(...splitter.push(bytes.subarray(from, to)));
    from = to;
  }
  return [...items, ...splitter.end()];
}

describe('reading JSON Lines', () => {
  // Line breaks of every kind, blank lines, JSON and not, multi-byte characters a cut may split.
  const piece = fc.constantFrom('\n', '\r', '\r\n', '\n\r', ' ', '1', '"x"', '"é中"', '{"a":[1,2]}', 'x', '{', '"😀"');
  const text = fc.array(piece, { maxLength: 40 }).map((xs) => xs.join(''));
  const cuts = fc.array(fc.nat(), { maxLength: 12 });

  /** What splitting the whole text gives: readline's line breaks, blank lines skipped, long lines refused. */
  function expected(t: string, max: number): InputItem[] {
    return t.split(/\r\n|\n|\r/).flatMap((l, i): InputItem[] => {
      if (Buffer.byteLength(l) > max) return [{ ok: false, message: `line ${i + 1}: longer than ${max} bytes` }];
      if (l.trim() === '') return [];
      try {
        return [{ ok: true, value: JSON.parse(l) }];
      } catch (e) {
        return [{ ok: false, message: `line ${i + 1}: ${(e as Error).message}` }];
      }
    });
  }

  it('gives the same items however the input is cut into chunks, long lines included', () => {
    fc.assert(
      fc.property(text, cuts, fc.integer({ min: 1, max: 12 }), (t, c, max) => {
        expect(split(new LineSplitter(max), Buffer.from(t), c)).toEqual(expected(t, max));
        expect(split(new LineSplitter(), Buffer.from(t), c)).toEqual(expected(t, MAX_LINE_BYTES));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('reading a JSON array', () => {
  const value = fc.jsonValue({ maxDepth: 3 });
  const cuts = fc.array(fc.nat(), { maxLength: 12 });

  it('gives each element, however the input is cut into chunks', () => {
    fc.assert(
      fc.property(fc.array(value, { maxLength: 6 }), fc.boolean(), cuts, (values, pretty, c) => {
        const bytes = Buffer.from(JSON.stringify(values, null, pretty ? 2 : undefined));
        // JSON.parse, not the values themselves: -0 is written as 0.
        expect(split(new ArraySplitter(), bytes, c)).toEqual(values.map((v) => ({ ok: true, value: JSON.parse(JSON.stringify(v)) })));
      }),
      { numRuns: 1000 },
    );
  });

  it('gives the elements before the point where it breaks, then one error', () => {
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 6 }), fc.constantFrom(', garbage', ',', ' }', '] x', ', {"a":', ', [1,2'), cuts, (values, tail, c) => {
        const bytes = Buffer.from(`${JSON.stringify(values).slice(0, -1)}${tail}`);
        const items = split(new ArraySplitter(), bytes, c);
        expect(items.slice(0, values.length)).toEqual(values.map((v) => ({ ok: true, value: JSON.parse(JSON.stringify(v)) })));
        expect(items).toHaveLength(values.length + 1);
        expect(items.at(-1)).toMatchObject({ ok: false, message: expect.stringContaining('the JSON array is malformed') });
      }),
      { numRuns: 1000 },
    );
  });
});

function tiaoli(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], { input, encoding: 'utf8', maxBuffer: 1 << 30 });
  return { code: r.status, stderr: r.stderr, lines: r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) };
}

/** The next line `child` writes, within `ms`. */
function nextLine(child: ChildProcessWithoutNullStreams, ms: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => done(new Error(`no line within ${ms} ms (so far: ${text.slice(0, 200)})`)), ms);
    const onData = (chunk: Buffer) => {
      text += chunk.toString('utf8');
      if (text.includes('\n')) done();
    };
    const done = (error?: Error) => {
      clearTimeout(timer);
      child.stdout.off('data', onData);
      if (error) reject(error);
      else resolve(text.slice(0, text.indexOf('\n')));
    };
    child.stdout.on('data', onData);
  });
}

const exited = (child: ChildProcessWithoutNullStreams): Promise<number | null> => new Promise((resolve) => child.on('close', resolve));

describe('tiaoli decide on awkward input', () => {
  it('reports a line over the limit as an error and decides the next line', () => {
    const r = tiaoli(['decide', '-'], `"${'x'.repeat(40_000_000)}"\n${line('after')}\n`);
    expect(r.lines).toHaveLength(2);
    expect(r.lines[0]).toEqual({ eventId: null, error: { code: 'invalid_json', message: `line 1: longer than ${MAX_LINE_BYTES} bytes` } });
    expect(r.lines[1]!.eventId).toBe('after');
    expect(r.code).toBe(1);
  });

  it('decides the valid elements of a JSON array broken part-way, then reports the rest', () => {
    const r = tiaoli(['decide', '-'], `[${line('first')}, garbage`);
    expect(r.lines).toHaveLength(2);
    expect(r.lines[0]!.eventId).toBe('first');
    expect(r.lines[1]).toMatchObject({ eventId: null, error: { code: 'invalid_json', message: expect.stringContaining('the JSON array is malformed') } });
    expect(r.code).toBe(1);
  });

  it.each([[[]], [['--log']]])('answers each event of a slow pipe as it comes, input still open %j', async (extra) => {
    const db = join(tmp(), 'slow.sqlite');
    const child = spawn(process.execPath, [BIN, 'decide', ...(extra.length ? ['--log', db] : []), '-']);
    try {
      child.stdin.write(`${line('slow-1')}\n`);
      // The first waits for the process to start; the second only for the decision.
      expect(JSON.parse(await nextLine(child, 20_000)).eventId).toBe('slow-1');
      child.stdin.write(`${line('slow-2')}\n`);
      expect(JSON.parse(await nextLine(child, 2_000)).eventId).toBe('slow-2');
      if (extra.length) {
        // Written only once logged.
        const log = new SqliteLog(db);
        expect((await log.query({ limit: 10 })).map((e) => e.eventId)).toEqual(['slow-1', 'slow-2']);
        await log.close();
      }
      child.stdin.end();
      expect(await exited(child)).toBe(0);
    } finally {
      child.kill();
    }
  });

  it('ends quietly when its reader closes the pipe early', async () => {
    const file = join(tmp(), 'many.jsonl');
    writeFileSync(file, Array.from({ length: 20_000 }, (_, i) => line(`many-${i}`)).join('\n'));
    const child = spawn(process.execPath, [BIN, 'decide', file]);
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    await nextLine(child, 20_000);
    child.stdout.destroy();
    expect(await exited(child)).toBe(141);
    expect(stderr).toBe('');
  });
});
