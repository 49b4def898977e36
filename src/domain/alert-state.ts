// What GET /v1/alerts/{id} answers, read from the store's read model, and how a destination's and
// the alert's delivery state are derived from their events. Pure; shared by the store, the API and
// the console.
import type { z } from 'zod';
import type * as schemas from './alert-state-schema';

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

// The answer's types, inferred from its schemas (alert-state-schema.ts): type-only imports, so
// neither the console nor workflow code loads zod through this module.
export type Validation = z.infer<typeof schemas.validationSchema>;
export type Attempt = z.infer<typeof schemas.attemptSchema>;
export type EventDelivery = z.infer<typeof schemas.eventDeliverySchema>;
export type Incident = z.infer<typeof schemas.incidentSchema>;
export type LaneView = z.infer<typeof schemas.laneViewSchema>;
export type AlertClosure = z.infer<typeof schemas.alertClosureSchema>;
export type Termination = z.infer<typeof schemas.terminationSchema>;
export type Acknowledgement = z.infer<typeof schemas.acknowledgementViewSchema>;
export type AlertState = z.infer<typeof schemas.alertStateSchema>;
export type AlertSummary = z.infer<typeof schemas.alertSummarySchema>;
export type AlertPage = z.infer<typeof schemas.alertPageSchema>;

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
