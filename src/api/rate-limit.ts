// Requests per API key (HERALD_API_RATE_LIMIT per second, bursts of HERALD_API_RATE_BURST), so one
// misbehaving source cannot starve the others: over it, 429 with Retry-After. After requireApiKey,
// which names the key (res.locals.keyId).
import type { RequestHandler } from 'express';
import { TokenBuckets } from '../domain/token-bucket';
import { HttpError } from './errors';

export function rateLimitPerKey(ratePerSecond: number, burst: number): RequestHandler {
  if (ratePerSecond <= 0) return (_req, _res, next) => next();
  const buckets = new TokenBuckets(ratePerSecond, burst);
  return (_req, res, next) => {
    const waitMs = buckets.take(String(res.locals.keyId));
    if (waitMs === undefined) return next();
    const retryAfter = String(Math.max(1, Math.ceil(waitMs / 1000)));
    next(new HttpError(429, 'rate_limited', `this API key sent more than ${ratePerSecond} requests per second (bursts of ${burst}); retry after ${retryAfter} s`, { limit_per_s: ratePerSecond, burst }, { 'Retry-After': retryAfter }));
  };
}
