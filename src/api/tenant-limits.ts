// Enforcing a tenant's limits (src/domain/tenant-limits.ts, README "Serving your customers"):
// `ingest_per_second` on the routes that create alert events, before anything is stored or started.
import type { RequestHandler } from 'express';
import { TenantIngestBuckets } from '../domain/tenant-limits';
import type { TenantStore } from '../store/tenants';
import { HttpError } from './errors';
import { tenantOf } from './request-tenant';

/** Over the tenant's ingest_per_second: 429 tenant_rate_limited with Retry-After. Per API process. */
export function limitTenantIngest(tenants: TenantStore, buckets = new TenantIngestBuckets()): RequestHandler {
  return (_req, res, next) => {
    const tenant = tenantOf(res);
    tenants.get(tenant).then((found) => {
      const limit = found?.ingest_per_second ?? null;
      const { waitMs } = buckets.take(tenant, limit);
      if (waitMs === undefined) return next();
      const retryAfter = String(Math.max(1, Math.ceil(waitMs / 1000)));
      next(new HttpError(429, 'tenant_rate_limited', `the tenant's ingest_per_second limit (${limit}) is reached; retry after ${retryAfter} s`, { limit: 'ingest_per_second', ingest_per_second: limit }, { 'Retry-After': retryAfter }));
    }, next);
  };
}
