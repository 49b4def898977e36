// The Temporal dev server is stopped and restarted on the same database file in the middle of a
// burst: the API answers 503 while it is down (nothing accepted, nothing lost), and after it is back
// every alert it accepted is delivered, as is every alert the client sent again after a 503.
import { OwnDevServer } from '../support/dev-server';
import { DeliveryLedger } from '../support/delivery-ledger';
import { startHerald, type ApiResponse, type TestHerald } from '../support/herald';
import { Receiver } from '../support/receiver';
import { report } from './report';

const ALERTS = 300;

let server: OwnDevServer;
let herald: TestHerald;
let receiver: Receiver;

beforeAll(async () => {
  server = await OwnDevServer.start('restarted-temporal'); // restarted on the same ports and database file
  herald = await startHerald({ temporalAddress: server.address });
  receiver = await Receiver.start();
}, 120_000);
afterAll(async () => {
  await herald.stop();
  await server.stop();
  await receiver.close();
});

test('alerts accepted before and after a Temporal restart are all delivered; 503 while it is down', async () => {
  const destination = await herald.call('POST', '/v1/destinations', {
    name: 'restart-hook',
    type: 'webhook',
    config: { url: receiver.url() },
    retry_schedule: [0, 1, 2, 5, 10, 30],
  });
  expect(destination.status).toBe(201);
  const trigger = (id: string) =>
    herald.call('POST', '/v1/alerts', { id, title: `Restart ${id}`, severity: 'error', destinations: [destination.body.id] });

  const outcomes = new Map<string, ApiResponse>();
  let sent = 0;
  const sendNext = async () => {
    const id = `restart_${sent++}`;
    outcomes.set(id, await trigger(id));
  };
  const burst = async (until: () => boolean) => {
    await Promise.all(Array.from({ length: 5 }, async () => {
      while (!until() && sent < ALERTS) await sendNext();
    }));
  };
  const unavailable = () => [...outcomes.values()].filter((r) => r.status === 503);

  await burst(() => sent >= ALERTS / 3);
  const stopped = server.stop();
  // Keep sending while it goes down and stays down, until the API has refused twenty alerts.
  await burst(() => unavailable().length >= 20);
  await stopped;
  const whileDown = sent;
  await server.startAgain();
  await burst(() => false);

  const statuses = [...outcomes.values()].map((r) => r.status);
  expect(new Set(statuses)).toEqual(new Set([202, 503]));
  for (const refused of unavailable()) {
    expect(refused.body.error).toMatchObject({ code: 'temporal_unavailable' });
    expect(refused.headers.get('retry-after')).toBeTruthy();
  }
  // A client retries what was refused (Alertmanager does); an answer lost in the outage may have
  // been accepted after all, which the retry reports as a duplicate instead of a second alert.
  const refusedIds = [...outcomes].filter(([, r]) => r.status === 503).map(([id]) => id);
  for (const id of refusedIds) {
    const again = await trigger(id);
    expect([200, 202]).toContain(again.status);
  }

  const ledger = new DeliveryLedger(receiver.requests);
  await receiver.waitUntil(
    () => ledger.count('alert.triggered') === ALERTS,
    () => `${ledger.count('alert.triggered')} of ${ALERTS} triggers arrived`,
    180_000,
  );
  expect(ledger.conflicts).toEqual([]);
  expect([...ledger.eventsByAlert().keys()].sort()).toEqual([...outcomes.keys()].sort());
  report('temporal restarted', {
    alerts: ALERTS,
    accepted_first_time: statuses.filter((s) => s === 202).length,
    refused_503: refusedIds.length,
    sent_before_restart: whileDown,
    delivered: ledger.count('alert.triggered'),
    retried_duplicates: ledger.duplicates(),
  });
}, 600_000);
