// Alerts repository: the read model and the claim-check (docs/architecture.md, "What lives where").
// The API writes an alert and each of its events when it accepts them; activities record routing
// and every attempt as it happens, idempotently (a retried activity writes the same rows). People
// read these rows; the workflow decides what happens next.
import type { AckAction, AckMark, Alert, AlertStatus, AlertUpdate, CloseAction } from '../domain/alert';
import { CLOSE_ACTIONS, OPEN_STATUSES } from '../domain/alert';
import { AlertClosedError, AlertNotFoundError } from '../domain/alert-errors';
import { deliveryState, laneState, type AlertClosure, type Attempt, type EventDeliveryState, type Incident, type LaneState, type Termination } from '../domain/alert-state';
import { ACK_EVENT_TYPES, buildOutboundEvent, CLOSING_EVENT_TYPES, type AlertEventType, type Closure, type EscalationSection, type EventOrigin, type EventType, type OutboundEvent } from '../domain/events';
import { incidentRef } from '../domain/provider-webhooks';
import { applyUpdate } from '../domain/updates';
import { activeTraceParent } from '../telemetry/trace-parent';
import type { Transaction } from 'kysely';
import type { EscalationRecord, FiredStep } from '../domain/escalation';
import type { SenderGroup } from '../workflows/alert/messages';
import type { AlertLaneRow, AlertRow, Db, Schema } from './db';

/**
 * An event appended to an alert: its place in the alert's sequence and what it is, and the alert's
 * newest acknowledgement marks, which the signal that announces it carries.
 */
export type AppendedEvent = { sequence: number; event_type: EventType; acks: AckMark[] };

/** What starting an alert's workflow needs beyond the alert: kept while the start is owed. */
export type StartInput = { destinationIds: string[]; senderGroup?: SenderGroup };
/** An alert whose trigger was answered 503 (Temporal unreachable): its workflow must still be started. */
export type OwedStart = StartInput & { key: string; tenant: string; alert: Alert };

/** How many acknowledgement marks an alert keeps: more than any lane can be behind by in practice. */
export const ACK_MARKS_KEPT = 20;

/** An acknowledgement that changes nothing (the same again, or taking back one that is not there): no event. */
class NothingToAppend extends Error {
  constructor(readonly acks: AckMark[]) {
    super('nothing to append');
  }
}

type Change = {
  eventType: AlertEventType;
  alert: Alert;
  close?: { action: CloseAction; closure: Closure };
  ack?: Pick<AckMark, 'action' | 'by' | 'until'>;
  escalation?: EscalationSection;
  origin?: EventOrigin;
};

/**
 * What firing an escalation step did: fired (its new lanes recorded, its reminder appended when it has
 * one), or not, because the alert is no longer triggered in the store (acknowledged or closed, its
 * signal maybe still on the way): then the alert's newest marks and its close, if it has one.
 */
export type StepFiring =
  | { fired: true; step: FiredStep; acks: AckMark[] }
  | { fired: false; status: AlertStatus; acks: AckMark[]; closing?: { sequence: number; action: CloseAction } };

export type RoutedLane = { destination_id: string; name: string; type: string; rules: { id: string; name: string }[] };

/** One attempt's outcome (or a filtered event) for one event at one destination. */
export type OutcomeRecord = {
  alertId: string;
  destinationId: string;
  sequence: number;
  eventType: EventType;
  deliveryId: string;
  state: Exclude<EventDeliveryState, 'pending' | 'superseded'>;
  coalesced: number;
  attempt?: Attempt;
  nextAttemptAt?: string;
  incident?: Incident;
  /** The mute window that holds (`held`) or dropped (`muted`) the event (README "Mute windows"). */
  mutedBy?: string;
};

const json = (value: unknown) => JSON.stringify(value);

export class AlertStore {
  constructor(private readonly db: Db) {}

  /**
   * Keeps a new alert and its trigger (sequence 0) before its workflow starts. An alert already kept
   * is left as it is and its status returned: the caller tells a retry from a duplicate.
   */
  async accept(alert: Alert, taskQueue: string, owner: { key: string; tenant: string } = { key: alert.id, tenant: 'default' }): Promise<{ created: boolean; status: AlertStatus; startOwed?: boolean }> {
    // Kept under its key (src/domain/alert.ts alertKeyFor); the document keeps the id its tenant gave it.
    const { key, tenant } = owner;
    return this.db.transaction().execute(async (trx) => {
      const inserted = await trx
        .insertInto('alerts')
        .values({
          id: key,
          tenant_id: tenant,
          task_queue: taskQueue,
          status: 'triggered',
          delivery_state: 'pending',
          title: alert.title,
          severity: alert.severity,
          event_type: alert.event.type,
          asset: alert.event.asset?.qualified_name ?? null,
          document: json(alert),
          last_sequence: 0,
          announced_sequence: 0,
          closure: null,
          termination: null,
          skipped_destinations: '[]',
          acks: '[]',
          created_at: alert.created_at,
          updated_at: alert.created_at,
          closed_at: null,
        })
        .onConflict((oc) => oc.column('id').doNothing())
        .executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 0) {
        const row = await trx.selectFrom('alerts').select(['status', 'start_owed']).where('id', '=', key).executeTakeFirstOrThrow();
        return { created: false, status: row.status as AlertStatus, ...(row.start_owed !== null && { startOwed: true }) };
      }
      // Every event keeps the trace of whoever kept it (the API request, an activity): its attempts join it.
      await trx
        .insertInto('alert_events')
        .values({ alert_id: key, sequence: 0, event_type: 'alert.triggered', body: json(buildOutboundEvent(alert, 'alert.triggered', new Date(alert.created_at))), created_at: alert.created_at, trace_parent: activeTraceParent() })
        .execute();
      return { created: true, status: 'triggered' };
    });
  }

  /** Folds an update into an open alert and keeps the `alert.updated` event it makes. */
  async appendUpdate(alertId: string, update: AlertUpdate, now = new Date()): Promise<AppendedEvent> {
    return this.append(alertId, now, (alert) => ({ eventType: 'alert.updated', alert: applyUpdate(alert, update) }));
  }

  /**
   * Closes an open alert and keeps its closing event. The first close wins: a second one, from the
   * API or the workflow's expiry, finds the alert closed.
   */
  async appendClose(alertId: string, action: CloseAction, closure: Closure, now = new Date(), origin?: EventOrigin): Promise<AppendedEvent> {
    return this.append(alertId, now, (alert) => ({ eventType: CLOSING_EVENT_TYPES[action], alert, close: { action, closure }, ...(origin && { origin }) }));
  }

  /** The closing event of a closed alert, for the workflow's expiry that lost the race to a close. */
  async closingEvent(alertId: string): Promise<(AppendedEvent & { action: CloseAction }) | undefined> {
    const row = await this.db.selectFrom('alerts').select(['closure', 'last_sequence', 'acks']).where('id', '=', alertId).executeTakeFirst();
    if (!row?.closure) return undefined;
    const closure = JSON.parse(row.closure) as AlertClosure;
    return { sequence: row.last_sequence, event_type: CLOSING_EVENT_TYPES[closure.action], action: closure.action, acks: JSON.parse(row.acks) as AckMark[] };
  }

  /**
   * Acknowledges an open alert, or takes its acknowledgement back (README "Acknowledge"). The same
   * acknowledgement again (same `by` and `until`), or taking back one that is not there, appends
   * nothing: `appended` is false and the newest mark, if any, is returned for a signal still owed.
   * `ifAcknowledgedAt`: take it back only if the acknowledgement standing is that event (an ack timeout).
   */
  async appendAck(
    alertId: string,
    action: AckAction,
    fields: { by?: string; until?: string; ifAcknowledgedAt?: number; origin?: EventOrigin },
    now = new Date(),
  ): Promise<{ appended: true; event: AppendedEvent } | { appended: false; newest?: AckMark; acks: AckMark[] }> {
    try {
      const event = await this.append(alertId, now, (alert, standing) => {
        const acknowledged = standing?.action === 'acknowledge';
        if (fields.ifAcknowledgedAt !== undefined && (!acknowledged || standing.sequence !== fields.ifAcknowledgedAt)) return undefined;
        if (action === 'unacknowledge' ? !acknowledged : acknowledged && standing.by === fields.by && standing.until === fields.until) return undefined;
        const ack = { action, ...(fields.by !== undefined && { by: fields.by }), ...(fields.until !== undefined && { until: fields.until }) };
        return { eventType: ACK_EVENT_TYPES[action], alert, ack, ...(fields.origin && { origin: fields.origin }) };
      });
      return { appended: true, event };
    } catch (err) {
      if (!(err instanceof NothingToAppend)) throw err;
      const newest = err.acks.at(-1);
      return { appended: false, acks: err.acks, ...(newest && { newest }) };
    }
  }

  /**
   * Appends the event `change` makes of the alert as it stands (`standing`: its acknowledgement, if it
   * has one); `change` answers undefined when there is nothing to append.
   */
  private async append(alertId: string, now: Date, change: (alert: Alert, standing: AckMark | undefined) => Change | undefined): Promise<AppendedEvent> {
    return this.db.transaction().execute((trx) => this.appendIn(trx, alertId, now, change));
  }

  /** As append, inside the caller's transaction. */
  private async appendIn(trx: Transaction<Schema>, alertId: string, now: Date, change: (alert: Alert, standing: AckMark | undefined) => Change | undefined): Promise<AppendedEvent> {
    const at = now.toISOString();
    {
      // A write first: it takes the row's lock (PostgreSQL) or the database's (SQLite), so appends to
      // one alert are numbered one at a time, in the order they commit.
      const row = await trx
        .updateTable('alerts')
        .set((eb) => ({ last_sequence: eb('last_sequence', '+', 1), updated_at: at }))
        .where('id', '=', alertId)
        .where('status', 'in', OPEN_STATUSES)
        .returning(['last_sequence', 'document', 'acks', 'status'])
        .executeTakeFirst();
      if (!row) {
        const existing = await trx.selectFrom('alerts').select('status').where('id', '=', alertId).executeTakeFirst();
        if (!existing) throw new AlertNotFoundError(alertId);
        throw new AlertClosedError(alertId, existing.status);
      }
      let acks = JSON.parse(row.acks) as AckMark[];
      const standing = row.status === 'acknowledged' ? acks.at(-1) : undefined;
      const next = change(JSON.parse(row.document) as Alert, standing);
      if (!next) throw new NothingToAppend(acks); // rolls the numbering back
      const closure: AlertClosure | undefined = next.close && { ...next.close.closure, action: next.close.action, at };
      const mark: AckMark | undefined = next.ack && { sequence: row.last_sequence, at, ...next.ack };
      if (mark) acks = [...acks, mark].slice(-ACK_MARKS_KEPT);
      const status = closure ? CLOSE_ACTIONS[closure.action] : mark ? (mark.action === 'acknowledge' ? 'acknowledged' : 'triggered') : undefined;
      await trx
        .updateTable('alerts')
        .set({
          document: json(next.alert),
          ...(status && { status }),
          ...(closure && { closure: json(closure), closed_at: at }),
          ...(mark && { acks: json(acks) }),
        })
        .where('id', '=', alertId)
        .execute();
      const body = {
        ...buildOutboundEvent(next.alert, next.eventType, now, next.close?.closure, mark ?? standing),
        ...(next.escalation && { escalation: next.escalation }),
        ...(next.origin && { origin: next.origin }),
      };
      await trx
        .insertInto('alert_events')
        .values({ alert_id: alertId, sequence: row.last_sequence, event_type: next.eventType, body: json(body), created_at: at, trace_parent: activeTraceParent() })
        .execute();
      // Lanes that were done now owe this event. An alert without lanes of its own (routed nowhere, or
      // reaching its destinations through groups) owes nothing: it stays delivered.
      const reopened = await trx.updateTable('alert_lanes').set({ state: 'pending' }).where('alert_id', '=', alertId).where('state', 'in', ['delivered', 'filtered']).executeTakeFirst();
      if (reopened.numUpdatedRows > 0n) await trx.updateTable('alerts').set({ delivery_state: 'pending' }).where('id', '=', alertId).where('delivery_state', '=', 'delivered').execute();
      return { sequence: row.last_sequence, event_type: next.eventType, acks };
    }
  }

  /** The alert's escalation as routing found it (README "Escalation policies"); a rerun of routing writes it again. */
  async recordEscalation(alertId: string, record: EscalationRecord): Promise<void> {
    await this.db.updateTable('alerts').set({ escalation: json(record) }).where('id', '=', alertId).execute();
  }

  /**
   * Fires one escalation step if the alert is still triggered: records its new lanes and, for the
   * destinations that heard of the alert before, appends one `alert.escalated` reminder. A retried
   * activity finds the step fired and gets the same answer.
   */
  async fireEscalationStep(
    alertId: string,
    step: { step: number; repeat: number; lanes: RoutedLane[]; remind: string[]; section: EscalationSection },
    now = new Date(),
  ): Promise<StepFiring> {
    return this.db.transaction().execute(async (trx) => {
      // A write first, to take the alert's lock (as append does).
      const row = await trx
        .updateTable('alerts')
        .set((eb) => ({ last_sequence: eb.ref('last_sequence') }))
        .where('id', '=', alertId)
        .returning(['status', 'last_sequence', 'acks', 'escalation', 'closure'])
        .executeTakeFirst();
      if (!row) throw new AlertNotFoundError(alertId);
      const acks = JSON.parse(row.acks) as AckMark[];
      const record = row.escalation ? (JSON.parse(row.escalation) as EscalationRecord) : undefined;
      if (!record) throw new Error(`alert ${alertId} has no escalation recorded`);
      const done = record.fired.find((f) => f.step === step.step && f.repeat === step.repeat);
      if (done) return { fired: true, step: done, acks };
      if (row.status !== 'triggered') {
        const closure = row.closure ? (JSON.parse(row.closure) as AlertClosure) : undefined;
        return { fired: false, status: row.status as AlertStatus, acks, ...(closure && { closing: { sequence: row.last_sequence, action: closure.action } }) };
      }
      if (step.lanes.length > 0) {
        const { count } = await trx.selectFrom('alert_lanes').select((eb) => eb.fn.countAll<number>().as('count')).where('alert_id', '=', alertId).executeTakeFirstOrThrow();
        await trx
          .insertInto('alert_lanes')
          .values(step.lanes.map((lane, i) => ({ alert_id: alertId, destination_id: lane.destination_id, position: Number(count) + i, name: lane.name, type: lane.type, rules: json(lane.rules), state: 'pending', coalesced_updates: 0, incident: null })))
          .onConflict((oc) => oc.columns(['alert_id', 'destination_id']).doNothing())
          .execute();
        await trx.updateTable('alerts').set({ delivery_state: 'pending' }).where('id', '=', alertId).where('delivery_state', '=', 'delivered').execute();
      }
      const reminder =
        step.remind.length > 0 ? await this.appendIn(trx, alertId, now, (alert) => ({ eventType: 'alert.escalated', alert, escalation: step.section })) : undefined;
      const joined = reminder?.sequence ?? row.last_sequence;
      const fired: FiredStep = {
        step: step.step,
        repeat: step.repeat,
        at: now.toISOString(),
        notified: step.lanes.map((l) => l.destination_id),
        reminded: step.remind,
        ...(reminder && { reminder_sequence: reminder.sequence }),
        joined_at_sequence: joined,
      };
      // The workflow learns every sequence up to here from this answer: none is owed a signal.
      await trx
        .updateTable('alerts')
        .set({ escalation: json({ ...record, fired: [...record.fired, fired] }), ...(reminder && { updated_at: now.toISOString() }) })
        .where('id', '=', alertId)
        .execute();
      await trx.updateTable('alerts').set({ announced_sequence: joined }).where('id', '=', alertId).where('announced_sequence', '<', joined).execute();
      return { fired: true, step: fired, acks };
    });
  }

  /** The lanes whose incident is this one (README "Provider webhooks in"), with their alert's status. */
  async lanesByIncident(taskQueue: string, ref: string): Promise<{ alert_id: string; destination_id: string; status: AlertStatus }[]> {
    const rows = await this.db
      .selectFrom('alert_lanes')
      .innerJoin('alerts', 'alerts.id', 'alert_lanes.alert_id')
      .select(['alert_lanes.alert_id', 'alert_lanes.destination_id', 'alerts.status'])
      .where('alert_lanes.incident_ref', '=', ref)
      .where('alerts.task_queue', '=', taskQueue)
      .execute();
    return rows.map((r) => ({ ...r, status: r.status as AlertStatus }));
  }

  /** The workflow has been told of events up to `sequence`. */
  async markAnnounced(alertId: string, sequence: number): Promise<void> {
    await this.db.updateTable('alerts').set({ announced_sequence: sequence }).where('id', '=', alertId).where('announced_sequence', '<', sequence).execute();
  }

  /**
   * Alerts with events the workflow was never told of (the signal failed after the event was kept),
   * untouched since `before` so requests still in flight are left to finish.
   */
  async unannounced(taskQueue: string, before: Date, limit = 200): Promise<{ id: string; last_sequence: number; action?: CloseAction; acks: AckMark[] }[]> {
    const rows = await this.db
      .selectFrom('alerts')
      .select(['id', 'last_sequence', 'closure', 'acks'])
      .where('task_queue', '=', taskQueue)
      .whereRef('announced_sequence', '<', 'last_sequence')
      .where('termination', 'is', null)
      .where('start_owed', 'is', null) // its workflow is started first, then told
      .where('updated_at', '<', before.toISOString())
      .limit(limit)
      .execute();
    return rows.map((r) => ({ id: r.id, last_sequence: r.last_sequence, acks: JSON.parse(r.acks) as AckMark[], ...(r.closure && { action: (JSON.parse(r.closure) as AlertClosure).action }) }));
  }

  /** The claim-check: the body a destination receives for this event, and the traceparent it was kept with. */
  async keptEvent(alertId: string, sequence: number): Promise<{ event: OutboundEvent; traceParent: string | null } | undefined> {
    const row = await this.db.selectFrom('alert_events').select(['body', 'trace_parent']).where('alert_id', '=', alertId).where('sequence', '=', sequence).executeTakeFirst();
    return row && { event: JSON.parse(row.body) as OutboundEvent, traceParent: row.trace_parent };
  }

  /** The alert as it stands now (what routing matches rules against). */
  async document(alertId: string): Promise<Alert | undefined> {
    const row = await this.db.selectFrom('alerts').select('document').where('id', '=', alertId).executeTakeFirst();
    return row && (JSON.parse(row.document) as Alert);
  }

  /** The alert and the tenant it belongs to, for routing (only the tenant's rules and destinations route it). */
  async documentAndTenant(alertId: string): Promise<{ alert: Alert; tenant: string } | undefined> {
    const row = await this.db.selectFrom('alerts').select(['document', 'tenant_id']).where('id', '=', alertId).executeTakeFirst();
    return row && { alert: JSON.parse(row.document) as Alert, tenant: row.tenant_id };
  }

  async exists(alertId: string): Promise<boolean> {
    return (await this.db.selectFrom('alerts').select('id').where('id', '=', alertId).executeTakeFirst()) !== undefined;
  }

  /** Where routing sent the alert: a lane per destination, and the destinations left out with why. */
  async recordRouting(alertId: string, lanes: RoutedLane[], skipped: { destination_id: string; reason: string }[]): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      if (lanes.length > 0) {
        await trx
          .insertInto('alert_lanes')
          .values(lanes.map((lane, position) => ({ alert_id: alertId, destination_id: lane.destination_id, position, name: lane.name, type: lane.type, rules: json(lane.rules), state: 'pending', coalesced_updates: 0, incident: null })))
          .onConflict((oc) => oc.columns(['alert_id', 'destination_id']).doNothing())
          .execute();
      }
      // Nothing skipped and something routed (most alerts): the row's defaults already say so.
      if (skipped.length === 0 && lanes.length > 0) return;
      await trx
        .updateTable('alerts')
        .set({ skipped_destinations: json(skipped), ...(lanes.length === 0 && { delivery_state: 'delivered' }) })
        .where('id', '=', alertId)
        .execute();
    });
  }

  /** One attempt's outcome, or a filtered event; the same record twice writes the same rows. */
  async recordOutcome(record: OutcomeRecord): Promise<void> {
    const { alertId, destinationId, sequence } = record;
    const lane = (qb: { where: any }) => qb.where('alert_id', '=', alertId).where('destination_id', '=', destinationId);
    await this.db.transaction().execute(async (trx) => {
      // Written first to take the alert's lock: appends and outcomes of one alert do not interleave.
      const alert = await trx
        .updateTable('alerts')
        .set((eb) => ({ last_sequence: eb.ref('last_sequence') }))
        .where('id', '=', alertId)
        .returning(['last_sequence'])
        .executeTakeFirst();
      if (!alert) return; // the alert's rows were never written (an alert of the first workflow version)
      const previous = await lane(trx.selectFrom('lane_events').select(['state', 'coalesced']).where('sequence', '=', sequence)).executeTakeFirst();
      await trx
        .insertInto('lane_events')
        .values({ alert_id: alertId, destination_id: destinationId, sequence, event_type: record.eventType, delivery_id: record.deliveryId, state: record.state, next_attempt_at: record.nextAttemptAt ?? null, coalesced: record.coalesced, muted_by: record.mutedBy ?? null })
        .onConflict((oc) => oc.columns(['alert_id', 'destination_id', 'sequence']).doUpdateSet({ state: record.state, next_attempt_at: record.nextAttemptAt ?? null, muted_by: record.mutedBy ?? null }))
        .execute();
      if (record.attempt) {
        const a = record.attempt;
        const values = {
          started_at: a.started_at,
          status_code: a.status_code ?? null,
          duration_ms: a.duration_ms ?? null,
          error: a.error ?? null,
          note: a.note ?? null,
          response_excerpt: a.response_excerpt ?? null,
          validators: a.validators ? json(a.validators) : null,
        };
        await trx
          .insertInto('delivery_attempts')
          .values({ alert_id: alertId, destination_id: destinationId, sequence, attempt: a.attempt, ...values })
          .onConflict((oc) => oc.columns(['alert_id', 'destination_id', 'sequence', 'attempt']).doUpdateSet(values))
          .execute();
      }
      // A newer update, delivered or failed in their place, carries everything older failed ones did.
      if (record.eventType === 'alert.updated' && (record.state === 'delivered' || record.state === 'failed')) {
        await lane(trx.updateTable('lane_events').set({ state: 'superseded' }))
          .where('event_type', '=', 'alert.updated')
          .where('state', '=', 'failed')
          .where('sequence', '<', sequence)
          .execute();
      }
      // What the lane's state is judged by, in one statement (one of the few on every attempt's path).
      const events = await trx
        .selectNoFrom((eb) => [
          lane(eb.selectFrom('lane_events').select('sequence')).orderBy('sequence', 'desc').limit(1).as('newest_sequence'),
          lane(eb.selectFrom('lane_events').select('state')).orderBy('sequence', 'desc').limit(1).as('newest_state'),
          eb.exists(lane(eb.selectFrom('lane_events').select('sequence')).where('state', '=', 'failed')).as('any_failed'),
          eb.exists(lane(eb.selectFrom('lane_events').select('sequence')).where('state', 'not in', ['filtered', 'muted'])).as('any_sent'),
        ])
        .executeTakeFirstOrThrow();
      const state = laneState({
        latest: events.newest_state as EventDeliveryState,
        anyFailed: Boolean(events.any_failed),
        nothingSent: !events.any_sent,
        behind: Number(events.newest_sequence) < alert.last_sequence,
      });
      await lane(trx.updateTable('alert_lanes'))
        .set((eb: any) => ({
          state,
          // Counted once per event, however often its outcome is written.
          ...(previous === undefined && record.coalesced > 0 && { coalesced_updates: eb('coalesced_updates', '+', record.coalesced) }),
          ...(record.incident && { incident: json(record.incident), incident_ref: incidentRef(record.incident) }),
        }))
        .execute();
      const lanes = await trx.selectFrom('alert_lanes').select('state').where('alert_id', '=', alertId).execute();
      await trx.updateTable('alerts').set({ delivery_state: deliveryState(lanes.map((l) => l.state as LaneState)) }).where('id', '=', alertId).execute();
    });
  }

  /**
   * The workflow ended under the alert: say so, and why, instead of "triggered" forever. A closed
   * alert keeps its status (its close may have gone out before the end) unless `evenIfClosed`: the
   * close was kept after the workflow had ended, so nothing of it went out.
   */
  async recordTermination(alertId: string, termination: Termination, { evenIfClosed = false } = {}): Promise<void> {
    const at = termination.at ?? new Date().toISOString();
    await this.db.updateTable('alerts').set({ termination: json(termination), updated_at: at }).where('id', '=', alertId).execute();
    let update = this.db.updateTable('alerts').set({ status: 'terminated', closed_at: at }).where('id', '=', alertId);
    if (!evenIfClosed) update = update.where('status', 'in', OPEN_STATUSES);
    await update.execute();
  }

  /** Removes an alert's rows: written for an alert that turned out to run on the first workflow version. */
  async forget(alertId: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('alert_events').where('alert_id', '=', alertId).execute();
      await trx.deleteFrom('alerts').where('id', '=', alertId).execute();
    });
  }

  /**
   * The alert's workflow could not be started (Temporal unreachable): the rows stay, and the start is
   * owed. The start may have reached Temporal after all; its run then finds the same alert.
   */
  async owesStart(key: string, start: StartInput): Promise<void> {
    await this.db.updateTable('alerts').set({ start_owed: json(start) }).where('id', '=', key).execute();
  }

  /** The owed start was made (or found made): nothing more is owed. */
  async startMade(key: string): Promise<void> {
    await this.db.updateTable('alerts').set({ start_owed: null }).where('id', '=', key).where('start_owed', 'is not', null).execute();
  }

  /** The alert's owed start, if it has one. */
  async owedStart(key: string): Promise<OwedStart | undefined> {
    const row = await this.db.selectFrom('alerts').select(['id', 'tenant_id', 'document', 'start_owed']).where('id', '=', key).where('start_owed', 'is not', null).executeTakeFirst();
    return row && owedStartOf(row);
  }

  /** This Herald's owed starts of alerts kept before `before` (triggers still in flight finish first). */
  async owedStarts(taskQueue: string, before: Date, limit = 200): Promise<OwedStart[]> {
    const rows = await this.db
      .selectFrom('alerts')
      .select(['id', 'tenant_id', 'document', 'start_owed'])
      .where('task_queue', '=', taskQueue)
      .where('start_owed', 'is not', null)
      .where('created_at', '<', before.toISOString())
      .limit(limit)
      .execute();
    return rows.map(owedStartOf);
  }

  /** Once the alert's workflow is done no event can be sent again: its bodies go, its record stays. */
  async dropEventBodies(alertId: string): Promise<void> {
    await this.db.deleteFrom('alert_events').where('alert_id', '=', alertId).execute();
  }

  /** This Herald's alerts with a held event (a mute window's, a circuit's), at one destination or any. */
  async heldEvents(taskQueue: string, destinationId?: string): Promise<string[]> {
    let query = this.db
      .selectFrom('lane_events')
      .innerJoin('alerts', 'alerts.id', 'lane_events.alert_id')
      .select('lane_events.alert_id')
      .distinct()
      .where('lane_events.state', '=', 'held')
      .where('alerts.task_queue', '=', taskQueue);
    if (destinationId) query = query.where('lane_events.destination_id', '=', destinationId);
    return (await query.execute()).map((r) => r.alert_id);
  }

  /**
   * This Herald's alerts with events to `destinationId` that failed and were created in [since, until),
   * oldest first, with how many (bulk recovery). An alert whose workflow is done has no event bodies
   * left and cannot send again, so it is not among them.
   */
  async failedAt(taskQueue: string, destinationId: string, since: string, until: string): Promise<{ alertId: string; events: number }[]> {
    const rows = await this.db
      .selectFrom('lane_events')
      .innerJoin('alert_events', (join) => join.onRef('alert_events.alert_id', '=', 'lane_events.alert_id').onRef('alert_events.sequence', '=', 'lane_events.sequence'))
      .innerJoin('alerts', 'alerts.id', 'lane_events.alert_id')
      .select('lane_events.alert_id')
      .select((eb) => [eb.fn.countAll<number>().as('events'), eb.fn.min<string>('alert_events.created_at').as('first')])
      .where('lane_events.destination_id', '=', destinationId)
      .where('lane_events.state', '=', 'failed')
      .where('alerts.task_queue', '=', taskQueue)
      .where('alert_events.created_at', '>=', since)
      .where('alert_events.created_at', '<', until)
      .groupBy('lane_events.alert_id')
      .orderBy('first')
      .execute();
    return rows.map((r) => ({ alertId: r.alert_id, events: Number(r.events) }));
  }

  /** Alerts still open by the read model, for the check against Temporal (api/alert-reconciler.ts). */
  async openAlertIds(taskQueue: string, ids: readonly string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.selectFrom('alerts').select('id').where('task_queue', '=', taskQueue).where('id', 'in', [...ids]).where('termination', 'is', null).execute();
    return rows.map((r) => r.id);
  }

  async row(alertId: string): Promise<AlertRow | undefined> {
    return this.db.selectFrom('alerts').selectAll().where('id', '=', alertId).executeTakeFirst();
  }

  async lanes(alertId: string): Promise<AlertLaneRow[]> {
    return this.db.selectFrom('alert_lanes').selectAll().where('alert_id', '=', alertId).orderBy('position').execute();
  }
}

function owedStartOf(row: { id: string; tenant_id: string; document: string; start_owed: string | null }): OwedStart {
  return { key: row.id, tenant: row.tenant_id, alert: JSON.parse(row.document) as Alert, ...(JSON.parse(row.start_owed!) as StartInput) };
}
