// The whole lifecycle through the HTTP API on a real dev server, to every destination type at once:
// trigger, updates, resolve (with end_timestamp). Expiry needs days to pass, so it is tested on the
// time-skipping server (test/workflow/alert-workflow.test.ts); each provider closes on it as on a resolve.
import { eventually } from '../support/eventually';
import { FakeIncidentIo, STATUSES } from '../support/fakes/incident-io';
import { FakePagerDuty } from '../support/fakes/pagerduty';
import { Receiver } from '../support/receiver';
import { startHerald, type TestHerald } from '../support/herald';

const INCIDENT_KEY = 'inc_lifecycle_0123456789abcdef';
const ROUTING_KEY = 'L0123456789abcdef0123456789ABCDE';
let herald: TestHerald;
let webhook: Receiver;
let slack: Receiver;
let incidents: FakeIncidentIo;
let pagerduty: FakePagerDuty;
let destinations: string[];

beforeAll(async () => {
  herald = await startHerald();
  webhook = await Receiver.start();
  slack = await Receiver.start();
  slack.respond(() => ({ status: 200, body: 'ok' }));
  incidents = await FakeIncidentIo.start(INCIDENT_KEY);
  pagerduty = await FakePagerDuty.start();
  const make = async (body: Record<string, unknown>) => (await herald.call('POST', '/v1/destinations', body)).body.id as string;
  destinations = [
    await make({ name: 'lc-webhook', type: 'webhook', config: { url: webhook.url() } }),
    await make({ name: 'lc-incident', type: 'incident_io', config: { api_key: INCIDENT_KEY, base_url: incidents.url(), closed_status_id: STATUSES.closed.id } }),
    await make({ name: 'lc-pagerduty', type: 'pagerduty', config: { routing_key: ROUTING_KEY, base_url: pagerduty.url() } }),
    await make({ name: 'lc-slack', type: 'slack', config: { webhook_url: slack.url('/services/T/B/SECRET') } }),
  ];
});
afterAll(async () => {
  await herald.stop();
  await Promise.all([webhook.close(), slack.close(), incidents.close(), pagerduty.close()]);
});
afterEach(() => {
  expect(incidents.contractViolations).toEqual([]);
  expect(pagerduty.contractViolations).toEqual([]);
});

const settled = (id: string, check: (body: any) => void, timeoutMs = 20_000) =>
  eventually(async () => {
    const res = await herald.call('GET', `/v1/alerts/${id}`);
    check(res.body);
    return res.body;
  }, timeoutMs);
const eventsOf = (receiver: Receiver, id: string) =>
  receiver.requests.map((r) => JSON.parse(r.body)).filter((b) => b.event_type === undefined || b.alert?.id === id);

test('trigger, two updates, resolve with end_timestamp', async () => {
  await herald.call('POST', '/v1/alerts', { id: 'lc_1', title: 'Orders anomaly', severity: 'error', event: { type: 'anomaly', asset: { qualified_name: 'prod.orders' } }, destinations });
  const deliveredAt = (sequence: number) => (b: any) => {
    expect(b.destinations).toHaveLength(4);
    expect(b.destinations.every((d: any) => d.events[sequence]?.state === 'delivered')).toBe(true);
  };
  await settled('lc_1', deliveredAt(0));
  const update1 = await herald.call('POST', '/v1/alerts/lc_1/events', { event: { details: { correlated_metrics: ['checkout.latency'] } } });
  expect(update1.status).toBe(202);
  // Each update waits for the one before at every destination: updates that queue behind a busy
  // lane coalesce into the newest (test/workflow/alert-workflow.test.ts), and here each goes out.
  await settled('lc_1', deliveredAt(1));
  await herald.call('POST', '/v1/alerts/lc_1/events', { description: 'Correlated with checkout latency', data: { score: 0.93 } });
  const bad = await herald.call('POST', '/v1/alerts/lc_1/events', { severity: 'extreme' });
  expect(bad.status).toBe(400);
  await herald.call('POST', '/v1/alerts/lc_1/resolve', { by: 'anomify', end_timestamp: '2026-11-22T10:30:00Z' });

  const state = await settled('lc_1', (b) => {
    expect(b.status).toBe('resolved');
    expect(b.destinations.map((d: any) => d.events.map((e: any) => e.state))).toEqual(Array(4).fill(['delivered', 'delivered', 'delivered', 'delivered']));
  });
  expect(state.destinations.map((d: any) => d.events.map((e: any) => e.event_type))[0]).toEqual(['alert.triggered', 'alert.updated', 'alert.updated', 'alert.resolved']);

  const hooks = eventsOf(webhook, 'lc_1');
  expect(hooks.map((b) => b.event_type)).toEqual(['alert.triggered', 'alert.updated', 'alert.updated', 'alert.resolved']);
  expect(hooks[3]).toMatchObject({ alert: { status: 'resolved', end_timestamp: '2026-11-22T10:30:00.000Z', description: 'Correlated with checkout latency', updates: { score: 0.93 } }, event: { details: { correlated_metrics: ['checkout.latency'] } } });

  const incident = incidents.incidents.get(state.destinations[1].incident.id)!;
  expect(incident.status).toBe(STATUSES.closed);
  expect(incident.summary).toContain('Correlated with checkout latency'); // the summary followed the updates
  expect(state.destinations[1].incident).toMatchObject({ provider: 'incident_io', status: 'closed', reference: incident.reference });

  const pd = pagerduty.alerts.get('herald/alert:lc_1')!;
  expect(pd.events.map((e) => e.event_action)).toEqual(['trigger', 'trigger', 'trigger', 'resolve']);
  expect(pd).toMatchObject({ status: 'resolved', opened: 1 });

  const posts = slack.requests.map((r) => JSON.parse(r.body).text as string).filter((t) => t.includes('Orders anomaly'));
  expect(posts.map((t) => t.split(':')[1])).toEqual(['rotating_light', 'arrows_counterclockwise', 'arrows_counterclockwise', 'white_check_mark']);

  // Closed: no more updates.
  expect((await herald.call('POST', '/v1/alerts/lc_1/events', { description: 'late' })).status).toBe(409);
});
