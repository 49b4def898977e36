// Alerts already running when the workflow code changes must replay with the new code. The fixture
// is the history of an alert recorded when routing was a scheduled activity (before it became local).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';

const fixture = (name: string) =>
  temporal.api.history.v1.History.decode(readFileSync(path.join(__dirname, 'fixtures', name)));

test('an alert routed by a scheduled activity replays with the current workflow code', async () => {
  const history = fixture('alert-routing-as-activity.history.bin');
  const scheduled = history.events.map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name).filter(Boolean);
  expect(scheduled).toEqual(['resolveRoutes', 'deliverEvent', 'deliverEvent']);

  await expect(
    Worker.runReplayHistory(
      { workflowBundle: { code: readFileSync(process.env.HERALD_TEST_WORKFLOW_BUNDLE!, 'utf8') } },
      history,
      'wf_fixture_routing_activity',
    ),
  ).resolves.toBeUndefined();
});
