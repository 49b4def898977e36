// Which tenant a request under /v1 acts in (README "Serving your customers"), decided from its path
// and its key alone, so it can be tested without a server; src/api/request-tenant.ts applies it.
import { DEFAULT_TENANT } from './tenants';

/** The resources under /v1, each served for its tenant, and under /v1/tenants/{tenant}/… too. */
export const TENANT_SCOPED_RESOURCES = ['alerts', 'destinations', 'rules', 'escalation-policies', 'silences', 'inhibit-rules', 'groups', 'sources', 'audit', 'overview', 'heartbeats'] as const;
export type TenantScopedResource = (typeof TENANT_SCOPED_RESOURCES)[number];

export type TenantDecision =
  /** /v1/tenants and a tenant's own record and keys: operator (global) keys only. */
  | { kind: 'manage' }
  /** A tenant's resources: `path` is the path within the tenant (e.g. /destinations/dst_1). `check`: the tenant must exist. */
  | { kind: 'act'; tenant: string; path: string; check: boolean }
  /**
   * Answer 404: with `tenant`, exactly as for a tenant that does not exist (the key must not learn
   * that it does); without, as for a route that does not exist (a tenant key on /v1/tenants).
   */
  | { kind: 'not_found'; tenant?: string };

// Express matches paths case-insensitively (/v1/Destinations reaches the destinations router), so names are compared so too.
const isScoped = (resource: string | undefined) => (TENANT_SCOPED_RESOURCES as readonly string[]).includes(resource?.toLowerCase() ?? '');

/**
 * `path`: the request's path under /v1; `keyTenant`: the tenant the key is bound to, undefined for
 * an operator key (HERALD_API_KEYS). A tenant key acts in its tenant; an operator key in `default`,
 * or in the tenant its path names (/v1/tenants/{tenant}/…).
 */
export function decideTenant(path: string, keyTenant: string | undefined): TenantDecision {
  const segments = path.split('/').filter(Boolean);
  if (segments[0]?.toLowerCase() === 'tenants') {
    const [, tenant, resource] = segments;
    if (tenant === undefined || resource === undefined || !isScoped(resource)) {
      return keyTenant === undefined ? { kind: 'manage' } : { kind: 'not_found' };
    }
    if (keyTenant !== undefined && keyTenant !== tenant) return { kind: 'not_found', tenant };
    return { kind: 'act', tenant, path: `/${segments.slice(2).join('/')}${path.endsWith('/') ? '/' : ''}`, check: keyTenant === undefined };
  }
  // Every resource under /v1 is its tenant's: a key acts in its own (an operator's, in `default`).
  return { kind: 'act', tenant: keyTenant ?? DEFAULT_TENANT, path, check: false };
}
