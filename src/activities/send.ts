// One attempt to send one event to one destination, shared by every delivery activity: load the
// destination (with its secrets) from the store, refuse what must not be sent, send through the
// destination's provider, then log, count and flag. HTTP failures are outcomes, not exceptions.
import { PROVIDER_NAMES } from '../domain/provider-webhooks';
import type { Logger } from 'pino';
import type { OutboundEvent } from '../domain/events';
import { eventKind } from '../domain/events';
import { mutedAt, muteVerdict, type MuteVerdict } from '../domain/mute-windows';
import type { AttemptVerdict } from '../domain/circuit';
import { filterAllows } from '../domain/routing';
import { formatDuration } from '../domain/schedule';
import type { TargetPolicy } from '../domain/target-policy';
import type { Registry } from '../destinations/registry';
import type { DeliveryOutcome, IncidentRef } from '../destinations/types';
import { attemptDuration, circuitTransitions, deliveryAttempts } from '../metrics';
import type { AttemptLog } from '../store/attempt-log';
import type { RateLimitStore } from '../store/rate-limits';
import type { CircuitStore, RecordedTransition } from '../store/circuits';
import type { OperationalEvents } from '../temporal/operations';
import type { DestinationStore } from '../store/destinations';
import type { RuleStore } from '../store/rules';
import type { HeldEvents } from '../temporal/held-events';
import type { ActionLinks } from '../crypto/action-links';
import { HERALD_ATTRIBUTES } from '../telemetry/attributes';
import { describeAttempt, inAttemptSpan } from '../telemetry/attempt-span';

export type SendDeps = {
  logger: Logger;
  destinations: DestinationStore;
  rules: RuleStore;
  circuits: CircuitStore;
  /** Every attempt sent, for destination health (README "Destination health"). */
  /** The shared limiter of destinations with a rate limit (README "Rate limits"). */
  rateLimits: RateLimitStore;
  attempts: AttemptLog;
  /** Herald's own events: circuits opening and closing, destinations disabled (README "Operational events"). */
  operations: OperationalEvents;
  /** Lanes held by a circuit are told when it closes (README "Circuit breaker"). */
  heldEvents: Pick<HeldEvents, 'release'>;
  registry: Registry;
  policy: TargetPolicy;
  /** Set when HERALD_PUBLIC_URL is: the acknowledge and resolve links an alert's events carry (README "Action links"). */
  actionLinks?: Pick<ActionLinks, 'for'>;
};

export type SendRequest = {
  workflowId: string;
  /** The alert's key (src/domain/alert.ts alertKeyFor), which its action links act on; unset: the event's alert id. */
  alertKey?: string;
  destinationId: string;
  deliveryId: string;
  attempt: number;
  event: OutboundEvent;
  incident?: IncidentRef;
  /** Judge the destination's filters first (as it is configured now). */
  applyFilters: boolean;
  /**
   * Judge mute windows (README "Mute windows"): the destination's and those of the rules that chose
   * the route, as they are now, at `at` (the workflow's clock). Set for an event's first attempt only.
   */
  mute?: { ruleIds: string[]; at: string };
  /**
   * Go through the destination's circuit breaker and rate limit (README "Circuit breaker", "Rate
   * limits"); the circuit is judged at `at` (the workflow's clock, which the lane's wait is measured
   * on). Unset for the first workflow version, which has neither.
   */
  circuit?: { at: string };
  /** The traceparent the event was kept with (alert_events.trace_parent): the attempt's span joins that trace. */
  eventTraceParent?: string | null;
  /** How long the attempt may wait in the activity for a rate limit's slot (RATE_WAIT_IN_ACTIVITY_MS unless set). */
  rateSlotWaitMs?: number;
};

/** `filtered`: the destination's filters do not want this event; `muted`: a mute window holds or dropped it. Neither was sent. */
export type SentOutcome = Omit<DeliveryOutcome, 'invocation'>;
export type SendResult =
  | { filtered: true; muted?: undefined; waiting?: undefined }
  | { filtered: false; muted: Exclude<MuteVerdict, { send: true }>; waiting?: undefined }
  /**
   * Nothing was sent: the destination's circuit is open, or its rate limit has no slot soon; try again
   * at `until` (an open circuit's lanes are told sooner when it closes). Neither uses up the schedule.
   */
  | { filtered: false; muted?: undefined; waiting: Waiting }
  | { filtered: false; muted?: undefined; waiting?: undefined; outcome: SentOutcome };

export type Waiting = { until: string; by: 'open circuit' | 'rate limit' };

/** A rate limit's slot this close is waited for in the activity; a later one on a durable timer. */
export const RATE_WAIT_IN_ACTIVITY_MS = 5000;

/** What an attempt's outcome says of the receiver's health: a 4xx (a 429 included) means it is up and answering. */
function circuitVerdict(outcome: SentOutcome): AttemptVerdict {
  if (outcome.ok) return 'success';
  if (outcome.permanent || outcome.status_code === 429) return 'neutral';
  return 'failure';
}

/** One attempt, in its span (src/telemetry/attempt-span.ts): the ids an operator searches by, and what came of it. */
export function sendEvent(deps: SendDeps, request: SendRequest): Promise<SendResult> {
  const attributes = {
    [HERALD_ATTRIBUTES.alertId]: request.event.alert.id,
    [HERALD_ATTRIBUTES.workflowId]: request.workflowId,
    [HERALD_ATTRIBUTES.destinationId]: request.destinationId,
    [HERALD_ATTRIBUTES.attempt]: request.attempt,
    [HERALD_ATTRIBUTES.eventType]: request.event.event_type,
    [HERALD_ATTRIBUTES.deliveryId]: request.deliveryId,
  };
  return inAttemptSpan({ name: `attempt ${request.event.event_type}`, attributes, eventTraceParent: request.eventTraceParent }, async (span) => {
    const result = await attemptSend(deps, request, (type) => span.setAttribute(HERALD_ATTRIBUTES.destinationType, type));
    describeAttempt(span, result);
    return result;
  });
}

async function attemptSend(
  { logger, destinations, rules, circuits, rateLimits, attempts, operations, heldEvents, registry, policy, actionLinks }: SendDeps,
  request: SendRequest,
  destinationTypeIs: (type: string) => void,
): Promise<SendResult> {
  const { event } = request;
  const refuse = (error: string): SendResult => ({ filtered: false, outcome: { ok: false, permanent: true, duration_ms: 0, error } });
  const destination = await destinations.get(request.destinationId);
  if (!destination) return refuse('destination was deleted');
  destinationTypeIs(destination.type);
  if (!destination.enabled) return refuse('destination is disabled');
  if (destination.needs_attention) return refuse(`destination needs attention: ${destination.needs_attention}`);
  const subject = { severity: event.alert.severity, labels: event.alert.labels, event: event.event };
  if (request.applyFilters && !filterAllows(destination.filters, subject, event.event_type)) return { filtered: true };
  if (event.origin?.destination_ids.includes(destination.id)) {
    // It happened in this destination's incident (README "Provider webhooks in"): nothing to tell it.
    const note = `${event.event_type} came from ${PROVIDER_NAMES[event.origin.provider]}: not sent back`;
    return { filtered: false, outcome: { ok: true, duration_ms: 0, note, ...(request.incident && { incident: request.incident }) } };
  }
  if (request.mute) {
    const windows = [...destination.mute_windows, ...(await rules.muteWindowsOf(request.mute.ruleIds))];
    const verdict = muteVerdict(mutedAt(windows, Date.parse(request.mute.at)), { closing: eventKind(event.event_type) === 'close' });
    if (!verdict.send) return { filtered: false, muted: verdict };
  }
  // The attempt's activity may take this long: a probe counts as in flight for as long.
  const probeLeaseMs = (4 * destination.timeout_s + 5) * 1000;
  const circuitAt = request.circuit ? new Date(request.circuit.at) : undefined;
  const seen = circuitAt && (await circuits.get(destination.id, circuitAt));
  if (circuitAt && seen) {
    const admission = await circuits.admit(destination.id, request.deliveryId, circuitAt, probeLeaseMs, seen);
    if (!admission.admit) return { filtered: false, waiting: { until: admission.until, by: 'open circuit' } };
  }
  // The rate limit's slot, reserved on the real clock (the receiver counts real seconds).
  if (circuitAt && destination.rate_limit) {
    const slot = await rateLimits.reserve(destination.id, destination.rate_limit, Date.now(), request.rateSlotWaitMs ?? RATE_WAIT_IN_ACTIVITY_MS);
    if ('retryAt' in slot) return { filtered: false, waiting: { until: new Date(circuitAt.getTime() + slot.retryAt - Date.now()).toISOString(), by: 'rate limit' } };
    if (slot.waitMs > 0) await new Promise((resolve) => setTimeout(resolve, slot.waitMs));
  }

  const actions = actionLinks?.for(event, request.deliveryId, request.alertKey);
  // The invocation (request and response bodies) is for "Send test" only; it never reaches history or the store.
  const { invocation: _forSendTestOnly, ...outcome } = await registry[destination.type].send(actions ? { ...event, actions } : event, destination.config, {
    workflowId: request.workflowId,
    destinationId: destination.id,
    ...(request.incident && { incident: request.incident }),
    deliveryId: request.deliveryId,
    attempt: request.attempt,
    timeoutMs: destination.timeout_s * 1000,
    policy,
  });
  // One structured line per attempt, with the ids an operator searches by (never the configuration).
  logger.info(
    {
      alert_id: event.alert.id,
      workflow_id: request.workflowId,
      destination_id: destination.id,
      destination_type: destination.type,
      event_type: event.event_type,
      attempt: request.attempt,
      delivery_id: request.deliveryId,
      ok: outcome.ok,
      status_code: outcome.status_code,
      duration_ms: outcome.duration_ms,
      ...(outcome.error && { error: outcome.error }),
    },
    'delivery attempt',
  );
  deliveryAttempts.inc({ destination_type: destination.type, outcome: outcome.ok ? 'delivered' : outcome.permanent ? 'permanent_failure' : 'retryable_failure' });
  attemptDuration.observe({ destination_type: destination.type }, outcome.duration_ms / 1000);
  const sentAt = circuitAt ?? new Date(Date.now() - outcome.duration_ms);
  await attempts.record({ destinationId: destination.id, at: sentAt, deliveryId: request.deliveryId, ok: outcome.ok, durationMs: outcome.duration_ms, ...(outcome.status_code !== undefined && { statusCode: outcome.status_code }), ...(outcome.error !== undefined && { error: outcome.error }) });
  if (circuitAt && seen) {
    const recorded = await circuits.recordAttempt(destination.id, circuitVerdict(outcome), outcome.error, new Date(circuitAt.getTime() + outcome.duration_ms), destination.circuit_breaker, probeLeaseMs, seen);
    if (recorded) await circuitChanged(recorded);
  }
  if (outcome.status_code === 410) await destinations.flag(destination.id, `the receiver answered 410 Gone at ${new Date().toISOString()}`);
  return { filtered: false, outcome };

  async function circuitChanged({ transition, outageSince, circuit }: RecordedTransition): Promise<void> {
    const d = destination!;
    logger.warn({ destination_id: d.id, destination_type: d.type, circuit: transition, ...(outcome.error && { error: outcome.error }) }, `circuit ${transition}`);
    circuitTransitions.inc({ destination_type: d.type, transition });
    const subject = { id: d.id, name: d.name, type: d.type };
    const facts = { outage_since: outageSince, ...(circuit.last_error !== undefined && { last_error: circuit.last_error }), consecutive_failures: circuit.consecutive_failures };
    if (transition === 'disabled') {
      const reason = `disabled after an outage of ${formatDuration(circuitAt!.getTime() - Date.parse(outageSince))} (every probe failed; last error: ${outcome.error ?? 'unknown'}); any change to the destination enables it again`;
      await destinations.flag(d.id, reason);
      await operations.emit(subject, { type: 'destination.disabled', ...facts, reason }, circuitAt!);
    }
    if (transition === 'opened') await operations.emit(subject, { type: 'destination.circuit_opened', ...facts }, circuitAt!);
    if (transition === 'closed') await operations.emit(subject, { type: 'destination.circuit_closed', outage_since: outageSince }, circuitAt!);
    // Closed: the lanes it held go now, each in its own alert's order (a lane not told looks again at its
    // backstop). Disabled: they go now too, and fail, redeliverable, as the destination needs attention.
    if (transition === 'closed' || transition === 'disabled') await heldEvents.release(d.id);
  }
}

/**
 * An event failed for good at a destination after attempts were sent (its schedule ran out, or the
 * receiver refused it for good): the operations destinations hear of it. Refusals of Herald's own
 * (the destination deleted, disabled, needing attention) are not reported: nothing was sent.
 */
export async function reportExhausted(deps: Pick<SendDeps, 'destinations' | 'operations' | 'attempts'>, fact: { destinationId: string; alertId: string; eventType: string; deliveryId: string; attempts: number; outcome: SentOutcome }): Promise<void> {
  if (fact.outcome.permanent && fact.outcome.status_code === undefined && fact.outcome.duration_ms === 0) return;
  await deps.attempts.markGaveUp(fact.deliveryId);
  const destination = await deps.destinations.get(fact.destinationId);
  if (!destination) return;
  await deps.operations.emit(
    { id: destination.id, name: destination.name, type: destination.type },
    { type: 'delivery.exhausted', alert_id: fact.alertId, event_type: fact.eventType, delivery_id: fact.deliveryId, attempts: fact.attempts, ...(fact.outcome.error !== undefined && { error: fact.outcome.error }) },
    new Date(),
  );
}
