// Herald's own span attributes, one name each, so the API, the attempt and the README say the same.
import { trace, type Attributes } from '@opentelemetry/api';
import { workflowIdFor } from '../domain/alert';

export const HERALD_ATTRIBUTES = {
  alertId: 'herald.alert.id',
  workflowId: 'herald.workflow.id',
  destinationId: 'herald.destination.id',
  destinationType: 'herald.destination.type',
  attempt: 'herald.attempt',
  eventType: 'herald.event.type',
  deliveryId: 'herald.delivery.id',
  /** What came of an attempt: delivered, retrying, failed, filtered, held, muted… */
  outcome: 'herald.outcome',
} as const;

/** The alert an API request or an activity acts on, on the span that is active (none: nothing happens). */
export function annotateAlert(alertId: string): void {
  trace.getActiveSpan()?.setAttributes({ [HERALD_ATTRIBUTES.alertId]: alertId, [HERALD_ATTRIBUTES.workflowId]: workflowIdFor(alertId) } satisfies Attributes);
}
