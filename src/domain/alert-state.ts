// What GET /v1/alerts/{id} answers, read from the store's read model, and how a destination's and
// the alert's delivery state are derived from their events. Pure; shared by the store, the API and
// the console.
import type { EscalationView } from './escalation';
import type { Alert, AlertStatus, CloseAction } from './alert';
import type { Closure, EventType } from './events';

/**
 * The words for a whole destination lane; `filtered` when every event so far was filtered out;
 * `silenced` when the alert closed while a silence held it, so nothing was owed (README "Silences");
 * `held` while a mute window holds its newest event, `muted` when nothing was sent and a mute window
 * dropped the newest event (README "Mute windows").
 */
export const LANE_STATES = ['pending', 'retrying', 'delivered', 'failed', 'filtered', 'silenced', 'held', 'muted'] as const;
export type LaneState = (typeof LANE_STATES)[number];

/**
 * The words for one event at one destination: a lane's, and `superseded`, a failed update that a
 * newer update (carrying everything known so far) replaced. `filtered`: the filters did not want it.
 */
export const EVENT_DELIVERY_STATES = [...LANE_STATES, 'superseded'] as const;
export type EventDeliveryState = (typeof EVENT_DELIVERY_STATES)[number];

/** The alert's delivery state, as one word: the worst of its lanes. */
export const DELIVERY_STATES = ['pending', 'retrying', 'delivered', 'failed'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

export type Validation = { path: string; expected: unknown[]; actual: unknown[]; passed: boolean; error?: string };

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
  validators?: Validation[];
};

export type EventDelivery = {
  /** The event's position in the alert: 0 the trigger, then updates, then the closing event. */
  sequence: number;
  event_type: EventType;
  delivery_id: string;
  state: EventDeliveryState;
  /** When the next attempt is due: a retry's, or the end of the mute window that holds the event. */
  next_attempt_at?: string;
  /** The mute window that holds (`held`) or dropped (`muted`) the event (README "Mute windows"). */
  muted_by?: string;
  /** Earlier updates this one stood for: the lane was behind, and each update carries everything known so far. */
  coalesced?: number;
  attempts: Attempt[];
};

export type Incident = { provider: string; id: string; reference?: string; url?: string; status: string };

export type LaneView = {
  destination_id: string;
  name: string;
  type: string;
  state: LaneState;
  /** The rules that routed the alert here; empty when the alert named the destination itself. */
  rules: { id: string; name: string }[];
  /** The incident this destination opened for the alert (incident.io, PagerDuty). */
  incident?: Incident;
  /** Updates never sent on their own because a newer one was sent in their place. */
  coalesced_updates: number;
  events: EventDelivery[];
  /** Events of this lane left out of `events` to keep the answer small (the oldest updates). */
  omitted_events?: number;
};

export type AlertClosure = Closure & { at: string; action: CloseAction };

/** Why an alert's workflow ended without closing the alert (Temporal's word and reason). */
export type Termination = { workflow_status: string; reason?: string; at?: string };

export type AlertState = {
  id: string;
  workflow_id: string;
  status: AlertStatus;
  closure?: AlertClosure;
  termination?: Termination;
  alert: Alert;
  delivery_state: DeliveryState;
  destinations: LaneView[];
  skipped_destinations: { destination_id: string; reason: string }[];
  /** The groups the alert joined: their destinations hear of it through the group (README "Grouping"). */
  groups: { id: string; name: string; status: string }[];
  /** The silence holding the alert now: nothing of it goes out until then (README "Silences"). */
  silenced?: { silence_id: string; until: string };
  /** Every silence that ever held the alert. */
  held_by: string[];
  /** The open alert that inhibits this one now (README "Inhibition"). */
  inhibited?: { alert_id: string };
  /** Who is on the alert, since when and until when, while it is acknowledged (README "Acknowledge"). */
  acknowledgement?: Acknowledgement;
  /** The escalation policy's steps for this alert (README "Escalation policies"). */
  escalation?: EscalationView;
};

export type Acknowledgement = { by?: string; at: string; until?: string };

/** What the store knows of a lane's events, enough to name the lane's state without reading them all. */
export type LaneSummary = {
  /** The state of the newest event the lane handled; undefined before its first. */
  latest?: EventDeliveryState;
  anyFailed: boolean;
  /** No event handled so far was sent: each was filtered out or dropped by a mute window. */
  nothingSent: boolean;
  /** The alert has events newer than the lane's newest. */
  behind: boolean;
};

/**
 * A failed event keeps the lane failed; otherwise the newest event the lane handled says where it is,
 * unless newer ones wait. Filtered, muted and superseded events count as done.
 */
export function laneState({ latest, anyFailed, nothingSent, behind }: LaneSummary): LaneState {
  if (anyFailed) return 'failed';
  if (latest === 'retrying' || latest === 'held') return latest;
  if (latest === undefined || latest === 'pending' || behind) return 'pending';
  if (!nothingSent) return 'delivered';
  return latest === 'muted' ? 'muted' : 'filtered';
}

/** The alert's delivery state: the worst of its lanes (no lanes: nothing is owed). */
export function deliveryState(lanes: readonly LaneState[]): DeliveryState {
  if (lanes.includes('failed')) return 'failed';
  if (lanes.includes('retrying')) return 'retrying';
  if (lanes.includes('pending') || lanes.includes('held')) return 'pending';
  return 'delivered';
}
