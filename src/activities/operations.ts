// The operations workflow's one activity (src/workflows/operations/workflow.ts): send one of Herald's
// own events to an operations destination, through the same path as every delivery (its circuit
// included), and say what the workflow does next. Its failures never emit operational events of their
// own: an operations destination's exhausted event is logged, not reported to itself.
import { DEFAULT_RETRY_SCHEDULE, waitBeforeAttempt } from '../domain/schedule';
import type { OperationalDelivery } from '../domain/operational-events';
import type { IncidentRef } from '../destinations/types';
import { sendEvent, type SendDeps } from './send';

export type OperationalAttempt = {
  destinationId: string;
  delivery: OperationalDelivery;
  attempt: number;
  /** The attempt's position in the destination's retry schedule (0-based), and the workflow's draw for jitter. */
  round: number;
  random: number;
  scheduledAt: string;
  incident?: IncidentRef;
};

export type OperationalResult = {
  outcome: 'delivered' | 'retrying' | 'failed' | 'held';
  next_wait_ms?: number;
  held_until?: string;
  incident?: IncidentRef;
};

export function createOperationsActivities(deps: SendDeps) {
  return {
    async deliverOperational(input: OperationalAttempt): Promise<OperationalResult> {
      const { delivery } = input;
      const sent = await sendEvent(deps, {
        // Shared by an outage's events: one PagerDuty dedup key, one incident.io incident.
        workflowId: delivery.subject_key,
        destinationId: input.destinationId,
        deliveryId: delivery.delivery_id,
        attempt: input.attempt,
        event: delivery.event,
        applyFilters: false,
        ...(input.incident && { incident: input.incident }),
        circuit: { at: input.scheduledAt },
      });
      if (sent.waiting) return { outcome: 'held', held_until: sent.waiting.until };
      if (!('outcome' in sent)) return { outcome: 'delivered' }; // neither filters nor mute windows apply here
      const { outcome } = sent;
      if (outcome.ok) return { outcome: 'delivered', ...(outcome.incident && { incident: outcome.incident }) };
      const schedule = (await deps.destinations.get(input.destinationId))?.retry_schedule ?? DEFAULT_RETRY_SCHEDULE;
      const wait = outcome.permanent ? undefined : waitBeforeAttempt(schedule, input.round + 1, input.random, outcome.retry_after_s);
      if (wait === undefined) {
        deps.logger.warn({ destination_id: input.destinationId, event_type: delivery.event.event_type, delivery_id: delivery.delivery_id, error: outcome.error }, 'operational event not delivered: its schedule is exhausted');
        return { outcome: 'failed' };
      }
      return { outcome: 'retrying', next_wait_ms: wait };
    },
  };
}
