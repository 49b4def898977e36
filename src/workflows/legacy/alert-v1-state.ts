// The state shape of the first alert workflow (legacy/alert-v1.ts), frozen with it: alerts started
// before the read model keep running on that code and answer GET with this shape through its query.
// Delete with alert-v1.ts once no such alert runs (see docs/architecture.md, "Versions").
import type { Alert, AlertStatus } from '../../domain/alert';
import type { Closure, EventType } from '../../domain/events';
import type { Attempt, Termination } from '../../domain/alert-state';

export type LegacyEventDelivery = {
  event_type: EventType;
  delivery_id?: string;
  state: 'pending' | 'delivering' | 'retrying' | 'delivered' | 'failed' | 'skipped';
  next_attempt_at?: string;
  attempts: Attempt[];
};

export type LegacyLane = {
  destination_id: string;
  name: string;
  type: string;
  rules: { id: string; name: string }[];
  events: LegacyEventDelivery[];
  incident?: { provider: string; id: string; reference?: string; url?: string; status: string };
};

export type LegacyAlertState = {
  id: string;
  workflow_id: string;
  status: AlertStatus;
  closure?: Closure & { at: string; action: 'resolve' | 'dismiss' | 'expire' };
  /** Only when the workflow ended without a result (the API fills it in; the workflow never did). */
  termination?: Termination;
  alert: Alert;
  delivery_state: 'pending' | 'retrying' | 'delivered' | 'failed';
  destinations: (LegacyLane & { state: LegacyEventDelivery['state'] })[];
  skipped_destinations: { destination_id: string; reason: string }[];
};

export function legacyLaneState(lane: LegacyLane): LegacyEventDelivery['state'] {
  const sent = lane.events.filter((e) => e.state !== 'skipped');
  if (sent.some((e) => e.state === 'failed')) return 'failed';
  if (sent.length === 0) return lane.events.length > 0 ? 'skipped' : 'pending';
  return sent.at(-1)!.state;
}

export function legacyDeliveryState(lanes: readonly LegacyLane[]): LegacyAlertState['delivery_state'] {
  const states = lanes.map(legacyLaneState);
  if (states.includes('failed')) return 'failed';
  if (states.includes('retrying')) return 'retrying';
  if (states.some((s) => s === 'pending' || s === 'delivering')) return 'pending';
  return 'delivered';
}
