// Heartbeats repository (README "Heartbeats"): each heartbeat's settings, the hash of its ping token,
// its last ping and its open miss. The API writes a ping here before it tells the heartbeat's
// workflow, so a deadline that fires finds a ping whose signal was lost and raises nothing.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Heartbeat, HeartbeatInput, HeartbeatStatus } from '../domain/heartbeats';
import type { Db, HeartbeatRow } from './db';
import { NameTakenError } from './unique-name';

export const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

export class HeartbeatStore {
  constructor(
    private readonly db: Db,
    private readonly taskQueue: string,
  ) {}

  async create(input: HeartbeatInput, token: string, deadlineAt: string, now = new Date()): Promise<Heartbeat> {
    const { name, ...settings } = input;
    const inserted = await this.db
      .insertInto('heartbeats')
      .values({ name, task_queue: this.taskQueue, settings: JSON.stringify(settings), token_hash: tokenHash(token), status: 'new', created_at: now.toISOString(), last_ping_at: null, deadline_at: deadlineAt, alert_id: null, misses: 0 })
      .onConflict((oc) => oc.column('name').doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 0) throw new NameTakenError('heartbeat', name);
    return (await this.get(name))!;
  }

  async get(name: string): Promise<Heartbeat | undefined> {
    const row = await this.db.selectFrom('heartbeats').selectAll().where('name', '=', name).where('task_queue', '=', this.taskQueue).executeTakeFirst();
    return row && fromRow(row);
  }

  async list(): Promise<Heartbeat[]> {
    return (await this.db.selectFrom('heartbeats').selectAll().where('task_queue', '=', this.taskQueue).orderBy('name').execute()).map(fromRow);
  }

  /** Whether `token` is the heartbeat's ping token (compared in constant time). */
  async tokenMatches(name: string, token: string): Promise<boolean> {
    const row = await this.db.selectFrom('heartbeats').select('token_hash').where('name', '=', name).where('task_queue', '=', this.taskQueue).executeTakeFirst();
    if (!row) return false;
    return timingSafeEqual(Buffer.from(row.token_hash, 'hex'), Buffer.from(tokenHash(token), 'hex'));
  }

  /** A ping arrived at `at`: the next deadline counts from it. An older ping than the one kept changes nothing. */
  async recordPing(name: string, at: string, deadlineAt: string): Promise<void> {
    await this.db
      .updateTable('heartbeats')
      .set({ last_ping_at: at, deadline_at: deadlineAt })
      .where('name', '=', name)
      .where((eb) => eb.or([eb('last_ping_at', 'is', null), eb('last_ping_at', '<', at)]))
      .execute();
  }

  async markDown(name: string, alertId: string, misses: number): Promise<void> {
    await this.db.updateTable('heartbeats').set({ status: 'down', alert_id: alertId, misses }).where('name', '=', name).execute();
  }

  async markUp(name: string): Promise<void> {
    await this.db.updateTable('heartbeats').set({ status: 'up', alert_id: null }).where('name', '=', name).execute();
  }

  async delete(name: string): Promise<boolean> {
    const result = await this.db.deleteFrom('heartbeats').where('name', '=', name).where('task_queue', '=', this.taskQueue).executeTakeFirst();
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
