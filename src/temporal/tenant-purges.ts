// The API's door to tenant purges (README "Serving your customers"): DELETE of a tenant that owns rows
// starts its purge workflow (src/workflows/tenant/purge.ts). Bounded as the alerts' calls are, so an
// unreachable Temporal is the API's 503, and DELETE again is safe.
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { tenantPurgeWorkflow } from '../workflows/tenant/purge';
import type { AlertWorkflows } from './alert-workflows';

export const tenantPurgeWorkflowIdFor = (tenant: string) => `tenant-purge:${tenant}`;

export class TenantPurges {
  constructor(private readonly temporal: AlertWorkflows) {}

  /** Starts the tenant's purge; one already running is left as it is. */
  async start(tenant: string): Promise<void> {
    try {
      await this.temporal.call(() =>
        this.temporal.client.workflow.start(tenantPurgeWorkflow, {
          workflowId: tenantPurgeWorkflowIdFor(tenant),
          taskQueue: this.temporal.taskQueue,
          args: [{ tenant }],
          staticSummary: `purge of tenant ${tenant}`,
        }),
      );
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
  }
}
