// Secrets never enter workflow history: the workflow carries destination ids and the activities load
// secrets when they run. Every destination type and every webhook auth type goes through trigger,
// retries, an update and resolve; then the history is exported and searched for every secret value.
import { Client, Connection } from '@temporalio/client';
import { eventually } from '../support/eventually';
import { Receiver } from '../support/receiver';
import { startHerald, type TestHerald } from '../support/herald';
import { FakeIncidentIo, STATUSES } from '../support/fakes/incident-io';
import { FakePagerDuty } from '../support/fakes/pagerduty';
import { TokenServer } from '../support/token-server';

let herald: TestHerald;
let receiver: Receiver;
let tokens: TokenServer;
let connection: Connection;
let incidents: FakeIncidentIo;
let pagerduty: FakePagerDuty;

beforeAll(async () => {
  herald = await startHerald();
  receiver = await Receiver.start();
  tokens = await TokenServer.start({ clientId: 'hist-client', clientSecret: 'hist-oauth-client-secret-42', lifetimeS: 600 });
  connection = await Connection.connect({ address: process.env.HERALD_TEST_TEMPORAL_ADDRESS! });
  incidents = await FakeIncidentIo.start('inc_hist_secret_key_987654321');
  pagerduty = await FakePagerDuty.start();
});
afterAll(async () => {
  await herald.stop();
  await receiver.close();
  await tokens.close();
  await connection.close();
  await incidents.close();
  await pagerduty.close();
});

test('no configured secret, OAuth token or signing secret appears in any workflow history', async () => {
  // Each event fails twice before it is accepted, so retries (and their timers) are in history too.
  const seen = new Map<string, number>();
  receiver.respond((req) => {
    const key = `${req.path}|${req.headers['x-herald-delivery']}`;
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    return n <= 2 ? { status: 503 } : { status: 200, body: '{"ok":true}' };
  });
  const auths = [
    { type: 'bearer', token: 'hist-bearer-token-secret-1' },
    { type: 'api_key', header: 'x-api-key', value: 'hist-api-key-secret-2' },
    { type: 'basic', username: 'hist-user', password: 'hist-basic-password-3' },
    { type: 'headers', headers: { 'X-Auth': 'hist-header-secret-4' } },
    { type: 'oauth2_client_credentials', token_url: tokens.url(), client_id: 'hist-client', client_secret: 'hist-oauth-client-secret-42' },
  ];
  const secrets = ['hist-bearer-token-secret-1', 'hist-api-key-secret-2', 'hist-basic-password-3', 'hist-header-secret-4', 'hist-oauth-client-secret-42'];
  const ids: string[] = [];
  for (const [i, auth] of auths.entries()) {
    const res = await herald.call('POST', '/v1/destinations', {
      name: `hist-${i}`,
      type: 'webhook',
      config: { url: receiver.url(`/d${i}`), auth },
      retry_schedule: [0, 0.2, 0.2, 0.2],
    });
    expect(res.status).toBe(201);
    ids.push(res.body.id);
    secrets.push(res.body.config.signing_secret, res.body.config.signing_secret.slice(6));
  }
  // The other destination types, with their own secrets.
  const others = [
    { name: 'hist-incident', type: 'incident_io', config: { api_key: 'inc_hist_secret_key_987654321', base_url: incidents.url(), closed_status_id: STATUSES.closed.id } },
    { name: 'hist-pagerduty', type: 'pagerduty', config: { routing_key: 'H0123456789abcdef0123456789SECRT', base_url: pagerduty.url() } },
    { name: 'hist-slack', type: 'slack', config: { webhook_url: receiver.url('/services/T0/B0/hist-slack-path-secret') } },
  ];
  for (const other of others) {
    const res = await herald.call('POST', '/v1/destinations', { ...other, retry_schedule: [0, 0.2, 0.2, 0.2] });
    expect(res.status).toBe(201);
    ids.push(res.body.id);
  }
  secrets.push('inc_hist_secret_key_987654321', 'H0123456789abcdef0123456789SECRT', 'hist-slack-path-secret');
  incidents.failNext({ status: 503 }); // a retry on the incident lane too
  pagerduty.failNext({ status: 500 });

  // One rotation, so the previous secret is in play as well.
  const rotated = await herald.call('POST', `/v1/destinations/${ids[0]}/secret/rotate`);
  secrets.push(rotated.body.signing_secret, rotated.body.signing_secret.slice(6));

  await herald.call('POST', '/v1/alerts', { id: 'hist_1', title: 'History check', severity: 'critical', destinations: ids });
  await receiver.waitFor(15, (r) => r.headers['x-herald-event'] === 'alert.triggered');
  await herald.call('POST', '/v1/alerts/hist_1/events', { description: 'more news' });
  await herald.call('POST', '/v1/alerts/hist_1/resolve', { by: 'test' });
  await eventually(async () => {
    const state = await herald.call('GET', '/v1/alerts/hist_1');
    expect(state.body.destinations.map((d: { state: string }) => d.state)).toEqual(Array(8).fill('delivered'));
  });
  secrets.push(...tokens.issued);
  expect(tokens.issued.length).toBeGreaterThan(0);

  const client = new Client({ connection, namespace: herald.config.namespace });
  const history = readable(await client.workflow.getHandle('alert:hist_1').fetchHistory());
  // The export is real and complete: payloads are decoded (inputs, results, search attributes).
  expect(history).toContain('"destinationId"');
  expect(history).toContain('"outcome":"retrying"');
  // History holds references, not documents: the update's text is in the store, not here.
  expect(history).toContain('"sequence":1');
  expect(history).not.toContain('more news');
  const leaked = secrets.filter((secret) => history.includes(secret));
  expect(leaked).toEqual([]);
});

/** The history as JSON plus every payload's bytes decoded, since payload data is base64 in the export. */
function readable(history: unknown): string {
  const decoded: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === 'data' && value instanceof Uint8Array) decoded.push(Buffer.from(value).toString('utf8'));
        else walk(value);
      }
    }
  };
  walk(history);
  return `${JSON.stringify(history)}\n${decoded.join('\n')}`;
}
