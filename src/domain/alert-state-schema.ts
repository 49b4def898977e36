// What GET /v1/alerts/{id} and GET /v1/alerts answer, as zod schemas: /openapi.json describes the answer from them and
// the types of alert-state.ts are inferred from them, so the shape is written once. Apart from
// alert-state.ts, which the console bundles and workflow code imports types from, so that neither
// loads these schemas.
import { z } from 'zod';
import { ALERT_STATUSES, CLOSE_ACTIONS, inboundAlertSchema, SEVERITIES } from './alert';
import { DELIVERY_STATES, EVENT_DELIVERY_STATES, LANE_STATES } from './alert-state';
import { escalationViewSchema } from './escalation';

export const validationSchema = z.object({ path: z.string(), expected: z.array(z.unknown()), actual: z.array(z.unknown()), passed: z.boolean(), error: z.string().optional() });

export const attemptSchema = z.object({
  attempt: z.number().int(),
  started_at: z.string(),
  status_code: z.number().int().optional(),
  duration_ms: z.number().optional(),
  error: z.string().optional(),
  note: z.string().optional().describe('Why a successful attempt sent nothing (no incident to close, already posted)'),
  response_excerpt: z.string().optional().describe('The start of the receiver\'s answer (at most 2 KiB; the whole body read is capped at 64 KiB)'),
  validators: z.array(validationSchema).optional().describe('Each response validator\'s result, when the destination has validators and the receiver answered 2xx'),
});

export const eventDeliverySchema = z.object({
  sequence: z.number().int().describe('The event\'s position in the alert: 0 the trigger, then updates, then the closing event'),
  event_type: z.string(),
  delivery_id: z.string(),
  state: z.enum(EVENT_DELIVERY_STATES),
  next_attempt_at: z.string().optional().describe('When the next attempt is due: a retry\'s, or the end of the mute window that holds the event'),
  muted_by: z.string().optional().describe('The mute window that holds (`held`) or dropped (`muted`) the event (README "Mute windows")'),
  coalesced: z.number().int().optional().describe('Earlier updates this one stood for: the lane was behind, and each update carries everything known so far'),
  attempts: z.array(attemptSchema),
});

export const incidentSchema = z.object({ provider: z.string(), id: z.string(), reference: z.string().optional(), url: z.string().optional(), status: z.string() });

export const laneViewSchema = z.object({
  destination_id: z.string(),
  name: z.string(),
  type: z.string(),
  state: z.enum(LANE_STATES),
  rules: z.array(z.object({ id: z.string(), name: z.string() })).describe('The rules that routed the alert here; empty when the alert named the destination itself'),
  incident: incidentSchema.optional().describe('The incident this destination opened for the alert (incident.io, PagerDuty)'),
  coalesced_updates: z.number().int().describe('Updates never sent on their own because a newer one was sent in their place'),
  omitted_events: z.number().int().optional().describe('Events of this lane left out of `events` to keep the answer small (the oldest updates)'),
  events: z.array(eventDeliverySchema),
});

export const alertClosureSchema = z.object({ action: z.enum(Object.keys(CLOSE_ACTIONS) as [keyof typeof CLOSE_ACTIONS]), at: z.string(), by: z.string().optional(), reason: z.string().optional(), end_timestamp: z.string().optional() });

/** Why an alert's workflow ended without closing the alert (Temporal's word and reason). */
export const terminationSchema = z.object({ workflow_status: z.string(), reason: z.string().optional(), at: z.string().optional() });

export const acknowledgementViewSchema = z.object({ by: z.string().optional(), at: z.string(), until: z.string().optional() });

/** The alert as kept: the inbound fields minus routing, its id and arrival time fixed, the fields beyond the known ones kept. */
export const storedAlertSchema = inboundAlertSchema.omit({ id: true, destinations: true }).extend({ id: z.string(), created_at: z.string() });

export const alertStateSchema = z.object({
  id: z.string(),
  workflow_id: z.string(),
  status: z.enum(ALERT_STATUSES),
  closure: alertClosureSchema.optional(),
  termination: terminationSchema.optional(),
  alert: storedAlertSchema,
  delivery_state: z.enum(DELIVERY_STATES),
  destinations: z.array(laneViewSchema),
  skipped_destinations: z.array(z.object({ destination_id: z.string(), reason: z.string() })),
  groups: z.array(z.object({ id: z.string(), name: z.string(), status: z.enum(['firing', 'resolved']) })).describe('The groups the alert joined: their destinations hear of it through the group (README "Grouping")'),
  silenced: z.object({ silence_id: z.string(), until: z.string() }).optional().describe('The silence holding the alert: nothing of it goes out until then'),
  held_by: z.array(z.string()).describe('Every silence that ever held the alert'),
  inhibited: z.object({ alert_id: z.string() }).optional().describe('The open alert that inhibits this one: nothing of it goes out until that one closes'),
  acknowledgement: acknowledgementViewSchema.optional().describe('Who is on the alert, while it is acknowledged; at `until` it returns to triggered'),
  escalation: escalationViewSchema.optional().describe('The escalation policy\'s steps for this alert: when each fired, or why it has not (README "Escalation policies")'),
});

/** One alert of GET /v1/alerts. */
export const alertSummarySchema = z.object({
  id: z.string(),
  workflow_id: z.string(),
  title: z.string(),
  status: z.enum(ALERT_STATUSES),
  delivery_state: z.enum(DELIVERY_STATES),
  severity: z.enum(SEVERITIES),
  event_type: z.string(),
  asset: z.string().optional(),
  destinations: z.array(z.string()).describe('Names and ids of the destinations the alert was routed to'),
  started_at: z.string(),
  closed_at: z.string().optional(),
});

/** GET /v1/alerts: a page of alerts, newest first. */
export const alertPageSchema = z.object({ data: z.array(alertSummarySchema), next_page_token: z.string().optional() });
