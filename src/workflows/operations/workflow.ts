// One operations destination's queue of Herald's own events (README "Operational events"): each is
// sent in the order it was emitted, retried on the destination's schedule with durable timers, and
// waits (without using its schedule) while that destination's own circuit is open. The run ends after
// an idle hour; the next event starts it again (signal-with-start). Continue-as-new keeps it bounded.
import { condition, continueAsNew, proxyActivities, setHandler, sleep, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { eventKind } from '../../domain/events';
import type { OperationalDelivery } from '../../domain/operational-events';
import { operationalEventSignal, type OperationsInput } from './messages';

const IDLE = '1 hour';
const EVENTS_PER_RUN = 200;

const { deliverOperational } = proxyActivities<Activities>({ startToCloseTimeout: '65s', retry: { initialInterval: '1s', maximumInterval: '1m' } });

export async function operationsWorkflow(input: OperationsInput): Promise<void> {
  const queue = [...input.pending];
  const incidents = { ...input.incidents };
  setHandler(operationalEventSignal, (delivery) => {
    // The same fact emitted twice (a retried activity) is sent once.
    if (!queue.some((q) => q.delivery_id === delivery.delivery_id)) queue.push(delivery);
  });
  for (let sent = 0; ; sent++) {
    if (queue.length === 0 && !(await condition(() => queue.length > 0, IDLE))) return;
    if (sent >= EVENTS_PER_RUN || workflowInfo().continueAsNewSuggested) {
      await continueAsNew<typeof operationsWorkflow>({ destinationId: input.destinationId, pending: queue, incidents });
    }
    const delivery = queue[0]!;
    await deliverInTurn(delivery);
    queue.shift();
  }

  async function deliverInTurn(delivery: OperationalDelivery): Promise<void> {
    const closing = eventKind(delivery.event.event_type) === 'close';
    for (let attempt = 1, round = 0; ; ) {
      const incident = incidents[delivery.subject_key];
      const result = await deliverOperational({
        destinationId: input.destinationId,
        delivery,
        attempt,
        round,
        random: Math.random(),
        scheduledAt: new Date().toISOString(),
        ...(incident && { incident }),
      });
      if (result.incident && !closing) incidents[delivery.subject_key] = result.incident;
      if (result.outcome === 'delivered' || result.outcome === 'failed') {
        if (closing) delete incidents[delivery.subject_key];
        return;
      }
      if (result.outcome === 'held') {
        await sleep(Math.max(1000, Date.parse(result.held_until!) - Date.now()));
        continue; // the open circuit's wait uses up nothing
      }
      await sleep(result.next_wait_ms!);
      attempt += 1;
      round += 1;
    }
  }
}
