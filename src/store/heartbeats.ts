// Heartbeats repository (README "Heartbeats"): each heartbeat's settings, the hash of its ping token,
// its last ping and its open miss. The API writes a ping here before it tells the heartbeat's
// workflow, so a deadline that fires finds a ping whose signal was lost and raises nothing.
import { createHash, timingSafeEqual } from 'node:crypto';
import { alertIdIn, alertKeyFor } from '../domain/alert';
import type { Heartbeat, HeartbeatInput, HeartbeatStatus } from '../domain/heartbeats';
import { DEFAULT_TENANT } from '../domain/tenants';
import type { Db, HeartbeatRow } from './db';
import { NameTakenError } from './unique-name';

export const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * A heartbeat's row is kept under its key (src/domain/alert.ts alertKeyFor: its name for the default
 * tenant, `<tenant>/<name>` for another), which its workflow is named by too. A tenant's store
 * (forTenant, the API's) takes and shows the names its tenant gave; the unscoped one (the worker's)
 * takes keys.
 */
export class HeartbeatStore {
  constructor(
    private readonly db: Db,
    private readonly taskQueue: string,
    private readonly tenant?: string,
  ) {}

  /** This store restricted to one tenant's heartbeats, by the names it gave them (README "Serving your customers"). */
  forTenant(tenant: string): HeartbeatStore {
    return new HeartbeatStore(this.db, this.taskQueue, tenant);
  }

  /** The row's key for a name this store is given. */
  keyOf(name: string): string {
    return this.tenant === undefined ? name : alertKeyFor(this.tenant, name);
  }

  private select() {
    const all = this.db.selectFrom('heartbeats').selectAll().where('task_queue', '=', this.taskQueue);
    return this.tenant === undefined ? all : all.where('tenant_id', '=', this.tenant);
  }

  /** The row as this store shows it: a tenant's store, by its tenant's names and alert ids. */
  private shown(row: HeartbeatRow): Heartbeat {
    const heartbeat = fromRow(row);
    const tenant = this.tenant;
    if (tenant === undefined) return heartbeat;
    return { ...heartbeat, name: alertIdIn(tenant, heartbeat.name), ...(heartbeat.alert_id !== undefined && { alert_id: alertIdIn(tenant, heartbeat.alert_id) }) };
  }

  async create(input: HeartbeatInput, token: string, deadlineAt: string, now = new Date()): Promise<Heartbeat> {
    const { name, ...settings } = input;
    const inserted = await this.db
      .insertInto('heartbeats')
      .values({ name: this.keyOf(name), tenant_id: this.tenant ?? DEFAULT_TENANT, task_queue: this.taskQueue, settings: JSON.stringify(settings), token_hash: tokenHash(token), status: 'new', created_at: now.toISOString(), last_ping_at: null, deadline_at: deadlineAt, alert_id: null, misses: 0 })
      .onConflict((oc) => oc.column('name').doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 0) throw new NameTakenError('heartbeat', name);
    return (await this.get(name))!;
  }

  async get(name: string): Promise<Heartbeat | undefined> {
    const row = await this.select().where('name', '=', this.keyOf(name)).executeTakeFirst();
    return row && this.shown(row);
  }

  /** A heartbeat by its key (the worker's), with its tenant, shown as that tenant's store shows it. */
  async byKey(key: string): Promise<{ tenant: string; heartbeat: Heartbeat } | undefined> {
    const row = await this.db.selectFrom('heartbeats').selectAll().where('name', '=', key).where('task_queue', '=', this.taskQueue).executeTakeFirst();
    return row && { tenant: row.tenant_id, heartbeat: this.forTenant(row.tenant_id).shown(row) };
  }

  async list(): Promise<Heartbeat[]> {
    return (await this.select().orderBy('name').execute()).map((row) => this.shown(row));
  }

  /** Whether `token` is the heartbeat's ping token (compared in constant time). */
  async tokenMatches(name: string, token: string): Promise<boolean> {
    const row = await this.select().where('name', '=', this.keyOf(name)).executeTakeFirst();
    if (!row) return false;
    return timingSafeEqual(Buffer.from(row.token_hash, 'hex'), Buffer.from(tokenHash(token), 'hex'));
  }

  /** A ping arrived at `at`: the next deadline counts from it. An older ping than the one kept changes nothing. */
  async recordPing(name: string, at: string, deadlineAt: string): Promise<void> {
    await this.db
      .updateTable('heartbeats')
      .set({ last_ping_at: at, deadline_at: deadlineAt })
      .where('name', '=', this.keyOf(name))
      .where((eb) => eb.or([eb('last_ping_at', 'is', null), eb('last_ping_at', '<', at)]))
      .execute();
  }

  /** `alertKey`: the key of the miss's alert (the workflow's, src/activities/heartbeats.ts). */
  async markDown(name: string, alertKey: string, misses: number): Promise<void> {
    await this.db.updateTable('heartbeats').set({ status: 'down', alert_id: alertKey, misses }).where('name', '=', this.keyOf(name)).execute();
  }

  async markUp(name: string): Promise<void> {
    await this.db.updateTable('heartbeats').set({ status: 'up', alert_id: null }).where('name', '=', this.keyOf(name)).execute();
  }

  async delete(name: string): Promise<boolean> {
    const result = await this.db.deleteFrom('heartbeats').where('name', '=', this.keyOf(name)).where('task_queue', '=', this.taskQueue).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }
}

function fromRow(row: HeartbeatRow): Heartbeat {
  return {
    name: row.name,
    ...(JSON.parse(row.settings) as Omit<HeartbeatInput, 'name'>),
    status: row.status as HeartbeatStatus,
    created_at: row.created_at,
    ...(row.last_ping_at !== null && { last_ping_at: row.last_ping_at }),
    deadline_at: row.deadline_at,
    ...(row.alert_id !== null && { alert_id: row.alert_id }),
    misses: row.misses,
  };
}
