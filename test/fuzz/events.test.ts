// Fuzzing bad events through the library, the CLI and HTTP: every bad event gets a validation
// error naming its JSON path, never an exception, and no prototype is touched.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decide, isDecisionError, readPolicyDir, SHIPPED_POLICIES } from '../../engine/index.js';
import { SqliteLog } from '../../engine/log/sqlite.js';
import { shippedPolicy } from '../helpers.js';
import { badEvent, prototypeSnapshot, RUNS } from './generators.js';
import { testService } from '../server/harness.js';

const BIN = new URL('../../bin/tiaoli.js', import.meta.url).pathname;

describe('bad events through the library', () => {
  it('each gets a decision or an error naming its JSON path, as expected; no exception, no prototype touched', () => {
    const before = prototypeSnapshot();
    fc.assert(
      fc.property(badEvent, (bad) => {
        const result = decide(shippedPolicy(), JSON.parse(bad.json));
        // An event of any outcome still may not touch a prototype: that check comes first.
        expect(prototypeSnapshot()).toBe(before);
        expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
        if (bad.anyOutcome) return;
        if (bad.errorAt === undefined) {
          expect(isDecisionError(result), JSON.stringify(result).slice(0, 300)).toBe(false);
        } else {
          expect(isDecisionError(result), bad.kind).toBe(true);
          const paths = isDecisionError(result) ? (result.error.errors ?? []).map((e) => e.path) : [];
          expect(paths, `${bad.kind}: ${bad.json.slice(0, 200)}`).toContain(bad.errorAt);
        }
      }),
      { numRuns: RUNS ?? 400 },
    );
  });
});

describe('bad events through the CLI and HTTP alike', () => {
  let close: () => Promise<void>;
  let url: string;
  beforeAll(async () => {
    const log = new SqliteLog(join(mkdtempSync(join(tmpdir(), 'tiaoli-fuzz-')), 'log.sqlite'));
    // This test is about answers, not load: the library fuzzing above shares the event loop.
    const app = await testService({ policy: shippedPolicy(), sources: readPolicyDir(SHIPPED_POLICIES), log, limits: { maxEventLoopDelay: 0 } });
    await app.listen({ port: 0, host: '127.0.0.1' });
    url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    close = async () => {
      await app.close();
      await log.close();
    };
  });
  afterAll(async () => close());

  it('give the same answers, line for line, as the library', async () => {
    const sample = fc.sample(badEvent, { numRuns: RUNS ? Math.min(RUNS, 5000) : 150, seed: 42 });
    const input = sample.map((b) => b.json).join('\n');
    const library = sample.map((b) => JSON.stringify(decide(shippedPolicy(), JSON.parse(b.json))));

    const dir = mkdtempSync(join(tmpdir(), 'tiaoli-fuzz-cli-'));
    const cli = spawnSync(process.execPath, [BIN, 'decide', '-'], { input, encoding: 'utf8', maxBuffer: 1 << 30 });
    rmSync(dir, { recursive: true });
    expect(cli.stdout.split('\n').filter(Boolean)).toEqual(library);

    // Batches under the body limit (32 MiB): huge strings add up.
    const viaHttp: string[] = [];
    for (let i = 0; i < sample.length; ) {
      let size = 0;
      let j = i;
      while (j < sample.length && (j === i || size + sample[j]!.json.length < 8_000_000)) size += sample[j++]!.json.length + 1;
      const http = await fetch(`${url}/v1/decisions/batch`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body: sample.slice(i, j).map((b) => b.json).join('\n') });
      expect(http.status).toBe(200);
      viaHttp.push(...((await http.json()) as unknown[]).map((r) => JSON.stringify(r)));
      i = j;
    }
    expect(viaHttp).toEqual(library);

    // One at a time over HTTP: an invalid event is a 400 whose problem details say what the CLI's error line says.
    for (const [i, b] of sample.slice(0, 40).entries()) {
      const res = await fetch(`${url}/v1/decisions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: b.json });
      expect(asLine(await res.text())).toBe(library[i]);
      expect(res.status).toBe(library[i]!.includes('"error"') ? 400 : 200);
    }
  });

  it('decode invalid UTF-8 the same way', async () => {
    const good = '{"id":"e\u00e9","type":"feature.launch","occurredAt":"2021-01-01T00:00:00Z","provider":{"id":"p"},"feature":{"id":"f"}}';
    const bytes = Buffer.from(good, 'utf8');
    bytes[bytes.indexOf(0xa9)] = 0xff; // break the second byte of "é"
    const cli = spawnSync(process.execPath, [BIN, 'decide', '-'], { input: bytes, encoding: 'utf8' });
    const http = await fetch(`${url}/v1/decisions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: bytes });
    expect(asLine(await http.text())).toBe(cli.stdout.trim());
  });
});

/** A single decision's answer as the CLI's line for it: problem details (RFC 9457) carry the error line's eventId, code, message (as `detail`) and errors. */
function asLine(body: string): string {
  const p = JSON.parse(body) as { type?: string; eventId?: string | null; code?: string; detail?: string; errors?: unknown };
  if (p.type === undefined) return body;
  return JSON.stringify({ eventId: p.eventId ?? null, error: { code: p.code, message: p.detail, ...(p.errors !== undefined && { errors: p.errors }) } });
}
