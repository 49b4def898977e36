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

/** The tables whose rows a tenant owns: a tenant owning none is deleted at once, one owning some is purged. */
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
      deleting_since: null,
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

  /** A tenant being deleted exists no more for its routes: nothing new is written while it is purged. */
  async exists(id: string): Promise<boolean> {
    return (await this.db.selectFrom('tenants').select('id').where('id', '=', id).where('deleting_since', 'is', null).executeTakeFirst()) !== undefined;
  }

  /**
   * DELETE of a tenant that owns rows: marks it (the first time only) and deletes its keys, so neither
   * its keys nor its paths reach it while its purge runs. The tenant as it is now.
   */
  async startDeleting(id: string, at = new Date()): Promise<Tenant | undefined> {
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('tenants').set({ deleting_since: at.toISOString() }).where('id', '=', id).where('deleting_since', 'is', null).execute();
      await trx.deleteFrom('tenant_keys').where('tenant_id', '=', id).execute();
    });
    return this.get(id);
  }

  /**
   * What of the tenant's may still be running in Temporal: its open alerts, its closed alerts whose
   * workflow has not finished (it drops their event bodies when it does, src/activities/lifecycle.ts)
   * and did not end abnormally, and its groups firing or still holding notification bodies (dropped when the episode's workflow finishes).
   */
  async workLeft(id: string): Promise<{ open_alerts: number; finishing_alerts: number; groups: number }> {
    const open_alerts = await this.db
      .selectFrom('alerts')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('tenant_id', '=', id)
      .where('closed_at', 'is', null)
      .executeTakeFirstOrThrow();
    const finishing_alerts = await this.db
      .selectFrom('alerts')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('tenant_id', '=', id)
      .where('closed_at', 'is not', null)
      .where('termination', 'is', null)
      .where((eb) => eb.exists(eb.selectFrom('alert_events').select('alert_events.alert_id').whereRef('alert_events.alert_id', '=', 'alerts.id')))
      .executeTakeFirstOrThrow();
    const groups = await this.db
      .selectFrom('alert_groups')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('tenant_id', '=', id)
      .where((eb) => eb.or([eb('status', '=', 'firing'), eb.exists(eb.selectFrom('group_notifications').select('group_notifications.group_id').whereRef('group_notifications.group_id', '=', 'alert_groups.id').where('group_notifications.body', 'is not', null))]))
      .executeTakeFirstOrThrow();
    return { open_alerts: Number(open_alerts.n), finishing_alerts: Number(finishing_alerts.n), groups: Number(groups.n) };
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

  /**
   * Retention (README "Serving your customers"): deletes the tenant's alerts closed before `before`
   * with every row hanging off them (src/store/db.ts: alert_events, alert_lanes, lane_events,
   * delivery_attempts, action_link_uses, group_members), then its delivery attempts started before
   * `before`. In batches of `batch` alerts, each batch in its own transaction. Returns what it deleted.
   */
  async pruneRetention(id: string, before: Date, batch = 200): Promise<{ alerts: number; attempts: number }> {
    const cutoff = before.toISOString();
    let alerts = 0;
    for (;;) {
      const ids = (await this.db.selectFrom('alerts').select('id').where('tenant_id', '=', id).where('closed_at', 'is not', null).where('closed_at', '<', cutoff).limit(batch).execute()).map((r) => r.id);
      if (ids.length === 0) break;
      await this.db.transaction().execute(async (trx) => {
        for (const table of ['alert_events', 'alert_lanes', 'lane_events', 'delivery_attempts', 'action_link_uses', 'group_members'] as const) {
          await trx.deleteFrom(table).where('alert_id', 'in', ids).execute();
        }
        await trx.deleteFrom('alerts').where('id', 'in', ids).execute();
      });
      alerts += ids.length;
      if (ids.length < batch) break;
    }
    const owned = this.db.selectFrom('alerts').select('id').where('tenant_id', '=', id);
    const result = await this.db.deleteFrom('delivery_attempts').where('started_at', '<', cutoff).where('alert_id', 'in', owned).executeTakeFirst();
    return { alerts, attempts: Number(result.numDeletedRows) };
  }

  /** The tenants with a retention period. */
  async withRetention(): Promise<{ id: string; retention_days: number }[]> {
    return (await this.db.selectFrom('tenants').select(['id', 'retention_days']).where('retention_days', 'is not', null).execute()) as { id: string; retention_days: number }[];
  }

  /** Every tenant's retention applied at `now` (the worker's timer, src/worker.ts): how many alerts and attempts went. */
  async pruneAllRetention(now = new Date()): Promise<number> {
    let pruned = 0;
    for (const { id, retention_days } of await this.withRetention()) {
      const { alerts, attempts } = await this.pruneRetention(id, new Date(now.getTime() - retention_days * 86_400_000));
      pruned += alerts + attempts;
    }
    return pruned;
  }

  /** The tenant's alerts not closed yet: their keys (purge dismisses them first). */
  async openAlertKeys(id: string): Promise<string[]> {
    return (await this.db.selectFrom('alerts').select('id').where('tenant_id', '=', id).where('closed_at', 'is', null).execute()).map((r) => r.id);
  }

  /**
   * Purge: deletes every row the tenant owns (OWNED_TABLES) and those hanging off them
   * (src/store/db.ts: an alert's events, lanes, lane events, attempts, action-link uses, memberships;
   * a group's members, notifications, lanes, deliveries; a destination's circuit, rate and attempt log),
   * then its keys, its portal settings and the tenant, in one transaction. Its open alerts are closed
   * first, and their workflows let finish (src/workflows/tenant/purge.ts).
   */
  async purge(id: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const alerts = trx.selectFrom('alerts').select('id').where('tenant_id', '=', id);
      for (const table of ['alert_events', 'alert_lanes', 'lane_events', 'delivery_attempts', 'action_link_uses', 'group_members'] as const) {
        await trx.deleteFrom(table).where('alert_id', 'in', alerts).execute();
      }
      const groups = trx.selectFrom('alert_groups').select('id').where('tenant_id', '=', id);
      for (const table of ['group_members', 'group_notifications', 'group_lanes', 'group_deliveries'] as const) {
        await trx.deleteFrom(table).where('group_id', 'in', groups).execute();
      }
      const destinations = trx.selectFrom('destinations').select('id').where('tenant_id', '=', id);
      for (const table of ['destination_circuits', 'destination_rates', 'destination_attempts'] as const) {
        await trx.deleteFrom(table).where('destination_id', 'in', destinations).execute();
      }
      for (const table of OWNED_TABLES) await trx.deleteFrom(table).where('tenant_id', '=', id).execute();
      await trx.deleteFrom('tenant_keys').where('tenant_id', '=', id).execute();
      await trx.deleteFrom('tenant_portals').where('tenant_id', '=', id).execute();
      const result = await trx.deleteFrom('tenants').where('id', '=', id).executeTakeFirst();
      return result.numDeletedRows > 0n;
    });
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
