// The API's door to Temporal, speaking Temporal: start an alert's workflow, signal it, describe how
// it ended, find alerts whose workflows ended abnormally. Typed results and its own errors; the API
// turns them into HTTP once (api/errors.ts). Every call is bounded by a deadline.
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, isGrpcServiceError, type Client, type Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { alertIdFromWorkflowId, workflowIdFor, type AckMark, type Alert } from '../domain/alert';
import type { Termination } from '../domain/alert-state';
import { alertWorkflowV2 } from '../workflows/alert/workflow';
import { ackEventsOf, acknowledgeSignal, dismissSignal, redeliverSignal, resolveSignal, holdChangedSignal, unacknowledgeSignal, updateSignal, type FirstAttempt, type SenderGroup } from '../workflows/alert/messages';
import { signalThrough } from './held-events';
import { HeraldAsset, HeraldDeliveryState, HeraldEventType, HeraldSeverity, HeraldStatus, HeraldTenant } from './search-attributes';
import { after, all, equals, oneOf } from './visibility-query';

const CALL_DEADLINE_MS = 5000;
// gRPC status codes meaning "could not reach or hear back from the server".
const UNREACHABLE_CODES = new Set([4 /* DEADLINE_EXCEEDED */, 14 /* UNAVAILABLE */, 1 /* CANCELLED */]);
/** Workflow types that are alerts: the current one and the first version, still running for old alerts. */
export const ALERT_WORKFLOW_TYPES = ['alertWorkflowV2', 'alertWorkflow'] as const;
const ABNORMAL_ENDS = ['Terminated', 'Failed', 'TimedOut'] as const;

export class TemporalUnavailableError extends Error {}

/** The alert's workflow is no longer running, so it can take no signal. */
export class WorkflowEndedError extends Error {}

export type EventSignal = 'update' | 'resolve' | 'dismiss' | 'acknowledge' | 'unacknowledge';
const SIGNALS = { update: updateSignal, resolve: resolveSignal, dismiss: dismissSignal, acknowledge: acknowledgeSignal, unacknowledge: unacknowledgeSignal } as const;


/** `heraldStatus`: the alert's status as the workflow last published it (HeraldStatus), if it did. */
export type WorkflowDescription = { type: string; running: boolean; status: string; heraldStatus?: string };

export class AlertWorkflows {
  constructor(
    readonly client: Client,
    /** The client's connection, or a worker's (NativeConnection answers the same two calls). */
    private readonly connection: Pick<Connection, 'workflowService' | 'withDeadline'>,
    readonly taskQueue: string,
    private readonly alertMaxLifetimeMs: number,
    private readonly firstAttempt: FirstAttempt = 'in-workflow-task',
  ) {}

  /**
   * Starts the alert's workflow; `already_started` when a workflow with its id exists (open or closed).
   * `replacingRunning`: a running workflow under the id is terminated and this one starts instead
   * (api/alert-actions.ts, for a run whose trigger was answered 503).
   */
  async start(
    alert: Alert,
    destinationIds: string[],
    senderGroup?: SenderGroup,
    /** `key`: the alert's key (src/domain/alert.ts alertKeyFor), its id for the default tenant. */
    { replacingRunning = false, key = alert.id, tenant = 'default' }: { replacingRunning?: boolean; key?: string; tenant?: string } = {},
  ): Promise<'started' | 'already_started'> {
    try {
      await this.call(() =>
        this.client.workflow.start(alertWorkflowV2, {
          workflowId: workflowIdFor(key),
          taskQueue: this.taskQueue,
          args: [{ alertId: key, destinationIds, maxLifetimeMs: this.alertMaxLifetimeMs, ...(senderGroup && { senderGroup }), firstAttempt: this.firstAttempt }],
          // A closed alert's id is refused by the store first; only a run that failed (one whose trigger
          // was never accepted) may be started again under the same id.
          workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
          ...(replacingRunning && { workflowIdConflictPolicy: 'TERMINATE_EXISTING' as const }),
          memo: { title: alert.title },
          staticSummary: `${alert.severity} alert: ${alert.title}`.slice(0, 200),
          // Set with the start, not upserted by the workflow: fewer visibility writes per alert.
          typedSearchAttributes: [
            { key: HeraldStatus, value: 'triggered' },
            { key: HeraldDeliveryState, value: 'pending' },
            { key: HeraldEventType, value: alert.event.type },
            { key: HeraldSeverity, value: alert.severity },
            { key: HeraldTenant, value: tenant },
            ...(alert.event.asset ? [{ key: HeraldAsset, value: alert.event.asset.qualified_name }] : []),
          ],
        }),
      );
      return 'started';
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) return 'already_started';
      throw err;
    }
  }

  /** Tells the workflow an event was appended in the store. */
  async signalEvent(alertId: string, signal: EventSignal, sequence: number, acks: readonly AckMark[] = []): Promise<void> {
    const payload = { sequence, ...(acks.length > 0 && { acks: ackEventsOf(acks) }) };
    await this.signal(alertId, () => this.client.workflow.getHandle(workflowIdFor(alertId)).signal(SIGNALS[signal], payload));
  }

  async redeliver(alertId: string, destinationId: string, by?: string): Promise<void> {
    await this.signal(alertId, () => this.client.workflow.getHandle(workflowIdFor(alertId)).signal(redeliverSignal, { destination_id: destinationId, ...(by && { by }) }));
  }

  /** A silence holding the alert was expired: the workflow looks again (README "Silences"). */
  async holdChanged(alertId: string): Promise<void> {
    await this.signal(alertId, () => this.client.workflow.getHandle(workflowIdFor(alertId)).signal(holdChangedSignal));
  }

  /**
   * What holds events may have let go (mute windows edited): each workflow, an alert's or a group's,
   * judges the events it holds again. One that has ended holds nothing any more.
   */
  async releaseHeld(workflowIds: readonly string[]): Promise<void> {
    await signalThrough(this.client, (send) => this.call(send))(workflowIds);
  }

  /** Signals with a definition of the caller's (the first workflow version has its own shapes). */
  async signal(alertId: string, send: () => Promise<void>): Promise<void> {
    try {
      await this.call(send);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw new WorkflowEndedError(`the workflow of alert ${alertId} has ended`);
      throw err;
    }
  }

  /** The alert's workflow, or undefined when there is none. */
  async describe(alertId: string): Promise<WorkflowDescription | undefined> {
    try {
      const d = await this.call(() => this.client.workflow.getHandle(workflowIdFor(alertId)).describe());
      const heraldStatus = d.typedSearchAttributes.get(HeraldStatus);
      return { type: d.type, running: d.status.name === 'RUNNING', status: d.status.name, ...(heraldStatus !== undefined && { heraldStatus }) };
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return undefined;
      throw err;
    }
  }

  /** How a workflow that ended abnormally ended: Temporal's word and, where there is one, the reason. */
  async termination(alertId: string): Promise<Termination | undefined> {
    const description = await this.describe(alertId);
    if (!description || description.running || description.status === 'COMPLETED' || description.status === 'CONTINUED_AS_NEW') return undefined;
    const response = await this.call(() =>
      this.connection.workflowService.getWorkflowExecutionHistory({
        namespace: this.client.options.namespace,
        execution: { workflowId: workflowIdFor(alertId) },
        historyEventFilterType: temporal.api.enums.v1.HistoryEventFilterType.HISTORY_EVENT_FILTER_TYPE_CLOSE_EVENT,
      }),
    );
    const event = response.history?.events?.[0];
    const reason =
      event?.workflowExecutionTerminatedEventAttributes?.reason ??
      event?.workflowExecutionFailedEventAttributes?.failure?.message ??
      (event?.workflowExecutionTimedOutEventAttributes ? 'the workflow timed out' : undefined);
    const at = event?.eventTime?.seconds ? new Date(Number(event.eventTime.seconds) * 1000).toISOString() : undefined;
    return { workflow_status: description.status, ...(reason && { reason }), ...(at && { at }) };
  }

  /** Alerts of this Herald whose workflow ended abnormally (terminated, failed, timed out) after `since`. */
  async endedAbnormallySince(since: Date, pageSize = 200): Promise<string[]> {
    const query = all([
      oneOf('WorkflowType', ALERT_WORKFLOW_TYPES),
      equals('TaskQueue', this.taskQueue),
      oneOf('ExecutionStatus', ABNORMAL_ENDS),
      after('CloseTime', since),
    ]);
    const ids: string[] = [];
    let nextPageToken: Uint8Array | undefined;
    do {
      const response = await this.call(() =>
        this.connection.workflowService.listWorkflowExecutions({ namespace: this.client.options.namespace, pageSize, query, ...(nextPageToken && { nextPageToken }) }),
      );
      ids.push(...(response.executions ?? []).flatMap((e) => alertIdFromWorkflowId(e.execution?.workflowId ?? '') ?? []));
      nextPageToken = response.nextPageToken && response.nextPageToken.length > 0 ? response.nextPageToken : undefined;
    } while (nextPageToken);
    return ids;
  }

  async ping(): Promise<void> {
    await this.call(() => this.connection.workflowService.getSystemInfo({}));
  }

  /** A call to Temporal bounded by the deadline, an unreachable server as TemporalUnavailableError (the API's 503). */
  async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await this.connection.withDeadline(Date.now() + CALL_DEADLINE_MS, fn);
    } catch (err) {
      if (isUnreachable(err)) throw new TemporalUnavailableError(describeError(err));
      throw err;
    }
  }
}

function isUnreachable(err: unknown): boolean {
  for (let e = err as any; e; e = e.cause) {
    if (isGrpcServiceError(e) && UNREACHABLE_CODES.has(e.code)) return true;
    if (typeof e.code === 'number' && UNREACHABLE_CODES.has(e.code) && 'details' in e) return true;
    if (/TransportError|ConnectionError/.test(e.name ?? '') || /ECONNREFUSED|failed to connect/i.test(e.message ?? '')) return true;
  }
  return false;
}

function describeError(err: unknown): string {
  let e = err as any;
  while (e?.cause) e = e.cause;
  return String(e?.details ?? e?.message ?? err).slice(0, 200);
}
