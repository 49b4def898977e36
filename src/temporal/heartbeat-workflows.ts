// The API's door to heartbeat workflows (README "Heartbeats"): start one when a heartbeat is
// created, tell it of each ping, and that it was deleted. Calls are bounded as the alerts' are
// (AlertWorkflows.call), so an unreachable Temporal is the API's 503.
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import { heartbeatWorkflowIdFor } from '../domain/heartbeats';
import { heartbeatDeletedSignal, pingSignal, type Ping } from '../workflows/heartbeat/messages';
import { heartbeatWorkflow } from '../workflows/heartbeat/workflow';
import type { AlertWorkflows } from './alert-workflows';

export class HeartbeatWorkflows {
  constructor(private readonly temporal: AlertWorkflows) {}

  private get client() {
    return this.temporal.client;
  }

  /** Starts the heartbeat's workflow; one already running under the name is left as it is. */
  async start(name: string, deadlineAt: string): Promise<void> {
    try {
      await this.temporal.call(() =>
        this.client.workflow.start(heartbeatWorkflow, {
          workflowId: heartbeatWorkflowIdFor(name),
          taskQueue: this.temporal.taskQueue,
          args: [{ name, deadlineAt: Date.parse(deadlineAt) }],
          staticSummary: `heartbeat ${name}`,
        }),
      );
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
  }

  async ping(name: string, ping: Ping): Promise<void> {
    await this.temporal.call(() => this.client.workflow.getHandle(heartbeatWorkflowIdFor(name)).signal(pingSignal, ping));
  }

  /** Tells the workflow its heartbeat is gone; one that already ended has nothing to do. */
  async deleted(name: string): Promise<void> {
    try {
      await this.temporal.call(() => this.client.workflow.getHandle(heartbeatWorkflowIdFor(name)).signal(heartbeatDeletedSignal));
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    }
  }
}
