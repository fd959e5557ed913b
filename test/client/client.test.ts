// The typed client (`tiaoli/client`) against the real service: decide, batch, log paging, problems;
// and its generated types are those the service's document gives now.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TiaoliClient, TiaoliProblem, type Event } from '../../engine/client/index.js';
import { decide } from '../../engine/index.js';
import { event, shippedPolicy } from '../helpers.js';
import { startService } from '../server/harness.js';

const TOKEN = 'client-test-token';

describe('the typed client', () => {
  let svc: Awaited<ReturnType<typeof startService>>;
  let client: TiaoliClient;
  beforeAll(async () => {
    svc = await startService(TOKEN);
    client = new TiaoliClient(svc.url, { token: TOKEN });
  });
  afterAll(() => svc.stop());

  it('is what the package exports as tiaoli/client (built to dist)', async () => {
    const specifier = 'tiaoli/client';
    const built = (await import(specifier)) as { TiaoliClient: { name: string } };
    expect(built.TiaoliClient.name).toBe('TiaoliClient');
  });

  it('decides an event, idempotently when given a key, and throws the problem of a refused one', async () => {
    const ev = event('content.publish', { id: 'client-1' }) as Event;
    const decision = await client.decide(ev, { idempotencyKey: 'client-key-1' });
    expect(decision).toEqual(decide(shippedPolicy(), ev));
    expect(await client.decide(ev, { idempotencyKey: 'client-key-1' })).toEqual(decision);
    expect(await svc.log.count({ eventId: 'client-1' })).toBe(1);
    const refused = await client.decide({ ...ev, id: 'client-bad', occurredAt: 'yesterday' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TiaoliProblem);
    expect((refused as TiaoliProblem).problem).toMatchObject({ status: 400, code: 'invalid_event', eventId: 'client-bad', errors: [{ path: '/occurredAt', message: 'must be an RFC 3339 time with offset' }] });
  });

  it('decides a batch sent as JSON Lines from an async source, one result per event in order', async () => {
    async function* source() {
      for (let i = 0; i < 5; i++) yield event('interaction.post', { id: `client-batch-${i}` }) as Event;
      yield { id: 'client-batch-bad', type: 'nope' } as unknown as Event;
    }
    const results = [];
    for await (const r of client.batch(source())) results.push(r);
    expect(results.map((r) => r.eventId)).toEqual([0, 1, 2, 3, 4].map((i) => `client-batch-${i}`).concat('client-batch-bad'));
    expect(results[5]).toMatchObject({ error: { code: 'invalid_event' } });
  });

  it('pages through the log, following next to the last page', async () => {
    for (let i = 0; i < 7; i++) await client.decide(event('interaction.post', { id: `client-page-${i}` }) as Event);
    const pages = [];
    for await (const page of client.logPages({ limit: 3 })) pages.push(page.map((e) => e.eventId));
    const all = pages.flat();
    expect(pages.slice(0, -1).every((p) => p.length === 3)).toBe(true);
    expect(all.filter((id) => id.startsWith('client-page-'))).toEqual([0, 1, 2, 3, 4, 5, 6].map((i) => `client-page-${i}`));
    expect(all).toHaveLength(await svc.log.count({}));
    const posts = [];
    for await (const e of client.log({ type: 'interaction.post', limit: 2 })) posts.push(e.eventId);
    expect(posts).toHaveLength(await svc.log.count({ type: 'interaction.post' }));
    expect(posts.length).toBeGreaterThanOrEqual(7);
    const unauthorised = new TiaoliClient(svc.url);
    await expect(unauthorised.logPages().next()).rejects.toMatchObject({ problem: { status: 401, code: 'unauthorized' } });
  });

  it('has the types the service document gives now (npm run gen:client)', async () => {
    const script = '../../scripts/gen-client.js';
    const { clientTypes, CLIENT_TYPES } = (await import(script)) as { clientTypes: () => Promise<string>; CLIENT_TYPES: URL };
    expect(await clientTypes(), 'engine/client/openapi.ts is stale: npm run build && npm run gen:client').toBe(readFileSync(CLIENT_TYPES, 'utf8'));
  });
});
