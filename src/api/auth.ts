// Bearer API keys, compared in constant time. A 401 never says which part was wrong.
import { timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { HttpError } from './errors';
import { allows, type Scope } from '../domain/api-scopes';
import { keyDigest as digest, keyId } from '../domain/key-digest';
import { TENANT_KEY_PREFIX, type TenantKeyStore } from '../store/tenant-keys';

export { keyId };

/** The id of the key `key` (for operators matching audit entries to the keys they gave out). */
export const keyIdOf = (key: string) => keyId(digest(key));

/**
 * 401 unless the request carries one of `keys` (the operator's, HERALD_API_KEYS) or, with
 * `tenantKeys`, a tenant's key from the store; then res.locals holds the key's id and its scopes
 * (`scopes` by key; a key missing there is admin), and for a tenant's key its tenant (keyTenant).
 */
export function requireApiKey(keys: readonly string[], scopes: ReadonlyMap<string, readonly Scope[]> = new Map(), tenantKeys?: TenantKeyStore): RequestHandler {
  // Comparing fixed-length digests keeps the comparison constant-time whatever the key lengths.
  const known = keys.map((key) => ({ digest: digest(key), scopes: scopes.get(key) ?? (['admin'] as const) }));
  return async (req, res, next) => {
    const match = /^Bearer (\S+)$/.exec(req.get('authorization') ?? '');
    const presented = match ? digest(match[1]!) : undefined;
    let matched: { scopes: readonly Scope[]; tenant?: string; portal?: boolean } | undefined;
    for (const key of known) if (presented && timingSafeEqual(key.digest, presented)) matched = key;
    // Only a key that is not the operator's and looks like a tenant's costs a look-up in the store.
    if (!matched && presented && tenantKeys && match![1]!.startsWith(TENANT_KEY_PREFIX)) {
      const found = await tenantKeys.find(presented);
      if (found) matched = { scopes: found.scopes, tenant: found.tenant_id, ...(found.portal && { portal: true }) };
    }
    if (!matched) return next(new HttpError(401, 'unauthorized', 'a valid API key is required (Authorization: Bearer <key>)'));
    res.locals.keyId = keyId(presented!);
    res.locals.scopes = matched.scopes;
    if (matched.tenant !== undefined) res.locals.keyTenant = matched.tenant;
    if (matched.portal) res.locals.portal = true;
    next();
  };
}

/** 403 naming the scope a key lacks; after requireApiKey, which sets res.locals.scopes. */
export function requireScope(needed: Scope | ((method: string, path: string) => Scope)): RequestHandler {
  return (req, res, next) => {
    // Under /v1/tenants/{tenant}/… the route's scope is read off the path within the tenant (src/api/request-tenant.ts).
    const scope = typeof needed === 'function' ? needed(req.method, res.locals.tenantPath ?? req.path) : needed;
    if (allows(res.locals.scopes ?? [], scope)) return next();
    next(new HttpError(403, 'forbidden', `this API key lacks the "${scope}" scope that ${req.method} ${req.baseUrl}${req.path} needs`, { required_scope: scope }));
  };
}
