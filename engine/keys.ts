// Ed25519 keys (node:crypto) for what Tiaoli signs: the log's tree heads and policy revisions. A key
// is given as a PEM file's path or as the PEM text itself (from the environment); a key is named by
// its id, the first 16 bytes of SHA-256 over its public key's DER, so that a signature says whose it is.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** A key that cannot be had or is not Ed25519; the message names where it was looked for. */
export class KeyError extends Error {}

const pemOf = (source: string, what: string): string => {
  if (source.trimStart().startsWith('-----BEGIN')) return source;
  try {
    return readFileSync(source, 'utf8');
  } catch (e) {
    throw new KeyError(`cannot read the ${what} ${source}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
};

function ed25519(source: string, what: string, make: (pem: string) => KeyObject): KeyObject {
  let key: KeyObject;
  try {
    key = make(pemOf(source, what));
  } catch (e) {
    if (e instanceof KeyError) throw e;
    throw new KeyError(`the ${what} ${source.startsWith('-----') ? '(PEM text)' : source} is not a PEM key: ${(e as Error).message}`);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new KeyError(`the ${what} ${source.startsWith('-----') ? '(PEM text)' : source} is ${key.asymmetricKeyType}, not Ed25519`);
  return key;
}

/** A private key, from a PEM file or PEM text. */
export const privateKey = (source: string): KeyObject => ed25519(source, 'private key', (pem) => createPrivateKey(pem));
/** A public key, from a PEM file or PEM text; a private key's PEM gives its public half. */
export const publicKey = (source: string): KeyObject => ed25519(source, 'public key', (pem) => createPublicKey(pem));

export const keyId = (key: KeyObject): string => {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  return createHash('sha256').update(pub.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 32);
};

/** A new key pair as PEM text. */
export function generateKeys(): { readonly privatePem: string; readonly publicPem: string } {
  const { privateKey: p, publicKey: q } = generateKeyPairSync('ed25519');
  return { privatePem: p.export({ type: 'pkcs8', format: 'pem' }) as string, publicPem: q.export({ type: 'spki', format: 'pem' }) as string };
}

export const signText = (text: string, key: KeyObject): string => sign(null, Buffer.from(text), key).toString('base64');

export function verifyText(text: string, signature: string, key: KeyObject): boolean {
  try {
    return verify(null, Buffer.from(text), key, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}
