// The one middleware that decides a request's tenant (src/domain/request-tenant.ts) and puts it in
// res.locals.tenant, after requireApiKey (which sets res.locals.keyTenant for a tenant's key).
// Routers read it through tenantOf, never from the path.
import type { RequestHandler, Response } from 'express';
import { decideTenant } from '../domain/request-tenant';
import type { Scope } from '../domain/api-scopes';
import type { TenantStore } from '../store/tenants';
import { HttpError } from './errors';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Locals {
      /** The acting key's id (src/domain/key-digest.ts) and scopes, set by requireApiKey. */
      keyId?: string;
      scopes?: readonly Scope[];
      /** The tenant the acting key is bound to; undefined for an operator key (HERALD_API_KEYS). */
      keyTenant?: string;
      /** The key is a portal link's (README "A portal for each customer"): it reaches PORTAL_RESOURCES only. */
      portal?: boolean;
      /** The tenant the request acts in; set under /v1 by requestTenant. */
      tenant?: string;
      /** The path within the tenant (/v1/tenants/{tenant} left out), which the route's scope is read from. */
      tenantPath?: string;
      /** The tenant was named by the path (/v1/tenants/{tenant}/…), not taken from the key or the default. */
      tenantInPath?: boolean;
    }
  }
}

/** What a portal link's key reaches in its tenant: the portal's pages (console/src/portal.ts) and nothing else. */
export const PORTAL_RESOURCES = ['alerts', 'destinations', 'rules'];

/** The answer for another tenant's paths: the same as for a tenant that does not exist. */
export const tenantNotFound = (tenant: string) => new HttpError(404, 'tenant_not_found', `no tenant with id ${tenant}`);

export function requestTenant(tenants: TenantStore): RequestHandler {
  return async (req, res, next) => {
    const decision = decideTenant(req.path, res.locals.keyTenant);
    switch (decision.kind) {
      case 'manage':
        res.locals.tenantPath = req.path;
        return next();
      case 'not_found':
        // A tenant key on /v1/tenants answers as a route that does not exist; on another tenant, as a tenant that does not.
        return next(decision.tenant ? tenantNotFound(decision.tenant) : new HttpError(404, 'not_found', `no route for ${req.method} ${req.path}`));
      case 'act':
        // A portal link answers elsewhere as a route that does not exist, as a tenant key does on /v1/tenants.
        if (res.locals.portal && !PORTAL_RESOURCES.includes(decision.path.split('/')[1]?.toLowerCase() ?? '')) {
          return next(new HttpError(404, 'not_found', `no route for ${req.method} ${req.path}`));
        }
        if (decision.check && !(await tenants.exists(decision.tenant))) return next(tenantNotFound(decision.tenant));
        res.locals.tenant = decision.tenant;
        res.locals.tenantPath = decision.path;
        res.locals.tenantInPath = decision.path !== req.path; // the /tenants/{tenant} prefix was taken off
        return next();
    }
  };
}

/** The tenant the request acts in (requestTenant ran before every /v1 router). */
export function tenantOf(res: Response): string {
  if (res.locals.tenant === undefined) throw new Error('requestTenant did not run before this router');
  return res.locals.tenant;
}
