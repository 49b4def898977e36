// An open circuit survives restarts (README "Circuit breaker"): 200 alerts meet a receiver that is down,
// the destination's circuit opens and their lanes wait; then the worker is killed (SIGKILL) and the
// Temporal dev server is stopped and started again. While the receiver stays down afterwards it sees
// probes only, not a herd of 200 retries; once it is back every alert is delivered once.
import { buildCli, killHard, spawnWorker, stopGently, type CliProcess } from '../support/cli-process';
import { OwnDevServer } from '../support/dev-server';
import { DeliveryLedger } from '../support/delivery-ledger';
import { eventually } from '../support/eventually';
import { startHerald, type TestHerald } from '../support/herald';
import { inPool } from '../support/pool';
import { Receiver } from '../support/receiver';
import { report } from './report';

const ALERTS = 200;
const STILL_DOWN_MS = 15_000;

let server: OwnDevServer;
let herald: TestHerald;
let receiver: Receiver;
let cli: string;
let worker: CliProcess | undefined;

beforeAll(async () => {
  server = await OwnDevServer.start('circuit-temporal');
  cli = buildCli('circuit-workers');
  herald = await startHerald({ worker: false, temporalAddress: server.address });
  receiver = await Receiver.start();
}, 120_000);
afterAll(async () => {
  if (worker) await stopGently(worker);
  await herald?.stop();
  await server?.stop();
  await receiver?.close();
});

test(`${ALERTS} alerts held by an open circuit through a killed worker and a restarted Temporal: no herd, nothing lost`, async () => {
  receiver.respond(() => ({ status: 503, body: 'down' }));
  const hook = await herald.call('POST', '/v1/destinations', {
    name: 'down-hook',
    type: 'webhook',
    config: { url: receiver.url() },
    retry_schedule: [0, ...Array(19).fill(1)],
    timeout_s: 2,
    circuit_breaker: { failure_threshold: 5, cooldown_s: 3, max_cooldown_s: 6 },
  });
  expect(hook.status).toBe(201);
  worker = await spawnWorker(cli, herald.config, server.address);
  const ids = Array.from({ length: ALERTS }, (_, i) => `held_${i}`);
  const triggers = await inPool(ids, 25, (id) => herald.call('POST', '/v1/alerts', { id, title: `Held ${id}`, destinations: [hook.body.id] }));
  expect(triggers.filter((r) => r.status !== 202)).toEqual([]);
  await eventually(async () => {
    const states = await inPool(ids, 25, async (id) => (await herald.call('GET', `/v1/alerts/${id}`)).body.destinations[0]?.state);
    expect(states.filter((s) => s === 'held').length).toBeGreaterThanOrEqual(ALERTS - 10);
  }, 120_000);
  const beforeFaults = receiver.requests.length;

  await killHard(worker);
  await server.stop();
  await server.startAgain();
  worker = await spawnWorker(cli, herald.config, server.address);
  const restartedAt = Date.now();
  await new Promise((r) => setTimeout(r, STILL_DOWN_MS));
  const whileStillDown = receiver.requests.filter((r) => r.at >= restartedAt).length;
  expect((await herald.call('GET', `/v1/destinations/${hook.body.id}`)).body.circuit.state).toMatch(/^(open|half_open)$/);

  receiver.respond(() => ({ status: 200, body: '{}' }));
  const backAt = Date.now();
  const ledger = new DeliveryLedger(receiver.requests);
  const deliveredIds = () => new Set(receiver.requests.filter((r) => r.at >= backAt).map((r) => JSON.parse(r.body).alert.id)).size;
  await receiver.waitUntil(() => deliveredIds() === ALERTS, () => `${deliveredIds()} of ${ALERTS} alerts delivered since the receiver came back`, 180_000);
  const drainedS = (Date.now() - backAt) / 1000;
  await new Promise((r) => setTimeout(r, 3000)); // time for a duplicate to show, if one were coming

  // Probes only (one at a time, every few seconds): far fewer than one retry per alert.
  expect(whileStillDown).toBeLessThan(20);
  const afterBack = receiver.requests.filter((r) => r.at >= backAt);
  expect(afterBack).toHaveLength(ALERTS); // each alert once, no duplicate
  expect(ledger.conflicts).toEqual([]);
  const states = await inPool(ids, 25, async (id) => (await herald.call('GET', `/v1/alerts/${id}`)).body.delivery_state);
  expect(states.filter((s) => s !== 'delivered')).toEqual([]);
  report('circuit open through a killed worker and a restarted temporal', {
    alerts: ALERTS,
    requests_before_faults: beforeFaults,
    requests_while_still_down_15s: whileStillDown,
    delivered_after_back: afterBack.length,
    drained_s: drainedS.toFixed(1),
  });
}, 420_000);
