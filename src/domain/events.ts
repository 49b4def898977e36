// The outbound event a destination receives (README "What a webhook receiver gets"). Pure and free
// of Node imports: the store builds each event's body with it once, when the API accepts the event, so
// every lane of one alert sends the same document (the first workflow version builds them in its own code).
import type { Alert, AlertStatus, CloseAction } from './alert';

export type EventType = 'alert.triggered' | 'alert.updated' | 'alert.resolved' | 'alert.dismissed' | 'alert.expired' | 'test';

/** The event each way of closing an alert sends. */
export const CLOSING_EVENT_TYPES = { resolve: 'alert.resolved', dismiss: 'alert.dismissed', expire: 'alert.expired' } as const satisfies Record<CloseAction, EventType>;

/** Who closed an alert and why; `end_timestamp` is the end of the anomalous period, when the source knows it. */
export type Closure = { by?: string; reason?: string; end_timestamp?: string };

export type OutboundEvent = {
  event_type: EventType;
  occurred_at: string;
  alert: {
    id: string;
    rule_name: string;
    alert_type: string;
    status: AlertStatus | 'test';
    title: string;
    description?: string;
    severity: string;
    labels: Record<string, string>;
    created_at: string;
    closed_by?: string;
    close_reason?: string;
    end_timestamp?: string;
  };
  event: Alert['event'];
  links: Record<string, string>;
};

export function buildOutboundEvent(
  alert: Alert,
  eventType: EventType,
  occurredAt: Date,
  closure?: Closure,
): OutboundEvent {
  const status = statusFor(eventType);
  // Fields the source sent beyond the known ones travel along inside `alert`.
  const { id, title, description, severity, rule_name, alert_type, labels, event, links, created_at, ...extra } = alert;
  return {
    event_type: eventType,
    occurred_at: occurredAt.toISOString(),
    alert: {
      ...extra,
      id: alert.id,
      rule_name: alert.rule_name ?? alert.title,
      alert_type: alert.alert_type ?? alert.event.type,
      status,
      title: alert.title,
      ...(alert.description !== undefined && { description: alert.description }),
      severity: alert.severity,
      labels: alert.labels,
      created_at: alert.created_at,
      ...(closure?.by !== undefined && { closed_by: closure.by }),
      ...(closure?.reason !== undefined && { close_reason: closure.reason }),
      ...(closure?.end_timestamp !== undefined && { end_timestamp: closure.end_timestamp }),
    },
    event: alert.event,
    links: alert.links,
  };
}

function statusFor(eventType: EventType): OutboundEvent['alert']['status'] {
  switch (eventType) {
    case 'alert.triggered':
    case 'alert.updated':
      return 'triggered';
    case 'alert.expired':
      return 'expired';
    case 'alert.resolved':
      return 'resolved';
    case 'alert.dismissed':
      return 'dismissed';
    case 'test':
      return 'test';
  }
}
