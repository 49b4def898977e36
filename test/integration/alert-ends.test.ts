// Nothing accepted is dropped in silence: an alert whose workflow an operator terminated shows that,
// with Temporal's reason, in GET and the list (never a 500), and news for it is answered 409; an
// event the store kept while its signal could not be sent is told to the workflow by the reconciler.
import { Client, Connection } from '@temporalio/client';
import pino from 'pino';
import { startAlertReconciler } from '../../src/api/alert-reconciler';
import { workflowIdFor } from '../../src/domain/alert';
import { alertWorkflowV2 } from '../../src/workflows';
import { AlertStore } from '../../src/store/alerts';
import { openSqlite, type Db } from '../../src/store/db';
import { AlertWorkflows } from '../../src/temporal/alert-workflows';
import { eventually } from '../support/eventually';
import { startHerald, type TestHerald } from '../support/herald';
import { Receiver } from '../support/receiver';

let herald: TestHerald;
let receiver: Receiver;
let connection: Connection;
let client: Client;
let db: Db;
let reconciler: ReturnType<typeof startAlertReconciler>;
let destination: string;

beforeAll(async () => {
  herald = await startHerald();
  receiver = await Receiver.start();
  connection = await Connection.connect({ address: process.env.HERALD_TEST_TEMPORAL_ADDRESS! });
  client = new Client({ connection });
  db = openSqlite(herald.config.dataDir); // the same file the test Herald writes
  const workflows = new AlertWorkflows(client, connection, herald.config.taskQueue, herald.config.alertMaxLifetimeMs);
  reconciler = startAlertReconciler({ alerts: new AlertStore(db), workflows, logger: pino({ level: 'silent' }) }, { everyMs: 3_600_000, announceAfterMs: 0 });
  destination = (await herald.call('POST', '/v1/destinations', { name: 'ends', type: 'webhook', config: { url: receiver.url() } })).body.id;
});
afterAll(async () => {
  await reconciler?.stop();
  await herald?.stop();
  await receiver?.close();
  await db?.destroy();
  await connection?.close();
});

async function triggered(id: string) {
  expect((await herald.call('POST', '/v1/alerts', { id, title: `Alert ${id}`, destinations: [destination] })).status).toBe(202);
  await receiver.waitFor(1, (r) => JSON.parse(r.body).alert.id === id);
}

test('news for an alert whose workflow was terminated is a 409, and GET says what happened', async () => {
  await triggered('ends_1');
  await client.workflow.getHandle(workflowIdFor('ends_1')).terminate('operator stopped it');
  const update = await herald.call('POST', '/v1/alerts/ends_1/events', { description: 'too late' });
  expect(update.status).toBe(409);
  expect(update.body.error).toMatchObject({ code: 'alert_closed', details: { status: 'terminated' } });
  const state = await herald.call('GET', '/v1/alerts/ends_1');
  expect(state.status).toBe(200);
  expect(state.body).toMatchObject({ status: 'terminated', termination: { workflow_status: 'TERMINATED', reason: 'operator stopped it' } });
  expect((await herald.call('POST', '/v1/alerts/ends_1/resolve', {})).status).toBe(409);
});

test('a terminated workflow nobody wrote to is found by the reconciler; the list shows it', async () => {
  await triggered('ends_2');
  await client.workflow.getHandle(workflowIdFor('ends_2')).terminate('cleanup');
  await eventually(async () => {
    await reconciler.once();
    const state = await herald.call('GET', '/v1/alerts/ends_2');
    expect(state.body).toMatchObject({ status: 'terminated', termination: { workflow_status: 'TERMINATED', reason: 'cleanup' } });
  });
  const list = await herald.call('GET', '/v1/alerts?status=terminated');
  expect(list.body.data.map((a: { id: string }) => a.id)).toEqual(expect.arrayContaining(['ends_1', 'ends_2']));
});

test('an event kept without its signal (Temporal was unreachable) is told by the reconciler and delivered', async () => {
  await triggered('ends_3');
  // What the API does when the signal cannot be sent: the event is kept, the workflow not told.
  const { sequence } = await new AlertStore(db).appendUpdate('ends_3', { description: 'kept while Temporal was down' });
  expect(sequence).toBe(1);
  expect(await reconciler.once()).toBeGreaterThanOrEqual(1);
  const [updated] = await receiver.waitFor(1, (r) => JSON.parse(r.body).alert.id === 'ends_3' && r.headers['x-herald-event'] === 'alert.updated');
  expect(JSON.parse(updated!.body).alert.description).toBe('kept while Temporal was down');
});

test('a close sent again after a 503 is accepted and told; once the workflow heard of it, another close is a 409', async () => {
  await triggered('ends_4');
  await new AlertStore(db).appendClose('ends_4', 'resolve', { by: 'while-down' });
  expect((await herald.call('POST', '/v1/alerts/ends_4/resolve', { by: 'retry' })).status).toBe(202);
  const [resolved] = await receiver.waitFor(1, (r) => JSON.parse(r.body).alert.id === 'ends_4' && r.headers['x-herald-event'] === 'alert.resolved');
  expect(JSON.parse(resolved!.body).alert.closed_by).toBe('while-down'); // the close kept first is the alert's
  expect((await herald.call('POST', '/v1/alerts/ends_4/resolve', {})).status).toBe(409);
  expect((await herald.call('POST', '/v1/alerts/ends_4/dismiss', {})).status).toBe(409);
});

test('a trigger sent again after a 503 whose start had reached Temporal replaces that run, which never saw the alert', async () => {
  // What a start answered 503 leaves behind: a run under the alert's id, and no rows. This one waits
  // on a queue no worker polls, so it is still running when the retry comes.
  const stale = await client.workflow.start(alertWorkflowV2, {
    workflowId: workflowIdFor('ends_5'),
    taskQueue: 'nobody-polls-this',
    args: [{ alertId: 'ends_5', destinationIds: [destination], maxLifetimeMs: herald.config.alertMaxLifetimeMs }],
  });
  const retried = await herald.call('POST', '/v1/alerts', { id: 'ends_5', title: 'Alert ends_5', destinations: [destination] });
  expect(retried.status).toBe(202);
  expect(retried.body.deduplicated).toBe(false);
  await receiver.waitFor(1, (r) => JSON.parse(r.body).alert.id === 'ends_5');
  expect((await herald.call('POST', '/v1/alerts/ends_5/resolve', {})).status).toBe(202);
  await receiver.waitFor(1, (r) => JSON.parse(r.body).alert.id === 'ends_5' && r.headers['x-herald-event'] === 'alert.resolved');
  expect((await client.workflow.getHandle(stale.workflowId, stale.firstExecutionRunId).describe()).status.name).toBe('TERMINATED');
});
