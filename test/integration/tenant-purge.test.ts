// DELETE of a tenant that owns rows (README "Serving your customers"), end to end on the real server:
// its keys and paths stop at once, its open alerts are dismissed to their destinations, its purge
// workflow deletes its heartbeats and waits for its alerts' workflows, then its rows go; GET says deleting until then, 404 after.
// Another tenant with the same ids keeps everything.
import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { heartbeatWorkflowIdFor } from '../../src/domain/heartbeats';
import { callApi, startHerald, testConfig, type TestHerald } from '../support/herald';
import { eventually } from '../support/eventually';
import { Receiver, type Received } from '../support/receiver';

const OPERATOR = `operator-${randomBytes(12).toString('hex')}`;
let herald: TestHerald;
let receiver: Receiver;

beforeAll(async () => {
  herald = await startHerald({ config: testConfig({ HERALD_API_KEYS: OPERATOR }) });
  receiver = await Receiver.start();
});
afterAll(async () => {
  await herald?.stop();
  await receiver?.close();
});

const as = (key: string) => (method: string, path: string, body?: unknown) => callApi(herald.url, key, method, path, body);
const operator = as(OPERATOR);
const event = (r: Received) => ({ type: String(r.headers['x-herald-event']), alert: JSON.parse(r.body).alert as { id: string; closed_by?: string }, tenant: new URL(r.path, 'http://x').searchParams.get('tenant') });

/** A tenant with a key, a webhook to the receiver (tagged with the tenant) and two alerts sent: one open, one resolved. */
async function tenantWithAlerts(id: string): Promise<string> {
  expect((await operator('POST', '/v1/tenants', { id, name: `Customer ${id}` })).status).toBe(201);
  const key = (await operator('POST', `/v1/tenants/${id}/keys`, { scopes: ['admin'] })).body.key as string;
  const tenant = as(key);
  const hook = await tenant('POST', '/v1/destinations', { name: 'hook', type: 'webhook', config: { url: receiver.url(`/hook?tenant=${id}`) } });
  expect(hook.status).toBe(201);
  for (const alert of ['open', 'resolved']) {
    expect((await tenant('POST', '/v1/alerts', { id: alert, title: `${alert} of ${id}`, destinations: [hook.body.id] })).status).toBe(202);
  }
  expect((await tenant('POST', '/v1/alerts/resolved/resolve', {})).status).toBe(202);
  expect((await tenant('POST', '/v1/heartbeats', { name: 'beat', interval_s: 3600, destination_ids: [hook.body.id] })).status).toBe(201);
  await receiver.waitFor(3, (r) => event(r).tenant === id);
  return key;
}

test('a tenant that owns rows: 202 and deleting at once, its open alerts dismissed, its rows purged, then 404; the other tenant keeps its own', async () => {
  const key = await tenantWithAlerts('purged');
  await tenantWithAlerts('kept');

  const deleted = await operator('DELETE', '/v1/tenants/purged');
  expect(deleted.status).toBe(202);
  expect(deleted.body).toMatchObject({ id: 'purged', deleting_since: expect.any(String) });
  // At once: its key is refused, its paths answer as a missing tenant's, it takes no changes.
  expect((await as(key)('GET', '/v1/alerts')).status).toBe(401);
  expect((await operator('GET', '/v1/tenants/purged/alerts/open')).body.error.code).toBe('tenant_not_found');
  expect((await operator('POST', '/v1/tenants/purged/alerts', { id: 'late', title: 'too late' })).status).toBe(404);
  expect((await operator('PATCH', '/v1/tenants/purged', { name: 'renamed' })).body.error.code).toBe('tenant_deleting');
  expect((await operator('POST', '/v1/tenants/purged/keys', { scopes: ['read'] })).body.error.code).toBe('tenant_deleting');
  expect((await operator('DELETE', '/v1/tenants/purged')).status).toBe(202); // again: safe

  // Its open alert is dismissed as a dismiss does: the destination hears it; the resolved one hears nothing more.
  const [dismissed] = await receiver.waitFor(1, (r) => event(r).tenant === 'purged' && event(r).type === 'alert.dismissed');
  expect(event(dismissed!).alert).toMatchObject({ id: 'open', closed_by: 'herald (tenant deleted)' });

  // Done: the tenant answers 404, and an id given again starts from nothing.
  await eventually(async () => expect((await operator('GET', '/v1/tenants/purged')).status).toBe(404), 60_000);
  expect((await operator('POST', '/v1/tenants', { id: 'purged', name: 'Again' })).status).toBe(201);
  expect((await operator('GET', '/v1/tenants/purged/destinations')).body.data).toEqual([]);
  expect((await operator('GET', '/v1/tenants/purged/alerts')).body.data).toEqual([]);
  expect((await operator('GET', '/v1/tenants/purged/alerts/open')).status).toBe(404);
  expect((await operator('GET', '/v1/tenants/purged/heartbeats')).body.data).toEqual([]);
  // Its heartbeat's workflow heard of the deletion and ended: nothing of the tenant keeps running.
  const connection = await Connection.connect({ address: process.env.HERALD_TEST_TEMPORAL_ADDRESS! });
  try {
    const run = await new Client({ connection }).workflow.getHandle(heartbeatWorkflowIdFor('purged/beat')).describe();
    expect(run.status.name).toBe('COMPLETED');
  } finally {
    await connection.close();
  }
  expect(receiver.requests.filter((r) => event(r).tenant === 'purged').map((r) => `${event(r).alert.id} ${event(r).type}`).sort()).toEqual([
    'open alert.dismissed',
    'open alert.triggered',
    'resolved alert.resolved',
    'resolved alert.triggered',
  ]);

  // The other tenant, same ids: untouched.
  expect((await operator('GET', '/v1/tenants/kept/alerts/open')).body).toMatchObject({ id: 'open', status: 'triggered' });
  expect((await operator('GET', '/v1/tenants/kept/destinations')).body.data).toHaveLength(1);
  expect((await operator('GET', '/v1/tenants/kept/heartbeats/beat')).body).toMatchObject({ name: 'beat', status: 'new' });
  expect(receiver.requests.some((r) => event(r).tenant === 'kept' && event(r).type === 'alert.dismissed')).toBe(false);
});

test('a tenant that owns nothing is deleted at once (204); the default tenant never', async () => {
  expect((await operator('POST', '/v1/tenants', { id: 'empty', name: 'Empty' })).status).toBe(201);
  expect((await operator('DELETE', '/v1/tenants/empty')).status).toBe(204);
  expect((await operator('GET', '/v1/tenants/empty')).status).toBe(404);
  expect((await operator('DELETE', '/v1/tenants/default')).body.error.code).toBe('default_tenant');
});
