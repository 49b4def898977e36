// The API's only door to Temporal: starting, describing, querying and signalling alert workflows,
// each call bounded by a deadline, with "Temporal is unreachable" turned into one 503 error.
import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  isGrpcServiceError,
  type Client,
  type Connection,
} from '@temporalio/client';
import type { Alert } from '../domain/alert';
import { workflowIdFor } from '../domain/alert';
import type { AlertState } from '../domain/alert-state';
import type { Closure } from '../domain/events';
import { alertWorkflow, dismissSignal, resolveSignal, stateQuery } from '../workflows/alert';
import { HttpError, temporalUnavailable } from './errors';

const CALL_DEADLINE_MS = 5000;
// gRPC status codes meaning "could not reach or hear back from the server".
const UNREACHABLE_CODES = new Set([4 /* DEADLINE_EXCEEDED */, 14 /* UNAVAILABLE */, 1 /* CANCELLED */]);

export type StartResult = { deduplicated: boolean; status: AlertState['status'] };

export class TemporalGateway {
  constructor(
    private readonly client: Client,
    private readonly connection: Connection,
    private readonly taskQueue: string,
  ) {}

  /** Starts the alert's workflow; a running one with the same id is a duplicate, a closed one a conflict. */
  async startAlert(alert: Alert, destinationIds: string[]): Promise<StartResult> {
    const workflowId = workflowIdFor(alert.id);
    try {
      await this.call(() =>
        this.client.workflow.start(alertWorkflow, {
          workflowId,
          taskQueue: this.taskQueue,
          args: [{ alert, destinationIds }],
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
          memo: { title: alert.title },
          staticSummary: `${alert.severity} alert: ${alert.title}`.slice(0, 200),
        }),
      );
      return { deduplicated: false, status: 'triggered' };
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      if (await this.isRunning(workflowId)) return { deduplicated: true, status: (await this.state(alert.id)).status };
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
    const handle = this.client.workflow.getHandle(workflowIdFor(alertId));
    const closed = () => new HttpError(409, 'alert_closed', `alert ${alertId} is already closed`);
    if (!(await this.isRunning(handle.workflowId))) throw closed();
    try {
      await this.call(() => handle.signal(action === 'resolve' ? resolveSignal : dismissSignal, closure));
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw closed(); // it completed between the two calls
      throw err;
    }
  }

  async ping(): Promise<void> {
    await this.call(() => this.connection.workflowService.getSystemInfo({}));
  }

  /** True while the workflow runs; 404 when there is no such alert. */
  private async isRunning(workflowId: string): Promise<boolean> {
    try {
      const description = await this.call(() => this.client.workflow.getHandle(workflowId).describe());
      return description.status.name === 'RUNNING';
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
