// Acknowledge over the HTTP API on a real dev server (README "Acknowledge"): the routes, their
// errors, the read model, the list filter and the Temporal search attribute; a webhook and a Slack
// receiver on loopback hear who acknowledged.
import { Client, Connection } from '@temporalio/client';
import { eventually } from '../support/eventually';
import { Receiver } from '../support/receiver';
import { startHerald, type TestHerald } from '../support/herald';

let herald: TestHerald;
let webhook: Receiver;
let slack: Receiver;
let destinations: string[];
let connection: Connection;
let client: Client;

beforeAll(async () => {
  herald = await startHerald({ env: { HERALD_API_KEYS: 'admin-key-0123456789abcdef,ingest-key-0123456789abcdef:ingest,read-key-0123456789abcdefgh:read' } });
  webhook = await Receiver.start();
  slack = await Receiver.start();
  slack.respond(() => ({ status: 200, body: 'ok' }));
  connection = await Connection.connect({ address: process.env.HERALD_TEST_TEMPORAL_ADDRESS! });
  client = new Client({ connection });
  const make = async (body: Record<string, unknown>) => (await herald.call('POST', '/v1/destinations', body)).body.id as string;
  destinations = [
    await make({ name: 'ack-webhook', type: 'webhook', config: { url: webhook.url() } }),
    await make({ name: 'ack-slack', type: 'slack', config: { webhook_url: slack.url('/services/T/B/SECRET') } }),
  ];
});
afterAll(async () => {
  await herald.stop();
  await connection?.close();
  await Promise.all([webhook.close(), slack.close()]);
});

const as = (key: string) => ({ authorization: `Bearer ${key}` });

test('acknowledge and unacknowledge: answers, read model, list filter, search attribute, and what destinations hear', async () => {
  expect((await herald.call('POST', '/v1/alerts', { id: 'api_ack_1', title: 'Orders table is stale', destinations })).status).toBe(202);
  await webhook.waitFor(1, (r) => r.body.includes('api_ack_1'));

  const acked = await herald.call('POST', '/v1/alerts/api_ack_1/acknowledge', { by: 'alice' }, as('ingest-key-0123456789abcdef'));
  expect(acked.status).toBe(202);
  expect(acked.body).toMatchObject({ id: 'api_ack_1', action: 'acknowledge', accepted: true, changed: true });
  const again = await herald.call('POST', '/v1/alerts/api_ack_1/acknowledge', { by: 'alice' });
  expect(again.body.changed).toBe(false);

  const state = (await herald.call('GET', '/v1/alerts/api_ack_1')).body;
  expect(state.status).toBe('acknowledged');
  expect(state.acknowledgement).toMatchObject({ by: 'alice', at: expect.any(String) });
  const listed = (await herald.call('GET', '/v1/alerts?status=acknowledged')).body.data.map((a: { id: string }) => a.id);
  expect(listed).toContain('api_ack_1');
  await eventually(async () => {
    const found = await client.workflow.list({ query: `HeraldStatus = 'acknowledged' AND WorkflowId = 'alert:api_ack_1'` });
    for await (const _ of found) return;
    throw new Error('not yet visible as acknowledged');
  });

  await webhook.waitFor(2, (r) => r.body.includes('api_ack_1'));
  const ack = JSON.parse(webhook.requests.filter((r) => r.body.includes('api_ack_1'))[1]!.body);
  expect(ack).toMatchObject({ event_type: 'alert.acknowledged', alert: { status: 'acknowledged', acknowledged_by: 'alice' } });
  expect(webhook.requests.filter((r) => r.body.includes('api_ack_1'))[1]!.headers['x-herald-event']).toBe('alert.acknowledged');
  const slackAck = (await slack.waitFor(2))[1]!;
  expect(JSON.parse(slackAck.body).text).toContain('Acknowledged: Orders table is stale');
  expect(slackAck.body).toContain('*By*\\nalice');

  expect((await herald.call('POST', '/v1/alerts/api_ack_1/unacknowledge', { by: 'alice' })).body.changed).toBe(true);
  expect((await herald.call('GET', '/v1/alerts/api_ack_1')).body).not.toHaveProperty('acknowledgement');
  await webhook.waitFor(3, (r) => r.body.includes('api_ack_1'));
  expect(JSON.parse(webhook.requests.filter((r) => r.body.includes('api_ack_1'))[2]!.body)).toMatchObject({ event_type: 'alert.unacknowledged', alert: { status: 'triggered', unacknowledged_by: 'alice' } });

  await herald.call('POST', '/v1/alerts/api_ack_1/resolve', { by: 'alice' });
  const late = await herald.call('POST', '/v1/alerts/api_ack_1/acknowledge', { by: 'bob' });
  expect(late.status).toBe(409);
  expect(late.body.error.code).toBe('alert_closed');
});

test('bad acknowledgements get a clear error naming the field, and change nothing', async () => {
  expect((await herald.call('POST', '/v1/alerts', { id: 'api_ack_2', title: 'Row count dropped', destinations })).status).toBe(202);
  const past = await herald.call('POST', '/v1/alerts/api_ack_2/acknowledge', { by: 'alice', until: '2020-01-01T00:00:00Z' });
  expect(past.status).toBe(400);
  expect(past.body.error.details).toEqual([{ path: 'until', message: 'must be in the future' }]);
  const garbled = await herald.call('POST', '/v1/alerts/api_ack_2/acknowledge', { until: 'tomorrow' });
  expect(garbled.status).toBe(400);
  expect(garbled.body.error.details[0].path).toBe('until');
  const unknownField = await herald.call('POST', '/v1/alerts/api_ack_2/unacknowledge', { until: '2030-01-01T00:00:00Z' });
  expect(unknownField.status).toBe(400);
  expect((await herald.call('POST', '/v1/alerts/no_such_alert/acknowledge', {})).status).toBe(404);
  expect((await herald.call('POST', '/v1/alerts/api_ack_2/acknowledge', {}, as('read-key-0123456789abcdefgh'))).status).toBe(403);
  expect((await herald.call('GET', '/v1/alerts/api_ack_2')).body.status).toBe('triggered');
});
