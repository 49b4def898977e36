// What can be done to an alert, over the store and Temporal: the API's routes and the sources call
// these. Each event is kept in the store first (the claim-check and the read model), then the
// workflow is told its sequence number. Errors are the alert's own (domain/alert-errors.ts) or
// Temporal's (temporal/alert-workflows.ts); api/errors.ts maps both to HTTP.
import type { SenderGroup } from '../workflows/alert/messages';
import type { InhibitionStore } from '../store/inhibitions';
import { DEFAULT_TENANT } from '../domain/tenants';
import { alertKeyFor, isOpen, type AckAction, type AckMark, type Alert, type AlertUpdate } from '../domain/alert';
import { AlertClosedError, AlertNotFoundError, NotAcknowledgeableError, NotRedeliverableError } from '../domain/alert-errors';
import type { AlertState } from '../domain/alert-state';
import type { Closure, EventOrigin } from '../domain/events';
import type { AlertStore, OwedStart } from '../store/alerts';
import type { AlertFilter, AlertPage, AlertViews } from '../store/alert-views';
import { TemporalUnavailableError, WorkflowEndedError, type AlertWorkflows, type EventSignal } from '../temporal/alert-workflows';
import type { LegacyAlerts } from './legacy-alerts';
import type { LegacyAlertState } from '../workflows/legacy/alert-v1-state';
import { annotateAlert } from '../telemetry/attributes';

/** Makes an owed start (src/store/alerts.ts owesStart): a run already there counts as made. */
export async function startOwed(alerts: AlertStore, workflows: AlertWorkflows, owed: OwedStart): Promise<void> {
  await workflows.start(owed.alert, owed.destinationIds, owed.senderGroup, { key: owed.key, tenant: owed.tenant });
  await alerts.startMade(owed.key);
}

/** The event is kept in the store, but Temporal did not hear of it yet (api/alert-reconciler.ts tells it). */
export class EventNotYetAnnouncedError extends Error {
  constructor(
    readonly alertId: string,
    readonly signal: EventSignal,
    readonly sequence: number,
    reason: string,
  ) {
    super(`Temporal is unreachable (${reason}): the ${signal} of alert ${alertId} is kept as its event ${sequence} and goes out once Temporal answers; sending it again is safe`);
  }
}

export class AlertActions {
  constructor(
    private readonly alerts: AlertStore,
    private readonly views: AlertViews,
    private readonly workflows: AlertWorkflows,
    private readonly legacy: LegacyAlerts,
    private readonly inhibitions?: InhibitionStore,
  ) {}

  /**
   * A new alert, or the same one again. The alert is kept before its workflow starts; a trigger
   * retried after Temporal was unreachable starts the workflow it could not start then.
   */
  async trigger(alert: Alert, destinationIds: string[], senderGroup?: SenderGroup, tenant = DEFAULT_TENANT): Promise<{ deduplicated: boolean }> {
    // Every other action takes the alert's key (src/domain/alert.ts alertKeyFor): the alert's id for the default tenant.
    const key = alertKeyFor(tenant, alert.id);
    annotateAlert(key);
    const kept = await this.alerts.accept(alert, this.workflows.taskQueue, { key, tenant });
    if (!isOpen(kept.status)) throw new AlertClosedError(alert.id, kept.status);
    let started: 'started' | 'already_started';
    try {
      started = await this.workflows.start(alert, destinationIds, senderGroup, { key, tenant });
      // Only the default tenant has alerts of the first workflow version: they ran before tenants existed.
      if (started === 'already_started' && kept.created && tenant === DEFAULT_TENANT && (await this.legacy.owns(alert.id))) {
        // An alert of the first workflow version: it keeps no rows, so the ones just written go.
        await this.alerts.forget(alert.id);
        const state = await this.legacy.get(alert.id);
        if (!isOpen(state.status)) throw new AlertClosedError(alert.id, state.status);
        return { deduplicated: true };
      }
      // A run without rows (removed under it, as Herald did after a 503 before migration 0023_start_owed)
      // may have looked for the alert before these rows were written, and would fail. It is replaced.
      if (started === 'already_started' && kept.created) started = await this.workflows.start(alert, destinationIds, senderGroup, { replacingRunning: true, key, tenant });
    } catch (err) {
      // Temporal did not answer (the caller hears 503 and retries). The start may have reached it all
      // the same, and its run may send the trigger at once: the rows stay, so that run and the retry
      // find the same alert, and the start is owed (made by the retry or api/alert-reconciler.ts).
      if (err instanceof TemporalUnavailableError && kept.created) await this.alerts.owesStart(key, { destinationIds, ...(senderGroup && { senderGroup }) });
      throw err;
    }
    if (kept.startOwed) await this.alerts.startMade(key);
    return { deduplicated: started === 'already_started' };
  }

  async update(alertId: string, update: AlertUpdate): Promise<void> {
    annotateAlert(alertId);
    let appended;
    try {
      appended = await this.alerts.appendUpdate(alertId, update);
    } catch (err) {
      if (await this.isLegacyAfter(err, alertId)) return this.legacy.update(alertId, update);
      throw err;
    }
    await this.tell(alertId, 'update', appended.sequence, appended.acks);
  }

  /**
   * Acknowledges an open alert, or takes the acknowledgement back (README "Acknowledge"). The same
   * acknowledgement again changes nothing, but is told again while its signal is still owed (a retry
   * after a 503). False when nothing changed.
   */
  async acknowledge(alertId: string, action: AckAction, fields: { by?: string; until?: string; origin?: EventOrigin }): Promise<boolean> {
    annotateAlert(alertId);
    let result;
    try {
      result = await this.alerts.appendAck(alertId, action, fields);
    } catch (err) {
      if (await this.isLegacyAfter(err, alertId)) throw new NotAcknowledgeableError(alertId);
      throw err;
    }
    if (result.appended) {
      await this.tell(alertId, action, result.event.sequence, result.event.acks);
      return true;
    }
    const owed = result.newest && result.newest.action === action && (await this.alerts.row(alertId))!.announced_sequence < result.newest.sequence;
    if (owed) await this.tell(alertId, action, result.newest!.sequence, result.acks);
    return false;
  }

  /**
   * The same close again while its signal is still owed (a retry after a 503) is accepted and told
   * again; once the workflow heard of the close, any further close is a conflict.
   */
  async close(alertId: string, action: 'resolve' | 'dismiss', closure: Closure, origin?: EventOrigin): Promise<void> {
    annotateAlert(alertId);
    let sequence: number;
    let acks: AckMark[];
    try {
      ({ sequence, acks } = await this.alerts.appendClose(alertId, action, closure, new Date(), origin));
    } catch (err) {
      if (await this.isLegacyAfter(err, alertId)) return this.legacy.close(alertId, action, closure);
      const closing = err instanceof AlertClosedError ? await this.alerts.closingEvent(alertId) : undefined;
      if (closing?.action !== action) throw err;
      const row = await this.alerts.row(alertId);
      if (row && row.announced_sequence >= closing.sequence) throw err;
      sequence = closing.sequence;
      acks = closing.acks;
    }
    await this.tell(alertId, action, sequence, acks);
    await this.releaseInhibited(alertId);
  }

  /**
   * The alert closed: the alerts it inhibited look again now (README "Inhibition"). Best effort: one
   * that does not hear of it (Temporal unreachable) looks again on its own within minutes.
   */
  private async releaseInhibited(alertId: string): Promise<void> {
    if (!this.inhibitions) return;
    for (const inhibited of await this.inhibitions.inhibitedBy(alertId)) {
      try {
        await this.workflows.holdChanged(inhibited);
      } catch (err) {
        if (!(err instanceof WorkflowEndedError) && !(err instanceof TemporalUnavailableError)) throw err;
      }
    }
  }

  /** Manual retry of a destination's failed events. */
  async redeliver(alertId: string, destinationId: string, by?: string): Promise<void> {
    if (await this.isLegacy(alertId)) return this.legacy.redeliver(alertId, destinationId, by);
    const lane = (await this.alerts.lanes(alertId)).find((l) => l.destination_id === destinationId);
    if (!lane) throw new NotRedeliverableError('not_routed', `alert ${alertId} was not routed to destination ${destinationId}`);
    if (lane.state !== 'failed') throw new NotRedeliverableError('not_failed', `the delivery to ${destinationId} is ${lane.state}, not failed`);
    try {
      await this.workflows.redeliver(alertId, destinationId, by);
    } catch (err) {
      if (err instanceof WorkflowEndedError) throw await this.ended(alertId);
      throw err;
    }
  }

  /** `legacyToo`: an alert the store does not know may be one of the first workflow version (the default tenant's only). */
  async get(alertId: string, { legacyToo = true } = {}): Promise<AlertState | LegacyAlertState> {
    const state = await this.views.get(alertId);
    if (state) return state;
    if (!legacyToo) throw new AlertNotFoundError(alertId);
    return this.legacy.get(alertId);
  }

  async list(filter: AlertFilter, pageSize: number, pageToken?: string): Promise<AlertPage> {
    return this.views.list(filter, pageSize, pageToken);
  }

  /** An alert without rows whose workflow exists runs on the first workflow version. */
  private async isLegacy(alertId: string): Promise<boolean> {
    return !(await this.alerts.exists(alertId)) && (await this.legacy.owns(alertId));
  }

  /** The store knows no such alert: it may still be one of the first workflow version (asked only then). */
  private async isLegacyAfter(err: unknown, alertId: string): Promise<boolean> {
    return err instanceof AlertNotFoundError && (await this.legacy.owns(alertId));
  }

  /** Tells the workflow of an event already kept; if Temporal cannot be reached, the reconciler tells it later. */
  private async tell(alertId: string, signal: EventSignal, sequence: number, acks: readonly AckMark[]): Promise<void> {
    try {
      await this.workflows.signalEvent(alertId, signal, sequence, acks);
    } catch (err) {
      if (err instanceof WorkflowEndedError) {
        // Not ended: never started (its trigger was answered 503). It starts now, and is told.
        if (await this.makeOwedStart(alertId)) return this.tell(alertId, signal, sequence, acks);
        throw await this.ended(alertId, { eventLost: true });
      }
      if (err instanceof TemporalUnavailableError) throw new EventNotYetAnnouncedError(alertId, signal, sequence, err.message);
      throw err;
    }
    await this.alerts.markAnnounced(alertId, sequence);
  }

  /** Starts the alert's workflow if its start is owed; false when none was. */
  private async makeOwedStart(key: string): Promise<boolean> {
    const owed = await this.alerts.owedStart(key);
    if (!owed) return false;
    await startOwed(this.alerts, this.workflows, owed);
    return true;
  }

  /**
   * The workflow ended under the alert (an operator terminated it, it failed or timed out): the read
   * model says so, and the caller hears that nothing more can take effect.
   */
  private async ended(alertId: string, { eventLost = false } = {}): Promise<AlertClosedError> {
    const termination = await this.workflows.termination(alertId);
    if (termination) await this.alerts.recordTermination(alertId, termination, { evenIfClosed: eventLost });
    const row = await this.alerts.row(alertId);
    if (!row) return new AlertClosedError(alertId, 'closed');
    return new AlertClosedError(alertId, row.status);
  }
}

