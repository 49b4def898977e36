// Routing rules and destination filters through the API on a real dev server, with real receivers.
import { eventually } from '../support/eventually';
import { Receiver } from '../support/receiver';
import { startHerald, type TestHerald } from '../support/herald';

let herald: TestHerald;
let receiver: Receiver;

beforeAll(async () => {
  herald = await startHerald();
  receiver = await Receiver.start();
});
afterAll(async () => {
  await herald.stop();
  await receiver.close();
});

async function destination(name: string, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await herald.call('POST', '/v1/destinations', { name, type: 'webhook', config: { url: receiver.url(`/${name}`) }, ...extra });
  expect(res.status).toBe(201);
  return res.body.id;
}

async function rule(body: Record<string, unknown>): Promise<string> {
  const res = await herald.call('POST', '/v1/rules', body);
  expect(res.status).toBe(201);
  return res.body.id;
}

const paths = (alertId: string) =>
  receiver.requests.filter((r) => JSON.parse(r.body).alert.id === alertId).map((r) => `${r.path} ${r.headers['x-herald-event']}`).sort();

test('rules CRUD with validation', async () => {
  const hook = await destination('crud-hook');
  const bad = await herald.call('POST', '/v1/rules', { name: '', match: { severities: ['loud'], extra: 1 }, destination_ids: [] });
  expect(bad.status).toBe(400);
  expect(bad.body.error.details.map((d: { path: string }) => d.path)).toEqual(expect.arrayContaining(['name', 'match.severities.0', 'match', 'destination_ids']));
  const unknown = await herald.call('POST', '/v1/rules', { name: 'r', destination_ids: ['dst_missing'] });
  expect(unknown.status).toBe(422);
  expect(unknown.body.error.details).toEqual({ field: 'destination_ids', unknown: ['dst_missing'] });

  const id = await rule({ name: 'crud', match: { event_types: ['schema_change'] }, destination_ids: [hook, hook] });
  const got = await herald.call('GET', `/v1/rules/${id}`);
  expect(got.body).toMatchObject({ id, name: 'crud', enabled: true, match: { event_types: ['schema_change'] }, destination_ids: [hook] });
  expect((await herald.call('POST', '/v1/rules', { name: 'crud', destination_ids: [hook] })).status).toBe(409);
  const patched = await herald.call('PATCH', `/v1/rules/${id}`, { enabled: false });
  expect(patched.body).toMatchObject({ enabled: false, name: 'crud', match: { event_types: ['schema_change'] } });
  expect((await herald.call('GET', '/v1/rules')).body.data.map((r: { id: string }) => r.id)).toContain(id);
  expect((await herald.call('DELETE', `/v1/rules/${id}`)).status).toBe(204);
  expect((await herald.call('GET', `/v1/rules/${id}`)).status).toBe(404);
});

test('an alert reaches the union of matching rules and explicit destinations, each once; filters pick events', async () => {
  const a = await destination('rule-a');
  const b = await destination('rule-b');
  const explicit = await destination('explicit-c');
  const resolvedOnly = await destination('resolved-only', { filters: { actions: ['resolved'] } });
  const neverHere = await destination('never-here');
  const disabledRuleTarget = await destination('disabled-rule-target');

  const prod = await rule({ name: 'prod critical', match: { severities: ['critical'], asset: 'production.*', labels: { env: 'production' } }, destination_ids: [a, b] });
  const schema = await rule({ name: 'schema changes', match: { event_types: ['schema_change'] }, destination_ids: [b, resolvedOnly] });
  await rule({ name: 'warnings only', match: { severities: ['warning'] }, destination_ids: [neverHere] });
  await rule({ name: 'staging glob', match: { asset: 'staging.*' }, destination_ids: [neverHere] });
  await rule({ name: 'label mismatch', match: { labels: { env: 'staging' } }, destination_ids: [neverHere] });
  await rule({ name: 'switched off', enabled: false, match: {}, destination_ids: [disabledRuleTarget] });

  const res = await herald.call('POST', '/v1/alerts', {
    id: 'routed_1',
    title: 'Orders lost a column',
    severity: 'critical',
    labels: { env: 'production' },
    event: { type: 'schema_change', asset: { qualified_name: 'production.public.orders' } },
    destinations: [explicit, a],
  });
  expect(res.status).toBe(202);
  await receiver.waitFor(3, (r) => JSON.parse(r.body).alert.id === 'routed_1');
  const state = await eventually(async () => {
    const s = await herald.call('GET', '/v1/alerts/routed_1');
    expect(s.body.destinations.map((d: { state: string }) => d.state)).toEqual(['delivered', 'delivered', 'delivered', 'skipped']);
    return s.body;
  });
  expect(state.destinations.map((d: { name: string; rules: { name: string }[] }) => [d.name, d.rules.map((r) => r.name)])).toEqual([
    ['explicit-c', []],
    ['rule-a', ['prod critical']],
    ['rule-b', ['prod critical', 'schema changes']],
    ['resolved-only', ['schema changes']],
  ]);
  expect(state.destinations[1].rules[0].id).toBe(prod);
  expect(state.destinations[2].rules[1].id).toBe(schema);

  await herald.call('POST', '/v1/alerts/routed_1/resolve', {});
  await receiver.waitFor(7, (r) => JSON.parse(r.body).alert.id === 'routed_1');
  expect(paths('routed_1')).toEqual([
    '/explicit-c alert.resolved',
    '/explicit-c alert.triggered',
    '/resolved-only alert.resolved',
    '/rule-a alert.resolved',
    '/rule-a alert.triggered',
    '/rule-b alert.resolved',
    '/rule-b alert.triggered',
  ]);
  const final = await eventually(async () => {
    const s = await herald.call('GET', '/v1/alerts/routed_1');
    expect(s.body.destinations[3].state).toBe('delivered');
    return s.body;
  });
  expect(final.destinations[3].events.map((e: { event_type: string; state: string }) => [e.event_type, e.state])).toEqual([
    ['alert.triggered', 'skipped'],
    ['alert.resolved', 'delivered'],
  ]);
});

test('a non-matching alert goes nowhere but its explicit destinations; a filter by severity and label drops it', async () => {
  const picky = await destination('picky', { filters: { severities: ['critical'], labels: { team: 'data' } } });
  await rule({ name: 'everything to picky', match: {}, destination_ids: [picky] });
  await herald.call('POST', '/v1/alerts', { id: 'routed_2', title: 'Minor', severity: 'info', labels: { team: 'data' } });
  await herald.call('POST', '/v1/alerts', { id: 'routed_3', title: 'Major', severity: 'critical', labels: { team: 'data' } });
  await receiver.waitFor(1, (r) => JSON.parse(r.body).alert.id === 'routed_3');
  const minor = await eventually(async () => {
    const s = await herald.call('GET', '/v1/alerts/routed_2');
    expect(s.body.destinations.find((d: { name: string }) => d.name === 'picky').state).toBe('skipped');
    return s.body;
  });
  expect(minor.destinations.some((d: { name: string }) => d.name === 'never-here')).toBe(false);
  expect(paths('routed_2')).toEqual([]);
});
