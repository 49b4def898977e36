// Tenants repository (README "Serving your customers"): the only code that reads or writes the
// tenants table, and that tells whether a tenant still owns rows.
import { randomBytes } from 'node:crypto';
import type { Tenant, TenantInput, TenantPatch } from '../domain/tenants';
import type { Db, TenantRow } from './db';

export class TenantIdTakenError extends Error {
  constructor(id: string) {
    super(`a tenant with id "${id}" already exists`);
  }
}

/** The tables whose rows a tenant owns; a tenant is deleted only once they hold none of its rows (purge comes later). */
const OWNED_TABLES = ['destinations', 'rules', 'escalation_policies', 'silences', 'inhibit_rules', 'heartbeats', 'alerts', 'alert_groups'] as const;

export class TenantStore {
  constructor(private readonly db: Db) {}

  async create(input: TenantInput): Promise<Tenant> {
    const now = new Date().toISOString();
    const tenant: Tenant = {
      id: input.id ?? `ten_${randomBytes(10).toString('hex')}`,
      name: input.name,
      ingest_per_second: input.ingest_per_second ?? null,
      max_destinations: input.max_destinations ?? null,
      retention_days: input.retention_days ?? null,
      created_at: now,
      updated_at: now,
    };
    // Checked, then inserted: a concurrent create of the same id loses on the primary key, also answered as taken.
    if (await this.get(tenant.id)) throw new TenantIdTakenError(tenant.id);
    try {
      await this.db.insertInto('tenants').values(tenant).execute();
    } catch (err) {
      if (await this.get(tenant.id)) throw new TenantIdTakenError(tenant.id);
      throw err;
    }
    return tenant;
  }

  async get(id: string): Promise<Tenant | undefined> {
    return (await this.db.selectFrom('tenants').selectAll().where('id', '=', id).executeTakeFirst()) as TenantRow | undefined;
  }

  async exists(id: string): Promise<boolean> {
    return (await this.db.selectFrom('tenants').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
  }

  async list(): Promise<Tenant[]> {
    return this.db.selectFrom('tenants').selectAll().orderBy('created_at').orderBy('id').execute();
  }

  async update(id: string, patch: TenantPatch): Promise<Tenant | undefined> {
    const existing = await this.get(id);
    if (!existing) return undefined;
    const changed = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
    const updated: Tenant = { ...existing, ...changed, updated_at: new Date().toISOString() };
    const { id: _id, created_at: _c, ...row } = updated;
    await this.db.updateTable('tenants').set(row).where('id', '=', id).execute();
    return updated;
  }

  /** How many rows of each table the tenant owns (only the tables holding some). */
  async ownedRows(id: string): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const table of OWNED_TABLES) {
      const { n } = await this.db.selectFrom(table).select((eb) => eb.fn.countAll<number | string>().as('n')).where('tenant_id', '=', id).executeTakeFirstOrThrow();
      if (Number(n) > 0) counts[table] = Number(n);
    }
    return counts;
  }

  /** Deletes the tenant and its keys. */
  async delete(id: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('tenant_keys').where('tenant_id', '=', id).execute();
      const result = await trx.deleteFrom('tenants').where('id', '=', id).executeTakeFirst();
      return result.numDeletedRows > 0n;
    });
  }
}
