// Groups repository: each group episode, its members, its notifications (the claim-check the group
// workflow's lanes read) and its deliveries. Alerts join and leave here, in transactions that take
// the group row's lock first, so a join never lands in an episode that has just sent its resolve:
// it opens the next episode instead (README "Grouping").
import { DEFAULT_TENANT } from '../domain/tenants';
import { alertIdIn } from '../domain/alert';
import type { Attempt, EventDeliveryState, Incident } from '../domain/alert-state';
import { GROUP_LIST_LIMIT, type GroupedAlert, type GroupEventType, type OutboundEvent } from '../domain/events';
import { buildGroupEvent } from '../domain/group-events';
import { worstSeverity, type GroupMembership, type GroupOrigin, type GroupPolicy } from '../domain/grouping';
import type { NotifyReason } from '../domain/group-timing';
import type { AlertGroupRow, Db } from './db';

const json = (value: unknown) => JSON.stringify(value);

/** The episode a group workflow runs: what its lanes need to start. */
/** `opened_at`: its first join, on the joining alert's workflow clock (group_wait counts from it). */
export type Episode = { id: string; name: string; policy: GroupPolicy; destination_ids: string[]; origin: GroupOrigin; opened_at: string };

/** What a compose did: a notification to send, nothing new to say, or an episode that ended before saying anything. */
export type Composed =
  | { outcome: 'notified'; sequence: number; event_type: GroupEventType }
  | { outcome: 'unchanged' }
  | { outcome: 'ended' }
  /** Members changed less than `settle_s` ago: compose again at `until`. */
  | { outcome: 'settling'; until: string };

export type GroupOutcomeRecord = {
  groupId: string;
  destinationId: string;
  sequence: number;
  eventType: GroupEventType;
  deliveryId: string;
  state: Exclude<EventDeliveryState, 'pending' | 'superseded'>;
  coalesced: number;
  attempt?: Attempt;
  nextAttemptAt?: string;
  incident?: Incident;
  /** The mute window that holds (`held`) or dropped (`muted`) the notification. */
  mutedBy?: string;
};

/** A join met an episode that resolved between reading it and joining it. */
class JoinRaced extends Error {}

export class GroupStore {
  constructor(
    private readonly db: Db,
    private readonly taskQueue: string,
  ) {}

  /**
   * Puts the alert in its group's open episode (opening one if none is), once: a retried join finds
   * its place. `tell`: this is the first change since the group's newest compose, so its workflow
   * must hear of it; later ones it will see when it composes (one workflow takes a few signals a
   * second, so 300 alerts joining must not mean 300 signals).
   */
  async join(alertId: string, membership: GroupMembership, now = new Date()): Promise<{ groupId: string; tell: boolean }> {
    const at = now.toISOString();
    for (let tries = 1; ; tries++) {
      try {
        return await this.db.transaction().execute(async (trx) => {
          // A write first, so SQLite takes its write lock now (a read that later writes could meet another
          // process's lock and fail at once); on PostgreSQL it locks the joining alert's row, nothing more.
          await trx.updateTable('alerts').set((eb) => ({ updated_at: eb.ref('updated_at') })).where('id', '=', alertId).execute();
          const known = await trx
            .selectFrom('group_members')
            .innerJoin('alert_groups', 'alert_groups.id', 'group_members.group_id')
            .select('group_members.group_id')
            .where('group_members.alert_id', '=', alertId)
            .where('alert_groups.key_id', '=', membership.key_id)
            .executeTakeFirst();
          if (known) return { groupId: known.group_id, tell: true }; // a retry: its first try may not have told
          // The key's newest episode: joined while it fires; after its resolve, the next one is opened.
          const latest = await trx.selectFrom('alert_groups').select(['id', 'episode', 'status']).where('key_id', '=', membership.key_id).orderBy('episode', 'desc').limit(1).executeTakeFirst();
          let group: { id: string; member_count: number; tell: boolean };
          if (latest?.status === 'firing') {
            // Counted up under the row's lock: 1 afterwards means this is the first change since the newest compose.
            const updated = await trx
              .updateTable('alert_groups')
              .set((eb) => ({ updated_at: at, changed_at: at, change_pending: eb('change_pending', '+', 1), firing_count: eb('firing_count', '+', 1), member_count: eb('member_count', '+', 1) }))
              .where('id', '=', latest.id)
              .where('status', '=', 'firing')
              .returning(['id', 'member_count', 'change_pending'])
              .executeTakeFirst();
            if (!updated) throw new JoinRaced(); // resolved meanwhile: the next try opens the next episode
            group = { id: updated.id, member_count: Number(updated.member_count), tell: Number(updated.change_pending) === 1 };
          } else {
            const episode = (latest?.episode ?? 0) + 1;
            const id = `${membership.key_id}.${episode}`;
            await trx
              .insertInto('alert_groups')
              .values({
                id,
                key_id: membership.key_id,
                episode,
                // The group is its first member's tenant's: its rule (or the sender) is that tenant's.
                tenant_id: (eb) => eb.fn.coalesce(eb.selectFrom('alerts').select('tenant_id').where('id', '=', alertId), eb.val(DEFAULT_TENANT)),
                task_queue: this.taskQueue,
                origin: json(membership.origin),
                name: membership.origin.name,
                key: json(membership.key),
                policy: json(membership.policy),
                destination_ids: json(membership.destination_ids),
                status: 'firing',
                firing_count: 1,
                member_count: 1,
                last_sequence: -1,
                notified_at: null,
                changed_at: at,
                change_pending: 1,
                created_at: at,
                updated_at: at,
                resolved_at: null,
              })
              .execute();
            group = { id, member_count: 1, tell: true }; // the episode's first member starts its workflow
          }
          await trx
            .insertInto('group_members')
            .values({ group_id: group.id, alert_id: alertId, position: Number(group.member_count), status: 'firing', notified: 'none', joined_at: at, resolved_at: null })
            .execute();
          return { groupId: group.id, tell: group.tell };
        });
      } catch (err) {
        // Two first members of a new episode at once: one of them inserted it; the other joins it.
        if (tries < 5 && (err instanceof JoinRaced || /unique|duplicate key/i.test((err as Error).message))) continue;
        throw err;
      }
    }
  }

  /**
   * The alert resolved (or closed otherwise): it leaves each group as resolved. Returns the key ids
   * of the groups whose workflow must hear of it (as `join`'s `tell`).
   */
  async leave(alertId: string, groupIds: readonly string[], now = new Date()): Promise<string[]> {
    const at = now.toISOString();
    const keys: string[] = [];
    for (const groupId of groupIds) {
      await this.db.transaction().execute(async (trx) => {
        const group = await trx.updateTable('alert_groups').set({ updated_at: at }).where('id', '=', groupId).returning(['key_id']).executeTakeFirst();
        if (!group) return;
        const left = await trx
          .updateTable('group_members')
          .set({ status: 'resolved', resolved_at: at })
          .where('group_id', '=', groupId)
          .where('alert_id', '=', alertId)
          .where('status', '=', 'firing')
          .executeTakeFirst();
        if (Number(left.numUpdatedRows) > 0) {
          const counted = await trx
            .updateTable('alert_groups')
            .set((eb) => ({ firing_count: eb('firing_count', '-', 1), changed_at: at, change_pending: eb('change_pending', '+', 1) }))
            .where('id', '=', groupId)
            .returning(['change_pending'])
            .executeTakeFirstOrThrow();
          if (Number(counted.change_pending) === 1) keys.push(group.key_id);
        } else {
          keys.push(group.key_id); // a retried leave: its first try may not have told
        }
      });
    }
    return keys;
  }

  /** The key's episode that is still firing, for its workflow to run. */
  async openEpisode(keyId: string): Promise<Episode | undefined> {
    const row = await this.db.selectFrom('alert_groups').selectAll().where('key_id', '=', keyId).where('status', '=', 'firing').orderBy('episode', 'desc').executeTakeFirst();
    return row && episodeOf(row);
  }

  /**
   * Writes the group's next notification when there is something to say: the first (`group.triggered`),
   * a change (alerts joined or resolved), a repeat of an unchanged firing group, or its end once no
   * alert fires. The members are marked as told in the same transaction.
   */
  async compose(groupId: string, reason: Exclude<NotifyReason, 'resolved'>, now = new Date()): Promise<Composed> {
    const at = now.toISOString();
    return this.db.transaction().execute(async (trx) => {
      const group = await trx.updateTable('alert_groups').set({ updated_at: at }).where('id', '=', groupId).where('status', '=', 'firing').returningAll().executeTakeFirst();
      if (!group) return { outcome: 'unchanged' };
      const policy = JSON.parse(group.policy) as GroupPolicy;
      if (policy.settle_s !== undefined && group.change_pending > 0) {
        const settled = Date.parse(group.changed_at) + policy.settle_s * 1000;
        if (settled > now.getTime()) return { outcome: 'settling', until: new Date(settled).toISOString() };
      }
      // From here on a join or leave is after this compose: it tells the workflow again.
      await trx.updateTable('alert_groups').set({ change_pending: 0 }).where('id', '=', groupId).execute();
      const members = (status: string, notified: string[]) =>
        trx.selectFrom('group_members').where('group_members.group_id', '=', groupId).where('group_members.status', '=', status).where('group_members.notified', 'in', notified);
      const count = async (status: string, notified: string[]) => Number((await members(status, notified).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
      const firing = group.firing_count;
      // An alert that joined and resolved between two notifications was never told of: it needs no resolve.
      await trx.updateTable('group_members').set({ notified: 'resolved' }).where('group_id', '=', groupId).where('status', '=', 'resolved').where('notified', '=', 'none').execute();
      const markResolved = () => trx.updateTable('alert_groups').set({ status: 'resolved', resolved_at: at }).where('id', '=', groupId).execute();
      if (group.last_sequence < 0 && firing === 0) {
        await markResolved();
        return { outcome: 'ended' };
      }
      const joined = await count('firing', ['none']);
      const resolvedSince = await count('resolved', ['firing']);
      let eventType: GroupEventType;
      let why: NotifyReason = reason;
      if (group.last_sequence < 0) eventType = 'group.triggered';
      else if (firing === 0) {
        eventType = 'group.resolved';
        why = 'resolved';
      } else if (joined > 0 || resolvedSince > 0 || reason === 'repeat_interval') eventType = 'group.updated';
      else return { outcome: 'unchanged' };

      const listed = async (status: string, notified: string[]): Promise<GroupedAlert[]> => {
        const rows = await members(status, notified)
          .innerJoin('alerts', 'alerts.id', 'group_members.alert_id')
          .select(['alerts.id', 'alerts.title', 'alerts.severity', 'alerts.asset', 'alerts.document', 'alerts.created_at', 'group_members.status'])
          .orderBy('group_members.position')
          .limit(GROUP_LIST_LIMIT)
          .execute();
        return rows.map((r) => ({
          id: r.id,
          title: r.title,
          severity: r.severity,
          status: r.status === 'firing' ? 'firing' : 'resolved',
          labels: (JSON.parse(r.document) as { labels?: Record<string, string> }).labels ?? {},
          ...(r.asset !== null && { asset: r.asset }),
          created_at: r.created_at,
        }));
      };
      const firingAlerts = await listed('firing', ['none', 'firing']);
      const resolvedAlerts = await listed('resolved', ['firing']);
      const severities = await trx
        .selectFrom('group_members')
        .innerJoin('alerts', 'alerts.id', 'group_members.alert_id')
        .select('alerts.severity')
        .distinct()
        .where('group_members.group_id', '=', groupId)
        .$if(firing > 0, (q) => q.where('group_members.status', '=', 'firing'))
        .execute();
      const sequence = group.last_sequence + 1;
      const body = buildGroupEvent({
        groupId,
        name: group.name,
        key: JSON.parse(group.key) as Record<string, string>,
        createdAt: group.created_at,
        eventType,
        reason: why,
        firing: firingAlerts,
        resolved: resolvedAlerts,
        firingCount: firing,
        resolvedCount: resolvedSince,
        severity: worstSeverity(severities.map((s) => s.severity)),
        at: now,
      });
      await trx
        .insertInto('group_notifications')
        .values({ group_id: groupId, sequence, event_type: eventType, reason: why, firing_count: firing, resolved_count: resolvedSince, body: json(body), created_at: at })
        .execute();
      await trx.updateTable('group_members').set({ notified: 'firing' }).where('group_id', '=', groupId).where('status', '=', 'firing').where('notified', '=', 'none').execute();
      await trx.updateTable('group_members').set({ notified: 'resolved' }).where('group_id', '=', groupId).where('status', '=', 'resolved').where('notified', '=', 'firing').execute();
      await trx.updateTable('alert_groups').set({ last_sequence: sequence, notified_at: at }).where('id', '=', groupId).execute();
      if (eventType === 'group.resolved') await markResolved();
      // Lanes that were done now owe this notification.
      await trx.updateTable('group_lanes').set({ state: 'pending' }).where('group_id', '=', groupId).where('state', 'in', ['delivered', 'filtered']).execute();
      return { outcome: 'notified', sequence, event_type: eventType };
    });
  }

  /** The claim-check: the body a destination receives for this notification. */
  async notificationBody(groupId: string, sequence: number): Promise<OutboundEvent | undefined> {
    const row = await this.db.selectFrom('group_notifications').select('body').where('group_id', '=', groupId).where('sequence', '=', sequence).executeTakeFirst();
    return row?.body ? (JSON.parse(row.body) as OutboundEvent) : undefined;
  }

  async recordLanes(groupId: string, lanes: { destination_id: string; name: string; type: string }[]): Promise<void> {
    if (lanes.length === 0) return;
    await this.db
      .insertInto('group_lanes')
      .values(lanes.map((lane, position) => ({ group_id: groupId, destination_id: lane.destination_id, position, name: lane.name, type: lane.type, state: 'pending', incident: null })))
      .onConflict((oc) => oc.columns(['group_id', 'destination_id']).doNothing())
      .execute();
  }

  /** One attempt's outcome for one notification at one destination; the same record twice writes the same rows. */
  async recordOutcome(record: GroupOutcomeRecord): Promise<void> {
    const { groupId, destinationId, sequence } = record;
    await this.db.transaction().execute(async (trx) => {
      const values = {
        event_type: record.eventType,
        delivery_id: record.deliveryId,
        state: record.state,
        attempts: record.attempt?.attempt ?? 0,
        last_attempt: record.attempt ? json(record.attempt) : null,
        next_attempt_at: record.nextAttemptAt ?? null,
        coalesced: record.coalesced,
        muted_by: record.mutedBy ?? null,
      };
      await trx
        .insertInto('group_deliveries')
        .values({ group_id: groupId, destination_id: destinationId, sequence, ...values })
        .onConflict((oc) => oc.columns(['group_id', 'destination_id', 'sequence']).doUpdateSet(values))
        .execute();
      const group = await trx.selectFrom('alert_groups').select('last_sequence').where('id', '=', groupId).executeTakeFirst();
      const behind = group !== undefined && sequence < group.last_sequence;
      const waiting = record.state === 'retrying' || record.state === 'failed' || record.state === 'held';
      const state = waiting ? record.state : behind ? 'pending' : record.state;
      await trx
        .updateTable('group_lanes')
        .set({ state, ...(record.incident && { incident: json(record.incident) }) })
        .where('group_id', '=', groupId)
        .where('destination_id', '=', destinationId)
        .execute();
    });
  }

  /** The keys of this Herald's groups with a held notification, at one destination or any. */
  async heldEvents(destinationId?: string): Promise<string[]> {
    let query = this.db
      .selectFrom('group_deliveries')
      .innerJoin('alert_groups', 'alert_groups.id', 'group_deliveries.group_id')
      .select('alert_groups.key_id')
      .distinct()
      .where('group_deliveries.state', '=', 'held')
      .where('alert_groups.task_queue', '=', this.taskQueue);
    if (destinationId) query = query.where('group_deliveries.destination_id', '=', destinationId);
    return (await query.execute()).map((r) => r.key_id);
  }

  /** The episode is done: no notification of it can be sent again, so their bodies go. */
  async dropNotificationBodies(groupId: string): Promise<void> {
    await this.db.updateTable('group_notifications').set({ body: null }).where('group_id', '=', groupId).execute();
  }

  // Reads for the API.

  /** `tenant`: that tenant's groups only (README "Serving your customers"). */
  async list(opts: { tenant?: string; status?: 'firing' | 'resolved'; limit: number; before?: { created_at: string; id: string } }): Promise<GroupView[]> {
    let query = this.db.selectFrom('alert_groups').selectAll().where('task_queue', '=', this.taskQueue);
    if (opts.tenant !== undefined) query = query.where('tenant_id', '=', opts.tenant);
    if (opts.status) query = query.where('status', '=', opts.status);
    if (opts.before) {
      const { created_at, id } = opts.before;
      query = query.where((eb) => eb.or([eb('created_at', '<', created_at), eb.and([eb('created_at', '=', created_at), eb('id', '<', id)])]));
    }
    const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(opts.limit).execute();
    return rows.map(viewOf);
  }

  /** `tenant`: found only if it is that tenant's, and its members named by their ids in it. */
  async get(groupId: string, tenant?: string): Promise<GroupDetail | undefined> {
    let query = this.db.selectFrom('alert_groups').selectAll().where('id', '=', groupId).where('task_queue', '=', this.taskQueue);
    if (tenant !== undefined) query = query.where('tenant_id', '=', tenant);
    const row = await query.executeTakeFirst();
    if (!row) return undefined;
    const memberId = (key: string) => (tenant === undefined ? key : alertIdIn(tenant, key));
    const members = await this.db
      .selectFrom('group_members')
      .innerJoin('alerts', 'alerts.id', 'group_members.alert_id')
      .select(['group_members.alert_id', 'alerts.title', 'alerts.severity', 'group_members.status', 'group_members.joined_at', 'group_members.resolved_at'])
      .where('group_members.group_id', '=', groupId)
      .orderBy('group_members.position')
      .limit(GROUP_LIST_LIMIT * 2)
      .execute();
    const lanes = await this.db.selectFrom('group_lanes').selectAll().where('group_id', '=', groupId).orderBy('position').execute();
    const deliveries = await this.db.selectFrom('group_deliveries').selectAll().where('group_id', '=', groupId).orderBy('sequence').execute();
    const notifications = await this.db
      .selectFrom('group_notifications')
      .select(['sequence', 'event_type', 'reason', 'firing_count', 'resolved_count', 'created_at'])
      .where('group_id', '=', groupId)
      .orderBy('sequence')
      .execute();
    return {
      ...viewOf(row),
      members: members.map((m) => ({ alert_id: memberId(m.alert_id), title: m.title, severity: m.severity, status: m.status, joined_at: m.joined_at, ...(m.resolved_at && { resolved_at: m.resolved_at }) })),
      notifications: notifications.map((n) => ({
        ...n,
        deliveries: deliveries
          .filter((d) => d.sequence === n.sequence)
          .map((d) => ({
            destination_id: d.destination_id,
            delivery_id: d.delivery_id,
            state: d.state,
            attempts: d.attempts,
            ...(d.last_attempt && { last_attempt: JSON.parse(d.last_attempt) as Attempt }),
            ...(d.next_attempt_at && { next_attempt_at: d.next_attempt_at }),
            ...(d.muted_by && { muted_by: d.muted_by }),
          })),
      })),
      destinations: lanes.map((l) => ({ destination_id: l.destination_id, name: l.name, type: l.type, state: l.state, ...(l.incident && { incident: JSON.parse(l.incident) as Incident }) })),
    };
  }

  /** The groups an alert joined, for its record. */
  async groupsOf(alertId: string): Promise<{ id: string; name: string; status: 'firing' | 'resolved' }[]> {
    const rows = await this.db
      .selectFrom('group_members')
      .innerJoin('alert_groups', 'alert_groups.id', 'group_members.group_id')
      .select(['alert_groups.id', 'alert_groups.name', 'alert_groups.status'])
      .where('group_members.alert_id', '=', alertId)
      .orderBy('alert_groups.created_at')
      .execute();
    return rows as { id: string; name: string; status: 'firing' | 'resolved' }[]; // the column holds only these two
  }
}

export type GroupView = {
  id: string;
  key_id: string;
  episode: number;
  name: string;
  origin: GroupOrigin;
  key: Record<string, string>;
  policy: GroupPolicy;
  destination_ids: string[];
  status: 'firing' | 'resolved';
  firing_count: number;
  member_count: number;
  notifications: number;
  notified_at?: string;
  created_at: string;
  updated_at: string;
  resolved_at?: string;
};

export type GroupDetail = Omit<GroupView, 'notifications'> & {
  notifications: { sequence: number; event_type: string; reason: string; firing_count: number; resolved_count: number; created_at: string; deliveries: { destination_id: string; delivery_id: string; state: string; attempts: number; last_attempt?: Attempt; next_attempt_at?: string; muted_by?: string }[] }[];
  members: { alert_id: string; title: string; severity: string; status: string; joined_at: string; resolved_at?: string }[];
  destinations: { destination_id: string; name: string; type: string; state: string; incident?: Incident }[];
};

function episodeOf(row: AlertGroupRow): Episode {
  return { id: row.id, name: row.name, policy: JSON.parse(row.policy) as GroupPolicy, destination_ids: JSON.parse(row.destination_ids) as string[], origin: JSON.parse(row.origin) as GroupOrigin, opened_at: row.created_at };
}

function viewOf(row: AlertGroupRow): GroupView {
  return {
    id: row.id,
    key_id: row.key_id,
    episode: row.episode,
    name: row.name,
    origin: JSON.parse(row.origin) as GroupOrigin,
    key: JSON.parse(row.key) as Record<string, string>,
    policy: JSON.parse(row.policy) as GroupPolicy,
    destination_ids: JSON.parse(row.destination_ids) as string[],
    status: row.status === 'resolved' ? 'resolved' : 'firing',
    firing_count: row.firing_count,
    member_count: row.member_count,
    notifications: row.last_sequence + 1,
    ...(row.notified_at && { notified_at: row.notified_at }),
    created_at: row.created_at,
    updated_at: row.updated_at,
    ...(row.resolved_at && { resolved_at: row.resolved_at }),
  };
}
