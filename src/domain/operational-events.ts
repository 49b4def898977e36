// Herald's own events about its destinations (README "Operational events"): a circuit opened or
// closed, a destination disabled, an event that failed its whole schedule. They go to the
// destinations HERALD_OPERATIONS_DESTINATIONS names, shaped like any outbound event (so a webhook
// gets them signed, Slack as a message, PagerDuty and incident.io as an incident that the closing
// event resolves). Pure: the activities build them, a workflow per operations destination sends them.
import type { OutboundEvent } from './events';

export const OPERATIONAL_EVENT_TYPES = ['destination.circuit_opened', 'destination.circuit_closed', 'destination.disabled', 'delivery.exhausted'] as const;
export type OperationalEventType = (typeof OPERATIONAL_EVENT_TYPES)[number];

export type OperationalSubject = { id: string; name: string; type: string };

export type OperationalFacts =
  | { type: 'destination.circuit_opened' | 'destination.circuit_closed' | 'destination.disabled'; outage_since: string; last_error?: string; consecutive_failures?: number; reason?: string }
  | { type: 'delivery.exhausted'; alert_id: string; event_type: string; delivery_id: string; attempts: number; error?: string };

/** One operational event to send, and the key its opening and closing events share (one incident per outage). */
export type OperationalDelivery = {
  /** The delivery id receivers deduplicate by (webhook-id): the same fact always has the same one. */
  delivery_id: string;
  /** Events of one outage share it: the PagerDuty dedup key, the incident.io incident. */
  subject_key: string;
  event: OutboundEvent;
};

const TITLES: Record<OperationalEventType, (name: string) => string> = {
  'destination.circuit_opened': (name) => `Deliveries to "${name}" are failing: its circuit is open`,
  'destination.circuit_closed': (name) => `Deliveries to "${name}" work again: its circuit closed`,
  'destination.disabled': (name) => `Destination "${name}" was disabled after a long outage`,
  'delivery.exhausted': (name) => `An event to "${name}" failed every attempt`,
};

export function operationalDelivery(subject: OperationalSubject, facts: OperationalFacts, at: Date, links: Record<string, string> = {}): OperationalDelivery {
  const outageKey = 'outage_since' in facts ? `${subject.id}/${facts.outage_since}` : undefined;
  const subjectKey = outageKey ? `herald-operations/outage/${outageKey}` : `herald-operations/exhausted/${(facts as { delivery_id: string }).delivery_id}`;
  const closing = facts.type === 'destination.circuit_closed';
  const { type, ...details } = facts;
  // Each fact happens once per outage (or per exhausted delivery): its type and subject name it.
  const deliveryId = `op_${stableHash(`${type}\n${subjectKey}`)}`;
  return {
    delivery_id: deliveryId,
    subject_key: subjectKey,
    event: {
      event_type: type,
      occurred_at: at.toISOString(),
      alert: {
        id: outageKey ? `herald.outage.${subject.id}` : `herald.exhausted.${(facts as { delivery_id: string }).delivery_id}`,
        rule_name: 'Herald operations',
        alert_type: type,
        status: closing ? 'resolved' : 'triggered',
        title: TITLES[type](subject.name),
        ...('last_error' in facts && facts.last_error && { description: `Last error: ${facts.last_error}` }),
        ...('error' in facts && facts.error && { description: `Last error: ${facts.error}` }),
        severity: closing ? 'info' : type === 'delivery.exhausted' ? 'warning' : 'error',
        labels: { herald_destination_id: subject.id, herald_destination_name: subject.name, herald_destination_type: subject.type },
        created_at: 'outage_since' in facts ? facts.outage_since : at.toISOString(),
      },
      event: { type, details: { destination: subject, ...details } },
      links,
    },
  };
}

/** FNV-1a, 64 bits as hex: a short stable id. */
function stableHash(text: string): string {
  let hash = 0xcbf29ce484222325n;
  for (let i = 0; i < text.length; i++) {
    hash ^= BigInt(text.charCodeAt(i));
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return hash.toString(16).padStart(16, '0');
}
