// Provider webhooks in (README "Provider webhooks in") on a real dev server: a responder acknowledges
// and resolves in PagerDuty or incident.io (contract fakes on loopback, whose webhooks are signed as
// the providers sign them); the Herald alert follows, the other destinations hear of it, and the
// provider the change came from is not sent it back. Bad signatures are refused; an echo of what
// Herald itself sent changes nothing.
import { createHmac, randomBytes } from 'node:crypto';
import { eventually } from '../support/eventually';
import { FakeIncidentIo, STATUSES } from '../support/fakes/incident-io';
import { FakePagerDuty } from '../support/fakes/pagerduty';
import { startHerald, type TestHerald } from '../support/herald';
import { Receiver } from '../support/receiver';

const PD_SECRET = 'pd-webhook-secret-0123456789abcdef';
const IIO_SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const ROUTING_KEY = 'R0UT1NGKEY0123456789abcdefABCDEF';
const IIO_KEY = 'inc_test_0123456789abcdefghijklmnop';

let herald: TestHerald;
let pagerduty: FakePagerDuty;
let incidents: FakeIncidentIo;
let hook: Receiver;
let hookId: string;

beforeAll(async () => {
  herald = await startHerald({ env: { HERALD_PAGERDUTY_WEBHOOK_SECRETS: `old-secret-0123456789abcdef,${PD_SECRET}`, HERALD_INCIDENT_IO_WEBHOOK_SECRETS: IIO_SECRET } });
  pagerduty = await FakePagerDuty.start();
  incidents = await FakeIncidentIo.start(IIO_KEY);
  hook = await Receiver.start();
  hookId = (await herald.call('POST', '/v1/destinations', { name: 'team-hook', type: 'webhook', config: { url: hook.url() } })).body.id;
});
afterAll(async () => {
  await herald.stop();
  await pagerduty.close();
  await incidents.close();
  await hook.close();
});
afterEach(() => {
  expect(pagerduty.contractViolations).toEqual([]);
  expect(incidents.contractViolations).toEqual([]);
});

const post = (path: string, delivery: { body: string; headers: Record<string, string> }) =>
  fetch(`${herald.url}${path}`, { method: 'POST', body: delivery.body, headers: delivery.headers }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));

const signedByPagerDuty = (body: string) => ({ body, headers: { 'content-type': 'application/json', 'x-pagerduty-signature': `v1=${createHmac('sha256', PD_SECRET).update(body).digest('hex')}` } });

const hookEvents = (alertId: string) => hook.requests.filter((r) => JSON.parse(r.body).alert.id === alertId).map((r) => JSON.parse(r.body));

async function laneSettled(alertId: string, name: string, events: number) {
  return eventually(async () => {
    const state = (await herald.call('GET', `/v1/alerts/${alertId}`)).body;
    const lane = state.destinations.find((d: { name: string }) => d.name === name);
    expect(lane.events.filter((e: { state: string }) => e.state === 'delivered')).toHaveLength(events);
    return { state, lane };
  });
}

test('PagerDuty: acknowledged and resolved there reaches the alert and the other destinations, not PagerDuty again', async () => {
  const pd = (await herald.call('POST', '/v1/destinations', { name: 'pd', type: 'pagerduty', config: { routing_key: ROUTING_KEY, base_url: pagerduty.url() } })).body.id;
  await herald.call('POST', '/v1/alerts', { id: 'pdw_1', title: 'Orders lost a column', severity: 'critical', destinations: [pd, hookId] });
  await laneSettled('pdw_1', 'pd', 1);
  const key = 'herald/alert:pdw_1';
  expect(pagerduty.alerts.get(key)!.status).toBe('triggered');

  // Signed with a secret Herald does not have, or altered after signing: refused, nothing changes.
  const forged = pagerduty.responderActs(key, 'incident.acknowledged', 'someone-elses-secret-0123');
  expect((await post('/v1/sources/pagerduty', forged)).status).toBe(401);
  const genuine = pagerduty.responderActs(key, 'incident.acknowledged', PD_SECRET);
  expect((await post('/v1/sources/pagerduty', { ...genuine, body: genuine.body.replace('Dana', 'Mallory') })).status).toBe(401);
  expect((await herald.call('GET', '/v1/alerts/pdw_1')).body.status).toBe('triggered');

  const acked = await post('/v1/sources/pagerduty', genuine);
  expect(acked).toEqual({ status: 200, body: { event_type: 'incident.acknowledged', incident: key, results: [{ alert_id: 'pdw_1', action: 'acknowledge', result: 'accepted' }] } });
  await hook.waitFor(2, (r) => r.body.includes('pdw_1'));
  expect(hookEvents('pdw_1')[1]).toMatchObject({ event_type: 'alert.acknowledged', alert: { acknowledged_by: 'Dana Oncall (PagerDuty)' }, origin: { provider: 'pagerduty', destination_ids: [pd] } });
  const { state, lane } = await laneSettled('pdw_1', 'pd', 2);
  expect(state).toMatchObject({ status: 'acknowledged', acknowledgement: { by: 'Dana Oncall (PagerDuty)' } });
  expect(lane.events[1].attempts[0].note).toBe('alert.acknowledged came from PagerDuty: not sent back');

  const resolved = await post('/v1/sources/pagerduty', pagerduty.responderActs(key, 'incident.resolved', PD_SECRET));
  expect(resolved.body.results).toEqual([{ alert_id: 'pdw_1', action: 'resolve', result: 'accepted' }]);
  await hook.waitFor(3, (r) => r.body.includes('pdw_1'));
  expect(hookEvents('pdw_1')[2]).toMatchObject({ event_type: 'alert.resolved', alert: { closed_by: 'Dana Oncall (PagerDuty)', close_reason: 'resolved in PagerDuty' }, origin: { provider: 'pagerduty' } });
  const closed = await laneSettled('pdw_1', 'pd', 3);
  expect(closed.state).toMatchObject({ status: 'resolved', closure: { by: 'Dana Oncall (PagerDuty)', reason: 'resolved in PagerDuty' } });
  // PagerDuty heard the trigger only: what happened there was not sent back.
  expect(pagerduty.requests.filter((r) => r.body.dedup_key === key).map((r) => r.body.event_action)).toEqual(['trigger']);

  // PagerDuty retries a delivery it thinks failed: the same resolve again changes nothing.
  expect((await post('/v1/sources/pagerduty', pagerduty.responderActs(key, 'incident.resolved', PD_SECRET))).body.results).toEqual([{ alert_id: 'pdw_1', action: 'resolve', result: 'already_closed' }]);
  // An incident Herald did not open, and an event Herald does not act on.
  expect((await post('/v1/sources/pagerduty', pagerduty.responderActs('someone-elses-key', 'incident.resolved', PD_SECRET))).body.results).toEqual([]);
  const escalated = pagerduty.responderActs(key, 'incident.acknowledged', PD_SECRET).body.replace('"incident.acknowledged"', '"incident.escalated"');
  expect((await post('/v1/sources/pagerduty', signedByPagerDuty(escalated))).body).toMatchObject({ event_type: 'incident.escalated', results: [] });
  const notJson = await post('/v1/sources/pagerduty', signedByPagerDuty('not json'));
  expect([notJson.status, notJson.body.error.code]).toEqual([400, 'invalid_json']);
  const noKey = await post('/v1/sources/pagerduty', signedByPagerDuty('{"event": {}}'));
  expect(noKey.body.error.details.map((d: { path: string }) => d.path)).toEqual(expect.arrayContaining(['event.id', 'event.event_type', 'event.data']));
});

test('PagerDuty: the echo of an acknowledgement Herald sent there changes nothing', async () => {
  const pd = (await herald.call('POST', '/v1/destinations', { name: 'pd-echo', type: 'pagerduty', config: { routing_key: ROUTING_KEY, base_url: pagerduty.url() } })).body.id;
  await herald.call('POST', '/v1/alerts', { id: 'pdw_2', title: 'Stale orders', severity: 'error', destinations: [pd] });
  await laneSettled('pdw_2', 'pd-echo', 1);
  expect((await herald.call('POST', '/v1/alerts/pdw_2/acknowledge', { by: 'alice' })).status).toBe(202);
  await laneSettled('pdw_2', 'pd-echo', 2);
  expect(pagerduty.alerts.get('herald/alert:pdw_2')!.status).toBe('acknowledged');
  const echo = await post('/v1/sources/pagerduty', pagerduty.responderActs('herald/alert:pdw_2', 'incident.acknowledged', PD_SECRET, 'Herald'));
  expect(echo.body.results).toEqual([{ alert_id: 'pdw_2', action: 'acknowledge', result: 'unchanged' }]);
  expect((await herald.call('GET', '/v1/alerts/pdw_2')).body.acknowledgement.by).toBe('alice');
  // PagerDuty's own acknowledgement timeout ran out there: the alert is triggered again in Herald.
  const unacked = await post('/v1/sources/pagerduty', pagerduty.responderActs('herald/alert:pdw_2', 'incident.unacknowledged', PD_SECRET));
  expect(unacked.body.results).toEqual([{ alert_id: 'pdw_2', action: 'unacknowledge', result: 'accepted' }]);
  await eventually(async () => expect((await herald.call('GET', '/v1/alerts/pdw_2')).body.status).toBe('triggered'));
});

test('incident.io: the acknowledged status and closing there reach the alert, signed as Svix signs', async () => {
  const iio = (
    await herald.call('POST', '/v1/destinations', {
      name: 'iio',
      type: 'incident_io',
      config: { api_key: IIO_KEY, base_url: incidents.url(), closed_status_id: STATUSES.closed.id, acknowledged_status_id: STATUSES.investigating.id },
    })
  ).body.id;
  await herald.call('POST', '/v1/alerts', { id: 'iow_1', title: 'Freshness lag', severity: 'critical', destinations: [iio, hookId] });
  const { lane } = await laneSettled('iow_1', 'iio', 1);
  const incidentId = lane.incident.id;

  const forged = incidents.responderMoves(incidentId, STATUSES.investigating, `whsec_${randomBytes(32).toString('base64')}`);
  expect((await post('/v1/sources/incident-io', forged)).status).toBe(401);
  const acked = await post('/v1/sources/incident-io', incidents.responderMoves(incidentId, STATUSES.investigating, IIO_SECRET));
  expect(acked.body).toEqual({ event_type: 'public_incident.incident_status_updated_v2', incident: incidentId, results: [{ alert_id: 'iow_1', action: 'acknowledge', result: 'accepted' }] });
  const ackedLane = await laneSettled('iow_1', 'iio', 2);
  expect(ackedLane.state).toMatchObject({ status: 'acknowledged', acknowledgement: { by: 'incident.io' } });
  expect(ackedLane.lane.events[1].attempts[0].note).toBe('alert.acknowledged came from incident.io: not sent back');

  const editsBefore = incidents.incidents.get(incidentId)!.edits;
  const closed = await post('/v1/sources/incident-io', incidents.responderMoves(incidentId, STATUSES.closed, IIO_SECRET));
  expect(closed.body.results).toEqual([{ alert_id: 'iow_1', action: 'resolve', result: 'accepted' }]);
  const closedLane = await laneSettled('iow_1', 'iio', 3);
  expect(closedLane.state).toMatchObject({ status: 'resolved', closure: { by: 'incident.io', reason: 'resolved in incident.io' } });
  await hook.waitFor(3, (r) => r.body.includes('iow_1'));
  expect(hookEvents('iow_1').map((e) => e.event_type)).toEqual(['alert.triggered', 'alert.acknowledged', 'alert.resolved']);
  expect(incidents.incidents.get(incidentId)!.edits).toBe(editsBefore); // nothing sent back to incident.io
});
