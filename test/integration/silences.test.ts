// Silences through the API on the real dev server (README "Silences"): a silenced alert is held and
// recorded as such; expiring the silence early delivers it at once; an alert resolved while held
// sends nothing (its resolve included) and an expire-on-resolve silence then expires; an alert
// delivered before a silence existed still gets its resolve. A real webhook receiver on loopback.
import { eventually } from '../support/eventually';
import { Receiver } from '../support/receiver';
import { startHerald, type TestHerald } from '../support/herald';

let herald: TestHerald;
let webhook: Receiver;
let destinationId: string;

beforeAll(async () => {
  herald = await startHerald();
  webhook = await Receiver.start();
  destinationId = (await herald.call('POST', '/v1/destinations', { name: 'silenced-hook', type: 'webhook', config: { url: webhook.url() } })).body.id;
}, 60_000);
afterAll(async () => {
  await herald?.stop();
  await webhook?.close();
});

const inAnHour = () => new Date(Date.now() + 3600_000).toISOString();
const eventsOf = (alertId: string) => webhook.requests.filter((r) => JSON.parse(r.body).alert.id === alertId).map((r) => r.headers['x-herald-event']);
const trigger = (id: string, labels: Record<string, string>) => herald.call('POST', '/v1/alerts', { id, title: `Alert ${id}`, labels, destinations: [destinationId] });

async function silence(body: Record<string, unknown>): Promise<string> {
  const res = await herald.call('POST', '/v1/silences', { created_by: 'oncall@example.com', comment: 'maintenance', ends_at: inAnHour(), ...body });
  expect(res.status).toBe(201);
  expect(res.body.state).toBe('active');
  return res.body.id;
}

/** The alert's record once its workflow routed it (held or on its way). */
async function routed(alertId: string) {
  return eventually(async () => {
    const res = await herald.call('GET', `/v1/alerts/${alertId}`);
    expect(res.body.destinations).toHaveLength(1);
    return res.body;
  });
}

test('bad silences are refused, naming the field', async () => {
  const noMatcher = await herald.call('POST', '/v1/silences', { created_by: 'me', ends_at: inAnHour() });
  expect(noMatcher.status).toBe(400);
  expect(noMatcher.body.error.details.map((d: { path: string }) => d.path)).toEqual(['matchers']);
  const badRegex = await herald.call('POST', '/v1/silences', { created_by: 'me', ends_at: inAnHour(), matchers: [{ name: 'instance', op: '=~', value: '([' }] });
  expect(badRegex.status).toBe(400);
  expect(badRegex.body.error.details.map((d: { path: string }) => d.path)).toEqual(['matchers.0.value']);
  const past = await herald.call('POST', '/v1/silences', { created_by: 'me', ends_at: '2020-01-01T00:00:00Z', matchers: [{ name: 'a', value: 'b' }] });
  expect(past.status).toBe(400);
  expect(past.body.error.details.map((d: { path: string }) => d.path)).toEqual(['ends_at']);
  expect((await herald.call('DELETE', '/v1/silences/sil_nope')).status).toBe(404);
});

test('a silenced alert is held until the silence is expired, then delivered at once with what it gathered meanwhile', async () => {
  const id = await silence({ matchers: [{ name: 'service', op: '=~', value: 'pay.*' }, { name: 'severity', value: 'warning' }] });
  expect((await trigger('sil_held', { service: 'payments' })).status).toBe(202);
  expect((await trigger('sil_free', { service: 'search' })).status).toBe(202);
  await webhook.waitFor(1, (r) => JSON.parse(r.body).alert.id === 'sil_free');
  const held = await routed('sil_held');
  expect(held.silenced).toEqual({ silence_id: id, until: expect.any(String) });
  expect(held.held_by).toEqual([id]);
  expect((await herald.call('GET', `/v1/silences/${id}`)).body.holding).toEqual(['sil_held']);
  expect((await herald.call('GET', '/v1/alerts?silenced=true')).body.data.map((a: { id: string }) => a.id)).toEqual(['sil_held']);
  expect((await herald.call('POST', '/v1/alerts/sil_held/events', { description: 'still failing' })).status).toBe(202);
  expect(eventsOf('sil_held')).toEqual([]);

  const expired = await herald.call('DELETE', `/v1/silences/${id}`);
  expect(expired.status).toBe(200);
  expect(expired.body).toMatchObject({ state: 'expired', released: ['sil_held'] });
  await webhook.waitFor(1, (r) => JSON.parse(r.body).alert.id === 'sil_held' && r.headers['x-herald-event'] === 'alert.updated');
  expect(eventsOf('sil_held')).toEqual(['alert.triggered', 'alert.updated']);
  const released = (await herald.call('GET', '/v1/alerts/sil_held')).body;
  expect(released.silenced).toBeUndefined();
  expect(released.held_by).toEqual([id]);
  expect((await herald.call('GET', '/v1/alerts?silenced=true')).body.data).toEqual([]);
  expect((await herald.call('GET', `/v1/alerts?silenced=${id}`)).body.data.map((a: { id: string }) => a.id)).toEqual(['sil_held']);
  expect((await herald.call('GET', '/v1/silences?state=expired')).body.data.map((s: { id: string }) => s.id)).toContain(id);
});

test('an alert resolved while held sends nothing, its resolve included; an expire-on-resolve silence then expires', async () => {
  const id = await silence({ matchers: [{ name: 'alertname', value: 'Flapping' }], expire_on_resolve: true });
  await trigger('sil_flap', { alertname: 'Flapping' });
  await routed('sil_flap');
  expect((await herald.call('POST', '/v1/alerts/sil_flap/resolve', { by: 'test' })).status).toBe(202);
  await eventually(async () => {
    const alert = (await herald.call('GET', '/v1/alerts/sil_flap')).body;
    expect(alert).toMatchObject({ status: 'resolved', delivery_state: 'delivered' });
    expect(alert.destinations[0].state).toBe('silenced');
  });
  await eventually(async () => expect((await herald.call('GET', `/v1/silences/${id}`)).body.state).toBe('expired'));
  expect(eventsOf('sil_flap')).toEqual([]);
});

test('an alert delivered before the silence existed still gets its resolve', async () => {
  await trigger('sil_before', { alertname: 'Before' });
  await webhook.waitFor(1, (r) => JSON.parse(r.body).alert.id === 'sil_before');
  await silence({ matchers: [{ name: 'alertname', value: 'Before' }] });
  await herald.call('POST', '/v1/alerts/sil_before/resolve', { by: 'test' });
  await webhook.waitFor(1, (r) => JSON.parse(r.body).alert.id === 'sil_before' && r.headers['x-herald-event'] === 'alert.resolved');
  expect(eventsOf('sil_before')).toEqual(['alert.triggered', 'alert.resolved']);
});
