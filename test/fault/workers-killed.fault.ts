// Two workers; one is killed with SIGKILL twice during a burst of 1 000 alerts and their resolves.
// Every trigger and every resolve must reach the receiver, each delivery id with one body, every
// resolve after its trigger, and every alert must end resolved with its lane delivered.
import { buildCli, killHard, spawnWorker, stopGently, type CliProcess } from '../support/cli-process';
import { DeliveryLedger } from '../support/delivery-ledger';
import { startHerald, type ApiResponse, type TestHerald } from '../support/herald';
import { inPool } from '../support/pool';
import { Receiver } from '../support/receiver';
import { report } from './report';

const ALERTS = Number(process.env.FAULT_ALERTS ?? 1000);

let herald: TestHerald;
let receiver: Receiver;
let cli: string;
const workers: CliProcess[] = [];

beforeAll(async () => {
  cli = buildCli('fault-workers');
  herald = await startHerald({ worker: false });
  receiver = await Receiver.start();
}, 120_000);
afterAll(async () => {
  await Promise.all(workers.map(stopGently));
  await herald.stop();
  await receiver.close();
});

test('a burst of 1 000 alerts survives a worker killed twice', async () => {
  const destination = await herald.call('POST', '/v1/destinations', {
    name: 'burst-hook',
    type: 'webhook',
    config: { url: receiver.url() },
    timeout_s: 2, // a killed worker's in-flight delivery is retried after its start-to-close timeout
    retry_schedule: [0, 1, 2, 5, 10, 30],
  });
  expect(destination.status).toBe(201);
  workers.push(await spawnWorker(cli, herald.config), await spawnWorker(cli, herald.config));

  const ledger = new DeliveryLedger(receiver.requests);
  const delivered = () => ledger.count('alert.triggered') + ledger.count('alert.resolved');
  const kills: Array<{ after: number; pid: number | undefined }> = [];
  // Kill the first worker, then its replacement, once the receiver has seen 20% and 60% of
  // the 2 000 deliveries, starting a fresh worker each time, as a supervisor would.
  const killer = (async () => {
    for (const share of [0.2, 0.6]) {
      await receiver.waitUntil(() => delivered() >= share * 2 * ALERTS, () => `only ${delivered()} deliveries before kill`, 240_000);
      const victim = workers[0]!;
      kills.push({ after: delivered(), pid: victim.pid });
      await killHard(victim);
      workers[0] = await spawnWorker(cli, herald.config);
    }
  })();

  const ids = Array.from({ length: ALERTS }, (_, i) => `burst_${i}`);
  const started = Date.now();
  const triggers = await inPool(ids, 25, (id) =>
    herald.call('POST', '/v1/alerts', { id, title: `Burst ${id}`, severity: 'warning', destinations: [destination.body.id] }),
  );
  const refused = (responses: ApiResponse[]) => responses.filter((r) => r.status !== 202).map((r) => ({ status: r.status, body: r.body }));
  expect(refused(triggers)).toEqual([]);
  const resolves = await inPool(ids, 25, (id) => herald.call('POST', `/v1/alerts/${id}/resolve`, { by: 'fault-test' }));
  expect(refused(resolves)).toEqual([]);

  await killer;
  await receiver.waitUntil(
    () => delivered() === 2 * ALERTS,
    () => `${ledger.count('alert.triggered')} triggers and ${ledger.count('alert.resolved')} resolves of ${ALERTS} each arrived`,
    240_000,
  );
  const seconds = (Date.now() - started) / 1000;

  expect(ledger.conflicts).toEqual([]);
  const outOfOrder = [...ledger.eventsByAlert()].filter(([, events]) => events.join() !== 'alert.triggered,alert.resolved');
  expect(outOfOrder).toEqual([]);

  // No lane stuck: every alert reports itself resolved with its one lane delivered.
  const states = await inPool(ids, 25, async (id) => (await herald.call('GET', `/v1/alerts/${id}`)).body);
  const notDone = states.filter((s) => s.status !== 'resolved' || s.destinations[0].state !== 'delivered').map((s) => s.id);
  expect(notDone).toEqual([]);

  report('workers killed', {
    alerts: ALERTS,
    kills: kills.map((k) => `pid ${k.pid} after ${k.after} deliveries`),
    triggers: ledger.count('alert.triggered'),
    resolves: ledger.count('alert.resolved'),
    requests: receiver.requests.length,
    retried_duplicates: ledger.duplicates(),
    seconds,
  });
}, 600_000);
