// Bearer API keys, compared in constant time. A 401 never says which part was wrong.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { HttpError } from './errors';

const digest = (value: string) => createHash('sha256').update(value).digest();

export function requireApiKey(keys: readonly string[]): RequestHandler {
  // Comparing fixed-length digests keeps the comparison constant-time whatever the key lengths.
  const known = keys.map(digest);
  return (req, _res, next) => {
    const match = /^Bearer (\S+)$/.exec(req.get('authorization') ?? '');
    const presented = match ? digest(match[1]!) : undefined;
    let ok = false;
    for (const key of known) if (presented && timingSafeEqual(key, presented)) ok = true;
    if (!ok) return next(new HttpError(401, 'unauthorized', 'a valid API key is required (Authorization: Bearer <key>)'));
    next();
  };
}
