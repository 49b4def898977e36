// Alerts per tenant through the real API and worker (README "Serving your customers"): two tenants
// trigger the same alert id, each is routed by its own rules to its own destination only, each key
// reads and acts on its own alert only, and another tenant's ids answer 404 as missing ones do.
import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { HeraldTenant } from '../../src/temporal/search-attributes';
import { eventually } from '../support/eventually';
import { callApi, startHerald, testConfig, type ApiResponse, type TestHerald } from '../support/herald';
import { Receiver } from '../support/receiver';

const OPERATOR = `operator-${randomBytes(12).toString('hex')}`;
let herald: TestHerald;
let connection: Connection;
const logLines: string[] = [];
const hooks: Record<'acme' | 'globex' | 'default', Receiver> = {} as never;

beforeAll(async () => {
  herald = await startHerald({ config: testConfig({ HERALD_API_KEYS: OPERATOR }), logLines });
  connection = await Connection.connect({ address: process.env.HERALD_TEST_TEMPORAL_ADDRESS! });
  for (const name of ['acme', 'globex', 'default'] as const) hooks[name] = await Receiver.start();
});
afterAll(async () => {
  await herald?.stop();
  await connection?.close();
  for (const hook of Object.values(hooks)) await hook?.close();
});

const as = (key: string) => (method: string, path: string, body?: unknown) => callApi(herald.url, key, method, path, body);
const operator = as(OPERATOR);
const notFound = (res: ApiResponse, id: string) => ({ status: res.status, code: res.body?.error?.code, message: String(res.body?.error?.message).replace(id, '<id>') });
const alertIdsIn = (hook: Receiver) => hook.requests.map((r) => JSON.parse(r.body) as { event_type: string; alert: { id: string; title: string } });

/** A tenant whose one rule routes every alert to its own hook; answers its admin key and its destination's id. */
async function tenant(id: 'acme' | 'globex'): Promise<{ call: ReturnType<typeof as>; destination: string }> {
  expect((await operator('POST', '/v1/tenants', { id: `alerts-${id}`, name: id })).status).toBe(201);
  const call = as((await operator('POST', `/v1/tenants/alerts-${id}/keys`, { scopes: ['admin'] })).body.key);
  const destination = (await call('POST', '/v1/destinations', { name: 'hook', type: 'webhook', config: { url: hooks[id].url() }, retry_schedule: [0] })).body.id;
  expect((await call('POST', '/v1/rules', { name: 'everything', destination_ids: [destination] })).status).toBe(201);
  return { call, destination };
}

test('two tenants use the same alert id: each routed by its own rules to its own destination, read and closed by its own key only', async () => {
  // The default tenant routes everything too: no tenant's alert may reach its hook.
  const fallback = (await operator('POST', '/v1/destinations', { name: 'default-hook', type: 'webhook', config: { url: hooks.default.url() } })).body.id;
  await operator('POST', '/v1/rules', { name: 'default everything', destination_ids: [fallback] });
  const acme = await tenant('acme');
  const globex = await tenant('globex');

  const a = await acme.call('POST', '/v1/alerts', { id: 'same-id', title: 'Acme disk full', severity: 'critical' });
  const g = await globex.call('POST', '/v1/alerts', { id: 'same-id', title: 'Globex disk full', severity: 'critical' });
  expect(a).toMatchObject({ status: 202, body: { id: 'same-id', workflow_id: 'alert:alerts-acme/same-id', deduplicated: false, links: { self: `${herald.config.publicUrl}/v1/tenants/alerts-acme/alerts/same-id` } } });
  expect(g).toMatchObject({ status: 202, body: { id: 'same-id', workflow_id: 'alert:alerts-globex/same-id', deduplicated: false } });
  expect((await acme.call('POST', '/v1/alerts', { id: 'same-id', title: 'Acme disk full' })).body.deduplicated).toBe(true);
  const d = await operator('POST', '/v1/alerts', { id: 'same-id', title: 'Default disk full' });
  expect(d.body).toMatchObject({ workflow_id: 'alert:same-id', deduplicated: false }); // the default tenant's, as before tenants

  await hooks.acme.waitFor(1);
  await hooks.globex.waitFor(1);
  await hooks.default.waitFor(1);
  expect(alertIdsIn(hooks.acme).map((e) => [e.alert.id, e.alert.title])).toEqual([['same-id', 'Acme disk full']]);
  expect(alertIdsIn(hooks.globex).map((e) => [e.alert.id, e.alert.title])).toEqual([['same-id', 'Globex disk full']]);
  expect(alertIdsIn(hooks.default).map((e) => e.alert.title)).toEqual(['Default disk full']);

  const acmeState = await eventually(async () => {
    const state = await acme.call('GET', '/v1/alerts/same-id');
    expect(state.body.delivery_state).toBe('delivered');
    return state.body;
  });
  expect(acmeState).toMatchObject({ id: 'same-id', workflow_id: 'alert:alerts-acme/same-id', alert: { title: 'Acme disk full' }, destinations: [{ destination_id: acme.destination, rules: [{ name: 'everything' }] }] });
  expect((await globex.call('GET', '/v1/alerts/same-id')).body.alert.title).toBe('Globex disk full');
  expect((await operator('GET', '/v1/tenants/alerts-globex/alerts/same-id')).body.alert.title).toBe('Globex disk full');
  expect((await operator('GET', '/v1/alerts/same-id')).body.alert.title).toBe('Default disk full');
  // The request log names the tenant and the workflow the request reached.
  const requestLines = logLines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'request' && l.path === '/v1/alerts/same-id' && l.method === 'GET');
  expect(requestLines).toEqual(expect.arrayContaining([expect.objectContaining({ tenant: 'alerts-acme', alert_id: 'same-id', workflow_id: 'alert:alerts-acme/same-id' })]));
  expect(requestLines.filter((l) => l.tenant === undefined)).toEqual([expect.objectContaining({ alert_id: 'same-id', workflow_id: 'alert:same-id' })]);
  // An id holding "/" is never read as another tenant's key.
  expect((await operator('GET', '/v1/alerts/alerts-acme%2Fsame-id')).status).toBe(404);

  // Lists show the tenant's own alerts only, by the ids it gave.
  await acme.call('POST', '/v1/alerts', { id: 'acme-only', title: 'Acme only' });
  expect((await acme.call('GET', '/v1/alerts')).body.data.map((s: { id: string }) => s.id)).toEqual(['acme-only', 'same-id']);
  expect((await globex.call('GET', '/v1/alerts')).body.data.map((s: { id: string; title: string }) => [s.id, s.title])).toEqual([['same-id', 'Globex disk full']]);
  expect((await operator('GET', '/v1/alerts')).body.data.map((s: { title: string }) => s.title)).toEqual(['Default disk full']);

  // Every alert route on the other tenant's id answers as on a missing id, and changes nothing.
  const calls: Array<[string, string, unknown?]> = [['GET', ''], ['POST', '/events', { description: 'x' }], ['POST', '/acknowledge', {}], ['POST', '/unacknowledge', {}], ['POST', '/resolve', {}], ['POST', '/dismiss', {}], ['POST', `/deliveries/${globex.destination}/redeliver`, {}]];
  for (const [method, suffix, body] of calls) {
    const theirs = await globex.call(method, `/v1/alerts/acme-only${suffix}`, body);
    const nobody = await globex.call(method, `/v1/alerts/nobody-has-this${suffix}`, body);
    expect([method, suffix, notFound(theirs, 'acme-only')]).toEqual([method, suffix, notFound(nobody, 'nobody-has-this')]);
    expect([suffix, theirs.status]).toEqual([suffix, 404]);
  }
  expect((await acme.call('GET', '/v1/alerts/acme-only')).body.status).toBe('triggered');
  // An alert names only its own tenant's destinations.
  expect((await acme.call('POST', '/v1/alerts', { title: 'crossing', destinations: [globex.destination] })).body.error).toMatchObject({ code: 'unknown_destination', details: { unknown: [globex.destination] } });

  // Closing acme's leaves globex's and the default one's open.
  expect((await acme.call('POST', '/v1/alerts/same-id/resolve', { by: 'acme-oncall' })).status).toBe(202);
  await eventually(async () => expect((await acme.call('GET', '/v1/alerts/same-id')).body.status).toBe('resolved'));
  expect((await globex.call('GET', '/v1/alerts/same-id')).body.status).toBe('triggered');
  expect((await operator('GET', '/v1/alerts/same-id')).body.status).toBe('triggered');
  await hooks.acme.waitFor(1, (r) => JSON.parse(r.body).event_type === 'alert.resolved');
  expect(hooks.globex.requests.map((r) => JSON.parse(r.body).event_type)).toEqual(['alert.triggered']);

  // The Temporal UI filters by tenant.
  const client = new Client({ connection });
  const described = await client.workflow.getHandle('alert:alerts-globex/same-id').describe();
  expect(described.typedSearchAttributes.get(HeraldTenant)).toBe('alerts-globex');
  expect((await client.workflow.getHandle('alert:same-id').describe()).typedSearchAttributes.get(HeraldTenant)).toBe('default');
});

test("the default tenant's silences hold none of another tenant's alerts", async () => {
  const silence = await operator('POST', '/v1/silences', { matchers: [{ name: 'hush', value: 'yes' }], ends_at: new Date(Date.now() + 3600_000).toISOString(), created_by: 'operator' });
  expect(silence.status).toBe(201);
  const acme = as((await operator('POST', '/v1/tenants/alerts-acme/keys', { scopes: ['admin'] })).body.key);
  await acme('POST', '/v1/alerts', { id: 'hushed', title: 'Acme, not silenced', labels: { hush: 'yes' } });
  await operator('POST', '/v1/alerts', { id: 'hushed', title: 'Default, silenced', labels: { hush: 'yes' } });
  await hooks.acme.waitFor(1, (r) => JSON.parse(r.body).alert.title === 'Acme, not silenced');
  await eventually(async () => expect((await operator('GET', '/v1/alerts/hushed')).body.silenced).toMatchObject({ silence_id: silence.body.id }));
  expect((await acme('GET', '/v1/alerts/hushed')).body.silenced).toBeUndefined();
  expect(hooks.default.requests.map((r) => JSON.parse(r.body).alert.title)).not.toContain('Default, silenced');
});

test("a tenant's own silence holds its own alert, not the default tenant's with the same labels", async () => {
  const acme = as((await operator('POST', '/v1/tenants/alerts-acme/keys', { scopes: ['admin'] })).body.key);
  const silence = await acme('POST', '/v1/silences', { matchers: [{ name: 'quiet', value: 'acme' }], ends_at: new Date(Date.now() + 3600_000).toISOString(), created_by: 'acme ops' });
  expect(silence.status).toBe(201);
  expect((await operator('GET', `/v1/silences/${silence.body.id}`)).status).toBe(404); // not the default tenant's
  await acme('POST', '/v1/alerts', { id: 'quieted', title: 'Acme, silenced', labels: { quiet: 'acme' } });
  await operator('POST', '/v1/alerts', { id: 'quieted', title: 'Default, not silenced', labels: { quiet: 'acme' } });
  await eventually(async () => expect((await acme('GET', '/v1/alerts/quieted')).body.silenced).toMatchObject({ silence_id: silence.body.id }));
  await hooks.default.waitFor(1, (r) => JSON.parse(r.body).alert.title === 'Default, not silenced');
  expect((await operator('GET', '/v1/alerts/quieted')).body.silenced).toBeUndefined();
  expect(hooks.acme.requests.map((r) => JSON.parse(r.body).alert.title)).not.toContain('Acme, silenced');
});

test("each tenant's Alertmanager, sending the same notification group, makes its own alerts and its own group", async () => {
  const keys = {
    acme: (await operator('POST', '/v1/tenants/alerts-acme/keys', { scopes: ['admin'] })).body.key as string,
    globex: (await operator('POST', '/v1/tenants/alerts-globex/keys', { scopes: ['admin'] })).body.key as string,
  };
  // One firing episode: the same startsAt in both notifications (the alert id is made of it).
  const startsAt = new Date(Date.now() - 60_000).toISOString();
  const notification = (status: 'firing' | 'resolved') => ({
    version: '4',
    status,
    receiver: 'team',
    groupKey: '{}:{alertname="DiskFull"}',
    groupLabels: { alertname: 'DiskFull' },
    alerts: [{ status, labels: { alertname: 'DiskFull', instance: 'db:9100' }, annotations: { summary: 'disk full' }, startsAt, fingerprint: 'd15cf011' }],
  });
  const post = (key: string, status: 'firing' | 'resolved') =>
    fetch(`${herald.url}/v1/sources/alertmanager?group=sender&group_wait_s=0&settle_s=0`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(notification(status)) });
  const ids: string[] = [];
  for (const key of Object.values(keys)) {
    const res = await post(key, 'firing');
    expect(res.status).toBe(200);
    ids.push(((await res.json()) as { accepted: { id: string }[] }).accepted[0]!.id);
  }
  // The same entry: the same alert id in both tenants.
  expect(ids[0]).toEqual(ids[1]);
  const id = ids[0]!;

  const groupsOf = async (key: string) => (await as(key)('GET', '/v1/groups')).body.data as { id: string; status: string }[];
  const acmeGroups = await eventually(async () => {
    const groups = await groupsOf(keys.acme);
    expect(groups.filter((g) => g.status === 'firing')).toHaveLength(1);
    return groups;
  }, 30_000);
  const globexGroups = await eventually(async () => {
    const groups = await groupsOf(keys.globex);
    expect(groups.filter((g) => g.status === 'firing')).toHaveLength(1);
    return groups;
  }, 30_000);
  expect(acmeGroups.map((g) => g.id)).not.toEqual(expect.arrayContaining(globexGroups.map((g) => g.id)));
  // Each group's notification, naming the alert, goes to its tenant's hook only.
  const notifies = (r: { body: string }) => JSON.parse(r.body).event_type === 'group.triggered' && r.body.includes(id);
  await hooks.acme.waitFor(1, notifies);
  await hooks.globex.waitFor(1, notifies);
  expect(hooks.default.requests.some((r) => r.body.includes(id))).toBe(false);
  // A resolved entry from acme's Alertmanager resolves acme's alert only.
  const resolved = await post(keys.acme, 'resolved');
  expect(resolved.status).toBe(200);
  expect(((await resolved.json()) as { accepted: { id: string; result: string }[] }).accepted).toEqual([expect.objectContaining({ id, result: 'accepted' })]);
  await eventually(async () => expect((await as(keys.acme)('GET', `/v1/alerts/${id}`)).body.status).toBe('resolved'));
  expect((await as(keys.globex)('GET', `/v1/alerts/${id}`)).body.status).toBe('triggered');
  expect((await operator('GET', `/v1/alerts/${id}`)).status).toBe(404);
});
