// /v1/tenants (README "Serving your customers"): the customers this Herald serves and their keys.
// Operator keys only: src/api/request-tenant.ts answers a tenant's key 404 here.
import { Router } from 'express';
import { changesBetween } from '../domain/audit';
import { DEFAULT_TENANT, PORTAL_LINK_DEFAULT_EXPIRY_S, portalLinkInputSchema, tenantInputSchema, tenantKeyInputSchema, tenantPatchSchema, type Tenant, type TenantPortal } from '../domain/tenants';
import type { TenantKeyStore } from '../store/tenant-keys';
import type { TenantPortalStore } from '../store/tenant-portals';
import { TenantIdTakenError, type TenantStore } from '../store/tenants';
import type { Audit } from './audit';
import { HttpError, parseBody } from './errors';
import { tenantNotFound } from './request-tenant';

export function tenantsRouter(deps: { tenants: TenantStore; keys: TenantKeyStore; portals: TenantPortalStore; audit: Audit; publicUrl: string }) {
  const { tenants, keys, portals, audit, publicUrl } = deps;
  const TIMES = ['created_at', 'updated_at'];
  const target = (id: string) => ({ type: 'tenant' as const, id });
  const router = Router();

  const find = async (id: string): Promise<Tenant & TenantPortal> => {
    const tenant = await tenants.get(id);
    if (!tenant) throw tenantNotFound(id);
    return { ...tenant, ...(await portals.get(tenant.id)) };
  };
  /** The portal settings a body names (kept by TenantPortalStore), and the rest (kept by TenantStore). */
  const split = <T extends Partial<TenantPortal>>(body: T) => {
    const { portal_origins, portal_theme, ...rest } = body;
    const portal: Partial<TenantPortal> = { ...(portal_origins !== undefined && { portal_origins }), ...(portal_theme !== undefined && { portal_theme }) };
    return { portal, rest };
  };

  router.post('/', async (req, res) => {
    const { portal, rest: input } = split(parseBody(tenantInputSchema, req.body));
    let created: Tenant & TenantPortal;
    try {
      const tenant = await tenants.create(input);
      created = { ...tenant, ...(await portals.set(tenant.id, portal)) };
    } catch (err) {
      if (err instanceof TenantIdTakenError) throw new HttpError(409, 'tenant_id_taken', err.message, { field: 'id' });
      throw err;
    }
    await audit(res, { action: 'tenant.created', target: target(created.id), changes: changesBetween(undefined, created, TIMES) });
    res.status(201).json(created);
  });

  router.get('/', async (_req, res) => {
    res.json({ data: await Promise.all((await tenants.list()).map(async (t) => ({ ...t, ...(await portals.get(t.id)) }))) });
  });

  router.get('/:tenant', async (req, res) => {
    res.json(await find(req.params.tenant));
  });

  router.patch('/:tenant', async (req, res) => {
    const { portal, rest: patch } = split(parseBody(tenantPatchSchema, req.body));
    const existing = await find(req.params.tenant);
    const stored = await tenants.update(existing.id, patch);
    if (!stored) throw tenantNotFound(existing.id); // deleted meanwhile
    const updated = { ...stored, ...(await portals.set(existing.id, portal)) };
    await audit(res, { action: 'tenant.updated', target: target(existing.id), changes: changesBetween(existing, updated, TIMES) });
    res.json(updated);
  });

  // Purging a tenant's rows comes later (issue 22): until then a tenant is deleted once it owns none.
  router.delete('/:tenant', async (req, res) => {
    const existing = await find(req.params.tenant);
    if (existing.id === DEFAULT_TENANT) throw new HttpError(409, 'default_tenant', 'the default tenant holds what single-tenant use makes and cannot be deleted');
    const owned = await tenants.ownedRows(existing.id);
    if (Object.keys(owned).length > 0) {
      throw new HttpError(409, 'tenant_not_empty', `tenant ${existing.id} still owns rows; delete them first (purge is not available yet)`, { owned_rows: owned });
    }
    if (!(await tenants.delete(existing.id))) throw tenantNotFound(existing.id);
    await portals.delete(existing.id);
    await audit(res, { action: 'tenant.deleted', target: target(existing.id), changes: changesBetween(existing, undefined, TIMES) });
    res.status(204).end();
  });

  router.post('/:tenant/keys', async (req, res) => {
    const input = parseBody(tenantKeyInputSchema, req.body);
    const tenant = await find(req.params.tenant);
    const created = await keys.create(tenant.id, input.scopes);
    await audit(res, { action: 'tenant.key_created', target: target(tenant.id), changes: { key_id: { to: created.id }, scopes: { to: created.scopes } } });
    res.status(201).json(created);
  });

  router.get('/:tenant/keys', async (req, res) => {
    const tenant = await find(req.params.tenant);
    res.json({ data: await keys.list(tenant.id) });
  });

  router.delete('/:tenant/keys/:key_id', async (req, res) => {
    const tenant = await find(req.params.tenant);
    if (!(await keys.delete(tenant.id, req.params.key_id))) throw new HttpError(404, 'key_not_found', `tenant ${tenant.id} has no key with id ${req.params.key_id}`);
    await audit(res, { action: 'tenant.key_revoked', target: target(tenant.id), changes: { key_id: { from: req.params.key_id } } });
    res.status(204).end();
  });

  // A portal link (README "A portal for each customer"): its secret rides in the URL's fragment, which
  // browsers never send, so it reaches no server log or Referer; the portal's page presents it as a key.
  router.post('/:tenant/portal-links', async (req, res) => {
    const input = parseBody(portalLinkInputSchema, req.body ?? {});
    const tenant = await find(req.params.tenant);
    const link = await keys.createPortalLink(tenant.id, input.expires_in_s ?? PORTAL_LINK_DEFAULT_EXPIRY_S, input.read_only ?? false);
    await audit(res, { action: 'tenant.portal_link_created', target: target(tenant.id), changes: { link_id: { to: link.id }, expires_at: { to: link.expires_at }, read_only: { to: link.read_only } } });
    res.status(201).json({ id: link.id, url: `${publicUrl}/portal/${link.id}#${link.secret}`, expires_at: link.expires_at, read_only: link.read_only });
  });

  return router;
}
