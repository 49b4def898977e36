// Bearer API keys, compared in constant time. A 401 never says which part was wrong.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { HttpError } from './errors';

const digest = (value: string) => createHash('sha256').update(value).digest();

/** How the audit log names a key: a prefix of its digest, which cannot be turned back into the key. */
export const keyId = (keyDigest: Buffer) => `key_${keyDigest.toString('hex').slice(0, 12)}`;

/** The id of the key `key` (for operators matching audit entries to the keys they gave out). */
export const keyIdOf = (key: string) => keyId(digest(key));

export function requireApiKey(keys: readonly string[]): RequestHandler {
  // Comparing fixed-length digests keeps the comparison constant-time whatever the key lengths.
  const known = keys.map(digest);
  return (req, res, next) => {
    const match = /^Bearer (\S+)$/.exec(req.get('authorization') ?? '');
    const presented = match ? digest(match[1]!) : undefined;
    let ok = false;
    for (const key of known) if (presented && timingSafeEqual(key, presented)) ok = true;
    if (!ok) return next(new HttpError(401, 'unauthorized', 'a valid API key is required (Authorization: Bearer <key>)'));
    res.locals.keyId = keyId(presented!);
    next();
  };
}
