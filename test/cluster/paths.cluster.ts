// The paths that matter most, on the real cluster topology: the Temporal server's services as
// separate processes on PostgreSQL, Herald's store on the same PostgreSQL, two APIs (requests
// alternate between them) and two workers (deliveries land on both).
import { Webhook } from 'standardwebhooks';
import { eventually } from '../support/eventually';
import { FakeIncidentIo, STATUSES } from '../support/fakes/incident-io';
import { FakePagerDuty } from '../support/fakes/pagerduty';
import { inPool } from '../support/pool';
import { Receiver, type Received } from '../support/receiver';
import { counterTotal, startTestCluster, type TestCluster } from './cluster';

const INCIDENT_IO_KEY = 'inc_test_0123456789abcdefghijklmnop';
const ROUTING_KEY = 'R0123456789abcdef0123456789ABCDE';

let cluster: TestCluster;
let receiver: Receiver;
let incidents: FakeIncidentIo;
let pagerduty: FakePagerDuty;

beforeAll(async () => {
  cluster = await startTestCluster('paths');
  receiver = await Receiver.start();
  incidents = await FakeIncidentIo.start(INCIDENT_IO_KEY);
  pagerduty = await FakePagerDuty.start();
}, 300_000);
afterAll(async () => {
  await cluster?.stop();
  await Promise.all([receiver?.close(), incidents?.close(), pagerduty?.close()]);
});
afterEach(() => {
  expect(incidents.contractViolations).toEqual([]);
  expect(pagerduty.contractViolations).toEqual([]);
});

async function webhook(name: string, path: string, retrySchedule = [0, 0.5, 0.5]): Promise<{ id: string; secret: string }> {
  const res = await cluster.call('POST', '/v1/destinations', { name, type: 'webhook', config: { url: receiver.url(path) }, retry_schedule: retrySchedule });
  expect(res.status).toBe(201);
  return { id: res.body.id, secret: res.body.config.signing_secret };
}

const at = (path: string) => (r: Received) => r.path === path;

test('a trigger reaches a signed webhook through retries, and both APIs read its attempts from the store', async () => {
  const hook = await webhook('signed', '/signed');
  receiver.respond((req, i) => (req.path === '/signed' && receiver.requests.filter(at('/signed')).length <= 2 && i >= 0 ? { status: 500 } : { status: 200 }));
  const accepted = await cluster.callOn(0, 'POST', '/v1/alerts', { id: 'c_signed', title: 'Orders lost a column', severity: 'critical', destinations: [hook.id] });
  expect(accepted.status).toBe(202);

  const attempts = await receiver.waitFor(3, at('/signed'));
  expect(new Set(attempts.map((r) => r.headers['webhook-id'])).size).toBe(1); // one delivery id, retried
  const payload = new Webhook(hook.secret).verify(attempts[2]!.body, {
    'webhook-id': String(attempts[2]!.headers['webhook-id']),
    'webhook-timestamp': String(attempts[2]!.headers['webhook-timestamp']),
    'webhook-signature': String(attempts[2]!.headers['webhook-signature']),
  }) as { event_type: string; alert: { id: string } };
  expect(payload).toMatchObject({ event_type: 'alert.triggered', alert: { id: 'c_signed' } });

  for (const api of [0, 1]) {
    await eventually(async () => {
      const res = await cluster.callOn(api, 'GET', '/v1/alerts/c_signed');
      expect(res.status).toBe(200);
      expect(res.body.destinations[0].state).toBe('delivered');
      expect(res.body.destinations[0].events[0].attempts.map((a: { status_code: number }) => a.status_code)).toEqual([500, 500, 200]);
    });
  }
});

test('updates and a resolve sent to alternate APIs arrive in order, and the alert reads resolved', async () => {
  const hook = await webhook('ordered', '/ordered');
  receiver.respond(() => ({ status: 200 }));
  expect((await cluster.callOn(0, 'POST', '/v1/alerts', { id: 'c_ordered', title: 'Lag', severity: 'warning', destinations: [hook.id] })).status).toBe(202);
  for (let n = 1; n <= 4; n++) {
    const res = await cluster.callOn(n % 2, 'POST', '/v1/alerts/c_ordered/events', { description: `lag ${n * 10} min`, data: { n } });
    expect(res.status).toBe(202);
  }
  expect((await cluster.callOn(1, 'POST', '/v1/alerts/c_ordered/resolve', {})).status).toBe(202);
  await eventually(async () => {
    const res = await cluster.callOn(0, 'GET', '/v1/alerts/c_ordered');
    expect(res.body).toMatchObject({ status: 'resolved', delivery_state: 'delivered' });
  });
  // Updates that queue behind a busy lane coalesce into the newest (README "Delivery and retries"): the
  // receiver sees the trigger, then updates in the order sent, the last one among them, then the resolve.
  const events = receiver.requests.filter(at('/ordered')).map((r) => JSON.parse(r.body) as { event_type: string; alert: { updates?: { n?: number } } });
  expect(events[0]!.event_type).toBe('alert.triggered');
  expect(events.at(-1)!.event_type).toBe('alert.resolved');
  const updates = events.slice(1, -1).map((e) => (expect(e.event_type).toBe('alert.updated'), e.alert.updates?.n));
  expect(updates.length).toBeGreaterThanOrEqual(1);
  expect(updates).toEqual([...updates].sort());
  expect(updates.at(-1)).toBe(4);
});

test('an incident.io incident and a PagerDuty alert open on trigger and close on resolve', async () => {
  const incidentIo = await cluster.call('POST', '/v1/destinations', {
    name: 'incident-io',
    type: 'incident_io',
    config: { api_key: INCIDENT_IO_KEY, base_url: incidents.url(), closed_status_id: STATUSES.closed.id },
    retry_schedule: [0, 0.2, 0.2],
  });
  const pd = await cluster.call('POST', '/v1/destinations', { name: 'pd', type: 'pagerduty', config: { routing_key: ROUTING_KEY, base_url: pagerduty.url() }, retry_schedule: [0, 0.2, 0.2] });
  expect([incidentIo.status, pd.status]).toEqual([201, 201]);
  incidents.failNext({ status: 500 });
  pagerduty.failNext({ status: 429, retryAfter: '0' });
  await cluster.callOn(1, 'POST', '/v1/alerts', { id: 'c_incident', title: 'Orders lost a column', severity: 'critical', destinations: [incidentIo.body.id, pd.body.id] });
  await eventually(async () => {
    expect(incidents.incidents.size).toBe(1);
    expect(pagerduty.alerts.get('herald/alert:c_incident')?.status).toBe('triggered');
  }, 60_000);
  await cluster.callOn(0, 'POST', '/v1/alerts/c_incident/resolve', {});
  await eventually(async () => {
    expect([...incidents.incidents.values()][0]!.status.id).toBe(STATUSES.closed.id);
    expect(pagerduty.alerts.get('herald/alert:c_incident')!.status).toBe('resolved');
  }, 60_000);
  expect(incidents.incidents.size).toBe(1); // the retried create replayed its idempotency key
  expect(pagerduty.alerts.get('herald/alert:c_incident')!.opened).toBe(1);
});

test('a failed lane is redelivered on request through the other API, with the same delivery ids', async () => {
  let up = false;
  receiver.respond((req) => (req.path !== '/flaky' || up ? { status: 200 } : { status: 503 }));
  const hook = await webhook('flaky', '/flaky', [0]);
  await cluster.callOn(0, 'POST', '/v1/alerts', { id: 'c_redeliver', title: 'Redeliver', destinations: [hook.id] });
  await eventually(async () => expect((await cluster.callOn(1, 'GET', '/v1/alerts/c_redeliver')).body.destinations[0].state).toBe('failed'));
  const failedIds = receiver.requests.filter(at('/flaky')).map((r) => r.headers['webhook-id']);
  up = true;
  expect((await cluster.callOn(1, 'POST', `/v1/alerts/c_redeliver/deliveries/${hook.id}/redeliver`, { by: 'operator' })).status).toBe(202);
  await eventually(async () => expect((await cluster.callOn(0, 'GET', '/v1/alerts/c_redeliver')).body.destinations[0].state).toBe('delivered'));
  expect(receiver.requests.filter(at('/flaky')).map((r) => r.headers['webhook-id']).slice(failedIds.length)).toEqual(failedIds);
});

test('deliveries of many alerts spread over both workers, and both APIs list them', async () => {
  receiver.respond(() => ({ status: 200 }));
  const hook = await webhook('spread', '/spread');
  const before = await Promise.all(cluster.topology.workers.map((w) => counterTotal(w.metricsUrl, 'herald_delivery_attempts_total')));
  const ids = Array.from({ length: 60 }, (_, i) => `c_spread_${i}`);
  const answers = await inPool(ids, 8, (id) => cluster.call('POST', '/v1/alerts', { id, title: `Spread ${id}`, labels: { batch: 'spread' }, destinations: [hook.id] }));
  expect(answers.map((a) => a.status)).toEqual(ids.map(() => 202));
  await receiver.waitFor(60, at('/spread'), 120_000);
  // A worker counts an attempt once the receiver's answer is back, a moment after the receiver has it.
  const byWorker = await eventually(async () => {
    const after = await Promise.all(cluster.topology.workers.map((w) => counterTotal(w.metricsUrl, 'herald_delivery_attempts_total')));
    const counted = after.map((n, i) => n - before[i]!);
    expect(counted.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(60);
    return counted;
  });
  expect(byWorker.every((n) => n > 0)).toBe(true);
  for (const api of [0, 1]) {
    await eventually(async () => {
      const listed = await cluster.callOn(api, 'GET', '/v1/alerts?page_size=100&status=triggered');
      expect(listed.body.data.filter((a: { id: string }) => a.id.startsWith('c_spread_'))).toHaveLength(60);
    });
  }
});
