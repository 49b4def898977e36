// The state an alert workflow reports (GET /v1/alerts/{id}, DESIGN.md §3) and how a destination's
// and the alert's delivery state are derived from its attempts. Pure; shared by workflow and API.
import type { Alert, AlertStatus } from './alert';
import type { Closure, EventType } from './events';

export type Attempt = {
  attempt: number;
  started_at: string;
  status_code?: number;
  duration_ms?: number;
  error?: string;
  /** Why a successful attempt sent nothing (no incident to close, already posted). */
  note?: string;
  /** The start of the receiver's answer (at most 2 KiB; the whole body read is capped at 64 KiB). */
  response_excerpt?: string;
  /** Each response validator's result, when the destination has validators and the receiver answered 2xx. */
  validators?: { path: string; expected: unknown[]; actual: unknown[]; passed: boolean; error?: string }[];
};

/** `skipped`: the destination's filters do not want this event, so it was not sent. */
export type EventDeliveryState = 'pending' | 'delivering' | 'retrying' | 'delivered' | 'failed' | 'skipped';

export type EventDelivery = {
  event_type: EventType;
  delivery_id?: string;
  state: EventDeliveryState;
  next_attempt_at?: string;
  attempts: Attempt[];
};

export type Lane = {
  destination_id: string;
  name: string;
  type: string;
  /** The rules that routed the alert here; empty when the alert named the destination itself. */
  rules: { id: string; name: string }[];
  events: EventDelivery[];
  /** The incident this destination opened for the alert (incident.io, PagerDuty). */
  incident?: { provider: string; id: string; reference?: string; url?: string; status: string };
};

export type LaneView = Lane & { state: EventDeliveryState };

export type DeliveryState = 'pending' | 'retrying' | 'delivered' | 'failed';

export type AlertState = {
  id: string;
  workflow_id: string;
  status: AlertStatus;
  closure?: Closure & { at: string; action: 'resolve' | 'dismiss' | 'expire' };
  alert: Alert;
  delivery_state: DeliveryState;
  destinations: LaneView[];
  skipped_destinations: { destination_id: string; reason: string }[];
};

/**
 * A failed event keeps the lane failed; otherwise the lane is where its latest sent event is. A lane
 * whose every event so far was filtered out is `skipped`.
 */
export function laneState(lane: Lane): EventDeliveryState {
  const sent = lane.events.filter((e) => e.state !== 'skipped');
  if (sent.some((e) => e.state === 'failed')) return 'failed';
  if (sent.length === 0) return lane.events.length > 0 ? 'skipped' : 'pending';
  return sent.at(-1)!.state;
}

/** The alert's delivery state, as one word for the UI: the worst of its lanes. */
export function deliveryState(lanes: readonly Lane[]): DeliveryState {
  const states = lanes.map(laneState);
  if (states.includes('failed')) return 'failed';
  if (states.includes('retrying')) return 'retrying';
  if (states.some((s) => s === 'pending' || s === 'delivering')) return 'pending';
  return 'delivered'; // every lane delivered or filtered its events out
}
