// Silences repository: the silences and which alert each holds (README "Silences"). The workflow
// decides when an alert is held and released; these rows are what it and people read.
import { DEFAULT_TENANT } from '../domain/tenants';
import { randomBytes } from 'node:crypto';
import { OPEN_STATUSES, type Alert } from '../domain/alert';
import { silenceEnd, silenceMatches, silenceState, type Matcher, type Silence, type SilenceInput, type SilenceState } from '../domain/silences';
import type { Db, SilenceRow } from './db';

/** The silence holding an alert: its id and when it ends (the alert's workflow waits that long). */
export type Hold = { id: string; until: string };

export class SilenceStore {
  constructor(
    private readonly db: Db,
    private readonly taskQueue: string,
    /** The tenant whose silences the API's store sees and makes; undefined (workers): every tenant's. */
    private readonly tenant?: string,
  ) {}

  /** This store restricted to one tenant's silences (README "Serving your customers"). */
  forTenant(tenant: string): SilenceStore {
    return new SilenceStore(this.db, this.taskQueue, tenant);
  }

  private selectSilences() {
    const all = this.db.selectFrom('silences').selectAll().where('task_queue', '=', this.taskQueue);
    return this.tenant === undefined ? all : all.where('tenant_id', '=', this.tenant);
  }

  async create(input: SilenceInput, now = new Date()): Promise<Silence> {
    const silence: Silence = {
      ...input,
      id: `sil_${randomBytes(10).toString('hex')}`,
      starts_at: input.starts_at ?? now.toISOString(),
      created_at: now.toISOString(),
    };
    await this.db.insertInto('silences').values({ ...toRow(silence, this.taskQueue), tenant_id: this.tenant ?? DEFAULT_TENANT }).execute();
    return silence;
  }

  async get(id: string): Promise<Silence | undefined> {
    const row = await this.selectSilences().where('id', '=', id).executeTakeFirst();
    return row && fromRow(row);
  }

  /** Newest first; `state` filters by where each silence is now. */
  async list(state: SilenceState | undefined, now = new Date(), limit = 500): Promise<(Silence & { state: SilenceState })[]> {
    const rows = await this.selectSilences().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
    return rows
      .map(fromRow)
      .map((s) => ({ ...s, state: silenceState(s, now) }))
      .filter((s) => state === undefined || s.state === state);
  }

  /** Expires the silence now: the silence before and after, and the alerts it holds, for their workflows to look again. */
  async expire(id: string, now = new Date()): Promise<{ before?: Silence; silence?: Silence; held: string[] }> {
    const at = now.toISOString();
    const before = await this.get(id);
    if (!before) return { held: [] };
    const silence = silenceState(before, now) === 'expired' ? before : { ...before, expired_at: at };
    if (silence !== before) await this.db.updateTable('silences').set({ expired_at: at }).where('id', '=', id).execute();
    return { before, silence, held: await this.heldBy(id) };
  }

  async heldBy(id: string): Promise<string[]> {
    const rows = await this.db.selectFrom('alerts').select('id').where('silenced_by', '=', id).where('status', 'in', OPEN_STATUSES).execute();
    return rows.map((r) => r.id);
  }

  /**
   * The silence that holds this alert now, if any (the one that ends last when several match), and
   * the alert's record says so; none: the record says it is held no more (when it may have been).
   */
  async hold(alertId: string, alert: Alert, now = new Date(), { wasHeld = true, tenant = DEFAULT_TENANT } = {}): Promise<Hold | undefined> {
    const at = now.toISOString();
    const candidates = await this.db
      .selectFrom('silences')
      .selectAll()
      .where('task_queue', '=', this.taskQueue)
      .where('tenant_id', '=', tenant) // only the alert's tenant's silences hold it
      .where('starts_at', '<=', at)
      .where('ends_at', '>', at)
      .where((eb) => eb.or([eb('expired_at', 'is', null), eb('expired_at', '>', at)]))
      .execute();
    const matching = candidates.map(fromRow).filter((s) => silenceMatches(s, alert));
    const holding = matching.sort((a, b) => (silenceEnd(b) > silenceEnd(a) ? 1 : -1))[0];
    if (!holding) {
      // An alert routed for the first time was never held: nothing to clear (and no write to make).
      if (wasHeld) await this.db.updateTable('alerts').set({ silenced_by: null, silenced_until: null }).where('id', '=', alertId).where('silenced_by', 'is not', null).execute();
      return undefined;
    }
    const until = silenceEnd(holding);
    await this.db.transaction().execute(async (trx) => {
      // The write first: SQLite's write lock is taken before the read (see GroupStore.join).
      await trx.updateTable('alerts').set({ silenced_by: holding.id, silenced_until: until }).where('id', '=', alertId).execute();
      const row = await trx.selectFrom('alerts').select('held_by').where('id', '=', alertId).executeTakeFirst();
      const held = new Set((row?.held_by ?? '').split(',').filter(Boolean));
      held.add(holding.id);
      await trx.updateTable('alerts').set({ held_by: [...held].join(',') }).where('id', '=', alertId).execute();
    });
    return { id: holding.id, until };
  }

  /**
   * The alert closed while a silence or an inhibition held it: nothing of it was sent, so nothing is owed. A silence
   * set to expire on resolve expires once no open alert it held is left.
   */
  async closedWhileHeld(alertId: string, now = new Date()): Promise<void> {
    const row = await this.db.selectFrom('alerts').select(['held_by']).where('id', '=', alertId).executeTakeFirst();
    await this.db.updateTable('alerts').set({ silenced_by: null, silenced_until: null, inhibited_by: null }).where('id', '=', alertId).execute();
    await this.db.updateTable('alert_lanes').set({ state: 'silenced' }).where('alert_id', '=', alertId).execute();
    await this.db.updateTable('alerts').set({ delivery_state: 'delivered' }).where('id', '=', alertId).execute();
    for (const id of (row?.held_by ?? '').split(',').filter(Boolean)) {
      const silence = await this.get(id);
      if (!silence?.expire_on_resolve || silenceState(silence, now) === 'expired') continue;
      const stillHeld = await this.db.selectFrom('alerts').select('id').where('silenced_by', '=', id).where('status', 'in', OPEN_STATUSES).limit(1).executeTakeFirst();
      if (!stillHeld) await this.db.updateTable('silences').set({ expired_at: now.toISOString() }).where('id', '=', id).execute();
    }
  }
}

function toRow(s: Silence, taskQueue: string): SilenceRow {
  return {
    id: s.id,
    task_queue: taskQueue,
    matchers: JSON.stringify(s.matchers),
    asset: s.asset ?? null,
    starts_at: s.starts_at,
    ends_at: s.ends_at,
    expired_at: s.expired_at ?? null,
    created_by: s.created_by,
    comment: s.comment,
    expire_on_resolve: s.expire_on_resolve ? 1 : 0,
    created_at: s.created_at,
  };
}

function fromRow(row: SilenceRow): Silence {
  return {
    id: row.id,
    matchers: JSON.parse(row.matchers) as Matcher[],
    ...(row.asset !== null && { asset: row.asset }),
    starts_at: row.starts_at,
    ends_at: row.ends_at,
    ...(row.expired_at !== null && { expired_at: row.expired_at }),
    created_by: row.created_by,
    comment: row.comment,
    expire_on_resolve: row.expire_on_resolve === 1,
    created_at: row.created_at,
  };
}
