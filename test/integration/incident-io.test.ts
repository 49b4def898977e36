// incident.io through the API on a real dev server, against a fake that enforces the official API v2
// contract and keeps incidents like the real service.
import { eventually } from '../support/eventually';
import { FakeIncidentIo, STATUSES } from '../support/fakes/incident-io';
import { startHerald, type TestHerald } from '../support/herald';

const API_KEY = 'inc_test_0123456789abcdefghijklmnop';
let herald: TestHerald;
let incidents: FakeIncidentIo;

beforeAll(async () => {
  herald = await startHerald();
  incidents = await FakeIncidentIo.start(API_KEY);
});
afterAll(async () => {
  await herald.stop();
  await incidents.close();
});
afterEach(() => expect(incidents.contractViolations).toEqual([]));

let n = 0;
async function destination(config: Record<string, unknown> = {}): Promise<string> {
  const res = await herald.call('POST', '/v1/destinations', {
    name: `incident-io-${++n}`,
    type: 'incident_io',
    config: { api_key: API_KEY, base_url: incidents.url(), closed_status_id: STATUSES.closed.id, severity_map: { critical: '01SEVCRITICAL' }, ...config },
    retry_schedule: [0, 0.2, 0.2],
  });
  expect(res.status).toBe(201);
  return res.body.id;
}

const alert = (id: string, destinations: string[]) => ({
  id,
  title: 'Orders lost a column',
  description: 'shipping_status was dropped',
  severity: 'critical',
  rule_name: 'Production breaking changes',
  event: { type: 'schema_change', change_type: 'column_removed', asset: { qualified_name: 'production.public.orders' } },
  destinations,
});

async function settled(alertId: string, check: (body: any) => void) {
  return eventually(async () => {
    const res = await herald.call('GET', `/v1/alerts/${alertId}`);
    check(res.body);
    return res.body;
  });
}

test('trigger creates one incident (retries replay it), resolve closes it', async () => {
  const id = await destination();
  const shown = await herald.call('GET', `/v1/destinations/${id}`);
  expect(shown.body.config.api_key).not.toContain(API_KEY.slice(0, 12));
  incidents.failNext({ status: 500 }, { status: 429, retryAfter: '0' });
  await herald.call('POST', '/v1/alerts', alert('inc_1', [id]));
  const state = await settled('inc_1', (b) => expect(b.destinations[0].state).toBe('delivered'));
  expect(state.destinations[0].events[0].attempts.map((a: { status_code: number }) => a.status_code)).toEqual([500, 429, 200]);
  const incident = state.destinations[0].incident;
  expect(incident).toMatchObject({ provider: 'incident_io', reference: expect.stringMatching(/^INC-\d+$/), status: 'triage', url: expect.stringContaining('/incidents/') });
  expect(incidents.incidents.size).toBe(1);
  const created = incidents.creates.at(-1)!;
  expect(created).toMatchObject({ name: '[Herald] Orders lost a column', mode: 'standard', visibility: 'public', severity_id: '01SEVCRITICAL', idempotency_key: expect.stringMatching(/^herald-/) });
  expect(created.summary).toEqual(expect.stringContaining('Source: Herald'));
  expect(created.summary).toEqual(expect.stringContaining('Rule: Production breaking changes'));
  expect(created.summary).toEqual(expect.stringContaining('Asset: production.public.orders'));

  await herald.call('POST', '/v1/alerts/inc_1/resolve', { by: 'oncall' });
  const closed = await settled('inc_1', (b) => expect(b.destinations[0].incident.status).toBe('closed'));
  expect(closed.destinations[0].events[1]).toMatchObject({ event_type: 'alert.resolved', state: 'delivered' });
  expect(incidents.incidents.get(incident.id)!.status).toBe(STATUSES.closed);
});

test('a close skips the edit when the incident is already closed, and waits for the create', async () => {
  const id = await destination();
  incidents.failNext({ status: 503 }, { status: 503 }); // the create is retried while the resolve arrives
  await herald.call('POST', '/v1/alerts', alert('inc_2', [id]));
  await herald.call('POST', '/v1/alerts/inc_2/dismiss', { by: 'bob' });
  const first = await settled('inc_2', (b) => expect(b.destinations[0].events.map((e: { state: string }) => e.state)).toEqual(['delivered', 'delivered']));
  expect(first.destinations[0].incident.status).toBe('closed');

  // Same destination, a second alert whose incident someone closed by hand before the resolve.
  await herald.call('POST', '/v1/alerts', alert('inc_3', [id]));
  const opened = await settled('inc_3', (b) => expect(b.destinations[0].incident?.id).toBeDefined());
  const before = incidents.incidents.get(opened.destinations[0].incident.id)!;
  incidents.setStatus(before.id, STATUSES.closed);
  const edits = before.edits;
  await herald.call('POST', '/v1/alerts/inc_3/resolve', {});
  const done = await settled('inc_3', (b) => expect(b.destinations[0].events[1]?.state).toBe('delivered'));
  expect(done.destinations[0].events[1].attempts[0].note).toBe('already closed in incident.io');
  expect(incidents.incidents.get(before.id)!.edits).toBe(edits);
});

test('without a closed status id the incident stays open for manual closing', async () => {
  const id = await destination({ closed_status_id: undefined });
  await herald.call('POST', '/v1/alerts', alert('inc_4', [id]));
  await settled('inc_4', (b) => expect(b.destinations[0].incident).toBeDefined());
  await herald.call('POST', '/v1/alerts/inc_4/resolve', {});
  const done = await settled('inc_4', (b) => expect(b.destinations[0].events[1]?.state).toBe('delivered'));
  expect(done.destinations[0].events[1].attempts[0].note).toMatch(/stays open for manual closing/);
  expect(done.destinations[0].incident.status).toBe('triage');
});

test.each([
  [401, /HTTP 401: Unauthorized: the API key is invalid or expired/],
  [403, /HTTP 403: Forbidden: the API key lacks the incident.write permission/],
  [422, /HTTP 422: incident.io refused the incident: severity_id: severity not found/],
])('%i fails at once with an actionable message, and nothing is left to close', async (status, message) => {
  const id = await destination();
  incidents.failNext({ status, body: { type: 'error', status, errors: [{ code: 'x', message: 'severity not found', source: { field: 'severity_id' } }] } });
  await herald.call('POST', '/v1/alerts', alert(`inc_err_${status}`, [id]));
  const state = await settled(`inc_err_${status}`, (b) => expect(b.destinations[0].state).toBe('failed'));
  expect(state.destinations[0].events[0].attempts).toHaveLength(1);
  expect(state.destinations[0].events[0].attempts[0].error).toMatch(message);
  await herald.call('POST', `/v1/alerts/inc_err_${status}/resolve`, {});
  const done = await settled(`inc_err_${status}`, (b) => expect(b.destinations[0].events[1]?.state).toBe('delivered'));
  expect(done.destinations[0].events[1].attempts[0].note).toBe('nothing to close: no incident was created for this alert');
});

test('a wrong API key is a 401 from the fake itself; an empty key is refused when saved', async () => {
  const res = await herald.call('POST', '/v1/destinations', { name: 'inc-empty', type: 'incident_io', config: { api_key: '  ', base_url: incidents.url() } });
  expect(res.status).toBe(400);
  expect(res.body.error.details[0]).toMatchObject({ path: 'config.api_key', message: expect.stringContaining('No API key configured') });
  const wrong = await destination({ api_key: 'inc_wrong_key' });
  const tested = await herald.call('POST', `/v1/destinations/${wrong}/test`);
  expect(tested.body).toMatchObject({ success: false, status_code: 401 });
});
