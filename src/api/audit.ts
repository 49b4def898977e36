// GET /v1/audit, and the one way routers record an entry: the acting key's id (set by
// src/api/auth.ts), the action, its target, the masked fields that changed, a link to the rest.
import { Router, type Response } from 'express';
import { z } from 'zod';
import { AUDIT_TARGETS, type Changes } from '../domain/audit';
import type { AuditLog } from '../store/audit-log';
import { parseQuery, queryNumber } from './errors';
import { tenantOf } from './request-tenant';


export type AuditAction = {
  action: string;
  target: { type: (typeof AUDIT_TARGETS)[number]; id: string };
  changes?: Changes;
  link?: string;
};

/** Records what the request did, once it has done it. */
export type Audit = (res: Response, entry: AuditAction) => Promise<void>;

export function auditTo(log: AuditLog): Audit {
  return async (res, entry) => {
    // Made in a tenant (its key, or an operator's /v1/tenants/{tenant}/… path), or to a tenant's own
    // record and keys: that tenant reads it. The operator's unprefixed routes act in `default`.
    const tenant = res.locals.tenant ?? (entry.target.type === 'tenant' ? entry.target.id : undefined);
    await log.record({ key_id: String(res.locals.keyId ?? 'unknown'), scopes: (res.locals.scopes as string[] | undefined) ?? [], ...entry, ...(tenant && { tenant }) });
  };
}

// RFC 3339 date-times, seconds included (what the description's `date-time` format promises; named
// in `.meta` because the added regex leaves the format's name unread by /openapi.json's converter).
const timestamp = z.iso
  .datetime({ offset: true })
  .regex(/T\d{2}:\d{2}:\d{2}/, 'must be a date-time with seconds, e.g. 2026-12-01T10:00:00Z')
  .meta({ format: 'date-time' });
export const auditListQuery = z.strictObject({
  action: z.string().min(1).max(100).optional(),
  target_type: z.enum(AUDIT_TARGETS).optional(),
  target_id: z.string().min(1).max(300).optional(),
  key_id: z.string().regex(/^key_[0-9a-f]{12}$/).optional(),
  since: timestamp.optional(),
  until: timestamp.optional(),
  page_size: queryNumber(z.number().int().min(1).max(200)).default(50),
  page_token: z.string().regex(/^aud_[0-9a-z]+$/).optional(),
});

export function auditRouter(log: AuditLog) {
  const router = Router();
  router.get('/', async (req, res) => {
    const { page_size, page_token, since, until, ...filter } = parseQuery(auditListQuery, req.query);
    const iso = (t: string | undefined) => t && new Date(t).toISOString();
    // A tenant's key, or an operator's /v1/tenants/{tenant}/audit: that tenant's entries. An
    // operator's /v1/audit: every entry, each naming its tenant (an operator audits them all).
    const everyTenant = res.locals.keyTenant === undefined && !res.locals.tenantInPath;
    const tenant = everyTenant ? undefined : tenantOf(res);
    res.json(await log.list({ ...filter, ...(tenant && { tenant }), ...(since && { since: iso(since) }), ...(until && { until: iso(until) }) }, page_size, page_token));
  });
  return router;
}
