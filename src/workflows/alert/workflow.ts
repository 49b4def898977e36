// One workflow per alert: route it, then one FIFO lane per destination delivers every event of the
// alert in order, retrying on durable timers, until the alert is closed and every lane is done.
// Deterministic code only: no I/O and no Node imports; time and Math.random are the workflow's own.
// The alert's state is one object (state.ts); its phase is read from that state, so a run that
// continued as new picks up exactly where the last one stopped (docs/architecture.md).
import {
  allHandlersFinished,
  condition,
  makeContinueAsNewFunc,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../../activities';
import type { CloseAction } from '../../domain/alert';
import { formatDuration } from '../../domain/schedule';
import { HeraldDeliveryState, HeraldDestinations, HeraldGroups, HeraldHeldBy, HeraldStatus } from '../../temporal/search-attributes';
import { ATTEMPT_ACTIVITY, RECORD_ACTIVITY, runLane, type AttemptRequest, type LaneOwner } from './lane';
import { escalationOf, runEscalation } from './escalation';
import {
  acknowledgeSignal,
  dismissSignal,
  unacknowledgeSignal,
  redeliverSignal,
  REDELIVERY_GRACE_MS,
  resolveSignal,
  holdChangedSignal,
  releaseHeldSignal,
  updateSignal,
  type AlertOutcome,
  type AlertWorkflowInput,
  type FirstAttempt,
} from './messages';
import {
  acksHeard,
  closed,
  eventAppended,
  eventTypeOf,
  freshRun,
  lanesIdle,
  heldMayBeReleased,
  nextOpenDeadline,
  openDeadlineKey,
  phaseOf,
  redeliverFailed,
  resumedRun,
  runDeliveryState,
  snapshotOf,
  type AlertRun,
  type OpenDeadline,
  type Phase,
} from './state';
import type { EventAppended } from './messages';

/**
 * A run continues as new before its history gets large, whatever the server suggests: an alert can
 * receive updates for weeks. Both limits sit far below Temporal's (51 200 events, 50 MB).
 */
export const HISTORY_LIMITS = { events: 8_000, bytes: 8 * 1024 * 1024 };

// Routing is a short store read: as a local activity it runs in the first workflow task and its
// result is still recorded in history (a marker), without a round trip through the task queue.
const { routeAlert, recheckHold } = proxyLocalActivities<Activities>({ startToCloseTimeout: '30s', retry: { initialInterval: '1s', maximumInterval: '30s' } });
// The store may be down for a while: these wait for it rather than lose the alert's place.
const { expireAlert, autoResolveAlert, finishAlert, joinGroups, leaveGroups, closedWhileHeld, acknowledgementTimedOut, fireEscalationStep } = proxyActivities<Activities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', maximumInterval: '1m' },
});
const { deliver } = proxyActivities<Activities>(ATTEMPT_ACTIVITY);
// An event's first attempt runs in the workflow task that asked for it: no round trip through the
// task queue, its outcome still recorded in history (a marker). Retries stay scheduled activities
// on durable timers. A worker lost mid-attempt repeats it with the same delivery id.
const { deliver: deliverInWorkflowTask } = proxyLocalActivities<Activities>(ATTEMPT_ACTIVITY);
const { recordFailedAttempt } = proxyActivities<Activities>(RECORD_ACTIVITY);

/** The alert's lanes attempt the alert's events (activities/delivery.ts). */
function alertLaneOwner(run: AlertRun, firstAttempt: FirstAttempt): LaneOwner {
  // Only an event's first try runs in the workflow task: after a deferral or a hold it is scheduled.
  const triedInWorkflowTask = new Set<string>();
  const inWorkflowTask = ({ destinationId, sequence, attempt }: AttemptRequest) => {
    const key = `${destinationId}:${sequence}`;
    if (attempt !== 1 || firstAttempt !== 'in-workflow-task' || triedInWorkflowTask.has(key)) return false;
    triedInWorkflowTask.add(key);
    return true;
  };
  return {
    eventName: (sequence) => eventTypeOf(run, sequence),
    attempt: async (request, options) => {
      const input = { alertId: run.alertId, ...request };
      if (inWorkflowTask(request)) {
        const result = await deliverInWorkflowTask.executeWithOptions(options, [input]);
        if (result.outcome !== 'deferred') return result;
      }
      return deliver.executeWithOptions(options, [input]);
    },
    recordFailure: (request, _eventName, error, nextWaitMs) =>
      recordFailedAttempt({ alertId: run.alertId, ...request, eventType: eventTypeOf(run, request.sequence), error, ...(nextWaitMs !== undefined && { nextWaitMs }) }),
  };
}

export async function alertWorkflowV2(input: AlertWorkflowInput): Promise<AlertOutcome> {
  const run = input.resume ? resumedRun(input.resume) : freshRun(input.alertId, input.destinationIds, input.maxLifetimeMs, Date.now());

  function publishDeliveryState(): void {
    const state = runDeliveryState(run);
    if (state === run.publishedDeliveryState) return; // history gets a write only when the word changes
    run.publishedDeliveryState = state;
    upsertSearchAttributes([{ key: HeraldDeliveryState, value: state }]);
  }
  /** Names for people typing UI queries, ids for scripts: both find the alert. */
  function publishDestinations(): void {
    upsertSearchAttributes([{ key: HeraldDestinations, value: run.lanes!.flatMap((l) => [l.route.name, l.route.destination_id]) }]);
  }
  function closedBy(action: CloseAction, sequence: number): void {
    const wasOpen = !run.closing;
    closed(run, sequence, action);
    if (wasOpen) upsertSearchAttributes([{ key: HeraldStatus, value: run.status }]);
  }

  /** Every event signal carries the alert's newest acknowledgement events (messages.ts). */
  function heard({ sequence, acks }: EventAppended): void {
    eventAppended(run, sequence);
    if (acksHeard(run, acks, Date.now())) upsertSearchAttributes([{ key: HeraldStatus, value: run.status }]);
  }

  // Handlers first, before any await: a signal that came with the start is handled at once.
  setHandler(updateSignal, (signal) => {
    heard(signal);
    run.lastNewsAt = Date.now(); // an alert with news does not resolve itself (README "Auto-resolve")
  });
  setHandler(acknowledgeSignal, heard);
  setHandler(unacknowledgeSignal, heard);
  setHandler(resolveSignal, (signal) => {
    heard(signal);
    closedBy('resolve', signal.sequence);
  });
  setHandler(dismissSignal, (signal) => {
    heard(signal);
    closedBy('dismiss', signal.sequence);
  });
  setHandler(holdChangedSignal, () => {
    run.holdChanged = true;
  });
  setHandler(releaseHeldSignal, () => heldMayBeReleased(run));
  setHandler(redeliverSignal, ({ destination_id }) => {
    const lane = run.lanes?.find((l) => l.route.destination_id === destination_id);
    if (lane && redeliverFailed(lane)) publishDeliveryState();
  });

  if (!run.lanes) {
    const routing = await routeAlert({ alertId: run.alertId, destinationIds: run.destinationIds, at: new Date().toISOString(), ...(input.senderGroup && { senderGroup: input.senderGroup }) });
    run.lanes = routing.routes.map((route) => ({ route, next: 0, failed: [], redeliver: [] }));
    if (routing.auto_resolve_after_s !== undefined) run.autoResolveMs = routing.auto_resolve_after_s * 1000;
    if (routing.escalation) run.escalation = escalationOf(routing.escalation, Date.now());
    if (routing.routes.length > 0) publishDestinations();
    if (routing.joined) {
      run.groups = routing.joined;
      upsertSearchAttributes([{ key: HeraldGroups, value: run.groups }]);
    } else if (routing.groups && routing.groups.length > 0) run.pendingGroups = routing.groups; // held: joins once let go
    if (routing.held) {
      run.hold = routing.held;
      upsertSearchAttributes([{ key: HeraldHeldBy, value: [routing.held.id] }]);
    }
  }
  // A silence or an inhibiting alert holds the alert: no lane starts and no group hears of it until it lets go.
  while (run.hold && !run.closing) {
    const { id, until } = run.hold;
    const waitMs = Date.parse(until) - Date.now();
    if (waitMs > 0) await condition(() => run.closing !== undefined || run.holdChanged === true || historyIsFull(), waitMs, { summary: id.startsWith('alert:') ? `inhibited by ${id}, looked at again at ${until}` : `silenced by ${id} until ${until}` });
    if (run.closing) break;
    if (historyIsFull()) return continueAsNewWith(input, run);
    run.holdChanged = false;
    run.hold = await recheckHold({ alertId: run.alertId, at: new Date().toISOString() });
    upsertSearchAttributes([{ key: HeraldHeldBy, value: run.hold ? [run.hold.id] : [] }]);
  }
  if (run.hold) {
    // Closed while held: nothing of it went out, so nothing is owed, its resolve included.
    await closedWhileHeld({ alertId: run.alertId });
    for (const lane of run.lanes) lane.next = run.lastSequence + 1;
    run.hold = undefined;
    run.pendingGroups = undefined;
  }
  if (run.pendingGroups) {
    // Grouped destinations hear of the alert through its groups' notifications, not through lanes of its own.
    run.groups = await joinGroups({ alertId: run.alertId, memberships: run.pendingGroups, at: new Date().toISOString() });
    run.pendingGroups = undefined;
    upsertSearchAttributes([{ key: HeraldGroups, value: run.groups }]);
  }
  const owner = alertLaneOwner(run, input.firstAttempt ?? 'scheduled');
  const lanesRunning = run.lanes.map((lane) => runLane(run, lane, owner, publishDeliveryState));
  // Escalation steps add lanes as they fire (README "Escalation policies").
  const escalating = runEscalation(run, {
    fire: (request) => fireEscalationStep(request),
    heard: (acks) => heard({ sequence: 0, acks }),
    closedBy,
    laneAdded(lane) {
      run.lanes!.push(lane);
      publishDestinations();
      lanesRunning.push(runLane(run, lane, owner, publishDeliveryState));
    },
  });
  /** Lanes stop at their next safe point once `run.stopping` is set; the escalation first, as it may add lanes. */
  async function everythingStopped(): Promise<void> {
    await escalating;
    await Promise.all(lanesRunning);
  }
  /** Once closed, the alert leaves its groups as resolved, whatever closed it. */
  async function leaveGroupsOnce(): Promise<void> {
    if (!run.closing || !run.groups || run.groupsLeft) return;
    await leaveGroups({ alertId: run.alertId, groupIds: run.groups });
    run.groupsLeft = true;
  }

  /** The open alert's deadline came: it expires, resolves itself, or its acknowledgement runs out. */
  async function deadlineReached(deadline: OpenDeadline): Promise<void> {
    const at = new Date().toISOString();
    switch (deadline.kind) {
      case 'expire': {
        const closing = await expireAlert({ alertId: run.alertId, reason: `still open after ${formatDuration(run.maxLifetimeMs)}`, at });
        return closedBy(closing.action, closing.sequence);
      }
      case 'auto-resolve': {
        const closing = await autoResolveAlert({ alertId: run.alertId, reason: `no news for ${formatDuration(run.autoResolveMs!)}`, at });
        return closedBy(closing.action, closing.sequence);
      }
      case 'acknowledgement': {
        // The store appends the withdrawal unless the acknowledgement changed meanwhile (README
        // "Acknowledge"); either way its newest marks come back, and this deadline is done with.
        const news = await acknowledgementTimedOut({ alertId: run.alertId, sequence: deadline.sequence, at });
        heard(news);
        if (news.closing) closedBy(news.closing, news.sequence);
        run.ackRanOut = deadline.sequence;
      }
    }
  }

  for (let phase = phaseOf(run); phase !== 'done'; phase = phaseOf(run)) {
    await leaveGroupsOnce();
    if (!(await settle(run, phase, deadlineReached))) {
      // Lanes stop at their next safe point (no activity is left running), then the run hands over.
      run.stopping = true;
      await everythingStopped();
      // First attempts that ran in this workflow task are recorded when it completes. A continue-as-new
      // the server refuses (a signal came meanwhile) would drop them with it, and the lanes would
      // attempt again, coalesced anew. A timer ends the task first.
      if (input.firstAttempt === 'in-workflow-task') await sleep(1);
      return continueAsNewWith(input, run);
    }
    publishDeliveryState();
  }
  await leaveGroupsOnce();
  run.stopping = true;
  await everythingStopped();
  await finishAlert({ alertId: run.alertId });
  return { alert_id: run.alertId, status: run.status, delivery_state: runDeliveryState(run) };
}

/** Hands the alert to a new run with everything this one knows (lanes already stopped). */
async function continueAsNewWith(input: AlertWorkflowInput, run: AlertRun): Promise<AlertOutcome> {
  await condition(allHandlersFinished);
  const { typedSearchAttributes, memo } = workflowInfo();
  const continueAsNew = makeContinueAsNewFunc<typeof alertWorkflowV2>({ typedSearchAttributes, ...(memo && { memo }) });
  return continueAsNew({ ...input, resume: snapshotOf(run) });
}

/**
 * Waits for the phase to end, or for the open alert's next deadline (`reached` acts on it); false
 * when history is full and the run must continue as new first.
 */
async function settle(run: AlertRun, phase: Exclude<Phase, 'done'>, reached: (deadline: OpenDeadline) => Promise<void>): Promise<boolean> {
  const full = () => historyIsFull();
  switch (phase) {
    case 'open': {
      const deadline = nextOpenDeadline(run);
      // An expiry always waits on its timer (a run that resumed past it too), as it always has.
      if (deadline.kind === 'expire' || deadline.at > Date.now()) {
        const key = openDeadlineKey(run);
        // Woken early by a close, a full history, or news that moves a deadline (an acknowledgement, an update).
        const wake = () => run.closing !== undefined || full() || openDeadlineKey(run) !== key;
        const timeout = Math.max(deadline.at - Date.now(), 1);
        const woken = await (deadline.kind === 'expire' ? condition(wake, timeout) : condition(wake, timeout, { summary: deadline.summary }));
        if (run.closing) return true;
        if (woken) return !full();
      }
      await reached(deadline);
      return true;
    }
    case 'delivering':
      await condition(() => lanesIdle(run) || full());
      return lanesIdle(run);
    case 'grace': {
      // Give an operator time to fix the destination and redeliver before the record closes.
      run.graceUntil ??= Date.now() + REDELIVERY_GRACE_MS;
      const settled = await condition(() => phaseOf(run) !== 'grace' || full(), Math.max(run.graceUntil - Date.now(), 1));
      if (!settled) run.graceOver = true;
      return phaseOf(run) !== 'grace' || !settled;
    }
  }
}

/** True when a run should continue as new: Temporal suggests it, or it passed Herald's own limits. */
export function historyIsFull(): boolean {
  const info = workflowInfo();
  return info.continueAsNewSuggested || info.historyLength >= HISTORY_LIMITS.events || info.historySize >= HISTORY_LIMITS.bytes;
}
