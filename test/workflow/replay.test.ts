// Alerts already running when the workflow code changes must replay with the new code. The fixtures
// are histories recorded with earlier code: an alert routed by a scheduled activity (before routing
// became local), and alerts of the first workflow version (before the read model): one resolved,
// one still waiting on a retry timer of its trigger when it was recorded; and runs of the current
// version (alertWorkflowV2) across a continue-as-new, held by a mute window, silenced and grouped,
// acknowledged; and one whose first attempts ran in the workflow task (local activities) while its
// retries were scheduled. A change that breaks one of these breaks running alerts.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';

const fixture = (name: string) => temporal.api.history.v1.History.decode(readFileSync(path.join(__dirname, 'fixtures', name)));
const replay = (history: temporal.api.history.v1.IHistory, workflowId: string) =>
  Worker.runReplayHistory({ workflowBundle: { code: readFileSync(process.env.HERALD_TEST_WORKFLOW_BUNDLE!, 'utf8') } }, history, workflowId);
const scheduledActivities = (history: temporal.api.history.v1.IHistory) =>
  history.events!.map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name).filter(Boolean);

test('an alert routed by a scheduled activity replays with the current workflow code', async () => {
  const history = fixture('alert-routing-as-activity.history.bin');
  expect(scheduledActivities(history)).toEqual(['resolveRoutes', 'deliverEvent', 'deliverEvent']);
  await expect(replay(history, 'wf_fixture_routing_activity')).resolves.toBeUndefined();
});

test('a resolved alert of the first workflow version (two lanes, an update) replays', async () => {
  const history = fixture('alert-v1-resolved.history.bin');
  expect(history.events![0]!.workflowExecutionStartedEventAttributes!.workflowType!.name).toBe('alertWorkflow');
  expect(scheduledActivities(history)).toEqual(Array(6).fill('deliverEvent'));
  expect(history.events!.at(-1)!.workflowExecutionCompletedEventAttributes).toBeTruthy();
  await expect(replay(history, 'alert:fixture_v1_resolved')).resolves.toBeUndefined();
});

test('an alert of the first workflow version recorded mid-retry replays up to where it was', async () => {
  const history = fixture('alert-v1-mid-retry.history.bin');
  expect(scheduledActivities(history)).toEqual(['deliverEvent']);
  expect(history.events!.some((e) => e.timerStartedEventAttributes)).toBe(true);
  expect(history.events!.filter((e) => e.workflowExecutionSignaledEventAttributes).map((e) => e.workflowExecutionSignaledEventAttributes!.signalName)).toEqual(['update', 'resolve']);
  await expect(replay(history, 'alert:fixture_v1_mid_retry')).resolves.toBeUndefined();
});

test('a run of the current workflow that continued as new, and the resumed run that completed, replay', async () => {
  const continued = fixture('alert-v2-continued.history.bin');
  expect(continued.events![0]!.workflowExecutionStartedEventAttributes!.workflowType!.name).toBe('alertWorkflowV2');
  expect(continued.events!.at(-1)!.workflowExecutionContinuedAsNewEventAttributes).toBeTruthy();
  await expect(replay(continued, 'alert:fixture_v2')).resolves.toBeUndefined();

  const resumed = fixture('alert-v2-resumed.history.bin');
  const input = JSON.parse(Buffer.from(resumed.events![0]!.workflowExecutionStartedEventAttributes!.input!.payloads![0]!.data!).toString());
  expect(input.resume).toMatchObject({ alertId: 'fixture_v2', status: expect.any(String) });
  expect(resumed.events!.at(-1)!.workflowExecutionCompletedEventAttributes).toBeTruthy();
  await expect(replay(resumed, 'alert:fixture_v2')).resolves.toBeUndefined();
});

test('a group workflow from its first join to its resolve (group_wait, group_interval, three notifications) replays', async () => {
  const history = fixture('group-v1-resolved.history.bin');
  expect(history.events![0]!.workflowExecutionStartedEventAttributes!.workflowType!.name).toBe('groupWorkflow');
  // Opening the episode and each compose are local activities (markers); the deliveries are scheduled.
  expect(history.events!.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity').length).toBeGreaterThanOrEqual(4);
  expect(scheduledActivities(history)).toEqual(expect.arrayContaining(['deliverGroupNotification', 'finishGroupEpisode']));
  expect(history.events!.at(-1)!.workflowExecutionCompletedEventAttributes).toBeTruthy();
  const workflowId = history.events![0]!.workflowExecutionStartedEventAttributes!.workflowId ?? 'group:fixture';
  await expect(replay(history, workflowId)).resolves.toBeUndefined();
});

test('an alert held by a silence, then let go into its group and resolved, replays', async () => {
  const history = fixture('alert-v2-silenced-grouped.history.bin');
  expect(scheduledActivities(history)).toEqual(expect.arrayContaining(['deliver', 'joinGroups', 'leaveGroups', 'finishAlert']));
  expect(history.events!.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity')).toHaveLength(2); // routing, then the recheck
  expect(history.events!.at(-1)!.workflowExecutionCompletedEventAttributes).toBeTruthy();
  await expect(replay(history, 'alert:s1_a')).resolves.toBeUndefined();
});

test('an alert whose trigger a mute window held, then sent with the coalesced update and the resolve, replays', async () => {
  const history = fixture('alert-v2-mute-held.history.bin');
  const deliveries = history.events!.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'deliver');
  // The held first attempt, the same attempt once the window ended, then the update and the resolve.
  expect(deliveries).toHaveLength(4);
  expect(history.events!.some((e) => e.timerStartedEventAttributes && Buffer.from(e.userMetadata?.summary?.data ?? []).toString().includes('held by mute window'))).toBe(true);
  expect(history.events!.at(-1)!.workflowExecutionCompletedEventAttributes).toBeTruthy();
  await expect(replay(history, 'alert:m1_a')).resolves.toBeUndefined();
});

test('an alert acknowledged with until, returned to triggered by its timeout, acknowledged and taken back again, then dismissed, replays', async () => {
  const history = fixture('alert-v2-acknowledged.history.bin');
  const signals = history.events!.filter((e) => e.workflowExecutionSignaledEventAttributes).map((e) => e.workflowExecutionSignaledEventAttributes!.signalName);
  expect(signals).toEqual(['acknowledge', 'acknowledge', 'unacknowledge', 'dismiss']);
  expect(scheduledActivities(history)).toContain('acknowledgementTimedOut');
  expect(history.events!.at(-1)!.workflowExecutionCompletedEventAttributes).toBeTruthy();
  await expect(replay(history, 'alert:ack_2')).resolves.toBeUndefined();
});

test('an alert whose first attempts ran in the workflow task, and whose retries were scheduled, replays', async () => {
  const history = fixture('alert-v2-first-attempt-in-task.history.bin');
  const attempts = history.events!.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'deliver').map((e) => JSON.parse(Buffer.from(e.activityTaskScheduledEventAttributes!.input!.payloads![0]!.data!).toString()).attempt);
  expect(attempts).toEqual([2, 3, 4, 5, 2, 3, 4, 5]);
  expect(history.events!.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity')).toHaveLength(3); // routing, two first attempts
  expect(history.events!.at(-1)!.workflowExecutionCompletedEventAttributes).toBeTruthy();
  await expect(replay(history, 'alert:wf_schedule')).resolves.toBeUndefined();
});
