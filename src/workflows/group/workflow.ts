// One workflow per group key (README "Grouping"): it runs the key's episodes one after another. An
// episode waits group_wait for alerts to join, then notifies its destinations through one lane each
// (the alert's lanes: FIFO, the retry schedule on durable timers), sends changes at most once per
// group_interval, repeats an unchanged firing group after repeat_interval, and ends with the resolve
// once no alert fires. Every wait is a timer, so a restart loses no held notification.
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  makeContinueAsNewFunc,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { nextNotification, reasonSeconds, type NotifyReason } from '../../domain/group-timing';
import { formatDuration } from '../../domain/schedule';
import { HeraldGroups, HeraldStatus } from '../../temporal/search-attributes';
import { ATTEMPT_ACTIVITY, RECORD_ACTIVITY, runLane, type LaneOwner } from '../alert/lane';
import { releaseHeldSignal } from '../alert/messages';
import { heldMayBeReleased, lanesIdle } from '../alert/state';
import { historyIsFull } from '../alert/workflow';
import { membersChangedSignal, type GroupWorkflowInput } from './messages';
import { composed, freshGroupRun, groupEventName, snapshotOfGroup, type GroupRun } from './state';

// Short store work: local activities, so a notification is composed in the workflow task that decided
// it (no task-queue round trip), its result still recorded in history.
const { openGroupEpisode, composeGroupNotification } = proxyLocalActivities<Activities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', maximumInterval: '1m' },
});
const { finishGroupEpisode } = proxyActivities<Activities>({ startToCloseTimeout: '30s', retry: { initialInterval: '1s', maximumInterval: '1m' } });
const { deliverGroupNotification } = proxyActivities<Activities>(ATTEMPT_ACTIVITY);
const { recordGroupFailedAttempt } = proxyActivities<Activities>(RECORD_ACTIVITY);

function groupLaneOwner(run: GroupRun, groupId: string): LaneOwner {
  return {
    eventName: (sequence) => groupEventName(run, sequence),
    attempt: (request, options) => deliverGroupNotification.executeWithOptions(options, [{ groupId, ...request }]),
    recordFailure: (request, _eventName, error, nextWaitMs) =>
      recordGroupFailedAttempt({ groupId, ...request, eventType: groupEventName(run, request.sequence), error, ...(nextWaitMs !== undefined && { nextWaitMs }) }),
  };
}

export async function groupWorkflow(input: GroupWorkflowInput): Promise<void> {
  const run: GroupRun = input.resume ? { ...input.resume, stopping: false } : freshGroupRun(input.keyId);
  setHandler(membersChangedSignal, () => {
    run.dirty = true;
  });
  setHandler(releaseHeldSignal, () => heldMayBeReleased(run));

  if (!run.episode) {
    const opened = await openGroupEpisode({ keyId: run.keyId });
    if (!opened) return; // every member left before this run looked: nothing to tell anyone
    const { episode, routes } = opened;
    // group_wait counts from the first join (the joining alert's workflow clock), not from this start,
    // which a busy worker makes later; an episode recorded before that was known counts from here.
    const openedAt = episode.opened_at ? Math.min(Date.now(), Date.parse(episode.opened_at)) : Date.now();
    run.episode = { id: episode.id, name: episode.name, policy: episode.policy, openedAt };
    run.routes = routes;
    upsertSearchAttributes([
      { key: HeraldGroups, value: [run.keyId, episode.id] },
      { key: HeraldStatus, value: 'firing' },
    ]);
  }
  const { episode } = run;
  const owner = groupLaneOwner(run, episode.id);
  let lanesDone: Promise<unknown> = Promise.resolve();
  const startLanes = () => {
    run.lanes ??= (run.routes ?? []).map((route) => ({ route, next: 0, failed: [], redeliver: [] }));
    lanesDone = Promise.all(run.lanes.map((lane) => runLane(run, lane, owner, () => {})));
  };
  if (run.lanes) startLanes();

  const compose = async (reason: Exclude<NotifyReason, 'resolved'>) => {
    run.dirty = false; // members that change while the compose runs are seen by the next one
    const result = await composeGroupNotification({ groupId: episode.id, reason, at: new Date().toISOString() });
    if (composed(run, result, Date.now())) startLanes();
  };

  const clock = () => ({ openedAt: episode.openedAt, changed: run.dirty, ...(run.lastNotifiedAt !== undefined && { lastNotifiedAt: run.lastNotifiedAt }), ...(run.notBefore !== undefined && { notBefore: run.notBefore }) });
  while (!run.ended) {
    const next = nextNotification(episode.policy, clock());
    const waitMs = next.at - Date.now();
    if (waitMs <= 0) {
      await compose(next.reason);
      continue;
    }
    // Woken early only when the deadline moves earlier: a change while waiting for the repeat.
    const summary = run.notBefore !== undefined ? `settle ${formatDuration(waitMs)}` : `${next.reason} ${formatDuration(reasonSeconds(episode.policy, next.reason) * 1000)}`;
    const woke = await condition(() => nextNotification(episode.policy, clock()).at < next.at || historyIsFull(), waitMs, { summary });
    if (woke && historyIsFull()) return handOver(run, input, lanesDone);
  }

  if (run.closing) upsertSearchAttributes([{ key: HeraldStatus, value: 'resolved' }]);
  await condition(() => lanesIdle(run));
  run.stopping = true;
  await lanesDone;
  await finishGroupEpisode({ groupId: episode.id });
  await condition(allHandlersFinished);
  // Alerts that joined after the resolve opened the key's next episode: a fresh run takes it.
  if (run.dirty) await continueAsNew<typeof groupWorkflow>({ keyId: run.keyId });
}

/** History is full: lanes stop at their next safe point and a new run carries on with the same episode. */
async function handOver(run: GroupRun, input: GroupWorkflowInput, lanesDone: Promise<unknown>): Promise<void> {
  run.stopping = true;
  await lanesDone;
  await condition(allHandlersFinished);
  const { typedSearchAttributes } = workflowInfo();
  return makeContinueAsNewFunc<typeof groupWorkflow>({ typedSearchAttributes })({ ...input, resume: snapshotOfGroup(run) });
}
