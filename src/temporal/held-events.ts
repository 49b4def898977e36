// Telling held events that what holds them may have let go (README "Mute windows", "Circuit
// breaker"): after a mute window was edited (the API) or a destination's circuit closed (a worker),
// every alert and group with a held event (for that destination, or any) is signalled to judge it
// again now. Held events are few (one per lane at most); one that is not told looks again at its own
// time (the window's end, the circuit's backstop), so a lost signal delays, it never loses.
import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/client';
import { workflowIdFor } from '../domain/alert';
import { groupWorkflowIdFor } from '../domain/grouping';
import type { AlertStore } from '../store/alerts';
import type { GroupStore } from '../store/groups';
import { runInKeyedChains } from '../concurrency';
import { releaseHeldSignal } from '../workflows/alert/messages';

export type SignalReleaseHeld = (workflowIds: readonly string[]) => Promise<void>;

export class HeldEvents {
  constructor(
    private readonly alerts: AlertStore,
    private readonly groups: GroupStore,
    private readonly taskQueue: string,
    private readonly signal: SignalReleaseHeld,
  ) {}

  /** Signals every workflow with an event held for `destinationId` (every destination when absent). */
  async release(destinationId?: string): Promise<number> {
    const alerts = await this.alerts.heldEvents(this.taskQueue, destinationId);
    const groups = await this.groups.heldEvents(destinationId);
    const ids = [...alerts.map(workflowIdFor), ...groups.map(groupWorkflowIdFor)];
    await this.signal(ids);
    return ids.length;
  }
}

/** Signals in flight at once: a closed circuit may release hundreds of lanes. */
const SIGNAL_CONCURRENCY = 16;

/**
 * Signals `releaseHeld` to each workflow, 16 at a time; one that has ended holds nothing. `through`
 * wraps each call (the API's adds its deadline); the worker signals straight through its client.
 */
export function signalThrough(client: Client, through: (send: () => Promise<void>) => Promise<void> = (send) => send()): SignalReleaseHeld {
  return (workflowIds) =>
    runInKeyedChains(workflowIds, SIGNAL_CONCURRENCY, (id) => id, async (workflowId) => {
      try {
        await through(() => client.workflow.getHandle(workflowId).signal(releaseHeldSignal));
      } catch (err) {
        if (!(err instanceof WorkflowNotFoundError)) throw err;
      }
    });
}
