// /v1/tenants (README "Serving your customers"): the customers this Herald serves and their keys.
// Operator keys only: src/api/request-tenant.ts answers a tenant's key 404 here.
import { Router } from 'express';
import { changesBetween } from '../domain/audit';
import { DEFAULT_TENANT, PORTAL_LINK_DEFAULT_EXPIRY_S, portalLinkInputSchema, tenantInputSchema, tenantKeyInputSchema, tenantPatchSchema, type Tenant, type TenantPortal } from '../domain/tenants';
import type { TenantKeyStore } from '../store/tenant-keys';
import type { TenantPurges } from '../temporal/tenant-purges';
import type { TenantPortalStore } from '../store/tenant-portals';
import { TenantIdTakenError, type TenantStore } from '../store/tenants';
import type { Audit } from './audit';
import { HttpError, parseBody } from './errors';
import { tenantNotFound } from './request-tenant';

export function tenantsRouter(deps: { tenants: TenantStore; keys: TenantKeyStore; portals: TenantPortalStore; purges: Pick<TenantPurges, 'start'>; audit: Audit; publicUrl: string }) {
  const { tenants, keys, portals, purges, audit, publicUrl } = deps;
  const TIMES = ['created_at', 'updated_at'];
  const target = (id: string) => ({ type: 'tenant' as const, id });
  const router = Router();

  const find = async (id: string): Promise<Tenant & TenantPortal> => {
    const tenant = await tenants.get(id);
    if (!tenant) throw tenantNotFound(id);
    return { ...tenant, ...(await portals.get(tenant.id)) };
  };
  /** A tenant to change: one being deleted takes no more changes. */
  const findInUse = async (id: string): Promise<Tenant & TenantPortal> => {
    const tenant = await find(id);
    if (tenant.deleting_since) throw new HttpError(409, 'tenant_deleting', `tenant ${tenant.id} is being deleted (since ${tenant.deleting_since}); it takes no more changes`, { deleting_since: tenant.deleting_since });
    return tenant;
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
    const existing = await findInUse(req.params.tenant);
    const stored = await tenants.update(existing.id, patch);
    if (!stored) throw tenantNotFound(existing.id); // deleted meanwhile
    const updated = { ...stored, ...(await portals.set(existing.id, portal)) };
    await audit(res, { action: 'tenant.updated', target: target(existing.id), changes: changesBetween(existing, updated, TIMES) });
    res.json(updated);
  });

  // A tenant that owns nothing goes at once (204). One that owns rows is purged by its workflow
  // (src/workflows/tenant/purge.ts): its keys and paths stop now, its open alerts are dismissed, and
  // GET shows it with deleting_since until the purge is done, then answers 404 (202 now).
  router.delete('/:tenant', async (req, res) => {
    const existing = await find(req.params.tenant);
    if (existing.id === DEFAULT_TENANT) throw new HttpError(409, 'default_tenant', 'the default tenant holds what single-tenant use makes and cannot be deleted');
    if (!existing.deleting_since && Object.keys(await tenants.ownedRows(existing.id)).length === 0) {
      if (!(await tenants.delete(existing.id))) throw tenantNotFound(existing.id);
      await portals.delete(existing.id);
      await audit(res, { action: 'tenant.deleted', target: target(existing.id), changes: changesBetween(existing, undefined, TIMES) });
      return void res.status(204).end();
    }
    const deleting = await tenants.startDeleting(existing.id);
    if (!deleting) throw tenantNotFound(existing.id); // purged meanwhile
    if (!existing.deleting_since) await audit(res, { action: 'tenant.deleted', target: target(existing.id), changes: changesBetween(existing, undefined, TIMES) });
    // Temporal unreachable: 503, and DELETE again starts it (the tenant stays marked meanwhile).
    await purges.start(existing.id);
    res.status(202).json({ ...deleting, ...(await portals.get(existing.id)) });
  });

  router.post('/:tenant/keys', async (req, res) => {
    const input = parseBody(tenantKeyInputSchema, req.body);
    const tenant = await findInUse(req.params.tenant);
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
    const tenant = await findInUse(req.params.tenant);
    const link = await keys.createPortalLink(tenant.id, input.expires_in_s ?? PORTAL_LINK_DEFAULT_EXPIRY_S, input.read_only ?? false);
    await audit(res, { action: 'tenant.portal_link_created', target: target(tenant.id), changes: { link_id: { to: link.id }, expires_at: { to: link.expires_at }, read_only: { to: link.read_only } } });
    res.status(201).json({ id: link.id, url: `${publicUrl}/portal/${link.id}#${link.secret}`, expires_at: link.expires_at, read_only: link.read_only });
  });

  return router;
}
