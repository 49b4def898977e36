// The alert's escalation (README "Escalation policies"): its policy's steps, each on a durable timer
// after the one before, each firing only while the alert is triggered. An acknowledgement stops the
// steps not yet fired; when the alert returns to triggered their waits start again from then.
import { condition } from '@temporalio/workflow';
import type { FireStepInput, FireStepResult } from '../../activities/escalation';
import type { EscalationPlan } from '../../activities/routing';
import type { CloseAction } from '../../domain/alert';
import { afterFiring, nextEscalationStep, stepLabel, type EscalationCursor } from '../../domain/escalation-steps';
import { formatDuration } from '../../domain/schedule';
import { eventAppended, type AckEvent, type AlertRun, type EscalationRun, type LaneRun } from './state';

/** What the escalation needs of its workflow: the activity, and how news and new lanes reach the run. */
export type EscalationOwner = {
  fire(input: FireStepInput): Promise<FireStepResult>;
  heard(acks: AckEvent[]): void;
  closedBy(action: CloseAction, sequence: number): void;
  laneAdded(lane: LaneRun): void;
};

/** The run's escalation from routing's plan: its first wait starts now. */
export function escalationOf(plan: EscalationPlan, now: number): EscalationRun {
  return {
    policyId: plan.policy_id,
    name: plan.name,
    timings: { stepWaitsMs: plan.steps.map((s) => s.after_s * 1000), repeat: plan.repeat, repeatAfterMs: (plan.repeat_after_s ?? 0) * 1000 },
    steps: plan.steps.map((s) => s.routes),
    ...(plan.ack_timeout_s !== undefined && { ackTimeoutMs: plan.ack_timeout_s * 1000 }),
    cursor: { cycle: 0, step: 0 },
    since: now,
  };
}

/** Runs until every step fired, the alert closed, or the run stops (continue-as-new); a resumed run calls it again. */
export async function runEscalation(run: AlertRun, owner: EscalationOwner): Promise<void> {
  const escalation = run.escalation;
  if (!escalation || !run.lanes) return;
  const newestAck = () => run.acks?.at(-1)?.sequence;
  const over = () => run.stopping || run.closing !== undefined;
  for (;;) {
    if (over()) return;
    const next = nextEscalationStep(escalation.timings, escalation.cursor);
    if (!next) return;
    if (run.status !== 'triggered') {
      await condition(() => over() || run.status === 'triggered');
      if (!over()) escalation.since = Date.now();
      continue;
    }
    const ack = newestAck();
    const waitMs = escalation.since + next.waitMs - Date.now();
    if (waitMs > 0) {
      const names = escalation.steps[next.cursor.step]!.map((r) => r.name).join(', ') || 'no destination found';
      const woken = await condition(() => over() || newestAck() !== ack, waitMs, { summary: `escalate to ${stepLabel(next.cursor)} (${names}) in ${formatDuration(waitMs)}` });
      if (woken) {
        // Acknowledged, or acknowledged and taken back meanwhile: the wait starts again once triggered.
        if (!over() && run.status === 'triggered') escalation.since = Date.now();
        continue;
      }
    }
    if (!(await fire(run, escalation, next.cursor, owner))) return;
  }
}

/** Fires the step; false when the store found the alert neither triggered nor closed nor acknowledged (nothing left to wait for). */
async function fire(run: AlertRun, escalation: EscalationRun, cursor: EscalationCursor, owner: EscalationOwner): Promise<boolean> {
  const routes = escalation.steps[cursor.step]!;
  const known = new Set(run.lanes!.map((l) => l.route.destination_id));
  const add = routes.filter((r) => !known.has(r.destination_id));
  const remind = routes.filter((r) => known.has(r.destination_id)).map((r) => r.destination_id);
  // Until the answer says which sequence the reminder took and where new lanes start, lanes take nothing new and the alert cannot finish.
  run.appending = true;
  let result: FireStepResult;
  try {
    result = await owner.fire({ alertId: run.alertId, policyId: escalation.policyId, policyName: escalation.name, cycle: cursor.cycle, step: cursor.step, at: new Date().toISOString(), add, remind });
  } finally {
    run.appending = false;
  }
  owner.heard(result.acks);
  if (!result.fired) {
    if (result.closing) owner.closedBy(result.closing.action, result.closing.sequence);
    return run.closing !== undefined || run.status !== 'triggered';
  }
  eventAppended(run, result.lastSequence);
  if (result.reminder !== undefined) run.reminders = [...(run.reminders ?? []), { sequence: result.reminder, destination_ids: remind }];
  for (const route of add) owner.laneAdded({ route, next: 0, failed: [], redeliver: [], joined: result.lastSequence });
  escalation.cursor = afterFiring(cursor);
  escalation.since = Date.now();
  return true;
}
