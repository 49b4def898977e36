// The API's only door to Temporal: starting, describing, querying and signalling alert workflows,
// each call bounded by a deadline, with "Temporal is unreachable" turned into one 503 error.
import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  isGrpcServiceError,
  type Client,
  type Connection,
  type WorkflowExecutionDescription,
} from '@temporalio/client';
import { defaultPayloadConverter, type Payload, type PayloadCodec } from '@temporalio/common';
import type { Alert, AlertUpdate } from '../domain/alert';
import type { SignalDefinition } from '@temporalio/common';
import { workflowIdFor } from '../domain/alert';
import type { AlertState } from '../domain/alert-state';
import type { Closure } from '../domain/events';
import { alertWorkflow, dismissSignal, redeliverSignal, resolveSignal, stateQuery, updateSignal } from '../workflows/alert';
import { HttpError, temporalUnavailable } from './errors';
import { HeraldStatus } from '../temporal/search-attributes';

const CALL_DEADLINE_MS = 5000;
// gRPC status codes meaning "could not reach or hear back from the server".
const UNREACHABLE_CODES = new Set([4 /* DEADLINE_EXCEEDED */, 14 /* UNAVAILABLE */, 1 /* CANCELLED */]);

export type AlertFilter = {
  status?: string;
  event_type?: string;
  severity?: string;
  destination?: string;
  delivery_state?: string;
  asset?: string;
};

const FILTER_ATTRIBUTES: Record<keyof AlertFilter, string> = {
  status: 'HeraldStatus',
  event_type: 'HeraldEventType',
  severity: 'HeraldSeverity',
  destination: 'HeraldDestinations',
  delivery_state: 'HeraldDeliveryState',
  asset: 'HeraldAsset',
};

export type AlertPage = { data: Record<string, unknown>[]; next_page_token?: string };

function timestampToIso(ts: { seconds?: unknown; nanos?: number | null } | null | undefined): string | undefined {
  if (!ts?.seconds) return undefined;
  return new Date(Number(ts.seconds) * 1000 + Math.floor((ts.nanos ?? 0) / 1e6)).toISOString();
}

export type StartResult = { deduplicated: boolean; status: AlertState['status'] };

export class TemporalGateway {
  constructor(
    private readonly client: Client,
    private readonly connection: Connection,
    private readonly taskQueue: string,
    private readonly alertMaxLifetimeMs: number,
    /** Decodes memos read straight from visibility when payloads are encrypted. */
    private readonly codec?: PayloadCodec,
  ) {}

  /** Starts the alert's workflow; a running one with the same id is a duplicate, a closed one a conflict. */
  async startAlert(alert: Alert, destinationIds: string[]): Promise<StartResult> {
    const workflowId = workflowIdFor(alert.id);
    try {
      await this.call(() =>
        this.client.workflow.start(alertWorkflow, {
          workflowId,
          taskQueue: this.taskQueue,
          args: [{ alert, destinationIds, maxLifetimeMs: this.alertMaxLifetimeMs }],
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
          memo: { title: alert.title },
          staticSummary: `${alert.severity} alert: ${alert.title}`.slice(0, 200),
        }),
      );
      return { deduplicated: false, status: 'triggered' };
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      // Open: the same alert again. Closed (even while a failed lane may still be redelivered): a conflict.
      if (await this.isOpen(alert.id)) return { deduplicated: true, status: 'triggered' };
      throw new HttpError(409, 'alert_closed', `alert ${alert.id} is already closed; send a new alert with another id`);
    }
  }

  /** The alert's state: the live query while it runs, the workflow's result once it completed. */
  async state(alertId: string): Promise<AlertState> {
    const handle = this.client.workflow.getHandle(workflowIdFor(alertId));
    if (!(await this.isRunning(handle.workflowId))) return this.call(() => handle.result());
    try {
      return await this.connection.withDeadline(Date.now() + CALL_DEADLINE_MS, () => handle.query(stateQuery));
    } catch (err) {
      // Temporal answered the describe a moment ago, so a query that fails is a worker that did not answer.
      throw new HttpError(
        503,
        'worker_unavailable',
        `no Herald worker answered for alert ${alertId} on task queue "${this.taskQueue}" (${describeError(err)}); retry later`,
        undefined,
        { 'Retry-After': '5' },
      );
    }
  }

  async close(alertId: string, action: 'resolve' | 'dismiss', closure: Closure): Promise<void> {
    await this.signalOpenAlert(alertId, action === 'resolve' ? resolveSignal : dismissSignal, closure);
  }

  async update(alertId: string, update: AlertUpdate): Promise<void> {
    await this.signalOpenAlert(alertId, updateSignal, update);
  }

  /** Manual retry of a destination's failed lane: 404 when the alert never went there, 409 when nothing failed. */
  async redeliver(alertId: string, destinationId: string, by?: string): Promise<void> {
    const lane = (await this.state(alertId)).destinations.find((d) => d.destination_id === destinationId);
    if (!lane) throw new HttpError(404, 'delivery_not_found', `alert ${alertId} was not routed to destination ${destinationId}`);
    if (lane.state !== 'failed') throw new HttpError(409, 'not_failed', `the delivery to ${destinationId} is ${lane.state}, not failed`);
    await this.signal(alertId, redeliverSignal, { destination_id: destinationId, ...(by && { by }) });
  }

  /** Signals an open alert; 404 when there is no such alert, 409 once it is closed. */
  private async signalOpenAlert<T>(alertId: string, definition: SignalDefinition<[T]>, arg: T): Promise<void> {
    if (!(await this.isOpen(alertId))) throw this.closed(alertId);
    await this.signal(alertId, definition, arg);
  }

  /**
   * Whether the alert is still triggered, from the server alone (describe: run status and the
   * HeraldStatus search attribute), never from a query: a resolve must be accepted while every
   * worker is down or busy, since signals wait durably for one. A close the workflow has not yet
   * processed still reads as open; the workflow ignores the second close.
   */
  private async isOpen(alertId: string): Promise<boolean> {
    const description = await this.describe(workflowIdFor(alertId));
    if (description.status.name !== 'RUNNING') return false;
    const status = description.typedSearchAttributes.get(HeraldStatus);
    return status === undefined || status === 'triggered'; // unset until the first workflow task ran
  }

  /** The caller has just read the alert's state; a workflow that completed since is a 409. */
  private async signal<T>(alertId: string, definition: SignalDefinition<[T]>, arg: T): Promise<void> {
    try {
      await this.call(() => this.client.workflow.getHandle(workflowIdFor(alertId)).signal(definition, arg));
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw this.closed(alertId);
      throw err;
    }
  }

  private closed(alertId: string): HttpError {
    return new HttpError(409, 'alert_closed', `alert ${alertId} is already closed`);
  }

  /** One page of alerts from Temporal visibility, filtered on Herald's search attributes. */
  async listAlerts(filter: AlertFilter, pageSize: number, pageToken?: string): Promise<AlertPage> {
    const clauses = [this.ownAlerts()];
    for (const [field, attribute] of Object.entries(FILTER_ATTRIBUTES)) {
      const value = filter[field as keyof AlertFilter];
      if (value !== undefined) clauses.push(`${attribute} = '${value.replace(/['\\]/g, '\\$&')}'`);
    }
    const response = await this.call(() =>
      this.connection.workflowService.listWorkflowExecutions({
        namespace: this.client.options.namespace,
        pageSize,
        query: clauses.join(' AND '), // newest first is the servers' default order; SQLite visibility refuses ORDER BY
        ...(pageToken && { nextPageToken: Buffer.from(pageToken, 'base64url') }),
      }),
    );
    const decode = (payload: unknown) => (payload ? defaultPayloadConverter.fromPayload(payload as Payload) : undefined);
    const decodeMemo = async (payload: unknown) => (payload && this.codec ? decode((await this.codec.decode([payload as Payload]))[0]) : decode(payload));
    const data = await Promise.all((response.executions ?? []).map(async (execution) => {
      const attributes = execution.searchAttributes?.indexedFields ?? {};
      const workflowId = execution.execution?.workflowId ?? '';
      return {
        id: workflowId.replace(/^alert:/, ''),
        workflow_id: workflowId,
        title: (await decodeMemo(execution.memo?.fields?.title)) as string | undefined,
        status: decode(attributes.HeraldStatus) as string | undefined,
        delivery_state: decode(attributes.HeraldDeliveryState) as string | undefined,
        severity: decode(attributes.HeraldSeverity) as string | undefined,
        event_type: decode(attributes.HeraldEventType) as string | undefined,
        asset: decode(attributes.HeraldAsset) as string | undefined,
        destinations: (decode(attributes.HeraldDestinations) as string[] | undefined) ?? [],
        started_at: timestampToIso(execution.startTime),
        closed_at: timestampToIso(execution.closeTime),
      };
    }));
    const next = response.nextPageToken && response.nextPageToken.length > 0 ? Buffer.from(response.nextPageToken).toString('base64url') : undefined;
    return { data, ...(next && { next_page_token: next }) };
  }

  /** This Herald's alerts: a namespace may hold other Heralds (another task queue) and other workflows. */
  private ownAlerts(): string {
    return `WorkflowType = 'alertWorkflow' AND TaskQueue = '${this.taskQueue.replace(/['\\]/g, '\\$&')}'`;
  }

  /** Alert counts for the metrics gauges, from visibility. */
  async countAlerts(): Promise<{ open: number; failed: number; retrying: number }> {
    const count = async (where: string) => {
      const response = await this.call(() =>
        this.connection.workflowService.countWorkflowExecutions({ namespace: this.client.options.namespace, query: `${this.ownAlerts()} AND ${where}` }),
      );
      return Number(response.count ?? 0);
    };
    const [open, failed, retrying] = await Promise.all([
      count(`HeraldStatus = 'triggered'`),
      count(`HeraldDeliveryState = 'failed'`),
      count(`HeraldDeliveryState = 'retrying'`),
    ]);
    return { open, failed, retrying };
  }

  async ping(): Promise<void> {
    await this.call(() => this.connection.workflowService.getSystemInfo({}));
  }

  /** True while the workflow runs; 404 when there is no such alert. */
  private async isRunning(workflowId: string): Promise<boolean> {
    return (await this.describe(workflowId)).status.name === 'RUNNING';
  }

  /** The workflow's description; 404 when there is no such alert. */
  private async describe(workflowId: string): Promise<WorkflowExecutionDescription> {
    try {
      return await this.call(() => this.client.workflow.getHandle(workflowId).describe());
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) {
        throw new HttpError(404, 'alert_not_found', `no alert with id ${workflowId.replace(/^alert:/, '')}`);
      }
      throw err;
    }
  }

  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await this.connection.withDeadline(Date.now() + CALL_DEADLINE_MS, fn);
    } catch (err) {
      if (isUnreachable(err)) throw temporalUnavailable(describeError(err));
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
