// Heartbeats over the HTTP API on a real dev server (README "Heartbeats"): create (the token shown
// once), list and read without it, ping with an API key and with the token in the URL (no key, GET
// as a cron job's curl does), a wrong token or name refused alike, a miss raising the alert at a real
// webhook on loopback and the next ping resolving it, delete.
import { eventually } from '../support/eventually';
import { Receiver } from '../support/receiver';
import { startHerald, type TestHerald } from '../support/herald';

let herald: TestHerald;
let webhook: Receiver;
let destination: string;
const logLines: string[] = [];

beforeAll(async () => {
  herald = await startHerald({ logLines, env: { HERALD_API_KEYS: 'admin-key-0123456789abcdef,read-key-0123456789abcdefgh:read,ingest-key-0123456789abcdef:ingest' } });
  webhook = await Receiver.start();
  destination = (await herald.call('POST', '/v1/destinations', { name: 'hb-webhook', type: 'webhook', config: { url: webhook.url() } })).body.id;
});
afterAll(async () => {
  await herald.stop();
  await webhook.close();
});

const noKey = (method: string, path: string) => fetch(`${herald.url}${path}`, { method });

test('create, read, ping with a key and with the token, a miss raises the alert and the next ping resolves it, delete', async () => {
  const created = await herald.call('POST', '/v1/heartbeats', { name: 'watchdog', interval_s: 10, grace_s: 0, destination_ids: [destination], alert: { severity: 'critical' } });
  expect(created.status).toBe(201);
  expect(created.body).toMatchObject({ name: 'watchdog', status: 'new', interval_s: 10, grace_s: 0, token: expect.stringMatching(/^hb_[A-Za-z0-9_-]{32}$/) });
  const { token, ping_url_with_token } = created.body;
  expect(ping_url_with_token).toBe(`${herald.config.publicUrl}/v1/heartbeats/watchdog/ping/${token}`);
  // The token is shown once: reads never carry it.
  const read = await herald.call('GET', '/v1/heartbeats/watchdog', undefined, { authorization: 'Bearer read-key-0123456789abcdefgh' });
  expect(read.status).toBe(200);
  expect(JSON.stringify(read.body)).not.toContain(token);
  expect((await herald.call('GET', '/v1/heartbeats')).body.data.map((h: { name: string }) => h.name)).toEqual(['watchdog']);
  expect((await herald.call('POST', '/v1/heartbeats', { name: 'watchdog', interval_s: 60 })).status).toBe(409);

  const pinged = await herald.call('POST', '/v1/heartbeats/watchdog/ping', undefined, { authorization: 'Bearer ingest-key-0123456789abcdef' });
  expect(pinged.status).toBe(202);
  expect(pinged.body).toMatchObject({ name: 'watchdog', accepted: true });
  const byToken = await noKey('GET', `/v1/heartbeats/watchdog/ping/${token}`);
  expect(byToken.status).toBe(202);
  expect((await noKey('POST', `/v1/heartbeats/watchdog/ping/${token}`)).status).toBe(202);
  const wrongToken = await noKey('POST', `/v1/heartbeats/watchdog/ping/hb_${'x'.repeat(32)}`);
  const wrongName = await noKey('POST', `/v1/heartbeats/nobody/ping/${token}`);
  expect([wrongToken.status, wrongName.status]).toEqual([404, 404]);
  expect(await wrongToken.json()).toEqual(await wrongName.json()); // neither says which heartbeats exist
  expect((await noKey('POST', '/v1/heartbeats/watchdog/ping')).status).toBe(401);

  // No ping for 10 s: the alert goes out through the webhook; a ping resolves it.
  const [raised] = await webhook.waitFor(1, (r) => r.body.includes('heartbeat-watchdog-1'), 40_000);
  expect(JSON.parse(raised!.body)).toMatchObject({ event_type: 'alert.triggered', alert: { id: 'heartbeat-watchdog-1', severity: 'critical', labels: { heartbeat: 'watchdog' } } });
  expect((await herald.call('GET', '/v1/heartbeats/watchdog')).body).toMatchObject({ status: 'down', alert_id: 'heartbeat-watchdog-1', misses: 1 });
  expect((await noKey('GET', `/v1/heartbeats/watchdog/ping/${token}`)).status).toBe(202);
  await webhook.waitFor(1, (r) => r.body.includes('heartbeat-watchdog-1') && r.body.includes('alert.resolved'));
  await eventually(async () => expect((await herald.call('GET', '/v1/heartbeats/watchdog')).body.status).toBe('up'));

  expect((await herald.call('DELETE', '/v1/heartbeats/watchdog')).status).toBe(204);
  expect((await herald.call('GET', '/v1/heartbeats/watchdog')).status).toBe(404);
  expect((await noKey('GET', `/v1/heartbeats/watchdog/ping/${token}`)).status).toBe(404);
  // The token pings on its own: never in the log.
  expect(logLines.some((l) => l.includes('/v1/heartbeats/watchdog/ping/****'))).toBe(true);
  expect(logLines.join('\n')).not.toContain(token);
});

test('bad heartbeats are refused naming the field', async () => {
  const bad = await herald.call('POST', '/v1/heartbeats', { name: 'Has Spaces', interval_s: 5 });
  expect(bad.status).toBe(400);
  expect(bad.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['interval_s', 'name']);
  expect((await herald.call('POST', '/v1/heartbeats', { name: 'x', interval_s: 60 }, { authorization: 'Bearer ingest-key-0123456789abcdef' })).status).toBe(403);
});
