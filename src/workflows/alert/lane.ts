// One destination's lane: its events in sequence order, each through the destination's retry
// schedule on durable timers. The attempt itself is an activity that reads the event from the store
// by reference and records its outcome there; only the outcome's few words come back into history.
// An alert's lanes and a group's lanes are the same; their owner says what an attempt is.
import type { Duration } from '@temporalio/common';
import { ActivityFailure, condition } from '@temporalio/workflow';
import type { DeliverResult } from '../../activities/delivery';
import { formatDuration, waitBeforeAttempt } from '../../domain/schedule';
import type { IncidentRef } from '../../destinations/types';
import { jobDelivered, jobFailed, takeNext, type DeliveryRun, type Job, type LaneRun } from './state';

/**
 * The attempt activity's options. Unexpected faults (store unavailable, a worker killed mid-request)
 * are retried a few times, then count as a failed attempt; the timeout is set per destination.
 */
export const ATTEMPT_ACTIVITY = { startToCloseTimeout: '65s', retry: { initialInterval: '1s', maximumInterval: '10s', maximumAttempts: 3 } } as const;
/** Writing down such a fault waits for the store as long as it takes: the lane must not lose its place. */
export const RECORD_ACTIVITY = { startToCloseTimeout: '30s', retry: { initialInterval: '1s', maximumInterval: '1m' } } as const;

/** One attempt as the lane asks for it; the owner adds whose event it is. */
export type AttemptRequest = {
  destinationId: string;
  sequence: number;
  attempt: number;
  round: number;
  random: number;
  retrySchedule: number[];
  coalesced: number;
  scheduledAt: string;
  incident?: IncidentRef;
  /** Set on an event's first attempt: judge mute windows, the destination's and these rules' (README "Mute windows"). */
  mute?: { ruleIds: string[] };
  /** The mute window that dropped the lane's trigger: the rest goes nowhere either. */
  droppedBy?: string;
};

/** Whose lanes these are (an alert, a group): how its events are named, attempted and written down. */
export type LaneOwner = {
  /** The event's type as people read it in summaries, e.g. `alert.triggered`. */
  eventName(sequence: number): string;
  attempt(request: AttemptRequest, options: { summary: string; startToCloseTimeout: Duration }): Promise<DeliverResult>;
  /** Writes down an attempt whose activity failed for a reason of its own (not an HTTP outcome). */
  recordFailure(request: AttemptRequest, eventName: string, error: string, nextWaitMs: number | undefined): Promise<void>;
};

/** Runs until the owner stops it (continue-as-new, or the end); called again by a resumed run. */
export async function runLane(run: DeliveryRun, lane: LaneRun, owner: LaneOwner, changed: () => void): Promise<void> {
  for (;;) {
    if (run.stopping) return;
    const resumed = lane.current !== undefined;
    const job = lane.current ?? lane.redeliver.shift() ?? takeNext(run, lane);
    if (!job) {
      await condition(() => run.stopping || lane.redeliver.length > 0 || (lane.next <= run.lastSequence && !run.appending));
      continue;
    }
    if (!resumed) {
      // The schedule's first wait (0 by default) comes before an event's first attempt, a redelivery's too.
      const firstWaitMs = waitBeforeAttempt(lane.route.retry_schedule, 0, Math.random());
      if (firstWaitMs !== undefined && firstWaitMs > 0) job.waitUntil = Date.now() + firstWaitMs;
    }
    lane.current = job;
    changed();
    if (!(await deliverWithRetries(run, lane, owner, job, changed))) return; // stopped mid-schedule: the job stays current
    lane.current = undefined;
    changed();
  }
}

/** True when the job is done (delivered, filtered or failed); false when the lane was stopped first. */
async function deliverWithRetries(run: DeliveryRun, lane: LaneRun, owner: LaneOwner, job: Job, changed: () => void): Promise<boolean> {
  const { route } = lane;
  const eventType = owner.eventName(job.sequence);
  for (;;) {
    if (job.waitUntil !== undefined) {
      const waitMs = job.waitUntil - Date.now();
      if (waitMs > 0) {
        const summary = job.heldBy
          ? `held by ${job.heldBy} until ${new Date(job.waitUntil).toISOString()} (${route.name})`
          : `wait ${formatDuration(waitMs)} before attempt ${job.attempts + 1} to ${route.name}`;
        // A held event also wakes when what held it may have let go after its attempt was asked for.
        const released = () => job.heldBy !== undefined && (run.heldRevision ?? 0) !== job.heldAtRevision;
        await condition(() => run.stopping || released(), waitMs, { summary });
        if (run.stopping) return false;
      }
      job.waitUntil = undefined;
      job.heldBy = undefined;
      job.heldAtRevision = undefined;
    }
    // Drawn here, so the activity and this code agree on the jitter of the next wait.
    const random = Math.random();
    const input: AttemptRequest = {
      destinationId: route.destination_id,
      sequence: job.sequence,
      attempt: job.attempts + 1,
      round: job.round,
      random,
      retrySchedule: route.retry_schedule,
      coalesced: job.coalesced,
      scheduledAt: new Date().toISOString(),
      ...(lane.incident && { incident: lane.incident }),
      ...(job.attempts === 0 && { mute: { ruleIds: route.rules.map((r) => r.id) } }),
      ...(lane.droppedBy !== undefined && { droppedBy: lane.droppedBy }),
    };
    const revision = run.heldRevision ?? 0;
    let result: DeliverResult;
    try {
      result = await owner.attempt(input, {
        summary: `${eventType} to ${route.name}, attempt ${input.attempt}`,
        // Up to four requests (an OAuth token and its refresh, an incident read then edit) plus the store.
        startToCloseTimeout: `${4 * route.timeout_s + 5}s` as Duration,
      });
    } catch (err) {
      // The activity kept failing for a reason of its own (not an HTTP outcome): count it as a failed
      // attempt so the lane's schedule, not Temporal's retry policy, decides what happens next.
      if (!(err instanceof ActivityFailure)) throw err;
      const nextWaitMs = waitBeforeAttempt(route.retry_schedule, job.round + 1, random);
      const error = `internal error: ${err.cause?.message ?? err.message}`;
      await owner.recordFailure(input, eventType, error, nextWaitMs);
      result = { outcome: nextWaitMs === undefined ? 'failed' : 'retrying', ...(nextWaitMs !== undefined && { next_wait_ms: nextWaitMs }) };
    }
    if (result.outcome === 'held') {
      // No attempt was made: when what holds it lets go, the same attempt is judged again.
      job.waitUntil = Date.parse(result.held_until!);
      job.heldBy = result.held_by ?? 'Herald';
      job.heldAtRevision = revision;
      changed();
      continue;
    }
    if (result.outcome === 'muted') {
      if (job.sequence === 0) lane.droppedBy = result.window;
      return true;
    }
    job.attempts++;
    // Remembered at once, so a close can never run without the incident id.
    if (result.incident) lane.incident = result.incident;
    if (result.outcome === 'delivered' || result.outcome === 'filtered') {
      // A filtered update was not sent, so it stands for nothing older (the store judges it the same way).
      if (result.outcome === 'delivered') jobDelivered(run, lane, job);
      return true;
    }
    if (result.outcome === 'failed' || result.next_wait_ms === undefined) {
      jobFailed(run, lane, job);
      return true;
    }
    job.round++;
    job.waitUntil = Date.now() + result.next_wait_ms;
    changed();
  }
}
