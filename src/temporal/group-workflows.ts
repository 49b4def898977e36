// The workers' door to group workflows (README "Grouping"): a member joined or left, so the key's
// workflow is started if it is not running and told to look again. Signal-with-start makes that
// one call, safe to repeat; a finished workflow's id starts a new run (the key's next episode).
import type { Client } from '@temporalio/client';
import { groupWorkflowIdFor } from '../domain/grouping';
import type { GroupSignals } from '../activities/groups';
import { membersChangedSignal } from '../workflows/group/messages';
import { groupWorkflow } from '../workflows/group/workflow';
import { HeraldGroups } from './search-attributes';

export class GroupWorkflows implements GroupSignals {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
  ) {}

  async membersChanged(keyId: string): Promise<void> {
    await this.client.workflow.signalWithStart(groupWorkflow, {
      workflowId: groupWorkflowIdFor(keyId),
      taskQueue: this.taskQueue,
      args: [{ keyId }],
      signal: membersChangedSignal,
      signalArgs: [],
      staticSummary: `alert group ${keyId}`,
      typedSearchAttributes: [{ key: HeraldGroups, value: [keyId] }],
    });
  }
}
