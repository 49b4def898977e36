// Bearer API keys, compared in constant time. A 401 never says which part was wrong.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { HttpError } from './errors';
import { allows, type Scope } from '../domain/api-scopes';

const digest = (value: string) => createHash('sha256').update(value).digest();

/** How the audit log names a key: a prefix of its digest, which cannot be turned back into the key. */
export const keyId = (keyDigest: Buffer) => `key_${keyDigest.toString('hex').slice(0, 12)}`;

/** The id of the key `key` (for operators matching audit entries to the keys they gave out). */
export const keyIdOf = (key: string) => keyId(digest(key));

/**
 * 401 unless the request carries one of `keys`; then res.locals holds the key's id and its scopes
 * (`scopes` by key; a key missing there is admin).
 */
export function requireApiKey(keys: readonly string[], scopes: ReadonlyMap<string, readonly Scope[]> = new Map()): RequestHandler {
  // Comparing fixed-length digests keeps the comparison constant-time whatever the key lengths.
  const known = keys.map((key) => ({ digest: digest(key), scopes: scopes.get(key) ?? (['admin'] as const) }));
  return (req, res, next) => {
    const match = /^Bearer (\S+)$/.exec(req.get('authorization') ?? '');
    const presented = match ? digest(match[1]!) : undefined;
    let matched: (typeof known)[number] | undefined;
    for (const key of known) if (presented && timingSafeEqual(key.digest, presented)) matched = key;
    if (!matched) return next(new HttpError(401, 'unauthorized', 'a valid API key is required (Authorization: Bearer <key>)'));
    res.locals.keyId = keyId(presented!);
    res.locals.scopes = matched.scopes;
    next();
  };
}

/** 403 naming the scope a key lacks; after requireApiKey, which sets res.locals.scopes. */
export function requireScope(needed: Scope | ((method: string, path: string) => Scope)): RequestHandler {
  return (req, res, next) => {
    const scope = typeof needed === 'function' ? needed(req.method, req.path) : needed;
    if (allows((res.locals.scopes as Scope[] | undefined) ?? [], scope)) return next();
    next(new HttpError(403, 'forbidden', `this API key lacks the "${scope}" scope that ${req.method} ${req.baseUrl}${req.path} needs`, { required_scope: scope }));
  };
}
