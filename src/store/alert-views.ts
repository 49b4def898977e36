// Reading the read model: one alert as GET /v1/alerts/{id} shows it, pages of alerts for the list,
// counts for the metrics gauges. Plain indexed reads: no workflow query, no replay, no worker needed.
import { escalationView, type EscalationRecord } from '../domain/escalation';
import { GroupStore } from './groups';
import { isOpen, OPEN_STATUSES, SEVERITIES, workflowIdFor, type AckMark, type Alert, type AlertStatus, type Severity } from '../domain/alert';
import type { AlertPage, AlertState, AlertSummary, Attempt, DeliveryState, EventDelivery, EventDeliveryState, LaneState, LaneView } from '../domain/alert-state';
import type { EventType } from '../domain/events';
import type { AlertLaneRow, Db, DeliveryAttemptRow, LaneEventRow } from './db';

/** Per lane, GET shows the trigger and this many of its newest events; older updates are counted. */
export const EVENTS_SHOWN_PER_LANE = 50;

export type AlertFilter = {
  status?: string;
  event_type?: string;
  severity?: string;
  /** A destination's id or name. */
  destination?: string;
  delivery_state?: string;
  asset?: string;
  /** Alerts that joined this group (README "Grouping"). */
  group?: string;
  /** `true`: held by a silence now; a silence id: every alert it ever held (README "Silences"). */
  silenced?: string;
  /** `true`: inhibited by an open alert now (README "Inhibition"). */
  inhibited?: string;
  /** Only this tenant's alerts (README "Serving your customers"); the API always sets it. */
  tenant?: string;
};

export type { AlertPage, AlertSummary };

const parse = <T>(text: string | null): T | undefined => (text === null ? undefined : (JSON.parse(text) as T));

export class AlertViews {
  constructor(
    private readonly db: Db,
    /** This Herald's alerts only: one database may serve several Heralds (task queues). */
    private readonly taskQueue: string,
  ) {}

  async get(alertId: string): Promise<AlertState | undefined> {
    const row = await this.db.selectFrom('alerts').selectAll().where('id', '=', alertId).where('task_queue', '=', this.taskQueue).executeTakeFirst();
    if (!row) return undefined;
    const lanes = await this.db.selectFrom('alert_lanes').selectAll().where('alert_id', '=', alertId).orderBy('position').execute();
    const closure = parse<AlertState['closure']>(row.closure);
    const termination = parse<AlertState['termination']>(row.termination);
    const standing = row.status === 'acknowledged' ? (JSON.parse(row.acks) as AckMark[]).at(-1) : undefined;
    const acknowledgement = standing && { ...(standing.by !== undefined && { by: standing.by }), at: standing.at, ...(standing.until !== undefined && { until: standing.until }) };
    return {
      id: row.id,
      workflow_id: workflowIdFor(row.id),
      status: row.status as AlertStatus,
      ...(closure && { closure }),
      ...(termination && { termination }),
      alert: JSON.parse(row.document) as Alert,
      delivery_state: row.delivery_state as DeliveryState,
      destinations: await Promise.all(lanes.map((lane) => this.laneView(lane))),
      skipped_destinations: JSON.parse(row.skipped_destinations),
      groups: await new GroupStore(this.db, this.taskQueue).groupsOf(alertId),
      ...(row.silenced_by && row.silenced_until && { silenced: { silence_id: row.silenced_by, until: row.silenced_until } }),
      held_by: (row.held_by ?? '').split(',').filter(Boolean),
      ...(row.inhibited_by && isOpen(row.status) && { inhibited: { alert_id: row.inhibited_by } }),
      ...(acknowledgement && { acknowledgement }),
      ...(row.escalation && { escalation: escalationView(JSON.parse(row.escalation) as EscalationRecord, row.status) }),
    };
  }

  private async laneView(lane: AlertLaneRow): Promise<LaneView> {
    const ofLane = () => this.db.selectFrom('lane_events').where('alert_id', '=', lane.alert_id).where('destination_id', '=', lane.destination_id);
    const newest = (await ofLane().selectAll().orderBy('sequence', 'desc').limit(EVENTS_SHOWN_PER_LANE).execute()).reverse();
    let events: LaneEventRow[] = newest;
    let omitted = 0;
    if (newest.length === EVENTS_SHOWN_PER_LANE && newest[0]!.sequence > 0) {
      const [trigger, count] = await Promise.all([
        ofLane().selectAll().where('sequence', '=', 0).executeTakeFirst(),
        ofLane().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      ]);
      events = trigger ? [trigger, ...newest] : newest;
      omitted = Number(count.n) - events.length;
    }
    const attempts = await this.attemptsOf(lane, events.map((e) => e.sequence));
    const incident = parse<LaneView['incident']>(lane.incident);
    return {
      destination_id: lane.destination_id,
      name: lane.name,
      type: lane.type,
      state: lane.state as LaneState,
      rules: JSON.parse(lane.rules),
      ...(incident && { incident }),
      coalesced_updates: lane.coalesced_updates,
      events: events.map((e) => eventView(e, attempts.get(e.sequence) ?? [])),
      ...(omitted > 0 && { omitted_events: omitted }),
    };
  }

  private async attemptsOf(lane: AlertLaneRow, sequences: number[]): Promise<Map<number, Attempt[]>> {
    const bySequence = new Map<number, Attempt[]>();
    if (sequences.length === 0) return bySequence;
    const rows = await this.db
      .selectFrom('delivery_attempts')
      .selectAll()
      .where('alert_id', '=', lane.alert_id)
      .where('destination_id', '=', lane.destination_id)
      .where('sequence', 'in', sequences)
      .orderBy('sequence')
      .orderBy('attempt')
      .execute();
    for (const row of rows) bySequence.set(row.sequence, [...(bySequence.get(row.sequence) ?? []), attemptView(row)]);
    return bySequence;
  }

  /** A page of this Herald's alerts, newest first, filtered on the read model's columns. */
  async list(filter: AlertFilter, pageSize: number, pageToken?: string): Promise<AlertPage> {
    let query = this.db.selectFrom('alerts').selectAll().where('task_queue', '=', this.taskQueue);
    if (filter.tenant !== undefined) query = query.where('tenant_id', '=', filter.tenant);
    if (filter.status) query = query.where('status', '=', filter.status);
    if (filter.event_type) query = query.where('event_type', '=', filter.event_type);
    if (filter.severity) query = query.where('severity', '=', filter.severity);
    if (filter.delivery_state) query = query.where('delivery_state', '=', filter.delivery_state);
    if (filter.asset) query = query.where('asset', '=', filter.asset);
    if (filter.destination) {
      const wanted = filter.destination;
      query = query.where((eb) =>
        eb.exists(
          eb.selectFrom('alert_lanes').select('alert_lanes.alert_id').whereRef('alert_lanes.alert_id', '=', 'alerts.id').where((w) => w.or([w('destination_id', '=', wanted), w('name', '=', wanted)])),
        ),
      );
    }
    if (filter.group) {
      const group = filter.group;
      query = query.where((eb) => eb.exists(eb.selectFrom('group_members').select('group_members.alert_id').whereRef('group_members.alert_id', '=', 'alerts.id').where('group_members.group_id', '=', group)));
    }
    if (filter.silenced === 'true') query = query.where('silenced_by', 'is not', null);
    else if (filter.silenced) {
      const held = filter.silenced;
      query = query.where((eb) => eb.or([eb('held_by', '=', held), eb('held_by', 'like', `${held},%`), eb('held_by', 'like', `%,${held}`), eb('held_by', 'like', `%,${held},%`)]));
    }
    if (filter.inhibited === 'true') query = query.where('inhibited_by', 'is not', null).where('status', 'in', OPEN_STATUSES);
    const after = pageToken ? decodePageToken(pageToken) : undefined;
    if (after) query = query.where((eb) => eb.or([eb('created_at', '<', after.created_at), eb.and([eb('created_at', '=', after.created_at), eb('id', '<', after.id)])]));
    const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(pageSize + 1).execute();
    const page = rows.slice(0, pageSize);
    const lanes = page.length === 0 ? [] : await this.db.selectFrom('alert_lanes').select(['alert_id', 'destination_id', 'name']).where('alert_id', 'in', page.map((r) => r.id)).orderBy('position').execute();
    const data = page.map((row): AlertSummary => ({
      id: row.id,
      workflow_id: workflowIdFor(row.id),
      title: row.title,
      status: row.status as AlertStatus,
      delivery_state: row.delivery_state as DeliveryState,
      severity: row.severity as Severity,
      event_type: row.event_type,
      ...(row.asset !== null && { asset: row.asset }),
      destinations: lanes.filter((l) => l.alert_id === row.id).flatMap((l) => [l.name, l.destination_id]),
      started_at: row.created_at,
      ...(row.closed_at !== null && { closed_at: row.closed_at }),
    }));
    const last = page.at(-1);
    return { data, ...(rows.length > pageSize && last && { next_page_token: encodePageToken(last) }) };
  }

  /** The tenant's open alerts by status and severity, and those whose delivery failed by severity: the overview's numbers. */
  async countsBySeverity(tenant: string): Promise<{ triggered: Record<string, number>; acknowledged: Record<string, number>; failed_delivery: Record<string, number> }> {
    const open = await this.db
      .selectFrom('alerts')
      .select(['status', 'severity', (eb) => eb.fn.countAll<number>().as('n')])
      .where('task_queue', '=', this.taskQueue)
      .where('tenant_id', '=', tenant)
      .where('status', 'in', ['triggered', 'acknowledged'])
      .groupBy(['status', 'severity'])
      .execute();
    const failed = await this.db
      .selectFrom('alerts')
      .select(['severity', (eb) => eb.fn.countAll<number>().as('n')])
      .where('task_queue', '=', this.taskQueue)
      .where('tenant_id', '=', tenant)
      .where('delivery_state', '=', 'failed')
      .groupBy('severity')
      .execute();
    const bySeverity = (rows: { severity: string; n: number }[]) => Object.fromEntries(SEVERITIES.map((s) => [s, Number(rows.find((r) => r.severity === s)?.n ?? 0)]));
    return {
      triggered: bySeverity(open.filter((r) => r.status === 'triggered')),
      acknowledged: bySeverity(open.filter((r) => r.status === 'acknowledged')),
      failed_delivery: bySeverity(failed),
    };
  }

  async counts(): Promise<{ open: number; failed: number; retrying: number }> {
    const count = async (column: 'status' | 'delivery_state', value: string) => {
      const row = await this.db.selectFrom('alerts').select((eb) => eb.fn.countAll<number>().as('n')).where('task_queue', '=', this.taskQueue).where(column, '=', value).executeTakeFirstOrThrow();
      return Number(row.n);
    };
    const [triggered, acknowledged, failed, retrying] = await Promise.all([count('status', 'triggered'), count('status', 'acknowledged'), count('delivery_state', 'failed'), count('delivery_state', 'retrying')]);
    return { open: triggered + acknowledged, failed, retrying };
  }
}

function eventView(row: LaneEventRow, attempts: Attempt[]): EventDelivery {
  return {
    sequence: row.sequence,
    event_type: row.event_type as EventType,
    delivery_id: row.delivery_id,
    state: row.state as EventDeliveryState,
    ...(row.next_attempt_at !== null && (row.state === 'retrying' || row.state === 'held') && { next_attempt_at: row.next_attempt_at }),
    ...(row.muted_by !== null && { muted_by: row.muted_by }),
    ...(row.coalesced > 0 && { coalesced: row.coalesced }),
    attempts,
  };
}

function attemptView(row: DeliveryAttemptRow): Attempt {
  return {
    attempt: row.attempt,
    started_at: row.started_at,
    ...(row.status_code !== null && { status_code: row.status_code }),
    ...(row.duration_ms !== null && { duration_ms: row.duration_ms }),
    ...(row.error !== null && { error: row.error }),
    ...(row.note !== null && { note: row.note }),
    ...(row.response_excerpt !== null && { response_excerpt: row.response_excerpt }),
    ...(row.validators !== null && { validators: JSON.parse(row.validators) }),
  };
}

/** Newest-first lists page by (created_at, id): the alert list's token, and the groups'. */
export function encodePageToken(row: { created_at: string; id: string }): string {
  return Buffer.from(JSON.stringify([row.created_at, row.id])).toString('base64url');
}

/** A token this store did not make reads as none (the first page). */
export function decodePageToken(token: string): { created_at: string; id: string } | undefined {
  try {
    const [created_at, id] = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown[];
    return typeof created_at === 'string' && typeof id === 'string' ? { created_at, id } : undefined;
  } catch {
    return undefined;
  }
}
