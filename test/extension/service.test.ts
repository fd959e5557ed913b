// The worked extension through the real service: `tiaoli serve` as a child process on 127.0.0.1,
// the shipped policies in force, then the legal team's revision activated through the admin route.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decide, loadPolicyDir } from '../../engine/index.js';
import { ARTICLE, revision, RULE, serveChild, tip } from './revision.js';

const TOKEN = 'extension-admin-token';
const dir = revision();

/** A response body as JSON; the tests know its shape. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const read = async (res: Response): Promise<any> => res.json();
const post = (body: unknown, admin = false) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...(admin && { authorization: `Bearer ${TOKEN}` }) },
  body: JSON.stringify(body),
});

/** The worked extension's revision, activated through the admin route of a running service. */
async function activate(url: string): Promise<string> {
  const res = await fetch(`${url}/v1/admin/policies`, post({ directory: dir }, true));
  expect(res.status).toBe(200);
  return (await read(res)).digest;
}

describe('the service, with only the shipped policies in force', () => {
  let url: string;
  let stop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    ({ url, stop } = await serveChild({ TIAOLI_ADMIN_TOKEN: TOKEN }));
  });
  afterAll(() => stop?.());

  it('refuses the new event type, and activates no revision without the admin token', async () => {
    const res = await fetch(`${url}/v1/decisions`, post(tip({ id: 'before-reload' })));
    expect(res.status).toBe(400);
    expect((await read(res)).errors).toEqual([{ path: '/type', message: expect.stringContaining('must be one of') }]);
    expect((await read(await fetch(`${url}/v1/schema/event.json`))).properties.tip).toBeUndefined();
    expect((await fetch(`${url}/v1/admin/policies`, post({ directory: dir }))).status).toBe(401);
    expect((await read(await fetch(`${url}/v1/policies`))).vocabulary.names).toEqual(['contract']);
  });
});

// Its own service, the extension activated before any test: each test reads what it needs of it
// and decides under ids of its own, so they pass in any order.
describe('the service, with the extension activated by an admin reload', () => {
  let url: string;
  let stop: (() => Promise<void>) | undefined;
  let digest: string;

  beforeAll(async () => {
    ({ url, stop } = await serveChild({ TIAOLI_ADMIN_TOKEN: TOKEN }));
    digest = await activate(url);
  });
  afterAll(() => stop?.());

  it('serves the revision, and decides a tip.send event as the library does', async () => {
    const policies = await read(await fetch(`${url}/v1/policies`));
    expect(policies.digest).toBe(digest);
    expect(policies.files).toEqual(expect.arrayContaining(['example-tips/vocabulary.tiaoli', ARTICLE]));
    expect(policies.vocabulary.names).toEqual(['contract', 'example-tips']);

    const ev = tip({ id: 'after-reload' });
    const decided = await fetch(`${url}/v1/decisions`, post(ev));
    expect(decided.status).toBe(200);
    const body = await read(decided);
    expect(body).toMatchObject({ allowed: false, disposal: ['refund_tip'], obligations: [{ code: 'report_minor_tipping', due: '2021-06-08' }], trace: [{ rule: RULE }], policy: { digest } });
    // The same revision loaded in this process decides the same, field for field.
    const local = loadPolicyDir(dir).policy!;
    expect(local.digest).toBe(digest);
    expect(body).toEqual(decide(local, ev as never));
  });

  it('answers an amount over the bound with 400 naming /tip/amount, and serves the extended schema', async () => {
    const res = await fetch(`${url}/v1/decisions`, post(tip({ id: 'too-much', tip: { amount: 100_001, channels: ['virtual_gift', 'coins'] } })));
    expect(res.status).toBe(400);
    expect((await read(res)).errors).toEqual([
      { path: '/tip/amount', message: 'must be <= 100000' },
      { path: '/tip/channels/1', message: expect.stringContaining('must be one of') },
    ]);
    const schema = await read(await fetch(`${url}/v1/schema/event.json`));
    expect(schema.properties.type.enum).toContain('tip.send');
    expect(schema.properties.tip.properties.amount).toMatchObject({ type: 'integer', minimum: 0, maximum: 100000 });
  });

  it('logs the decision under the revision that made it', async () => {
    expect((await fetch(`${url}/v1/decisions`, post(tip({ id: 'to-be-logged' })))).status).toBe(200);
    const logged = await read(await fetch(`${url}/v1/log?eventId=to-be-logged`, { headers: { authorization: `Bearer ${TOKEN}` } }));
    expect(logged.entries).toHaveLength(1);
    expect(logged.entries[0]).toMatchObject({ type: 'tip.send', digest, decision: { disposal: ['refund_tip'] } });
  });
});
