// Alerts started before the read model (workflow type `alertWorkflow`, workflows/legacy/alert-v1.ts)
// have no rows in the store: they are read through that workflow's query and take its signals, as
// they did when they started. Delete with that workflow once none runs (docs/architecture.md, "Versions").
import { workflowIdFor, type AlertUpdate } from '../domain/alert';
import { AlertClosedError, AlertNotFoundError, NotRedeliverableError } from '../domain/alert-errors';
import type { Closure } from '../domain/events';
import { WorkflowEndedError, type AlertWorkflows } from '../temporal/alert-workflows';
import { dismissSignal, redeliverSignal, resolveSignal, stateQuery, updateSignal } from '../workflows/legacy/alert-v1';
import type { LegacyAlertState } from '../workflows/legacy/alert-v1-state';

const LEGACY_TYPE = 'alertWorkflow';
type WorkflowHandle = ReturnType<AlertWorkflows['client']['workflow']['getHandle']>;
const QUERY_DEADLINE_MS = 5000;

export class WorkerUnavailableError extends Error {}

export class LegacyAlerts {
  constructor(private readonly workflows: AlertWorkflows) {}

  /** Whether the alert runs on the first workflow version; false when no workflow of that type exists. */
  async owns(alertId: string): Promise<boolean> {
    return (await this.workflows.describe(alertId))?.type === LEGACY_TYPE;
  }

  async get(alertId: string): Promise<LegacyAlertState> {
    const description = await this.workflows.describe(alertId);
    if (description?.type !== LEGACY_TYPE) throw new AlertNotFoundError(alertId);
    const handle = this.workflows.client.workflow.getHandle(workflowIdFor(alertId));
    if (!description.running) {
      try {
        return await handle.result();
      } catch {
        // Terminated, failed or timed out: no result to read, only how it ended.
        const termination = await this.workflows.termination(alertId);
        return { id: alertId, workflow_id: workflowIdFor(alertId), status: 'terminated', ...(termination && { termination }), alert: { id: alertId } as never, delivery_state: 'pending', destinations: [], skipped_destinations: [] };
      }
    }
    try {
      return await Promise.race([
        handle.query(stateQuery),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no answer in 5 s')), QUERY_DEADLINE_MS).unref()),
      ]);
    } catch (err) {
      throw new WorkerUnavailableError(`no Herald worker answered for alert ${alertId} on task queue "${this.workflows.taskQueue}" (${(err as Error).message}); retry later`);
    }
  }

  async update(alertId: string, update: AlertUpdate): Promise<void> {
    await this.signalOpen(alertId, (h) => h.signal(updateSignal, update));
  }

  async close(alertId: string, action: 'resolve' | 'dismiss', closure: Closure): Promise<void> {
    await this.signalOpen(alertId, (h) => h.signal(action === 'resolve' ? resolveSignal : dismissSignal, closure));
  }

  async redeliver(alertId: string, destinationId: string, by?: string): Promise<void> {
    const state = await this.get(alertId);
    const lane = state.destinations.find((d) => d.destination_id === destinationId);
    if (!lane) throw new NotRedeliverableError('not_routed', `alert ${alertId} was not routed to destination ${destinationId}`);
    if (lane.state !== 'failed') throw new NotRedeliverableError('not_failed', `the delivery to ${destinationId} is ${lane.state}, not failed`);
    await this.send(alertId, state.status, (h) => h.signal(redeliverSignal, { destination_id: destinationId, ...(by && { by }) }));
  }

  /**
   * Signals an open alert. Whether it is open comes from the server alone (describe: run status and
   * the HeraldStatus search attribute), never a query, so news is accepted while every worker is
   * down: the signal waits durably for one.
   */
  private async signalOpen(alertId: string, send: (handle: WorkflowHandle) => Promise<void>): Promise<void> {
    const description = await this.workflows.describe(alertId);
    if (description?.type !== LEGACY_TYPE) throw new AlertNotFoundError(alertId);
    const status = description.running ? (description.heraldStatus ?? 'triggered') : 'closed';
    if (status !== 'triggered') throw new AlertClosedError(alertId, status);
    await this.send(alertId, status, send);
  }

  private async send(alertId: string, status: string, send: (handle: WorkflowHandle) => Promise<void>): Promise<void> {
    try {
      await this.workflows.signal(alertId, () => send(this.workflows.client.workflow.getHandle(workflowIdFor(alertId))));
    } catch (err) {
      if (err instanceof WorkflowEndedError) throw new AlertClosedError(alertId, status);
      throw err;
    }
  }
}
