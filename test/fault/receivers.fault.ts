// Receivers that misbehave: one that is down for longer than the first three retries gets its
// deliveries afterwards; ones that hang, reset connections, answer slowly or answer huge bodies
// hold up only their own lanes, never another destination's.
import http from 'node:http';
import { once } from 'node:events';
import type { AddressInfo, Socket } from 'node:net';
import { DeliveryLedger } from '../support/delivery-ledger';
import { eventually } from '../support/eventually';
import { startHerald, type TestHerald } from '../support/herald';
import { inPool } from '../support/pool';
import { Receiver } from '../support/receiver';
import { report } from './report';

let herald: TestHerald;
const cleanups: Array<() => Promise<unknown>> = [];

beforeAll(async () => {
  herald = await startHerald();
}, 120_000);
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  await herald.stop();
});

async function createWebhook(name: string, url: string, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await herald.call('POST', '/v1/destinations', { name, type: 'webhook', config: { url }, ...extra });
  expect(res.status).toBe(201);
  return res.body.id;
}

test('a receiver down for longer than the first three retries gets every delivery afterwards', async () => {
  const receiver = await Receiver.start();
  const url = receiver.url();
  const port = Number(new URL(url).port);
  await receiver.close(); // down: connections to its port are refused
  const id = await createWebhook('down-hook', url, { retry_schedule: [0, 1, 1, 1, 3, 3, 3, 3, 3, 3] });
  const alerts = ['down_1', 'down_2', 'down_3'];
  for (const alert of alerts) {
    expect((await herald.call('POST', '/v1/alerts', { id: alert, title: alert, severity: 'critical', destinations: [id] })).status).toBe(202);
  }
  // Wait until every lane has failed its first attempt and three retries.
  await eventually(async () => {
    for (const alert of alerts) {
      const { body } = await herald.call('GET', `/v1/alerts/${alert}`);
      expect(body.destinations[0].events[0].attempts.length).toBeGreaterThanOrEqual(4);
    }
  }, 60_000);

  const back = new http.Server((req, res) => {
    receivedAfter.push(String(req.headers['webhook-id']));
    req.resume().on('end', () => res.end('{}'));
  });
  const receivedAfter: string[] = [];
  back.listen(port, '127.0.0.1');
  await once(back, 'listening');
  cleanups.push(() => new Promise((r) => { back.closeAllConnections(); back.close(r); }));

  const states = await eventually(async () => {
    const all = await Promise.all(alerts.map(async (a) => (await herald.call('GET', `/v1/alerts/${a}`)).body));
    for (const state of all) expect(state.destinations[0].state).toBe('delivered');
    return all;
  }, 60_000);
  const attempts = states.map((s) => s.destinations[0].events[0].attempts);
  for (const list of attempts) {
    expect(list.length).toBeGreaterThanOrEqual(5);
    // Refused, by code and address: a reset ("closed the connection") would be another failure.
    for (const failed of list.slice(0, -1)) expect(failed.error).toMatch(new RegExp(`^ECONNREFUSED: connect ECONNREFUSED 127\\.0\\.0\\.1:${port} `));
    expect(list.at(-1)).toMatchObject({ status_code: 200 });
    expect(list.at(-1).error).toBeUndefined();
  }
  expect(new Set(receivedAfter).size).toBe(alerts.length);
  report('receiver down', { alerts: alerts.length, attempts_per_alert: attempts.map((l) => l.length), requests_after_back: receivedAfter.length });
}, 120_000);

test('hanging, resetting, slow and huge-body receivers do not slow another destination', async () => {
  const open = new Set<Socket>();
  const misbehaving = async (name: string, handler: http.RequestListener) => {
    const server = http.createServer(handler);
    server.on('connection', (s) => { open.add(s); s.on('close', () => open.delete(s)); });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    cleanups.push(() => new Promise((r) => { server.closeAllConnections(); server.close(r); }));
    return { name, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook` };
  };
  const counts = { hang: 0, reset: 0, slow: 0, huge: 0 };
  const hanging = new Set<http.ServerResponse>();
  const dribbles: NodeJS.Timeout[] = [];
  cleanups.push(async () => dribbles.forEach(clearInterval));
  const peers = [
    await misbehaving('hang', (_req, res) => { counts.hang++; hanging.add(res); }), // never answers
    await misbehaving('reset', (req) => { counts.reset++; req.socket.destroy(); }),
    await misbehaving('slow', (_req, res) => {
      counts.slow++;
      res.writeHead(200, { 'content-type': 'application/json' });
      dribbles.push(setInterval(() => res.write(' '), 500)); // a byte every half second, never done
    }),
    await misbehaving('huge', (_req, res) => {
      counts.huge++;
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(1024 * 1024, 0x20);
      let sent = 0;
      const pump = () => { while (sent < 64 && res.write(chunk)) sent++; if (sent < 64) res.once('drain', pump); else res.end('{}'); };
      pump(); // 64 MiB of whitespace around an empty object
    }),
  ];
  const healthy = await Receiver.start();
  cleanups.push(() => healthy.close());

  // The bad lanes get the longest timeout allowed, so they are still stuck while the healthy lane runs.
  const badIds = await Promise.all(peers.map((p) => createWebhook(`${p.name}-hook`, p.url, { timeout_s: 30, retry_schedule: [0, 60] })));
  const healthyId = await createWebhook('healthy-hook', healthy.url());
  const alerts = Array.from({ length: 20 }, (_, i) => `mixed_${i}`);
  await inPool(alerts, 5, async (alert) => {
    const res = await herald.call('POST', '/v1/alerts', { id: alert, title: alert, severity: 'warning', destinations: [...badIds, healthyId] });
    expect(res.status).toBe(202);
  });
  const ledger = new DeliveryLedger(healthy.requests);
  await healthy.waitUntil(() => ledger.count('alert.triggered') === alerts.length, () => `${ledger.count('alert.triggered')} healthy triggers`, 60_000);
  await inPool(alerts, 5, async (alert) => expect((await herald.call('POST', `/v1/alerts/${alert}/resolve`, {})).status).toBe(202));
  await healthy.waitUntil(() => ledger.count('alert.resolved') === alerts.length, () => `${ledger.count('alert.resolved')} healthy resolves`, 60_000);

  // The healthy lane finished both events while every hanging request is still unanswered: it never
  // waited for them.
  const stillHanging = [...hanging].filter((res) => !res.writableEnded && !res.destroyed).length;
  expect(counts.hang).toBeGreaterThan(0);
  expect(stillHanging).toBe(counts.hang);
  expect(ledger.conflicts).toEqual([]);
  report('misbehaving receivers', { alerts: alerts.length, healthy_deliveries: healthy.requests.length, ...counts, hanging_open: stillHanging });
}, 180_000);
