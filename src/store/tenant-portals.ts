// A tenant's portal settings (README "A portal for each customer"): the origins that may embed its
// portal and its theme, both validated by src/domain/tenants.ts before they are kept here.
import type { TenantPortal } from '../domain/tenants';
import type { Db } from './db';

const NONE: TenantPortal = { portal_origins: [], portal_theme: null };

export class TenantPortalStore {
  constructor(private readonly db: Db) {}

  async get(tenantId: string): Promise<TenantPortal> {
    const row = await this.db.selectFrom('tenant_portals').selectAll().where('tenant_id', '=', tenantId).executeTakeFirst();
    return row ? { portal_origins: JSON.parse(row.origins), portal_theme: row.theme === null ? null : JSON.parse(row.theme) } : NONE;
  }

  /** Sets what `change` names, keeping the rest; answers the settings as they now are. */
  async set(tenantId: string, change: Partial<TenantPortal>): Promise<TenantPortal> {
    const next = { ...(await this.get(tenantId)), ...change };
    const row = { origins: JSON.stringify(next.portal_origins), theme: next.portal_theme === null ? null : JSON.stringify(next.portal_theme) };
    await this.db.insertInto('tenant_portals').values({ tenant_id: tenantId, ...row }).onConflict((oc) => oc.column('tenant_id').doUpdateSet(row)).execute();
    return next;
  }

  async delete(tenantId: string): Promise<void> {
    await this.db.deleteFrom('tenant_portals').where('tenant_id', '=', tenantId).execute();
  }
}
