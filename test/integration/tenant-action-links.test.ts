// Action links of another tenant's alerts (README "Action links", "Serving your customers"): the
// link acts on the alert it was sent for, never on the default tenant's alert with the same id.
import { randomBytes } from 'node:crypto';
import { callApi, startHerald, testConfig, type TestHerald } from '../support/herald';
import { eventually } from '../support/eventually';
import { Receiver } from '../support/receiver';

const OPERATOR = `operator-${randomBytes(12).toString('hex')}`;
const PUBLIC_URL = 'https://herald.example.com'; // never reached: links are opened on the test's own address
let herald: TestHerald;
let hook: Receiver;

beforeAll(async () => {
  herald = await startHerald({ config: testConfig({ HERALD_API_KEYS: OPERATOR, HERALD_PUBLIC_URL: PUBLIC_URL, HERALD_ACTION_LINK_KEY: randomBytes(32).toString('base64') }) });
  hook = await Receiver.start();
});
afterAll(async () => {
  await herald?.stop();
  await hook?.close();
});

test("a tenant's action link acknowledges the tenant's alert, not the default tenant's of the same id", async () => {
  const operator = (method: string, path: string, body?: unknown) => callApi(herald.url, OPERATOR, method, path, body);
  expect((await operator('POST', '/v1/tenants', { id: 'links-acme', name: 'Acme' })).status).toBe(201);
  const acme = (await operator('POST', '/v1/tenants/links-acme/destinations', { name: 'hook', type: 'webhook', config: { url: hook.url('/acme') } })).body.id;
  const fallback = (await operator('POST', '/v1/destinations', { name: 'hook', type: 'webhook', config: { url: hook.url('/default') } })).body.id;
  expect((await operator('POST', '/v1/tenants/links-acme/alerts', { id: 'same', title: 'Acme down', destinations: [acme] })).status).toBe(202);
  expect((await operator('POST', '/v1/alerts', { id: 'same', title: 'Default down', destinations: [fallback] })).status).toBe(202);

  const [sent] = await hook.waitFor(1, (r) => r.path === '/acme');
  const link = (JSON.parse(sent!.body) as { actions: { acknowledge: string } }).actions.acknowledge;
  const acted = await fetch(`${herald.url}${new URL(link).pathname}`, { method: 'POST', redirect: 'manual' });
  expect(acted.status).toBe(200);

  await eventually(async () => expect((await operator('GET', '/v1/tenants/links-acme/alerts/same')).body.status).toBe('acknowledged'));
  expect((await operator('GET', '/v1/alerts/same')).body.status).toBe('triggered');
});
