// The CLI bundle's sha256 (scripts/bundle-cli.js puts it in place of @noble/hashes/sha2.js): the same
// function, from Node's crypto, which needs no warm-up; the library keeps @noble/hashes, which also
// runs in the browser.
import { createHash } from 'node:crypto';

export const sha256 = (bytes) => createHash('sha256').update(bytes).digest();
