// The delivery activity of the alert workflow: by reference. It reads the event's body from the
// store (the claim-check the API wrote), sends it, and records the attempt in the read model, so
// history holds only the outcome's few words whatever the alert's size.
import { Context } from '@temporalio/activity';
import { workflowIdFor } from '../domain/alert';
import { waitBeforeAttempt } from '../domain/schedule';
import { deliveryId } from '../domain/signing';
import type { MuteVerdict } from '../domain/mute-windows';
import type { IncidentRef } from '../destinations/types';
import type { AlertStore, OutcomeRecord } from '../store/alerts';
import { reportExhausted, sendEvent, type SendDeps, type SentOutcome, type Waiting } from './send';

export type DeliverInput = {
  alertId: string;
  destinationId: string;
  sequence: number;
  /** The attempt's number over every round of this event at this destination (1-based). */
  attempt: number;
  /** The attempt's position in the retry schedule (0-based), and the workflow's draw for the next wait's jitter. */
  round: number;
  random: number;
  retrySchedule: number[];
  /** Earlier updates this one stands for. */
  coalesced: number;
  /** When the workflow asked for the attempt (its clock, which the read model shows). */
  scheduledAt: string;
  /** The incident an earlier event opened at this destination (ids only, never secrets). */
  incident?: IncidentRef;
  /** An event's first attempt judges mute windows: the destination's and these rules' (README "Mute windows"). */
  mute?: { ruleIds: string[] };
  /** The mute window that dropped the lane's trigger: the rest of the alert is dropped there too. */
  droppedBy?: string;
};

/**
 * What history keeps of an attempt: the rest (status, error, response) is in the store. `held`: no
 * attempt was made, something holds the event until `held_until` (`held_by` says what, for people);
 * `muted`: a mute window dropped it (`window`); `deferred`: an attempt in the workflow task found no
 * free rate-limit slot and sent nothing, recorded nothing: the workflow schedules the attempt instead.
 */
export type DeliverResult = {
  outcome: 'delivered' | 'retrying' | 'failed' | 'filtered' | 'held' | 'muted' | 'deferred';
  /** Set when retrying: the wait before the next attempt, jitter and Retry-After included. */
  next_wait_ms?: number;
  incident?: IncidentRef;
  held_by?: string;
  held_until?: string;
  window?: string;
};

export type RecordFailedAttemptInput = DeliverInput & { eventType: OutcomeRecord['eventType']; error: string; nextWaitMs?: number };

export const later = (iso: string, ms: number) => new Date(Date.parse(iso) + Math.round(ms)).toISOString();

type HeldRecord = Pick<OutcomeRecord, 'state' | 'nextAttemptAt' | 'mutedBy'>;

/** A mute window's verdict as the read model records it and as the lane sees it (an alert's or a group's). */
export function judgeMute(verdict: Exclude<MuteVerdict, { send: true }>): { record: HeldRecord; result: DeliverResult } {
  if (verdict.hold) return { record: { state: 'held', nextAttemptAt: verdict.until, mutedBy: verdict.window }, result: { outcome: 'held', held_by: `mute window "${verdict.window}"`, held_until: verdict.until } };
  return { record: { state: 'muted', mutedBy: verdict.window }, result: { outcome: 'muted', window: verdict.window } };
}

/** What a delivery activity asks of sendEvent about mute windows and the circuit, from its input. */
export const holdsRequest = (input: Pick<DeliverInput, 'mute' | 'scheduledAt'>) => ({
  ...(input.mute && { mute: { ruleIds: input.mute.ruleIds, at: input.scheduledAt } }),
  circuit: { at: input.scheduledAt },
});

/** The destination's circuit is open or its rate limit has no slot yet (README "Circuit breaker", "Rate limits"): held, no attempt counted. */
export function judgeWaiting({ until, by }: Waiting): { record: HeldRecord; result: DeliverResult } {
  return { record: { state: 'held', nextAttemptAt: until }, result: { outcome: 'held', held_by: by, held_until: until } };
}

type AttemptFacts = Pick<DeliverInput, 'attempt' | 'round' | 'random' | 'retrySchedule' | 'scheduledAt'>;

/** One sent attempt's outcome as the read model records it and as the lane sees it (an alert's or a group's). */
export function judgeAttempt(input: AttemptFacts, outcome: SentOutcome, started: number) {
  const nextWaitMs = outcome.ok || outcome.permanent ? undefined : waitBeforeAttempt(input.retrySchedule, input.round + 1, input.random, outcome.retry_after_s);
  const state = outcome.ok ? 'delivered' : nextWaitMs === undefined ? 'failed' : 'retrying';
  const record = {
    state,
    attempt: {
      attempt: input.attempt,
      started_at: input.scheduledAt,
      ...(outcome.status_code !== undefined && { status_code: outcome.status_code }),
      duration_ms: outcome.duration_ms,
      ...(outcome.error !== undefined && { error: outcome.error }),
      ...(outcome.note && { note: outcome.note }),
      ...(outcome.response_excerpt && { response_excerpt: outcome.response_excerpt }),
      ...(outcome.validators !== undefined && { validators: outcome.validators }),
    },
    ...(nextWaitMs !== undefined && { nextAttemptAt: later(input.scheduledAt, performance.now() - started + nextWaitMs) }),
    ...(outcome.incident && { incident: outcome.incident }),
  } satisfies Pick<OutcomeRecord, 'state' | 'attempt' | 'nextAttemptAt' | 'incident'>;
  const result: DeliverResult = { outcome: state, ...(nextWaitMs !== undefined && { next_wait_ms: nextWaitMs }), ...(outcome.incident && { incident: outcome.incident }) };
  return { record, result };
}

export function createDeliveryActivities(deps: SendDeps & { alerts: AlertStore }) {
  const { alerts } = deps;
  const record = (input: DeliverInput, eventType: OutcomeRecord['eventType'], rest: Pick<OutcomeRecord, 'state' | 'attempt' | 'nextAttemptAt' | 'incident' | 'mutedBy'>) =>
    alerts.recordOutcome({
      alertId: input.alertId,
      destinationId: input.destinationId,
      sequence: input.sequence,
      eventType,
      deliveryId: deliveryId(workflowIdFor(input.alertId), input.destinationId, input.sequence),
      coalesced: input.coalesced,
      ...rest,
    });

  return {
    async deliver(input: DeliverInput): Promise<DeliverResult> {
      const started = performance.now();
      const kept = await alerts.keptEvent(input.alertId, input.sequence);
      if (!kept) throw new Error(`event ${input.sequence} of alert ${input.alertId} is not in the store`);
      const { event } = kept;
      if (input.droppedBy) {
        const dropped = judgeMute({ send: false, hold: false, window: input.droppedBy });
        await record(input, event.event_type, dropped.record);
        return dropped.result;
      }
      const workflowId = workflowIdFor(input.alertId);
      // In the workflow task (a local activity) an attempt never waits for a rate limit's slot: the
      // wait would hold the task open, and many such tasks starve the worker of workflow task slots.
      const inWorkflowTask = Context.current().info.isLocal;
      const sent = await sendEvent(deps, {
        workflowId,
        alertKey: input.alertId,
        destinationId: input.destinationId,
        deliveryId: deliveryId(workflowId, input.destinationId, input.sequence),
        attempt: input.attempt,
        event,
        applyFilters: true,
        ...(input.incident && { incident: input.incident }),
        ...holdsRequest(input),
        eventTraceParent: kept.traceParent,
        ...(inWorkflowTask && { rateSlotWaitMs: 0 }),
      });
      if (inWorkflowTask && sent.waiting?.by === 'rate limit') return { outcome: 'deferred' };
      if (sent.filtered) {
        await record(input, event.event_type, { state: 'filtered' });
        return { outcome: 'filtered' };
      }
      if (sent.muted || sent.waiting) {
        const held = sent.muted ? judgeMute(sent.muted) : judgeWaiting(sent.waiting);
        await record(input, event.event_type, held.record);
        return held.result;
      }
      const judged = judgeAttempt(input, sent.outcome, started);
      await record(input, event.event_type, judged.record);
      if (judged.result.outcome === 'failed') {
        await reportExhausted(deps, { destinationId: input.destinationId, alertId: input.alertId, eventType: event.event_type, deliveryId: deliveryId(workflowId, input.destinationId, input.sequence), attempts: input.attempt, outcome: sent.outcome });
      }
      return judged.result;
    },

    /** An attempt whose activity failed for a reason of its own, recorded as a failed attempt. */
    async recordFailedAttempt(input: RecordFailedAttemptInput): Promise<void> {
      await record(input, input.eventType, {
        state: input.nextWaitMs === undefined ? 'failed' : 'retrying',
        attempt: { attempt: input.attempt, started_at: input.scheduledAt, duration_ms: 0, error: input.error },
        ...(input.nextWaitMs !== undefined && { nextAttemptAt: later(input.scheduledAt, input.nextWaitMs) }),
      });
    },
  };
}
