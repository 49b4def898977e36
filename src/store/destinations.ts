// Destinations repository: the only code that reads or writes the destinations table. A store for
// one tenant (forTenant) sees and makes only that tenant's destinations; the unscoped one (workers,
// which reach a destination by the id routing gave them) sees every tenant's.
import { randomBytes } from 'node:crypto';
import { DEFAULT_TENANT } from '../domain/tenants';
import type { Destination, DestinationInput } from '../destinations/schema';
import { circuitPolicySchema } from '../domain/circuit';
import type { Db, DestinationRow } from './db';
import type { SecretBox } from './secret-box';
import { uniqueName } from './unique-name';

export class DestinationStore {
  constructor(
    private readonly db: Db,
    /** Seals each configuration (it holds the destination's secrets) before it reaches the database. */
    private readonly box: SecretBox,
    /** The tenant whose destinations this store sees; undefined: every tenant's. */
    private readonly tenant?: string,
  ) {}

  /** This store restricted to one tenant's destinations (README "Serving your customers"). */
  forTenant(tenant: string): DestinationStore {
    return new DestinationStore(this.db, this.box, tenant);
  }

  /** Every query of a tenant's store is restricted to its rows. */
  private query() {
    const all = this.db.selectFrom('destinations').selectAll();
    return this.tenant === undefined ? all : all.where('tenant_id', '=', this.tenant);
  }

  async create(input: DestinationInput): Promise<Destination> {
    const now = new Date().toISOString();
    const destination: Destination = {
      ...input,
      id: `dst_${randomBytes(10).toString('hex')}`,
      needs_attention: null,
      created_at: now,
      updated_at: now,
    };
    await uniqueName('destination', input.name, () =>
      this.db.insertInto('destinations').values({ ...this.toRow(destination), tenant_id: this.tenant ?? DEFAULT_TENANT }).execute(),
    );
    return destination;
  }

  async get(id: string): Promise<Destination | undefined> {
    const row = await this.query().where('id', '=', id).executeTakeFirst();
    return row && this.fromRow(row);
  }

  async getMany(ids: readonly string[]): Promise<Destination[]> {
    if (ids.length === 0) return [];
    const rows = await this.query().where('id', 'in', [...ids]).execute();
    return rows.map((row) => this.fromRow(row));
  }

  async list(): Promise<Destination[]> {
    const rows = await this.query().orderBy('created_at').orderBy('id').execute();
    return rows.map((row) => this.fromRow(row));
  }

  async replace(id: string, input: DestinationInput): Promise<Destination | undefined> {
    const existing = await this.get(id);
    if (!existing) return undefined;
    const updated: Destination = { ...input, id, needs_attention: null, created_at: existing.created_at, updated_at: new Date().toISOString() };
    const { created_at: _keep, ...row } = this.toRow(updated);
    await uniqueName('destination', input.name, () =>
      this.db.updateTable('destinations').set(row).where('id', '=', id).execute(),
    );
    return updated;
  }

  /** Marks a destination for a person to look at; kept until the destination is changed. */
  async flag(id: string, reason: string): Promise<void> {
    await this.db.updateTable('destinations').set({ needs_attention: reason }).where('id', '=', id).execute();
  }

  async delete(id: string): Promise<boolean> {
    let deleting = this.db.deleteFrom('destinations').where('id', '=', id);
    if (this.tenant !== undefined) deleting = deleting.where('tenant_id', '=', this.tenant);
    const result = await deleting.executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  /** Re-seals every configuration with the current key (after a key rotation); returns how many changed. */
  async reseal(): Promise<number> {
    const rows = await this.db.selectFrom('destinations').select(['id', 'config']).execute();
    let changed = 0;
    for (const row of rows) {
      if (this.box.isCurrent(row.config)) continue;
      await this.db.updateTable('destinations').set({ config: this.box.seal(this.box.open(row.config)) }).where('id', '=', row.id).execute();
      changed++;
    }
    return changed;
  }


  private toRow(d: Destination): DestinationRow {
    return {
      id: d.id,
      name: d.name,
      type: d.type,
      enabled: d.enabled ? 1 : 0,
      config: this.box.seal(JSON.stringify(d.config)),
      retry_schedule: JSON.stringify(d.retry_schedule),
      timeout_s: d.timeout_s,
      filters: JSON.stringify(d.filters),
      mute_windows: JSON.stringify(d.mute_windows),
      circuit_breaker: JSON.stringify(d.circuit_breaker),
      rate_limit: JSON.stringify(d.rate_limit),
      needs_attention: d.needs_attention,
      created_at: d.created_at,
      updated_at: d.updated_at,
    };
  }

  private fromRow(row: DestinationRow): Destination {
    return {
      id: row.id,
      name: row.name,
      type: row.type as Destination['type'],
      enabled: row.enabled === 1,
      config: JSON.parse(this.box.open(row.config)),
      retry_schedule: JSON.parse(row.retry_schedule),
      timeout_s: row.timeout_s,
      filters: JSON.parse(row.filters),
      mute_windows: JSON.parse(row.mute_windows),
      circuit_breaker: circuitPolicySchema.parse(JSON.parse(row.circuit_breaker)),
      rate_limit: JSON.parse(row.rate_limit),
      needs_attention: row.needs_attention,
      created_at: row.created_at,
      updated_at: row.updated_at,
    };
  }
}
