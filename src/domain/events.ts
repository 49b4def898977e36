// The outbound event a destination receives (README "What a webhook receiver gets"). Pure and free
// of Node imports: the store builds each event's body with it once, when the API accepts the event, so
// every lane of one alert sends the same document (the first workflow version builds them in its own code).
import type { AckAction, AckMark, Alert, AlertStatus, CloseAction } from './alert';
import type { OperationalEventType } from './operational-events';

export type AlertEventType =
  | 'alert.triggered'
  | 'alert.updated'
  | 'alert.acknowledged'
  | 'alert.unacknowledged'
  | 'alert.escalated'
  | 'alert.resolved'
  | 'alert.dismissed'
  | 'alert.expired';
/** A group's notifications (README "Grouping"): its first, each change or repeat, and its end. */
export type GroupEventType = 'group.triggered' | 'group.updated' | 'group.resolved';
export type EventType = AlertEventType | GroupEventType | OperationalEventType | 'test';

/**
 * What an event asks of a destination that keeps state (an incident): open it, bring it up to date,
 * say somebody is on it (or no longer), or close it.
 */
export type EventKind = 'open' | 'update' | 'acknowledge' | 'unacknowledge' | 'close';

export function eventKind(eventType: EventType): EventKind {
  switch (eventType) {
    case 'alert.triggered':
    case 'group.triggered':
    case 'destination.circuit_opened':
    case 'delivery.exhausted':
    case 'test':
      return 'open';
    case 'alert.updated':
    case 'alert.escalated': // a reminder: an incident is brought up to date, a chat gets a new message
    case 'group.updated':
    case 'destination.disabled':
      return 'update';
    case 'alert.acknowledged':
      return 'acknowledge';
    case 'alert.unacknowledged':
      return 'unacknowledge';
    default:
      return 'close';
  }
}

/** The event each acknowledgement action sends. */
export const ACK_EVENT_TYPES = { acknowledge: 'alert.acknowledged', unacknowledge: 'alert.unacknowledged' } as const satisfies Record<AckAction, EventType>;

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
    /** Set while the alert is acknowledged: who, when, and until when (README "Acknowledge"). */
    acknowledged_by?: string;
    acknowledged_at?: string;
    acknowledged_until?: string;
    /** On `alert.unacknowledged`: who took the acknowledgement back (`ack-timeout` when its time ran out). */
    unacknowledged_by?: string;
  };
  event: Alert['event'];
  links: Record<string, string>;
  /**
   * One-click action links to Herald (README "Action links"), added as the event goes out when
   * HERALD_PUBLIC_URL is set: `acknowledge` while the alert is not acknowledged, `resolve` while open.
   */
  actions?: { acknowledge?: string; resolve?: string };
  /** On `alert.escalated`: the step of the alert's escalation policy that reminds this destination (README "Escalation policies"). */
  escalation?: EscalationSection;
  /** Set on group events: the group and the alerts in it (the `alert` above then describes the group). */
  group?: GroupSection;
  /**
   * Set when the acknowledgement or close came from a provider's webhook (README "Provider webhooks
   * in"): the destinations whose incident it happened in, which are not sent it back.
   */
  origin?: EventOrigin;
};

export type EventOrigin = { provider: 'pagerduty' | 'incident_io'; destination_ids: string[] };

/** `step` is 1-based; `repeat` 0 in the steps' first run. */
export type EscalationSection = { policy_id: string; policy_name: string; step: number; repeat: number };

/** One alert as a group notification lists it. */
export type GroupedAlert = {
  id: string;
  title: string;
  severity: string;
  status: string;
  labels: Record<string, string>;
  asset?: string;
  created_at: string;
};

export type GroupSection = {
  id: string;
  /** The values of the policy's `by` fields that every alert in the group shares. */
  key: Record<string, string>;
  reason: 'group_wait' | 'group_interval' | 'repeat_interval' | 'resolved';
  firing_count: number;
  /** Alerts that resolved since the group's previous notification. */
  resolved_count: number;
  /** At most GROUP_LIST_LIMIT of each, oldest first; the counts say how many there are. */
  alerts: GroupedAlert[];
  resolved_alerts: GroupedAlert[];
  truncated: boolean;
};

/** How many alerts of each list a group notification carries: a 5 000-alert group stays a small request. */
export const GROUP_LIST_LIMIT = 100;

/**
 * One event's body. `ack` is the alert's newest acknowledgement mark, if it has one: an event of an
 * acknowledged alert says who is on it.
 */
export function buildOutboundEvent(
  alert: Alert,
  eventType: AlertEventType | 'test',
  occurredAt: Date,
  closure?: Closure,
  ack?: AckMark,
): OutboundEvent {
  // A closed alert is no longer anybody's to be on.
  const acknowledged = ack?.action === 'acknowledge' && eventType !== 'test' && eventKind(eventType) !== 'close' ? ack : undefined;
  const status = acknowledged ? 'acknowledged' : statusFor(eventType);
  // Fields the source sent beyond the known ones travel along inside `alert`; auto-resolve is Herald's own setting.
  const { id, title, description, severity, rule_name, alert_type, labels, event, links, created_at, auto_resolve_after_s: _setting, ...extra } = alert;
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
      ...(acknowledged && { ...(acknowledged.by !== undefined && { acknowledged_by: acknowledged.by }), acknowledged_at: acknowledged.at, ...(acknowledged.until !== undefined && { acknowledged_until: acknowledged.until }) }),
      ...(eventType === 'alert.unacknowledged' && ack?.action === 'unacknowledge' && ack.by !== undefined && { unacknowledged_by: ack.by }),
    },
    event: alert.event,
    links: alert.links,
  };
}

/** What each event is called where a message leads with it (Discord's embed title, an email's first line). */
export const EVENT_HEADLINES: Record<EventType, string> = {
  'alert.triggered': 'Alert',
  'alert.updated': 'Updated',
  'alert.acknowledged': 'Acknowledged',
  'alert.unacknowledged': 'No longer acknowledged',
  'alert.escalated': 'Still unacknowledged',
  'alert.expired': 'Expired',
  'alert.resolved': 'Resolved',
  'alert.dismissed': 'Dismissed',
  'group.triggered': 'Alerts',
  'group.updated': 'Alerts',
  'group.resolved': 'Resolved',
  'destination.circuit_opened': 'Herald',
  'destination.circuit_closed': 'Herald',
  'destination.disabled': 'Herald',
  'delivery.exhausted': 'Herald',
  test: 'Test from Herald',
};

/** An event's action links with the words chat messages and incidents show them under. */
export function actionLinks(actions: NonNullable<OutboundEvent['actions']>): [string, string][] {
  return [
    ...(actions.acknowledge ? [['Acknowledge', actions.acknowledge] as [string, string]] : []),
    ...(actions.resolve ? [['Resolve', actions.resolve] as [string, string]] : []),
  ];
}

/** An escalation reminder as chat messages show it, e.g. `step 2 of "Primary on-call", repeat 1`. */
export const escalationWords = (e: EscalationSection): string => `step ${e.step} of "${e.policy_name}"${e.repeat > 0 ? `, repeat ${e.repeat}` : ''}`;

/** Who did what the event says (closed, acknowledged, took the acknowledgement back), if known: chat messages show it. */
export function eventActor(event: OutboundEvent): string | undefined {
  switch (eventKind(event.event_type)) {
    case 'close':
      return event.alert.closed_by;
    case 'acknowledge':
      return event.alert.acknowledged_by;
    case 'unacknowledge':
      return event.alert.unacknowledged_by;
    default:
      return undefined;
  }
}

function statusFor(eventType: AlertEventType | 'test'): OutboundEvent['alert']['status'] {
  switch (eventType) {
    case 'alert.triggered':
    case 'alert.updated':
    case 'alert.unacknowledged':
    case 'alert.escalated':
      return 'triggered';
    case 'alert.acknowledged':
      return 'acknowledged';
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
