// Signed revisions: with a policy key the admin route activates only a revision whose digest that key
// signed, and the log keeps who signed it; without one, the admin token alone activates, as before.
// Then the real `tiaoli sign` and `tiaoli serve` with TIAOLI_POLICY_PUBLIC_KEY.
import { spawnSync } from 'node:child_process';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildBundle, readPolicyDir, SHIPPED_POLICIES } from '../../engine/index.js';
import { generateKeys, keyId } from '../../engine/keys.js';
import type { DecisionLog } from '../../engine/log/log.js';
import { openLog } from '../../engine/log/open.js';
import { signRevision } from '../../engine/signed-revision.js';
import { serveChild } from '../extension/revision.js';
import { shippedPolicy } from '../helpers.js';
import { testService } from './harness.js';

const TOKEN = 'signing-test-token';
const R1 = readPolicyDir(SHIPPED_POLICIES);
// A revision that keeps content and logs ninety days instead of sixty: a digest of its own.
const R2 = R1.map((s) => (s.path === 'live-2016/article-16.tiaoli' ? { ...s, text: s.text.replace('retain content_and_logs for P60D', 'retain content_and_logs for P90D') } : s));
const R2_DIGEST = buildBundle(R2).policy!.digest;
const pair = generateKeys();
const KEY = createPrivateKey(pair.privatePem);
const PUB = createPublicKey(pair.publicPem);
const OTHER = createPrivateKey(generateKeys().privatePem);
const BIN = new URL('../../bin/tiaoli.js', import.meta.url).pathname;

describe('POST /v1/admin/policies with a policy key', () => {
  const logs: DecisionLog[] = [];
  afterEach(async () => {
    for (const log of logs.splice(0)) await log.close();
  });
  const service = async (policyKey?: typeof PUB) => {
    const log = openLog(join(mkdtempSync(join(tmpdir(), 'tiaoli-signed-')), 'decisions.sqlite'));
    logs.push(log);
    const app = await testService({ policy: shippedPolicy(), sources: R1, log, adminToken: TOKEN, policyKey });
    const upload = (body: object) => app.inject({ method: 'POST', url: '/v1/admin/policies', headers: { authorization: `Bearer ${TOKEN}` }, payload: { files: R2, ...body } });
    return { app, log, upload };
  };

  it('activates only a revision signed by the key, and logs who signed it', async () => {
    const { app, log, upload } = await service(PUB);
    const refused = async (body: object, code: string, message: string) => {
      const r = await upload(body);
      expect([r.statusCode, r.json().code]).toEqual([403, code]);
      expect(r.json().detail).toContain(message);
    };
    const good = signRevision(R2_DIGEST, 'legal@platform', KEY);
    await refused({}, 'revision_not_signed', `revisions must be signed by key ${keyId(PUB)}`);
    await refused({ signature: signRevision(shippedPolicy().digest, 'legal@platform', KEY) }, 'revision_signature_refused', `the signature is for revision ${shippedPolicy().digest}, not for ${R2_DIGEST}`);
    await refused({ signature: signRevision(R2_DIGEST, 'legal@platform', OTHER) }, 'revision_signature_refused', `not by the configured key ${keyId(PUB)}`);
    await refused({ signature: { ...good, signer: 'someone else' } }, 'revision_signature_refused', 'the signature does not verify');
    await refused({ signature: { ...good, signer: 'two\nlines' } }, 'revision_signature_refused', 'signer: one line');
    // Nothing changed by any of them.
    expect((await app.inject({ method: 'GET', url: '/v1/policies' })).json().digest).toBe(shippedPolicy().digest);
    expect(await log.revisions()).toEqual([]);
    const r = await upload({ signature: good });
    expect(r.statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/v1/policies' })).json().digest).toBe(R2_DIGEST);
    expect((await log.revisions()).at(-1)).toMatchObject({ digest: R2_DIGEST, signature: { signer: 'legal@platform', keyId: keyId(PUB), digest: R2_DIGEST } });
    await app.close();
    // Six uploads, each built in a worker thread: a bound of its own on a loaded machine.
  }, 120_000);

  it('without a key activates by the admin token alone, as before, and will not log a signature it cannot check', async () => {
    const { app, log, upload } = await service();
    const r = await upload({ signature: signRevision(R2_DIGEST, 'legal@platform', KEY) });
    expect([r.statusCode, r.json().code]).toEqual([422, 'revision_signature_unchecked']);
    expect((await upload({})).statusCode).toBe(200);
    expect((await log.revisions()).at(-1)).toEqual({ digest: R2_DIGEST, activatedAt: expect.any(String) });
    await app.close();
  });
});

describe('tiaoli sign and tiaoli serve with TIAOLI_POLICY_PUBLIC_KEY', () => {
  it('signs what the service then serves, and a service with a key will not start unsigned', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tiaoli-sign-'));
    writeFileSync(join(dir, 'k.key'), pair.privatePem);
    writeFileSync(join(dir, 'k.pub'), pair.publicPem);
    const signed = spawnSync(process.execPath, [BIN, 'sign', SHIPPED_POLICIES, '--key', join(dir, 'k.key'), '--signer', 'legal@platform', '--out', join(dir, 'sig.json')], { encoding: 'utf8', timeout: 30_000 });
    expect(signed.status).toBe(0);
    expect(signed.stderr).toContain(`${shippedPolicy().digest} signed by legal@platform with key ${keyId(PUB)}`);
    const env = { TIAOLI_POLICY_PUBLIC_KEY: join(dir, 'k.pub'), TIAOLI_LOG_URL: join(dir, 'decisions.sqlite') };
    const { TIAOLI_LOG_URL: _l, TIAOLI_POLICIES: _p, ...inherited } = process.env;
    const unsigned = spawnSync(process.execPath, [BIN, 'serve'], { encoding: 'utf8', timeout: 30_000, env: { ...inherited, ...env, PORT: '0' } });
    expect(unsigned.status).toBe(2);
    expect(unsigned.stderr).toContain('TIAOLI_POLICY_PUBLIC_KEY is set, so the policies in');
    const served = await serveChild({ ...env, TIAOLI_POLICIES_SIGNATURE: join(dir, 'sig.json') });
    await served.stop();
    expect(served.output()).toContain(`Policy revisions are activated only when signed by key ${keyId(PUB)} (tiaoli sign).`);
    const log = openLog(env.TIAOLI_LOG_URL);
    expect((await log.revisions()).at(-1)).toMatchObject({ digest: shippedPolicy().digest, signature: { signer: 'legal@platform' } });
    await log.close();
    const plain = await serveChild({ TIAOLI_LOG_URL: join(dir, 'plain.sqlite') });
    await plain.stop();
    expect(plain.output()).toContain('Policy revisions are not signed: the admin token alone activates one');
  }, 120_000);
});
