// With HERALD_RECORD_FIXTURES=1, the workflow tests keep chosen histories as replay fixtures:
// test/workflow/replay.test.ts replays each with every later version of the workflow code.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';

export const recordingFixtures = () => process.env.HERALD_RECORD_FIXTURES === '1';

export function keepAsReplayFixture(history: temporal.api.history.v1.IHistory, name: string): void {
  if (!recordingFixtures()) return;
  writeFileSync(path.join(__dirname, '..', 'workflow', 'fixtures', name), temporal.api.history.v1.History.encode(history).finish());
}
