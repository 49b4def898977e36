// How Herald keeps and names API keys: a SHA-256 digest (fixed length, so comparing two takes the same
// time whatever the keys), and an id that is a prefix of it, which cannot be turned back into the key.
import { createHash } from 'node:crypto';

export const keyDigest = (key: string): Buffer => createHash('sha256').update(key).digest();

/** How the audit log and the key lists name a key. */
export const keyId = (digest: Buffer) => `key_${digest.toString('hex').slice(0, 12)}`;
