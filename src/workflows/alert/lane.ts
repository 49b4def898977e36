// One destination's lane: its events in sequence order, each through the destination's retry
// schedule on durable timers. The attempt itself is an activity that reads the event from the store
// by reference and records its outcome there; only the outcome's few words come back into history.
import { ActivityFailure, condition, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import type { DeliverResult } from '../../activities/delivery';
import { formatDuration, waitBeforeAttempt } from '../../domain/schedule';
import { eventTypeOf, jobDelivered, jobFailed, takeNext, type AlertRun, type Job, type LaneRun } from './state';

// Unexpected faults (store unavailable, a worker killed mid-request) are retried here a few times,
// then count as a failed attempt. The timeout is set per destination below.
const { deliver } = proxyActivities<Activities>({
  startToCloseTimeout: '65s',
  retry: { initialInterval: '1s', maximumInterval: '10s', maximumAttempts: 3 },
});
// Writing down such a fault waits for the store as long as it takes: the lane must not lose its place.
const { recordFailedAttempt } = proxyActivities<Activities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', maximumInterval: '1m' },
});

/** Runs until the alert stops it (continue-as-new, or the end); called again by a resumed run. */
export async function runLane(run: AlertRun, lane: LaneRun, changed: () => void): Promise<void> {
  for (;;) {
    if (run.stopping) return;
    const resumed = lane.current !== undefined;
    const job = lane.current ?? lane.redeliver.shift() ?? takeNext(run, lane);
    if (!job) {
      await condition(() => run.stopping || lane.redeliver.length > 0 || lane.next <= run.lastSequence);
      continue;
    }
    if (!resumed) {
      // The schedule's first wait (0 by default) comes before an event's first attempt, a redelivery's too.
      const firstWaitMs = waitBeforeAttempt(lane.route.retry_schedule, 0, Math.random());
      if (firstWaitMs !== undefined && firstWaitMs > 0) job.waitUntil = Date.now() + firstWaitMs;
    }
    lane.current = job;
    changed();
    if (!(await deliverWithRetries(run, lane, job, changed))) return; // stopped mid-schedule: the job stays current
    lane.current = undefined;
    changed();
  }
}

/** True when the job is done (delivered, filtered or failed); false when the lane was stopped first. */
async function deliverWithRetries(run: AlertRun, lane: LaneRun, job: Job, changed: () => void): Promise<boolean> {
  const { route } = lane;
  const eventType = eventTypeOf(run, job.sequence);
  for (;;) {
    if (job.waitUntil !== undefined) {
      const waitMs = job.waitUntil - Date.now();
      if (waitMs > 0) {
        const summary = `wait ${formatDuration(waitMs)} before attempt ${job.attempts + 1} to ${route.name}`;
        await condition(() => run.stopping, waitMs, { summary });
        if (run.stopping) return false;
      }
      job.waitUntil = undefined;
    }
    // Drawn here, so the activity and this code agree on the jitter of the next wait.
    const random = Math.random();
    const input = {
      alertId: run.alertId,
      destinationId: route.destination_id,
      sequence: job.sequence,
      attempt: job.attempts + 1,
      round: job.round,
      random,
      retrySchedule: route.retry_schedule,
      coalesced: job.coalesced,
      scheduledAt: new Date().toISOString(),
      ...(lane.incident && { incident: lane.incident }),
    };
    let result: DeliverResult;
    try {
      result = await deliver.executeWithOptions(
        {
          summary: `${eventType} to ${route.name}, attempt ${input.attempt}`,
          // Up to four requests (an OAuth token and its refresh, an incident read then edit) plus the store.
          startToCloseTimeout: `${4 * route.timeout_s + 5}s`,
        },
        [input],
      );
    } catch (err) {
      // The activity kept failing for a reason of its own (not an HTTP outcome): count it as a failed
      // attempt so the lane's schedule, not Temporal's retry policy, decides what happens next.
      if (!(err instanceof ActivityFailure)) throw err;
      const nextWaitMs = waitBeforeAttempt(route.retry_schedule, job.round + 1, random);
      const error = `internal error: ${err.cause?.message ?? err.message}`;
      await recordFailedAttempt({ ...input, eventType, error, ...(nextWaitMs !== undefined && { nextWaitMs }) });
      result = { outcome: nextWaitMs === undefined ? 'failed' : 'retrying', ...(nextWaitMs !== undefined && { next_wait_ms: nextWaitMs }) };
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
