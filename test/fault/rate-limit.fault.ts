// A destination limited to 5 attempts a second (burst 2), fed by two worker processes at once: 300
// alerts, 60 of them resolved straight away. The receiver never sees more than the limit allows in any
// second (burst + rate, README "Rate limits"), nothing is lost, and every resolve comes after its trigger.
import { buildCli, spawnWorker, stopGently, type CliProcess } from '../support/cli-process';
import { DeliveryLedger } from '../support/delivery-ledger';
import { startHerald, type TestHerald } from '../support/herald';
import { inPool } from '../support/pool';
import { Receiver } from '../support/receiver';
import { report } from './report';

const ALERTS = 300;
const RESOLVED = 60;
const LIMIT = { events: 5, per: 'second', burst: 2 } as const;

let herald: TestHerald;
let receiver: Receiver;
let cli: string;
const workers: CliProcess[] = [];

beforeAll(async () => {
  cli = buildCli('rate-limit-workers');
  herald = await startHerald({ worker: false });
  receiver = await Receiver.start();
}, 120_000);
afterAll(async () => {
  await Promise.all(workers.map(stopGently));
  await herald?.stop();
  await receiver?.close();
});

/** The most requests that arrived within any one second. */
function busiestSecond(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i]! - sorted[j]! >= 1000) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

test(`${ALERTS} alerts through a destination limited to ${LIMIT.events}/s across two worker processes`, async () => {
  const destination = await herald.call('POST', '/v1/destinations', { name: 'limited-hook', type: 'webhook', config: { url: receiver.url() }, rate_limit: LIMIT });
  expect(destination.status).toBe(201);
  expect(destination.body.rate_limit).toEqual(LIMIT);
  workers.push(await spawnWorker(cli, herald.config), await spawnWorker(cli, herald.config));

  const ids = Array.from({ length: ALERTS }, (_, i) => `limited_${i}`);
  const started = Date.now();
  const triggers = await inPool(ids, 25, (id) => herald.call('POST', '/v1/alerts', { id, title: `Limited ${id}`, destinations: [destination.body.id] }));
  expect(triggers.filter((r) => r.status !== 202)).toEqual([]);
  const resolves = await inPool(ids.slice(0, RESOLVED), 25, (id) => herald.call('POST', `/v1/alerts/${id}/resolve`, { by: 'fault-test' }));
  expect(resolves.filter((r) => r.status !== 202)).toEqual([]);

  const ledger = new DeliveryLedger(receiver.requests);
  const total = ALERTS + RESOLVED;
  await receiver.waitUntil(
    () => ledger.count('alert.triggered') + ledger.count('alert.resolved') === total,
    () => `${ledger.count('alert.triggered')} triggers and ${ledger.count('alert.resolved')} resolves arrived`,
    (total / LIMIT.events) * 1000 + 60_000,
  );
  const seconds = (Date.now() - started) / 1000;

  // Slots are at most burst + 1 s × rate in any second; a request held up in flight for longer than
  // one interval (200 ms, a busy CI machine) can arrive beside the next second's, which one more allows.
  const most = busiestSecond(receiver.requests.map((r) => r.at));
  expect(most).toBeLessThanOrEqual(LIMIT.burst + LIMIT.events + 1);
  expect(receiver.requests).toHaveLength(total); // nothing sent twice, nothing lost
  expect(ledger.conflicts).toEqual([]);
  const outOfOrder = [...ledger.eventsByAlert()].filter(([id, events]) => events.join() !== (Number(id.split('_')[1]) < RESOLVED ? 'alert.triggered,alert.resolved' : 'alert.triggered'));
  expect(outOfOrder).toEqual([]);
  // At the limit, not far below it: the lanes waiting for slots keep the destination busy.
  expect(seconds).toBeLessThan(total / LIMIT.events + 30);
  report('rate limit', { alerts: ALERTS, events: total, limit_per_s: LIMIT.events, burst: LIMIT.burst, busiest_second: most, drained_s: seconds.toFixed(1), at_rate_s: total / LIMIT.events });
}, 300_000);
