// Inhibition through the API on the real dev server (README "Inhibition"): while a source alert is
// open, a matching target with the same `equal` values is held and recorded as inhibited by it; one
// with other values is delivered; when the source resolves, the held target is delivered at once.
import { eventually } from '../support/eventually';
import { Receiver } from '../support/receiver';
import { startHerald, type TestHerald } from '../support/herald';

let herald: TestHerald;
let webhook: Receiver;
let destinationId: string;

beforeAll(async () => {
  herald = await startHerald();
  webhook = await Receiver.start();
  destinationId = (await herald.call('POST', '/v1/destinations', { name: 'inhibited-hook', type: 'webhook', config: { url: webhook.url() } })).body.id;
}, 60_000);
afterAll(async () => {
  await herald?.stop();
  await webhook?.close();
});

const eventsOf = (alertId: string) => webhook.requests.filter((r) => JSON.parse(r.body).alert.id === alertId).map((r) => r.headers['x-herald-event']);
const trigger = (id: string, labels: Record<string, string>, severity = 'warning') => herald.call('POST', '/v1/alerts', { id, title: `Alert ${id}`, severity, labels, destinations: [destinationId] });

test('a target is held while its source is open and delivered when the source resolves; other targets go through', async () => {
  const bad = await herald.call('POST', '/v1/inhibit-rules', { name: 'x', source_matchers: [], target_matchers: [] });
  expect(bad.status).toBe(400);
  expect(bad.body.error.details.map((d: { path: string }) => d.path)).toEqual(['source_matchers', 'target_matchers']);
  const rule = await herald.call('POST', '/v1/inhibit-rules', {
    name: 'cluster down holds its nodes',
    source_matchers: [{ name: 'alertname', value: 'ClusterDown' }],
    target_matchers: [{ name: 'alertname', value: 'NodeDown' }],
    equal: ['cluster'],
  });
  expect(rule.status).toBe(201);
  expect((await herald.call('GET', '/v1/inhibit-rules')).body.data.map((r: { id: string }) => r.id)).toEqual([rule.body.id]);

  await trigger('inh_source', { alertname: 'ClusterDown', cluster: 'eu' }, 'critical');
  await webhook.waitFor(1, (r) => JSON.parse(r.body).alert.id === 'inh_source');
  await trigger('inh_node_eu', { alertname: 'NodeDown', cluster: 'eu' });
  await trigger('inh_node_us', { alertname: 'NodeDown', cluster: 'us' });
  await webhook.waitFor(1, (r) => JSON.parse(r.body).alert.id === 'inh_node_us');
  const held = await eventually(async () => {
    const res = await herald.call('GET', '/v1/alerts/inh_node_eu');
    expect(res.body.inhibited).toEqual({ alert_id: 'inh_source' });
    return res.body;
  });
  expect(held.destinations[0].state).toBe('pending');
  expect((await herald.call('GET', '/v1/alerts?inhibited=true')).body.data.map((a: { id: string }) => a.id)).toEqual(['inh_node_eu']);
  expect(eventsOf('inh_node_eu')).toEqual([]);

  expect((await herald.call('POST', '/v1/alerts/inh_source/resolve', { by: 'test' })).status).toBe(202);
  await webhook.waitFor(1, (r) => JSON.parse(r.body).alert.id === 'inh_node_eu');
  expect(eventsOf('inh_node_eu')).toEqual(['alert.triggered']);
  expect((await herald.call('GET', '/v1/alerts/inh_node_eu')).body.inhibited).toBeUndefined();
  expect((await herald.call('DELETE', `/v1/inhibit-rules/${rule.body.id}`)).status).toBe(204);
  expect((await herald.call('GET', `/v1/inhibit-rules/${rule.body.id}`)).status).toBe(404);
});
