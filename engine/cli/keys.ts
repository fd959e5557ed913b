// `tiaoli keygen` and `tiaoli sign`: an Ed25519 key pair, and a policy revision signed with one.
import { writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { generateKeys, keyId, KeyError, privateKey, publicKey } from '../keys.js';
import { signRevision } from '../signed-revision.js';
import { fail } from './log.js';
import { loadOrReport } from './policies.js';

export function keygenCommand(out: string): number {
  const { privatePem, publicPem } = generateKeys();
  try {
    // 'wx': an existing key is never overwritten.
    writeFileSync(`${out}.key`, privatePem, { flag: 'wx', mode: 0o600 });
    writeFileSync(`${out}.pub`, publicPem, { flag: 'wx' });
  } catch (e) {
    return fail('keygen', `cannot write ${out}.key / .pub: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message} (an existing key is never overwritten)`);
  }
  process.stdout.write(`key ${keyId(publicKey(publicPem))}: ${out}.key (private), ${out}.pub (public)\n`);
  return 0;
}

/** Signs the digest of the policies in DIR (which must compile) as `--signer`; prints or writes the signature. */
export function signCommand(dir: string, values: { key: string; signer?: string; out?: string }): number {
  const signer = values.signer ?? userInfo().username;
  if (/[\n\r]/.test(signer)) return fail('sign', '--signer: one line');
  let key;
  try {
    key = privateKey(values.key);
  } catch (e) {
    if (e instanceof KeyError) return fail('sign', `--key: ${e.message}`);
    throw e;
  }
  const policy = loadOrReport(dir, 'tiaoli sign');
  if (!policy) return 2;
  const text = `${JSON.stringify(signRevision(policy.digest, signer, key))}\n`;
  if (values.out === undefined) process.stdout.write(text);
  else writeFileSync(values.out, text);
  process.stderr.write(`tiaoli sign: ${policy.digest} signed by ${signer} with key ${keyId(key)}\n`);
  return 0;
}
